"""The administrator's audit page: verification result, a client's access report."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import VerificationRun


@pytest.mark.django_db
def test_admin_verifies_the_chains_and_sees_the_result(region) -> None:
    admin = factories.staff(Role.ADMINISTRATOR)
    factories.client(region["272"])
    http = HttpClient()
    http.force_login(admin)
    assert http.post("/audit/verify/").status_code == 302
    run = VerificationRun.objects.get()
    assert run.ok and run.change_rows >= 1
    page = http.get("/audit/").content.decode()
    assert run.started_by == admin.username
    assert admin.username in page


@pytest.mark.django_db
def test_a_failed_verification_is_shown_in_the_readers_language(region) -> None:
    from django.db import connection

    from silta.audit.models import ChangeLog

    admin = factories.staff(Role.ADMINISTRATOR, language="fi")
    factories.client(region["272"])
    row = ChangeLog.objects.order_by("pk").first()
    assert row is not None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_changelog SET event = %s WHERE id = %s", ["x", row.pk])
    http = HttpClient()
    http.force_login(admin)
    http.post("/audit/verify/")
    run = VerificationRun.objects.get()
    assert not run.ok and run.failures[0]["chain"] == "change"
    page = http.get("/audit/").content.decode()
    assert f"Muutosloki: tarkistus epäonnistui rivillä {row.pk}." in page
    assert "Lokeja on muutettu" in page
