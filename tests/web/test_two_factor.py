"""Two-step login (TOTP) for roles that see person-level data."""

from __future__ import annotations

import time

import pytest
from django.test import Client as HttpClient
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import ChangeLog


def code_for(device: TOTPDevice) -> str:
    return (
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"
    )


@pytest.fixture
def required(settings):
    settings.SILTA_REQUIRE_2FA = True


@pytest.mark.django_db
def test_first_login_leads_to_setup_and_a_confirmed_code_opens_the_pages(region, required) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    http.post("/login/", {"username": "aino", "password": "test-pass-123"})
    # when the user asks for the client search before a second factor
    response = http.get("/clients/")
    # then they are sent to set up an authenticator
    assert response.status_code == 302
    assert response["Location"].startswith("/2fa/setup/")
    setup = http.get(response["Location"])
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # a wrong code is refused next to the field
    wrong = http.post("/2fa/setup/", {"token": "12345", "next": "/clients/"})
    assert wrong.status_code == 400
    assert 'id="token-error"' in wrong.content.decode()
    # the right code confirms the device and opens the page
    ok = http.post("/2fa/setup/", {"token": code_for(device), "next": "/clients/"})
    assert ok.status_code == 302 and ok["Location"] == "/clients/"
    assert http.get("/clients/").status_code == 200
    assert ChangeLog.objects.filter(event="user.totp_confirmed").count() == 1


@pytest.mark.django_db
def test_later_logins_ask_for_the_code(region, required) -> None:
    user = factories.staff(Role.SOCIAL_WORKER, username="sini")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    http = HttpClient()
    http.post("/login/", {"username": "sini", "password": "test-pass-123"})
    response = http.get("/")
    assert response["Location"].startswith("/2fa/verify/")
    assert http.get("/api/v1/clients").status_code == 401
    time.sleep(0)  # the code of this 30-second step
    assert http.post("/2fa/verify/", {"token": code_for(device), "next": "/"}).status_code == 302
    assert http.get("/").status_code == 200


@pytest.mark.django_db
def test_managers_see_no_person_data_and_need_no_second_factor(region, required) -> None:
    factories.staff(Role.MANAGER, username="pomo")
    http = HttpClient()
    http.post("/login/", {"username": "pomo", "password": "test-pass-123"})
    assert http.get("/").status_code == 200


@pytest.mark.django_db
def test_not_required_outside_production_by_default(region) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    http.post("/login/", {"username": "aino", "password": "test-pass-123"})
    assert http.get("/clients/").status_code == 200
