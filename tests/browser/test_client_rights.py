"""An administrator handles a client's erasure request with the keyboard-accessible
pages: finds the client, reads what will happen, confirms with the last name."""

from __future__ import annotations

from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import Role
from silta.clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_erases_a_client_without_case_records(
    live_server: Any, page: Any, region: Any
) -> None:
    # given a client known only from the register, and an administrator
    factories.staff(Role.ADMINISTRATOR, username="yllapito", language="en")
    c = factories.client(region["272"], last_name="Poistuva", first_names="Pekka")
    Client.objects.filter(pk=c.pk).update(birth_date=c.birth_date.replace(day=14))

    # when the administrator logs in and looks the client up by identity code
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("yllapito")
    page.get_by_label("Salasana").fill("test-pass-123")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Personal identity code").fill(c.personal_id)
    page.get_by_role("button", name="Show the report").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="All of the client's data (PDF)").is_visible()

    # and opens the erasure page
    page.get_by_role("link", name="Erasure or anonymisation").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="What will happen").is_visible()
    assert_accessible(page)

    # then a wrong name is refused next to the field
    page.get_by_label("Type the client's last name to confirm").fill("Joku muu")
    page.get_by_role("button", name="Erase the client").click()
    page.wait_for_load_state()
    assert page.get_by_text("Type the client's last name exactly to confirm.").is_visible()
    assert_accessible(page)

    # and the right name erases the client
    page.get_by_label("Type the client's last name to confirm").fill("Poistuva")
    page.get_by_role("button", name="Erase the client").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="The client was erased").is_visible()
    assert_accessible(page)
    assert not Client.objects.filter(pk=c.pk).exists()
