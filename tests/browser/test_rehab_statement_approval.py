"""Soite's organisers close last month's statement in the browser (issue 15): the draft
is checked by one, approved (numbered, locked) by another and sent with the invoice reference; a second tab
still showing the checked statement cannot approve it again, and a missing reference
is named next to its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.core import dates
from silta.rehab import services
from silta.rehab.attendance import DayEntry
from silta.rehab.models import Attendance, Statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"


def _login(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("test-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_worker_checks_approves_and_sends_last_months_statement(
    live_server: Any, browser: Any, region: Any
) -> None:
    today = dates.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    world = factories.rehab_world(
        region["272"],
        start=last_month - dt.timedelta(days=14),
        end=today + dt.timedelta(days=200),
    )
    worker, staff, placement = world["worker"], world["a"]["staff"], world["placement"]
    approver = world["approver"]
    for user in (worker, approver):
        user.language = "en"
        user.save()
    monday = last_month + dt.timedelta(days=(7 - last_month.weekday()) % 7)
    services.attendance_record(
        actor=staff,
        placement=placement,
        entries=[DayEntry(monday + dt.timedelta(days=i), True, Decimal(6)) for i in range(4)],
    )
    provider = world["a"]["provider"]
    url = f"{live_server.url}/rehab/providers/{provider.pk}/statements/{last_month:%Y-%m}/"

    page = _login(browser, live_server, worker.username)
    page.goto(url)
    assert page.get_by_role("heading", name="Draft (live preview)", exact=False).is_visible()
    assert page.locator('[data-total="eur"]').inner_text() == "€120.00"
    assert page.get_by_role("button", name="Approve the statement").count() == 0
    assert_accessible(page)

    # the organiser checks the draft
    page.get_by_role("button", name="Mark the statement checked").click()
    page.wait_for_load_state()
    assert page.get_by_text("The statement was checked.").is_visible()
    # four eyes: the checker is told another person approves, and has no button for it
    assert page.get_by_text("four-eyes rule", exact=False).is_visible()
    assert page.get_by_role("button", name="Approve the statement").count() == 0
    # the colleague who approves opens it, in two tabs
    page = _login(browser, live_server, approver.username)
    page.goto(url)
    other = page.context.new_page()
    other.set_default_timeout(15000)
    other.goto(url)

    # approval: numbered and locked
    page.get_by_role("button", name="Approve the statement").click()
    page.wait_for_load_state()
    assert page.get_by_text("The statement was approved.").is_visible()
    assert page.get_by_role("heading", name="number 00001", exact=False).is_visible()
    assert page.get_by_role("button", name="Mark the statement checked").count() == 0
    statement = Statement.objects.get()
    assert statement.status == "approved" and statement.number == 1
    assert Attendance.objects.filter(statement=statement).count() == 4
    assert_accessible(page)

    # the second tab is stale: approving again is refused with the reason
    other.get_by_role("button", name="Approve the statement").click()
    other.wait_for_load_state()
    assert other.get_by_role("alert").get_by_text("already approved", exact=False).is_visible()
    statement.refresh_from_db()
    assert statement.version == 2 and statement.status == "approved"

    # sending needs the invoice reference, named next to its field
    page.get_by_role("button", name="Mark sent for invoicing").click()
    page.wait_for_load_state()
    assert page.locator("#invoice-reference-error").is_visible()
    page.get_by_label("Invoice reference").fill("LASKU-2026-0042")
    page.get_by_role("button", name="Mark sent for invoicing").click()
    page.wait_for_load_state()
    assert page.get_by_text("LASKU-2026-0042").is_visible()
    statement.refresh_from_db()
    assert statement.status == "sent" and statement.invoice_reference == "LASKU-2026-0042"
    assert_accessible(page)
