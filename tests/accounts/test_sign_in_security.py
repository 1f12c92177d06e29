"""Sign-in: a planted session, guesses across usernames, security events (issue 19)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.django_db
PASSWORD = "test-pass-123"


def kinds() -> list[str]:
    return list(SecurityEvent.objects.values_list("kind", flat=True))


def test_logging_in_replaces_a_planted_session(region) -> None:
    attacker = factories.staff(Role.CASE_WORKER, username="mallory")
    victim = factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    # the attacker plants their own session in the victim's browser
    http.force_login(attacker)
    planted = http.session.session_key
    # the login page says who is signed in and still offers the form
    page = http.get("/login/")
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    # the victim logs in: their own account, a new session, the old one gone
    response = http.post("/login/", {"username": "aino", "password": PASSWORD})
    assert response.status_code == 302
    assert http.session["_auth_user_id"] == str(victim.pk)
    assert http.session.session_key != planted
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=planted).exists()


def test_logging_in_again_as_the_same_user_gives_a_new_session_key(region) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    http.post("/login/", {"username": "aino", "password": PASSWORD})
    first = http.session.session_key
    http.post("/login/", {"username": "aino", "password": PASSWORD})
    assert http.session.session_key != first


def test_one_address_cannot_guess_across_many_usernames(region, settings) -> None:
    for i in range(30):
        factories.staff(Role.CASE_WORKER, username=f"user{i:02d}")
    http = HttpClient()
    limit = settings.SILTA_LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    # a few guesses per username, never reaching the per-username limit
    for i in range(limit):
        http.post("/login/", {"username": f"user{i:02d}", "password": "wrong"})
    # then even the right password of a fresh username is refused from this address
    response = http.post("/login/", {"username": "user29", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "network address" in body or "verkko-osoitteesta" in body.lower()
    assert "_auth_user_id" not in http.session
    assert SecurityEventKind.LOCKED_OUT in kinds()
    # another address is not affected
    other = HttpClient(REMOTE_ADDR="10.0.0.9")
    assert other.post("/login/", {"username": "user29", "password": PASSWORD}).status_code == 302


def test_a_forwarded_for_header_does_not_escape_the_limit(region, settings) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    for i in range(settings.AXES_FAILURE_LIMIT):
        http.post(
            "/login/",
            {"username": "aino", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
    response = http.post(
        "/login/",
        {"username": "aino", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


def test_a_success_does_not_clear_the_guesses_on_other_usernames(region, settings) -> None:
    factories.staff(Role.CASE_WORKER, username="mallory")
    for i in range(3):
        factories.staff(Role.CASE_WORKER, username=f"user{i}")
    http = HttpClient()
    limit = settings.SILTA_LOGIN_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        http.post("/login/", {"username": f"user{n % 3}", "password": "wrong"})
        if n % 3 == 2:
            http.post("/login/", {"username": "mallory", "password": PASSWORD})
    http.post("/login/", {"username": "user0", "password": "wrong"})
    assert http.post("/login/", {"username": "mallory", "password": PASSWORD}).status_code == 429


def test_sign_in_events_are_in_the_security_log(region) -> None:
    user = factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    http.post("/login/", {"username": "aino", "password": "wrong"})
    http.post("/login/", {"username": "aino", "password": PASSWORD})
    http.post("/logout/")
    assert kinds() == [
        SecurityEventKind.LOGIN_FAILED,
        SecurityEventKind.LOGIN_SUCCEEDED,
        SecurityEventKind.LOGGED_OUT,
    ]
    failed = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_FAILED)
    assert failed.actor_username == "aino" and failed.address == "127.0.0.1"
    assert "wrong" not in str(failed.detail)
    assert SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN_SUCCEEDED).actor_id == user.pk


def test_a_username_lockout_is_logged(region, settings) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        http.post("/login/", {"username": "aino", "password": "wrong"})
    assert SecurityEventKind.LOCKED_OUT in kinds()


def test_a_new_membership_is_a_permission_change(region) -> None:
    import datetime as dt

    from silta.accounts.services import membership_grant

    admin = factories.staff(Role.ADMINISTRATOR)
    user = factories.UserFactory()
    org = factories.OrganisationFactory()
    membership_grant(
        actor=admin,
        user=user,
        organisation=org,
        role=Role.CASE_WORKER,
        valid_from=dt.date(2026, 1, 1),
    )
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERMISSION_CHANGED)
    assert event.actor_id == admin.pk and event.target_id == str(user.pk)
    assert event.detail["role"] == "case_worker"
