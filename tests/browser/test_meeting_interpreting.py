"""In Swedish, on a phone-sized screen: the work ability network's coordinator sees on
the cooperation page that a coming network meeting with an Arabic-speaking client's case
has no interpreter, books one (a bad language code is refused first) and the meeting
leaves the list (issue 17 item 2, ADR 0031)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role
from silta.core import dates
from silta.governance.models import AgendaItem, Body, BodyKind, Meeting, NetworkCase
from silta.integration import services
from silta.integration.models import MeetingInterpreting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_books_the_interpreter_of_a_network_meeting(
    live_server: Any, browser: Any, region: Any
) -> None:
    cast = factories.two_organisations(region["272"])
    soite = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    coordinator = factories.staff(Role.NETWORK_COORDINATOR, soite, language="sv")
    network = Body.objects.create(
        key="tkv", kind=BodyKind.WORK_ABILITY_NETWORK, name_fi="Työkykyverkosto",
        name_sv="Arbetsförmågenätverket", convener=soite,
    )  # fmt: skip
    meeting = Meeting.objects.create(body=network, held_on=dates.today() + dt.timedelta(days=5))
    case = NetworkCase.objects.create(
        client=cast["client"], network=network, from_organisation=cast["employment"],
        referred_at=dates.now(), reason="Arbetsförmågan oklar",
    )  # fmt: skip
    AgendaItem.objects.create(meeting=meeting, number=1, title="Klient", network_case=case)
    services.language_profile_save(
        actor=cast["worker"], client=cast["client"], mother_tongue="ar",
        interpreter_needed=True, interpreter_language="ar",
    )  # fmt: skip

    context = browser.new_context(locale="sv-FI", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(coordinator.username)
    page.locator("input[name=password]").fill("test-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/governance/")
    gaps = page.locator("#meeting-interpreter-gaps-heading").locator("..")
    assert "arabiska" in gaps.inner_text()
    assert_accessible(page)
    gaps.get_by_role("link", name="Beställ tolk").click()
    page.wait_for_load_state()
    assert page.locator("main select[name=language]").input_value() == "ar"
    assert_accessible(page)
    # the page fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("[name=booking_reference]").fill("Tolkcentralen 4711")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # a reference without a booking is refused next to the field, nothing saved
    assert not MeetingInterpreting.objects.exists()
    page.locator("[name=booked]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Tolkningen sparades.").is_visible()
    row = MeetingInterpreting.objects.get()
    assert (row.language, row.booked, row.booking_reference) == ("ar", True, "Tolkcentralen 4711")
    page.goto(f"{live_server.url}/governance/")
    assert page.locator("#meeting-interpreter-gaps-heading").count() == 0
    context.close()
