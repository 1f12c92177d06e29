"""The client's access report and subject-access export (administrators only)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLog


@pytest.mark.django_db
def test_access_report_lists_who_read_the_client_and_is_itself_logged(region) -> None:
    org = factories.OrganisationFactory()
    worker = factories.staff(
        Role.CASE_WORKER, org, username="lukija", first_name="Liisa", last_name="Lukija"
    )
    admin = factories.staff(Role.ADMINISTRATOR)
    c = factories.client(region["272"], organisation=org)
    reader = HttpClient()
    reader.force_login(worker)
    reader.get(f"/clients/{c.pk}/")
    http = HttpClient()
    http.force_login(admin)
    # when the admin looks the client up by identity code (posted, never in the address)
    found = http.post("/audit/clients/", {"personal_id": c.personal_id})
    assert found.status_code == 302
    assert c.personal_id not in found["Location"]
    report = http.get(found["Location"])
    body = report.content.decode()
    # then the letter names the reader, the organisation, the role, the data and the
    # basis in words (the client's language, Finnish), and no username or code
    assert "Liisa Lukija" in body and org.name in body
    assert "Työllisyysasiantuntija" in body
    assert "lukija" not in body.replace("Lukija", "")
    assert "client_relationship" not in body and "case_worker" not in body
    assert "client_page" not in body
    assert AccessLog.objects.filter(section="access_report", actor_id=admin.pk).count() == 1
    csv_body = http.get(found["Location"], {"format": "csv"}).content.decode("utf-8-sig")
    assert csv_body.splitlines()[0] == "Milloin,Kuka,Organisaatio,Roolissa,Mitkä tiedot,Miksi"
    assert "Liisa Lukija" in csv_body and "lukija," not in csv_body


@pytest.mark.django_db
def test_bad_identity_code_gives_a_message_and_others_are_refused(region) -> None:
    admin = factories.staff(Role.ADMINISTRATOR)
    http = HttpClient()
    http.force_login(admin)
    # the old address of the look-up form still works (it redirects)
    moved_form = http.get("/audit/", {"personal_id": "131052-308U"})
    assert moved_form.status_code == 302
    assert "131052" not in moved_form["Location"]  # the code is dropped, not forwarded
    response = http.post("/audit/clients/", {"personal_id": "131052-308U"})
    assert response.status_code == 400
    assert 'id="pid-error"' in response.content.decode()
    worker = factories.staff(Role.CASE_WORKER)
    other = HttpClient()
    other.force_login(worker)
    assert other.get("/audit/").status_code == 403
    assert other.post("/audit/clients/", {"personal_id": "131052-308U"}).status_code == 403
    # a code in the address is not looked up
    moved = http.get("/audit/clients/", {"personal_id": "131052-308U"})
    assert moved.status_code == 302 and moved["Location"] == "/audit/clients/"


@pytest.mark.django_db
def test_subject_access_export_holds_the_clients_data_and_is_logged(region) -> None:
    import datetime as dt

    from silta.clients.services import client_move

    org = factories.OrganisationFactory()
    admin = factories.staff(Role.ADMINISTRATOR)
    c = factories.client(region["272"], organisation=org, last_name="Vientinen")
    client_move(actor=None, client=c, municipality=region["217"], moved_on=dt.date(2024, 3, 1))
    other = factories.client(region["272"], last_name="Muu")
    http = HttpClient()
    http.force_login(admin)
    response = http.get(f"/audit/clients/{c.pk}/export.json")
    assert response.status_code == 200
    data = response.json()
    records = data["records"]
    assert records["clients.client"][0]["last_name"] == "Vientinen"
    assert len(records["clients.homemunicipality"]) == 2
    assert len(records["clients.servicerelationship"]) == 1
    assert str(other.pk) not in response.content.decode()
    log = AccessLog.objects.get(section="subject_access_export:all")
    assert log.basis == "task:data_subject_request"
    worker = factories.staff(Role.CASE_WORKER, org)
    denied = HttpClient()
    denied.force_login(worker)
    assert denied.get(f"/audit/clients/{c.pk}/export.json").status_code == 403


@pytest.mark.django_db
def test_access_report_csv_writes_formulas_as_text(region) -> None:
    from silta.audit.services import access_log_write

    admin = factories.staff(Role.ADMINISTRATOR)
    c = factories.client(region["272"])
    reader = factories.staff(Role.CASE_WORKER, first_name="=cmd|calc")
    access_log_write(
        actor=reader, membership=None, section="@section", basis="+basis", client_ids=[c.pk]
    )
    http = HttpClient()
    http.force_login(admin)
    body = http.get(f"/audit/clients/{c.pk}/access-report/", {"format": "csv"}).content.decode()
    # the codes are shown in words; a name that starts a formula is written as text
    row = next(line for line in body.splitlines() if "calc" in line)
    assert "'=cmd|calc" in row
    assert "@section" not in body and "+basis" not in body
