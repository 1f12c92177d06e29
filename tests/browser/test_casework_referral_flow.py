"""Two organisations in a real browser: a case worker sends a health check referral,
the nurse accepts, schedules and completes it, and the case worker sees the
completion on the client's timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.casework.models import Referral
from silta.core import dates

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


def test_health_check_referral_across_two_organisations(
    live_server: Any, browser: Any, region: Any
) -> None:
    # given an employment case worker with a client, and the health check nurse
    cast = factories.two_organisations(region["272"])
    for user in (cast["worker"], cast["nurse"]):
        user.language = "en"
        user.save()
    client = cast["client"]

    # when the case worker sends a health check referral from the client's case work
    worker = _login(browser, live_server, cast["worker"].username)
    worker.goto(f"{live_server.url}/clients/{client.pk}/")
    worker.get_by_role("link", name="Timeline and case work").click()
    assert_accessible(worker)
    worker.get_by_role("link", name="Send a referral").first.click()
    assert_accessible(worker)
    worker.get_by_label("Service and provider").select_option(str(cast["health_check"].pk))
    worker.get_by_label("Reason for the referral").fill("Long unemployment; health check agreed.")
    worker.get_by_role("button", name="Send the referral").click()
    worker.wait_for_load_state()
    assert worker.get_by_text("The referral was sent.").is_visible()

    # and the nurse finds it in the inbox, accepts, schedules and completes it
    nurse = _login(browser, live_server, cast["nurse"].username)
    nurse.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Referrals received"
    ).click()
    assert_accessible(nurse)
    nurse.get_by_role("link", name=f"{client.last_name}, {client.first_names}").click()
    assert_accessible(nurse)
    nurse.get_by_role("button", name="Mark as Accepted").click()
    nurse.wait_for_load_state()
    # today, a little later: a referral is completed on or after its appointment day
    when = (dates.now() + dt.timedelta(minutes=2)).astimezone(dates.HELSINKI)
    nurse.get_by_label("Appointment time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    nurse.get_by_label("Place").fill("Kokkola health centre, room 12")
    nurse.get_by_role("button", name="Mark as Scheduled").click()
    nurse.wait_for_load_state()
    assert_accessible(nurse)
    nurse.get_by_role("button", name="Mark as Completed").click()
    nurse.wait_for_load_state()
    assert nurse.get_by_text("The referral is now completed.").is_visible()
    referral = Referral.objects.get()
    assert referral.status == "completed"
    assert referral.waiting_days == 0

    # then the case worker sees the completion on the timeline
    worker.goto(f"{live_server.url}/clients/{client.pk}/casework/")
    timeline = worker.get_by_role("region", name="Timeline")
    assert timeline.get_by_text("Referral to Unemployed health check: Completed").is_visible()
    assert timeline.get_by_text("Referral to Unemployed health check: Scheduled").is_visible()
    assert_accessible(worker)
