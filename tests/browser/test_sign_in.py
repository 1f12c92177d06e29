"""An administrator issues an activation code; the user sets up two-step login with it
and saves the recovery codes (production's rule: person-level roles need it)."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests import factories
from tests.accounts.conftest import code_for
from tests.browser.conftest import assert_accessible

from silta.accounts.roles import OrganisationKind, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill("test-pass-123")
    page.get_by_label("Salasana").press("Enter")
    page.wait_for_load_state()


def test_enrolment_with_an_activation_code(
    live_server: Any, browser: Any, page: Any, region: Any, settings: Any
) -> None:
    settings.SILTA_REQUIRE_2FA = True
    org = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    admin = factories.staff(Role.ADMINISTRATOR, org, username="paakayttaja")
    factories.staff(Role.CASE_WORKER, org, username="aino", first_name="Aino")
    admin_device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)

    # the user with only a password sees that an activation code is needed, nothing else
    worker = browser.new_context(locale="fi-FI").new_page()
    _log_in(worker, live_server.url, "aino")
    assert "/2fa/activate/" in worker.url
    assert worker.get_by_text("Pyydä pääkäyttäjältä aktivointikoodi.").is_visible()
    assert_accessible(worker)

    # the administrator passes the second step and issues a code on the Users page
    _log_in(page, live_server.url, "paakayttaja")
    assert "/2fa/verify/" in page.url
    assert_accessible(page)
    page.get_by_label("Koodi").fill(code_for(admin_device))
    page.get_by_label("Koodi").press("Enter")
    page.wait_for_load_state()
    page.get_by_role("navigation").get_by_role("link", name="Käyttäjät").click()
    assert_accessible(page)
    page.get_by_role("link", name="Aino").click()
    page.get_by_role("button", name="Anna aktivointikoodi").click()
    page.wait_for_load_state()
    assert_accessible(page)
    code = page.locator(".activation-code").inner_text().strip()

    # a wrong code is refused next to the field
    worker.get_by_role("link", name="Minulla on aktivointikoodi").click()
    worker.get_by_label("Aktivointikoodi").fill("AAAA-BBBB-CCCC-DDDD")
    worker.get_by_label("Aktivointikoodi").press("Enter")
    worker.wait_for_load_state()
    assert worker.locator("#code-error").is_visible()
    assert worker.get_by_label("Aktivointikoodi").get_attribute("aria-invalid") == "true"
    assert_accessible(worker)

    # the right code opens the setup page; the first authenticator code confirms it
    worker.get_by_label("Aktivointikoodi").fill(code)
    worker.get_by_label("Aktivointikoodi").press("Enter")
    worker.wait_for_url("**/2fa/setup/**")
    assert_accessible(worker)
    secret = worker.locator("#totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    worker.get_by_label("Koodi").fill(f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}")
    worker.get_by_label("Koodi").press("Enter")

    # the recovery codes are shown once
    worker.wait_for_url("**/2fa/recovery-codes/**")
    assert worker.locator("#recovery-codes li").count() == 10
    assert_accessible(worker)
    worker.get_by_role("link", name="Jatka Siltaan").click()
    worker.wait_for_load_state()
    assert worker.get_by_role("navigation").get_by_role("link", name="Asiakkaat").is_visible()
    worker.reload()
    worker.goto(f"{live_server.url}/2fa/recovery-codes/")
    assert worker.locator("#recovery-codes").count() == 0
    worker.context.close()

    # the administrator resets it after a confirmation; the user is told by e-mail
    page.goto(page.url)  # a GET of the user page, not the POST again
    page.get_by_role("button", name="Nollaa kaksivaiheinen kirjautuminen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Nollataanko kaksivaiheinen kirjautuminen?")
    assert_accessible(page)
    assert TOTPDevice.objects.filter(user__username="aino").exists()
    page.get_by_role("button", name="Kyllä, nollaa").click()
    page.wait_for_load_state()
    assert page.get_by_text("Kaksivaiheinen kirjautuminen ei ole käytössä.").is_visible()
    assert not TOTPDevice.objects.filter(user__username="aino").exists()
    assert_accessible(page)
