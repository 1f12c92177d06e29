"""Provider staff record a week of attendance in the keyboard-usable week grid and see
the monthly statement preview change (issue 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.core import dates
from silta.rehab.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_provider_records_a_week_and_sees_the_statement_preview_change(
    live_server: Any, browser: Any, region: Any
) -> None:
    # given a placement at Mello ry that started two months ago
    today = dates.today()
    world = factories.rehab_world(
        region["272"], start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=200)
    )
    staff = world["a"]["staff"]
    staff.language = "en"
    staff.save()
    provider = world["a"]["provider"]
    monday = today - dt.timedelta(days=today.weekday() + 7)  # last week's Monday
    month = monday.replace(day=1)
    in_month = sum(1 for i in range(4) if (monday + dt.timedelta(days=i)).month == monday.month)
    statement_url = f"{live_server.url}/rehab/providers/{provider.pk}/statements/{month:%Y-%m}/"

    page = _login(browser, live_server, staff.username)
    # the statement preview of the month has nothing to bill yet
    page.goto(statement_url)
    assert page.get_by_text("Nothing to bill for the month.").is_visible()

    # when the provider opens the placement from the portal
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Rehabilitative work activity"
    ).click()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name="Hakala, Eino Olavi").click()
    page.get_by_role("link", name="Previous week").click()
    page.wait_for_url(f"**week={monday.isoformat()}")
    assert_accessible(page)

    # and records Monday with the keyboard: arrow to "Present", tab to the hours
    page.locator("#id_d0_status_0").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("6")
    assert page.locator("#id_d0_status_1").is_checked()
    # Tuesday to Thursday present, Friday absent (ill)
    for i in (1, 2, 3):
        page.locator(f"#id_d{i}_status_1").check()
        page.locator(f"#id_d{i}_hours").fill("6,5")
    page.locator("#id_d4_status_2").check()
    page.locator("#id_d4_reason").select_option("ill")
    page.get_by_role("button", name="Save the week").click()
    page.wait_for_load_state()
    assert page.get_by_text("Attendance saved: 5 days changed.").is_visible()
    assert Attendance.objects.filter(present=True).count() == 4

    # and tries a fifth day: refused, naming the day and the rule
    page.locator("#id_d4_status_1").check()
    page.locator("#id_d4_hours").fill("6")
    page.get_by_role("button", name="Save the week").click()
    page.wait_for_load_state()
    friday = monday + dt.timedelta(days=4)
    alert = page.get_by_role("alert")
    assert alert.get_by_text(
        f"{friday.day}.{friday.month}.{friday.year}: at most 4 days a week"
    ).is_visible()
    assert Attendance.objects.filter(present=True).count() == 4
    assert_accessible(page)

    # then the statement preview shows the new participant-days and euros
    page.goto(statement_url)
    assert page.locator("[data-total=participant-days]").inner_text() == str(in_month)
    assert page.locator("[data-total=eur]").inner_text() == f"€{in_month * 30}.00"
    assert page.get_by_text("Draft (live preview)").first.is_visible()
    assert_accessible(page)
