"""The catalogue: loaded by a command from reference data, edited by administrators
with a version (a stale edit is refused), refused to everybody else."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import ChangeLog
from silta.catalogue.models import Service
from silta.catalogue.reference import SERVICES


@pytest.mark.django_db
def test_load_command_creates_services_for_existing_organisations(capsys) -> None:
    # given only the health services organisation exists
    factories.OrganisationFactory(key="soite-health-services")
    # when the catalogue is loaded twice
    call_command("catalogue", "load")
    call_command("catalogue", "load")
    # then its services exist once, and missing providers are named
    expected = {s.code for s in SERVICES if s.provider_key == "soite-health-services"}
    assert set(Service.objects.values_list("code", flat=True)) == expected
    assert "soite-adult-social-work" in capsys.readouterr().err
    assert ChangeLog.objects.filter(event="catalogue.loaded").count() == 2


@pytest.mark.django_db
def test_administrator_edits_and_a_stale_edit_is_refused() -> None:
    org = factories.OrganisationFactory()
    service = factories.service(org, "health_check")
    admin = factories.staff(Role.ADMINISTRATOR, org)
    http = HttpClient()
    http.force_login(admin)
    url = f"/catalogue/{service.pk}/edit/"
    data = {
        "name_fi": "Terveystarkastus",
        "name_sv": "Hälsokontroll",
        "name_en": "Health check",
        "monthly_capacity": 30,
        "target_wait_days": 21,
        "is_active": "on",
        "version": 1,
    }
    assert http.post(url, data).status_code == 302
    assert Service.objects.get().monthly_capacity == 30
    log = ChangeLog.objects.get(event="catalogue.service_updated")
    assert log.changes["monthly_capacity"] == [25, 30]
    # the same version again: conflict, nothing written
    stale = http.post(url, data | {"monthly_capacity": 99})
    assert stale.status_code == 409
    assert Service.objects.get().monthly_capacity == 30
    # bad input: a message next to the field
    bad = http.post(url, data | {"version": 2, "monthly_capacity": -1})
    assert bad.status_code == 400
    assert 'id="id_monthly_capacity-error"' in bad.content.decode()
    # the API refuses a stale version with 409 too
    api = http.put(
        f"/api/v1/services/{service.pk}",
        data | {"version": 1, "is_active": True},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["code"] == "catalogue.stale_version"


@pytest.mark.django_db
def test_case_worker_reads_but_cannot_edit() -> None:
    org = factories.OrganisationFactory()
    service = factories.service(org)
    http = HttpClient()
    http.force_login(factories.staff(Role.CASE_WORKER, org))
    assert http.get("/catalogue/").status_code == 200
    assert http.get(f"/catalogue/{service.pk}/edit/").status_code == 403
