"""Clients import: all rows or none, every bad row named."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests import factories

from silta.audit.models import ChangeLog
from silta.clients.importer import COLUMNS, ImportRejected, clients_import
from silta.clients.models import Client, HomeMunicipality, ServiceRelationship

HEADER = ",".join(COLUMNS)


def csv_of(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.mark.django_db
def test_a_valid_file_imports_every_row_with_history_and_relationship(region) -> None:
    org = factories.OrganisationFactory(key="te-palvelut")
    a, b = factories.synthetic_hetu(), factories.synthetic_hetu()
    raw = csv_of(
        f"{a},Mäkelä,Aino Sofia,272,fi,+358 40 123 4567,aino@example.fi",
        f"{b},Sjöberg,Erik,236,sv,,",
    )
    result = clients_import(actor=None, raw=raw, organisation=org, relationship="jobseeker")
    assert result.clients == 2 and result.relationships == 2
    assert Client.objects.get(personal_id=a).home_municipality.code == "272"
    assert HomeMunicipality.objects.count() == 2
    assert ServiceRelationship.objects.filter(organisation=org, kind="jobseeker").count() == 2
    assert ChangeLog.objects.get(event="clients.imported").changes["clients"] == [None, 2]


@pytest.mark.django_db
def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(region) -> None:
    good = factories.synthetic_hetu()
    dup = factories.synthetic_hetu()
    raw = csv_of(
        f"{good},Virtanen,Matti,272,fi,,",
        "131052-308U,Bad,Check,272,fi,,",  # line 3: check character
        f"{dup},Niemi,Anna,999,de,abc,not-mail",  # line 4: municipality, language, phone, email
        f"{dup},Niemi,Anna,272,fi,,",  # line 5: fine on its own
        f"{dup},Niemi,Anna,272,fi,,",  # line 6: duplicate of line 5
        "too,few,fields",  # line 7
        f"{factories.synthetic_hetu()},,Pekka,272,fi,,",  # line 8: last name missing
    )
    with pytest.raises(ImportRejected) as exc:
        clients_import(actor=None, raw=raw)
    found = {(e.line, e.field) for e in exc.value.errors}
    assert found == {
        (3, "personal_id"),
        (4, "home_municipality_code"),
        (4, "language"),
        (4, "phone"),
        (4, "email"),
        (6, "personal_id"),
        (7, "row"),
        (8, "last_name"),
    }
    assert Client.objects.count() == 0
    assert ChangeLog.objects.count() == 0


@pytest.mark.django_db
def test_existing_clients_bad_header_and_encoding_are_refused(region) -> None:
    existing = factories.client(region["272"])
    with pytest.raises(ImportRejected) as exc:
        clients_import(actor=None, raw=csv_of(f"{existing.personal_id},X,Y,272,fi,,"))
    assert (exc.value.errors[0].line, exc.value.errors[0].field) == (2, "personal_id")
    with pytest.raises(ImportRejected) as exc:
        clients_import(actor=None, raw=b"hetu,name\n1,2\n")
    assert exc.value.errors[0].field == "header"
    with pytest.raises(ImportRejected) as exc:
        # 0x81 and 0x8d are neither UTF-8 nor Windows-1252
        clients_import(actor=None, raw=HEADER.encode() + b"\n\x81\x8d,x\n")
    assert exc.value.errors[0].field == "file"
    with pytest.raises(ImportRejected):
        clients_import(actor=None, raw=csv_of())
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_the_command_prints_every_bad_line_and_exits_nonzero(region, tmp_path, capsys) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_of("131052-308U,Bad,Check,272,fi,,", "x,y,z,272,fi,,"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("clients", "import", str(path))
    err = capsys.readouterr().err
    assert "line 2: personal_id" in err and "line 3: personal_id" in err
    path.write_bytes(csv_of(f"{factories.synthetic_hetu()},Aho,Ville,421,fi,,"))
    call_command("clients", "import", str(path))
    assert Client.objects.count() == 1


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.lists(st.text(max_size=15), min_size=0, max_size=9).map(
                lambda cells: ",".join(cells)
            ),
            max_size=6,
        ).map(lambda lines: ("\n".join([HEADER, *lines])).encode("utf-8", "surrogatepass")),
    )
)
def test_malformed_files_never_crash_and_never_half_import(region, raw: bytes) -> None:
    before = Client.objects.count()
    try:
        result = clients_import(actor=None, raw=raw)
    except ImportRejected as exc:
        assert exc.errors
        assert all(isinstance(e.line, int) and e.message for e in exc.errors)
        assert Client.objects.count() == before
    else:
        assert Client.objects.count() == before + result.clients


@pytest.mark.django_db
def test_the_upload_page_lists_errors_or_imports(region) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client as HttpClient

    from silta.accounts.roles import Role

    admin = factories.staff(Role.ADMINISTRATOR)
    http = HttpClient()
    http.force_login(admin)
    bad = SimpleUploadedFile("c.csv", csv_of("131052-308U,Bad,Check,272,fi,,"))
    response = http.post("/clients/import/", {"file": bad})
    assert response.status_code == 400
    assert "131052-308U" in response.content.decode()
    good = SimpleUploadedFile("c.csv", csv_of(f"{factories.synthetic_hetu()},Aho,Ville,421,fi,,"))
    response = http.post("/clients/import/", {"file": good, "relationship": "jobseeker"})
    assert response.status_code == 302
    assert ServiceRelationship.objects.filter(kind="jobseeker").count() == 1
    worker = factories.staff(Role.CASE_WORKER)
    other = HttpClient()
    other.force_login(worker)
    assert other.get("/clients/import/").status_code == 403
