"""In Swedish, in a real browser: an employment-area case worker makes the initial
assessment and the integration plan for a client who needs an Arabic interpreter, and
sees the agreement's integration indicator (plans made, computed) move from 0 to 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role
from silta.core import dates
from silta.governance.services import agreement_create, goal_add, indicator_add
from silta.integration import services
from silta.integration.models import InitialAssessment, IntegrationPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="sv-FI")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("test-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _indicator_value(page: Any, live_server: Any, agreement_id: object) -> str:
    page.goto(f"{live_server.url}/governance/agreements/{agreement_id}/")
    # the indicator's title is the statistic's own name, so a Swedish reader sees it in
    # Swedish (silta.web.words.indicator_title)
    row = page.get_by_role("row").filter(has_text="Integrationsplaner")
    return str(row.locator("td").nth(3).inner_text()).strip()


def test_initial_assessment_and_plan_in_swedish_move_the_indicator(
    live_server: Any, browser: Any, region: Any
) -> None:
    # given a Swedish-speaking case worker of the employment area and a client who
    # arrived this year and needs an Arabic interpreter
    employment = factories.OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES,
        name_fi="Työllisyysalue",
        name_sv="Sysselsättningsområdet",
    )
    worker = factories.staff(Role.CASE_WORKER, employment, language="sv")
    client = factories.client(
        region["272"], last_name="Haddad", first_names="Amira", organisation=employment
    )
    today = dates.today()
    services.language_profile_save(
        actor=worker,
        client=client,
        mother_tongue="ar",
        interpreter_needed=True,
        interpreter_language="ar",
        arrived_on=today - dt.timedelta(days=40),
        integration_client_since=today - dt.timedelta(days=20),
    )
    # and the agreement's integration goal counting the plans made this year
    agreement = agreement_create(
        actor=None,
        key="",
        name_fi="Strateginen sopimus",
        name_sv="Strategiskt avtal",
        name_en="",
        owner=employment,
        municipalities=[region["272"]],
        sections=[("Kotoutuminen", "Yhteistyö kotoutumisessa.")],
    )
    goal = goal_add(
        actor=None,
        version=agreement.versions.get(number=1),
        title="Kotoutumisen edistäminen yhteistyössä",
        description="",
        responsible=employment,
    )
    indicator_add(
        actor=None,
        goal=goal,
        title="Kotoutumissuunnitelmat",
        target=Decimal("60"),
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        statistic="integration_plans_made",
    )
    page = _login(browser, live_server, worker.username)
    assert _indicator_value(page, live_server, agreement.pk) == "0"

    # when the worker opens the client's integration services from the case work
    page.goto(f"{live_server.url}/clients/{client.pk}/casework/")
    page.get_by_role("link", name="Integrationstjänster och tolkning").click()
    assert page.get_by_text("Behöver tolk: arabiska").is_visible()
    assert_accessible(page)
    # and makes the initial assessment with the interpreter
    page.get_by_role("link", name="Gör en inledande kartläggning").click()
    assert_accessible(page)
    page.locator("[name=finnish_level]").select_option("A1")
    page.locator("[name=swedish_level]").select_option("none")
    page.locator("[name=english_level]").select_option("A2")
    page.locator("[name=education]").select_option("upper_secondary")
    page.locator("[name=work_history]").fill("Sjuksköterska i tio år.")
    page.locator("[name=service_need]").fill("Integrationsutbildning och erkännande av examen.")
    assert page.locator("[name=interpreter_used]").is_checked()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Den inledande kartläggningen undertecknades.").is_visible()
    # and the plan, first with an end before its start (refused, nothing saved)
    page.get_by_role("link", name="Gör en integrationsplan").click()
    page.locator("[name=ends_on]").fill((today - dt.timedelta(days=1)).isoformat())
    page.locator("[name=goals]").fill("Finska A2, arbetsprövning inom vården.")
    page.locator("[name=language_training]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Planen kan inte sluta innan den börjar.").first.is_visible()
    assert_accessible(page)
    assert not IntegrationPlan.objects.exists()
    page.locator("[name=ends_on]").fill((today + dt.timedelta(days=300)).isoformat())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Integrationsplanen sparades.").is_visible()

    # then the assessment and plan are stored and the indicator moved to 1
    assert InitialAssessment.objects.get().interpreter_used
    assert IntegrationPlan.objects.get().language_training
    assert _indicator_value(page, live_server, agreement.pk) == "1"
