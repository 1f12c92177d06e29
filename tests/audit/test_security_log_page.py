"""The administrator's security log (issue 19, item 6): filter, pages, CSV export,
labels in the reader's language, administrators only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import SecurityEventKind
from silta.audit.services import security_event_write

TZ = dt.timezone(dt.timedelta(hours=2))


def _admin(language: str = "en") -> HttpClient:
    http = HttpClient()
    http.force_login(factories.staff(Role.ADMINISTRATOR, language=language))
    return http


def _events() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=TZ), tick=False):
        security_event_write(SecurityEventKind.LOGIN_FAILED, username="=HYPERLINK(1)")
    with time_machine.travel(dt.datetime(2026, 3, 5, 12, tzinfo=TZ), tick=False):
        security_event_write(SecurityEventKind.LOGIN_SUCCEEDED, username="maija")
        security_event_write(
            SecurityEventKind.CLIENT_ACCESS_REFUSED,
            username="pekka",
            target_type="clients.client",
            target_id="0b7e6c1c-0000-4000-8000-000000000001",
        )


@pytest.mark.django_db
def test_others_than_administrators_are_refused(region) -> None:
    org = factories.OrganisationFactory()
    for role in (Role.CASE_WORKER, Role.MANAGER, Role.FINANCE_ANALYST):
        http = HttpClient()
        http.force_login(factories.staff(role, org))
        assert http.get("/audit/security/").status_code == 403
        assert http.get("/audit/security/", {"format": "csv"}).status_code == 403
    assert HttpClient().get("/audit/security/").status_code in (302, 403)


@pytest.mark.django_db
def test_filters_by_kind_user_days_and_target() -> None:
    _events()
    http = _admin()
    body = http.get("/audit/security/").content.decode()
    # the three events above and the administrator's own sign-in
    assert "4 events" in body and "Sign-in failed" in body
    table = body[body.index("<table") :]
    assert "login_failed" not in table and "clients.client" not in table
    only_failed = http.get("/audit/security/", {"kind": "login_failed"}).content.decode()
    assert "1 event" in only_failed and "maija" not in only_failed
    by_user = http.get("/audit/security/", {"user": "MAI"}).content.decode()
    assert "1 event" in by_user and "maija" in by_user
    by_days = http.get(
        "/audit/security/", {"date_from": "2026-03-02", "date_to": "2026-03-05"}
    ).content.decode()
    assert "2 events" in by_days and "HYPERLINK" not in by_days
    by_target = http.get(
        "/audit/security/", {"target": "0b7e6c1c-0000-4000-8000-000000000001"}
    ).content.decode()
    assert "1 event" in by_target and "pekka" in by_target and "Client" in by_target


@pytest.mark.django_db
def test_bad_filters_are_refused_next_to_the_field() -> None:
    http = _admin()
    far = http.get("/audit/security/", {"date_from": "2200-01-01"})
    assert far.status_code == 400
    assert 'id="id_date_from-error"' in far.content.decode()
    backwards = http.get("/audit/security/", {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert backwards.status_code == 400
    assert "The end date is before the start date." in backwards.content.decode()
    assert http.get("/audit/security/", {"kind": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_pages_of_fifty_keep_the_filters() -> None:
    for i in range(55):
        security_event_write(SecurityEventKind.LOGIN_FAILED, username=f"arvaaja{i}")
    http = _admin()
    first = http.get("/audit/security/", {"kind": "login_failed"}).content.decode()
    assert "Page 1 of 2" in first
    assert "kind=login_failed&amp;page=2" in first
    second = http.get("/audit/security/", {"kind": "login_failed", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second and second.count("<tr><td>") == 5


@pytest.mark.django_db
def test_csv_has_a_bom_labels_and_no_live_formulas() -> None:
    _events()
    http = _admin(language="fi")
    response = http.get("/audit/security/", {"format": "csv", "kind": "login_failed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Aika,Tapahtuma,Käyttäjätunnus,IP-osoite,Kohde,Kohteen tunniste,Sivun osoite"
    assert len(lines) == 2
    assert "'=HYPERLINK(1)" in lines[1]
    assert "Kirjautuminen epäonnistui" in lines[1] and "login_failed" not in lines[1]


@pytest.mark.django_db
def test_the_page_is_in_finnish_and_swedish_without_codes() -> None:
    _events()
    for language, heading in (("fi", "Tietoturvaloki"), ("sv", "Säkerhetslogg")):
        body = _admin(language).get("/audit/security/").content.decode()
        assert heading in body
        table = body[body.index("<table") :]
        assert "client_access_refused" not in table and "clients.client" not in table
