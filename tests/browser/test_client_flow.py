"""A case worker logs in, switches to Swedish, finds a client and opens the page."""

from __future__ import annotations

from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_worker_finds_a_client_in_swedish(live_server: Any, page: Any, region: Any) -> None:
    # given a case worker and one of their organisation's clients
    org = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    factories.staff(Role.CASE_WORKER, org, username="handlaggare")
    c = factories.client(
        region["272"], last_name="Lindqvist", first_names="Sofia", organisation=org
    )

    # when they log in
    page.goto(f"{live_server.url}/login/")
    assert_accessible(page)
    page.get_by_label("Käyttäjätunnus").fill("handlaggare")
    page.get_by_label("Salasana").fill("test-pass-123")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(f"{live_server.url}/")
    assert_accessible(page)

    # and switch the language to Swedish with the keyboard-accessible form
    page.get_by_role("form", name="Kieli").get_by_role("button", name="Svenska").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"

    # and search the client by name
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Klienter").click()
    assert_accessible(page)
    page.get_by_label("Namn eller personbeteckning").fill("lindqvist")
    page.get_by_label("Namn eller personbeteckning").press("Enter")
    page.wait_for_load_state()
    assert_accessible(page)

    # then the client is listed and their page opens with Swedish labels
    page.get_by_role("link", name="Lindqvist, Sofia").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Lindqvist, Sofia").is_visible()
    assert page.get_by_text("Personbeteckning", exact=True).is_visible()
    assert page.get_by_role("heading", name="Hemkommunshistorik").is_visible()
    assert c.personal_id in page.content()
    assert_accessible(page)
