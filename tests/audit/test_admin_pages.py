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
