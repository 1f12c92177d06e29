"""Two-step login (TOTP) for roles that see person-level data: who is asked, when."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests import factories
from tests.accounts.conftest import code_for

from silta.accounts.roles import Role


@pytest.mark.django_db
def test_later_logins_ask_for_the_code(region, required) -> None:
    user = factories.staff(Role.SOCIAL_WORKER, username="sini")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    http = HttpClient()
    http.post("/login/", {"username": "sini", "password": "test-pass-123"})
    response = http.get("/")
    assert response["Location"].startswith("/2fa/verify/")
    assert http.get("/api/v1/clients").status_code == 401
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


@pytest.mark.django_db
def test_an_enrolled_user_is_asked_for_the_code_also_in_the_demo(region) -> None:
    user = factories.staff(Role.MANAGER, username="pomo")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    http = HttpClient()
    http.post("/login/", {"username": "pomo", "password": "test-pass-123"})
    assert http.get("/")["Location"].startswith("/2fa/verify/")
