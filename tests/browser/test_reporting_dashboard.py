"""A manager opens the manager dashboard in Swedish and the statistics page; both
pass the accessibility check and show only suppressed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from tests import factories as f
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role
from silta.governance.services import agreement_create, goal_add, indicator_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_dashboard_in_swedish(live_server: Any, page: Any, region: Any) -> None:
    # given a Swedish-speaking manager of Soite
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    f.staff(Role.MANAGER, soite, username="chefen", language="sv")
    # and the strategic agreement with an indicator linked to a statistic
    agreement = agreement_create(
        actor=None,
        key="avtal",
        name_fi="Strateginen sopimus",
        name_sv="Strategiskt avtal",
        name_en="",
        owner=soite,
        municipalities=list(region.values()),
        sections=[("Syfte", "Samarbete.")],
    )
    goal = goal_add(
        actor=None,
        version=agreement.versions.get(),
        title="Hälsokontroller",
        description="",
        responsible=soite,
    )
    indicator_add(
        actor=None,
        goal=goal,
        title="Utförda hälsokontroller 2025",
        target=Decimal(280),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        statistic="health_checks_done",
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("chefen")
    page.get_by_label("Salasana").fill("test-pass-123")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(f"{live_server.url}/")
    # when they open the dashboard from the main navigation
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Ledningens översikt").click()
    page.wait_for_load_state()
    # then the region and its municipalities are there, in Swedish, with the rule
    assert page.get_by_role("heading", name="Området och dess kommuner").is_visible()
    assert page.get_by_role("rowheader", name="Hela området").is_visible()
    assert page.get_by_text("Uppgifter om 1–4 personer döljs").first.is_visible()
    assert page.locator("svg[role=img]").first.is_visible()
    # with the agreement's indicators, in Swedish
    assert page.get_by_role("heading", name="Det strategiska avtalets indikatorer").is_visible()
    assert page.get_by_role("rowheader", name="Utförda hälsokontroller 2025").first.is_visible()
    assert_accessible(page)
    # and the statistics page with its table and chart
    nav.get_by_role("link", name="Statistik").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Jämfört med ett år tidigare").is_visible()
    assert_accessible(page)
