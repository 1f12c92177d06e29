"""IPS coaching in a real browser: a coach registers an employer (a wrong business ID
is refused at the field), takes a referred client into coaching, and a job starting
before the coaching is refused before the right one is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role
from silta.core import dates
from silta.ips.models import CoachingEpisode, Employer, WorkPlacement

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


def test_coach_registers_an_employer_and_records_a_job(
    live_server: Any, browser: Any, region: Any
) -> None:
    # given an IPS coach and a client of the employment services
    ips = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    coach = factories.staff(Role.IPS_COACH, ips, language="en")
    client = factories.client(
        region["272"],
        last_name="Työnhakija",
        organisation=factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES),
    )
    # whom the IPS unit already works with (issue 13: an intake needs that)
    from silta.clients.services import relationship_open

    relationship_open(
        actor=None, client=client, organisation=ips, kind="health_services",
        valid_from=dates.today() - dt.timedelta(days=30),
    )  # fmt: skip
    page = _login(browser, live_server, coach.username)

    # when the coach registers an employer with a wrong check digit
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Employers").click()
    assert_accessible(page)
    page.get_by_role("link", name="Register an employer").click()
    page.get_by_label("Company name").fill("Kokkolan Puutyö Oy")
    page.get_by_label("Business ID").fill("0112038-8")
    page.get_by_label("Sector").select_option("manufacturing")
    page.get_by_label("Municipality").select_option(label=region["272"].name)
    page.get_by_role("button", name="Register the employer").click()
    # then the error is next to the field and nothing is saved
    assert "is not a valid business ID" in page.locator("#id_business_id-error").inner_text()
    assert not Employer.objects.exists()
    assert_accessible(page)
    page.get_by_label("Business ID").fill("0112038-9")
    page.get_by_role("button", name="Register the employer").click()
    page.wait_for_url("**/ips/employers/*/")
    assert Employer.objects.count() == 1

    # when the coach takes the referred client into coaching and starts it
    nav.get_by_role("link", name="My IPS clients").click()
    page.get_by_role("link", name="Intake into IPS coaching").click()
    page.get_by_label("Client's identity code").fill(client.personal_id)
    page.get_by_label("Met the client in person on").fill(dates.today().isoformat())
    page.get_by_label("The client was present at the intake").check()
    page.get_by_label("Referral date").fill((dates.today() - dt.timedelta(days=20)).isoformat())
    page.get_by_label("Referring unit").fill("Psykiatrian poliklinikka, Kokkola")
    page.get_by_role("button", name="Take into coaching").click()
    page.wait_for_url("**/ips/episodes/*/")
    page.get_by_role("link", name="Start coaching").click()
    started = dates.today() - dt.timedelta(days=10)
    page.get_by_label("Coaching started").fill(started.isoformat())
    page.get_by_role("button", name="Start coaching").click()
    page.wait_for_url("**/ips/episodes/*/")
    assert_accessible(page)

    # and records a job starting before the coaching: refused at the field
    page.get_by_role("link", name="Record a job", exact=True).click()
    page.get_by_label("Employer").select_option(label="Kokkolan Puutyö Oy (0112038-9)")
    page.get_by_label("Job title").fill("Puuseppä")
    page.get_by_label("Start").fill((started - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Hours per week").fill("25")
    page.get_by_role("button", name="Record the job").click()
    assert "before the coaching episode started" in page.locator("#id_start_on-error").inner_text()
    assert not WorkPlacement.objects.exists()
    page.get_by_label("Start").fill(started.isoformat())
    page.get_by_role("button", name="Record the job").click()
    page.wait_for_url("**/ips/episodes/*/")
    assert "Puuseppä" in page.content()
    episode = CoachingEpisode.objects.get()
    assert episode.coach == coach and episode.placements.count() == 1
    # the results page (suppressed figures) is accessible too
    nav.get_by_role("link", name="IPS results").click()
    assert "hidden figure" in page.content()
    assert_accessible(page)


def test_coach_hands_over_and_an_administrator_moves_a_leavers_episodes(
    live_server: Any, browser: Any, region: Any
) -> None:
    # given two coaches of one IPS unit, an administrator, and an episode of the first
    from silta.ips import services

    ips = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    first = factories.staff(Role.IPS_COACH, ips, language="en", first_name="Iida")
    second = factories.staff(Role.IPS_COACH, ips, language="en", first_name="Olli")
    admin = factories.staff(Role.ADMINISTRATOR, ips, language="en")
    clients = [
        factories.client(region["272"], last_name=f"Valmennettava{i}", organisation=ips)
        for i in range(2)
    ]
    episodes = [
        services.episode_refer(
            actor=first,
            client=c,
            referred_on=dates.today(),
            referring_unit="Poliklinikka",
            intake_met_on=dates.today(),
            intake_in_person=True,
        )
        for c in clients
    ]
    page = _login(browser, live_server, first.username)
    # when the first coach hands one episode over without a reason, then with one
    page.goto(f"{live_server.url}/ips/episodes/{episodes[0].pk}/")
    page.get_by_role("link", name="Hand the coaching over to another coach").click()
    assert_accessible(page)
    page.get_by_label("Coach who takes over").select_option(label=second.get_full_name())
    page.get_by_role("button", name="Hand over").click()
    assert page.locator("#id_reason-error").is_visible()
    assert CoachingEpisode.objects.get(pk=episodes[0].pk).coach == first
    page.get_by_label("Reason").fill("Vanhempainvapaa")
    page.get_by_role("button", name="Hand over").click()
    page.wait_for_url(f"{live_server.url}/ips/")
    assert CoachingEpisode.objects.get(pk=episodes[0].pk).coach == second
    page.context.close()
    # and when the first coach leaves, the administrator moves the rest
    first.is_active = False
    first.save(update_fields=["is_active"])
    page = _login(browser, live_server, admin.username)
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="IPS coaches").click()
    assert_accessible(page)
    assert "Valmennettava" not in page.content()  # coaches and counts, no clients
    page.get_by_label("Coach whose open episodes move").select_option(label=first.get_full_name())
    page.get_by_label("Coach who takes over").select_option(label=second.get_full_name())
    page.get_by_label("Reason").fill("Lopettanut")
    page.get_by_role("button", name="Move the episodes").click()
    # the confirmation is required
    assert page.locator("#id_confirm-error").is_visible()
    assert CoachingEpisode.objects.filter(coach=first).count() == 1
    page.get_by_label("I have checked").check()
    page.get_by_role("button", name="Move the episodes").click()
    page.wait_for_url(f"{live_server.url}/ips/coaches/")
    assert "1 open episode moved" in page.content()
    assert set(CoachingEpisode.objects.values_list("coach", flat=True)) == {second.pk}
    assert_accessible(page)
