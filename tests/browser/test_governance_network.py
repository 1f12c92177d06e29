"""The work ability network in a real browser: a case worker's referral waits in the
coordinator's queue; the coordinator puts it on the coming meeting's agenda, records
the consultation, and the client's plan gets a new version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role
from silta.casework.services import plan_create
from silta.core import dates
from silta.governance.models import Meeting, NetworkCase
from silta.governance.services import body_create, network_refer

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


def test_coordinator_puts_a_case_on_the_agenda(live_server: Any, browser: Any, region: Any):
    # given the network of Soite's adult social work with a meeting next week and today
    soite = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    coordinator = factories.staff(Role.NETWORK_COORDINATOR, soite, language="en")
    worker = factories.staff(Role.CASE_WORKER, employment, language="en")
    client = factories.client(region["236"], last_name="Verkostola", organisation=employment)
    plan = plan_create(
        actor=worker, client=client, kind="activation", goals="Työkyvyn selvittäminen",
        actions="", next_review_on=dates.today() + dt.timedelta(days=60),
    )  # fmt: skip
    network = body_create(
        actor=None, key="tyokykyverkosto", kind="work_ability_network",
        name_fi="Työkykyverkosto", name_sv="Arbetsförmågenätverket",
        name_en="Work ability network", convener=soite,
    )  # fmt: skip
    coming = Meeting.objects.create(body=network, held_on=dates.today() + dt.timedelta(days=7))
    # and the case worker's referral
    network_refer(
        actor=worker, client=client, network=network, reason="Work ability unclear.",
        questions="", plan_id=plan.pk,
    )  # fmt: skip

    # when the coordinator opens the network's queue and the case
    page = _login(browser, live_server, coordinator.username)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Work ability network"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name=f"{client.last_name}, {client.first_names}").click()
    assert_accessible(page)
    # and puts it on the coming meeting's agenda
    page.get_by_label("Meeting").select_option(str(coming.pk))
    page.get_by_role("button", name="Put on the agenda").click()
    page.wait_for_load_state()

    # then the case is on the agenda and the page says so
    assert page.get_by_text(f"The case is on the agenda of {coming.held_on:%d.%m.%Y}.").is_visible()
    assert_accessible(page)
    case = NetworkCase.objects.get()
    assert case.status == "scheduled"
    assert case.agenda_items.get().meeting == coming
    # and the meeting's agenda names the client for the coordinator
    page.goto(f"{live_server.url}/governance/meetings/{coming.pk}/")
    agenda = page.get_by_role("region", name="Agenda")
    assert agenda.get_by_text(f"Client case: {client.last_name}").is_visible()
    assert_accessible(page)
