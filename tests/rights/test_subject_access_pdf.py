"""The subject-access export as a PDF: same content as the JSON, readable headings in
the administrator's language, logged, administrators only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client as HttpClient
from pypdf import PdfReader
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLog
from silta.clients.services import client_move


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_pdf_holds_the_clients_data_in_sections_and_is_logged(region) -> None:
    # given a client with a move and a service relationship, and another client
    org = factories.OrganisationFactory()
    admin = factories.staff(Role.ADMINISTRATOR, language="fi")
    c = factories.client(region["272"], organisation=org, last_name="Äijälä", first_names="Öljy")
    client_move(actor=None, client=c, municipality=region["217"], moved_on=dt.date(2024, 3, 1))
    factories.client(region["272"], last_name="Muukalainen")
    http = HttpClient()
    http.force_login(admin)
    # when the administrator downloads the PDF
    response = http.get(f"/audit/clients/{c.pk}/export.pdf")
    # then it is a PDF with the client's name and a Finnish heading per section
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert "Äijälä" in text and "Öljy" in text
    assert "Perustiedot" in text
    assert "Kotikuntajaksot (2)" in text
    assert "Palvelusuhteet (1)" in text
    assert c.personal_id in text
    assert "Muukalainen" not in text
    # and it is logged as a read of all the client's data
    log = AccessLog.objects.get(section="subject_access_export:all")
    assert log.path.endswith("export.pdf")
    assert log.basis == "task:data_subject_request"
    assert list(log.subjects.values_list("client_id", flat=True)) == [c.pk]


@pytest.mark.django_db
def test_pdf_is_a_letter_in_the_clients_language(region) -> None:
    # given a Swedish-speaking client and a Finnish-speaking administrator
    admin = factories.staff(Role.ADMINISTRATOR, language="fi")
    c = factories.client(region["272"], last_name="Sjöberg")
    c.language = "sv"
    c.save(update_fields=["language"])
    http = HttpClient()
    http.force_login(admin)
    # then the PDF is a letter to the client in Swedish: the fields have Swedish names
    text = _text(http.get(f"/audit/clients/{c.pk}/export.pdf").content)
    assert "Dina uppgifter i Silta" in text and "Till Matti Juhani Sjöberg" in text
    assert "Grunduppgifter" in text and "Startdatum" in text
    assert "Perustiedot" not in text
    # no English field name left from a model without a label, no code of a role
    for english in ("Valid from", "valid from", "old status", "author role", "case_worker"):
        assert english not in text
    c.language = "en"
    c.save(update_fields=["language"])
    assert "Basic data" in _text(http.get(f"/audit/clients/{c.pk}/export.pdf").content)


@pytest.mark.django_db
def test_pdf_is_refused_to_others_and_linked_from_the_access_report(region) -> None:
    org = factories.OrganisationFactory()
    c = factories.client(region["272"], organisation=org)
    for role in (Role.CASE_WORKER, Role.MANAGER):
        other = HttpClient()
        other.force_login(factories.staff(role, org))
        assert other.get(f"/audit/clients/{c.pk}/export.pdf").status_code == 403
    assert not AccessLog.objects.filter(section="subject_access_export:all").exists()
    admin = HttpClient()
    admin.force_login(factories.staff(Role.ADMINISTRATOR))
    page = admin.get(f"/audit/clients/{c.pk}/access-report/").content.decode()
    assert f"/audit/clients/{c.pk}/export.pdf" in page
    assert f"/audit/clients/{c.pk}/erasure/" in page
