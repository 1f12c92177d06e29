"""The clients import takes files as Excel in a Finnish locale saves them (issue 14):
semicolons, UTF-8 with a byte order mark or Windows-1252; a broken file is refused
with the line and field named, in the user's language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.clients.importer import COLUMNS, ImportRejected, clients_import
from silta.clients.models import Client


def excel(*rows: str, encoding: str = "utf-8-sig", separator: str = ";") -> bytes:
    lines = [separator.join(COLUMNS), *rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
@pytest.mark.django_db
def test_a_semicolon_file_in_each_encoding_imports_with_its_letters(region, encoding) -> None:
    a, b = factories.synthetic_hetu(), factories.synthetic_hetu()
    raw = excel(
        f"{a};Mäkelä;Åsa Öljy;272;fi;+358 40 123 4567;asa@example.fi",
        f"{b};Sjöberg;Erik;236;sv;;",
        encoding=encoding,
    )
    assert clients_import(actor=None, raw=raw).clients == 2
    assert Client.objects.get(personal_id=a).last_name == "Mäkelä"
    assert Client.objects.get(personal_id=a).first_names == "Åsa Öljy"
    assert Client.objects.get(personal_id=b).last_name == "Sjöberg"


@pytest.mark.django_db
def test_a_bad_semicolon_file_names_line_and_field_and_imports_nothing(region) -> None:
    good = factories.synthetic_hetu()
    raw = excel(
        f"{good};Mäkelä;Aino;272;fi;;",
        f"{factories.synthetic_hetu()};Aho;Ville;999;fi;;",  # unknown municipality
        f"{factories.synthetic_hetu()};Aho;Ville;272",  # too few fields
        encoding="cp1252",
    )
    with pytest.raises(ImportRejected) as caught:
        clients_import(actor=None, raw=raw)
    assert {(e.line, e.field) for e in caught.value.errors} == {
        (3, "home_municipality_code"),
        (4, "row"),
    }
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_bytes_neither_utf8_nor_windows_1252_are_refused_on_their_line(region) -> None:
    raw = excel(f"{factories.synthetic_hetu()};Aho;Ville;272;fi;;", encoding="utf-8")
    raw += b"\x81\x8d;x\r\n"
    with pytest.raises(ImportRejected) as caught:
        clients_import(actor=None, raw=raw)
    (error,) = caught.value.errors
    assert (error.line, error.field) == (3, "file")
    assert "Windows-1252" in error.message


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ("Tuntematon kuntanumero", "Rivi", "Kenttä")),
        ("sv", ("kommun", "Rad", "Fält")),
    ],
)
@pytest.mark.django_db
def test_the_upload_page_names_the_line_and_field_in_the_users_language(
    region, language, words
) -> None:
    admin = factories.staff(Role.ADMINISTRATOR, language=language)
    http = HttpClient()
    http.force_login(admin)
    raw = excel(f"{factories.synthetic_hetu()};Mäkelä;Aino;999;fi;;", encoding="cp1252")
    response = http.post("/clients/import/", {"file": SimpleUploadedFile("c.csv", raw)})
    body = response.content.decode()
    assert response.status_code == 400
    for word in words:
        assert word in body, word
    assert "Unknown municipality code" not in body
    assert not Client.objects.exists()
    # the same file saved by Excel as UTF-8 with the code fixed imports
    fixed = excel(f"{factories.synthetic_hetu()};Mäkelä;Aino;272;fi;;")
    response = http.post("/clients/import/", {"file": SimpleUploadedFile("c.csv", fixed)})
    assert response.status_code == 302
    assert Client.objects.get().last_name == "Mäkelä"
