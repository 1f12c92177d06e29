"""A manager opens the manager dashboard in Swedish and the statistics page; both
pass the accessibility check and show only suppressed figures."""

from __future__ import annotations

from typing import Any

import pytest
from tests import factories as f
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_dashboard_in_swedish(live_server: Any, page: Any, region: Any) -> None:
    # given a Swedish-speaking manager of Soite
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    f.staff(Role.MANAGER, soite, username="chefen", language="sv")
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
    assert_accessible(page)
    # and the statistics page with its table and chart
    nav.get_by_role("link", name="Statistik").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Jämfört med ett år tidigare").is_visible()
    assert_accessible(page)
