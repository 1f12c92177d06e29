from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import ChangeLog


@pytest.mark.django_db
def test_failed_login_shows_one_clear_message(region) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    response = HttpClient().post("/login/", {"username": "aino", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('role="alert"') == 1
    assert "Traceback" not in body


@pytest.mark.django_db
def test_login_then_front_page_lists_roles(region) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    response = http.post("/login/", {"username": "aino", "password": "test-pass-123"})
    assert response.status_code == 302
    page = http.get("/")
    assert page.status_code == 200
    assert (
        "Case worker" in page.content.decode() or "Työllisyysasiantuntija" in page.content.decode()
    )


@pytest.mark.django_db
def test_language_choice_is_remembered_on_the_user(region) -> None:
    user = factories.staff(Role.CASE_WORKER)
    http = HttpClient()
    http.force_login(user)
    # when the user switches to Swedish
    response = http.post("/language/", {"language": "sv", "next": "/clients/"})
    assert response.status_code == 302
    assert response["Location"] == "/clients/"
    user.refresh_from_db()
    assert user.language == "sv"
    # then a change-log row records old and new value
    row = ChangeLog.objects.get(event="user.language_changed")
    assert row.changes == {"language": ["fi", "sv"]}
    # and a new session (another browser) gets Swedish pages
    other = HttpClient()
    other.force_login(user)
    assert other.get("/").headers["Content-Language"] == "sv"


@pytest.mark.django_db
def test_language_switch_refuses_unknown_language_and_foreign_redirect(region) -> None:
    user = factories.staff(Role.CASE_WORKER)
    http = HttpClient()
    http.force_login(user)
    response = http.post("/language/", {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.language == "fi"


@pytest.mark.django_db
def test_null_characters_are_refused_before_any_view(region) -> None:
    user = factories.staff(Role.CASE_WORKER)
    http = HttpClient()
    http.force_login(user)
    # found by the API fuzz test: PostgreSQL text cannot hold NUL
    api = http.get("/api/v1/clients", {"q": "Kor\x00honen"})
    assert api.status_code == 400
    assert api.json()["code"] == "request.null_character"
    page = http.get("/clients/", {"q": "a\x00"})
    assert page.status_code == 400
    posted = http.post(
        "/language/", "language=sv%00", content_type="application/x-www-form-urlencoded"
    )
    assert posted.status_code == 400
