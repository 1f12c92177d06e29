"""The attendance import takes a file as Excel in a Finnish locale saves it (issue
14): semicolons, hours with a decimal comma, UTF-8 with a byte order mark or
Windows-1252; a broken file is refused with its line named, in the user's language,
and nothing is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories

from silta.core import dates
from silta.rehab.models import Attendance
from silta.rehab.services import attendance_import

NOW = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dates.HELSINKI)  # a Wednesday
HEADER = "personal_id;date;status;hours;absence_reason"


@pytest.fixture
def world(region):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield factories.rehab_world(region["272"])


def excel(*rows: str, encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
@pytest.mark.django_db
def test_a_semicolon_file_with_decimal_commas_imports(world, encoding) -> None:
    with time_machine.travel(NOW, tick=False):
        pid = world["client"].personal_id
        raw = excel(
            f"{pid};2025-03-03;present;7,5;",
            f"{pid};2025-03-04;present;6;",
            f"{pid};2025-03-05;absent;;ill",
            encoding=encoding,
        )
        assert attendance_import(actor=world["a"]["staff"], text=raw) == 3
        assert Attendance.objects.get(day=dt.date(2025, 3, 3)).hours == Decimal("7.5")


@pytest.mark.django_db
def test_a_broken_semicolon_file_names_each_line_and_saves_nothing(world) -> None:
    with time_machine.travel(NOW, tick=False):
        pid = world["client"].personal_id
        raw = excel(
            f"{pid};2025-03-03;present;7,5;",
            f"{pid};3.3.2025;present;6;",  # not a date
            f"{pid};2025-03-04;present;kuusi;",  # not hours
            f"{pid};2025-03-05;present",  # too few fields
            encoding="cp1252",
        )
        with pytest.raises(ValidationError) as caught:
            attendance_import(actor=world["a"]["staff"], text=raw)
        messages = caught.value.messages  # type: ignore[attr-defined]
        assert [m.split(":")[0] for m in messages] == ["Line 3", "Line 4", "Line 5"]
        assert "3.3.2025 is not a date" in messages[0]
        assert "kuusi is not a number of hours" in messages[1]
        assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_bytes_neither_utf8_nor_windows_1252_are_refused_on_their_line(world) -> None:
    with time_machine.travel(NOW, tick=False):
        pid = world["client"].personal_id
        raw = excel(f"{pid};2025-03-03;present;6;") + b"\x81\x8d;x\r\n"
        with pytest.raises(ValidationError) as caught:
            attendance_import(actor=world["a"]["staff"], text=raw)
        (message,) = caught.value.messages  # type: ignore[attr-defined]
        assert message.startswith("Line 3:") and "Windows-1252" in message
        assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("language", "line", "problem"),
    [("fi", "Rivi 3", "Windows-1252"), ("sv", "Rad 3", "Windows-1252")],
)
@pytest.mark.django_db
def test_the_upload_page_answers_in_the_users_language(
    world, client, language, line, problem
) -> None:
    with time_machine.travel(NOW, tick=False):
        staff = world["a"]["staff"]
        staff.language = language
        staff.save()
        client.force_login(staff)
        pid = world["client"].personal_id
        bad = excel(f"{pid};2025-03-03;present;6;") + b"\x81\x8d;x\r\n"
        response = client.post(
            "/rehab/attendance/import/", {"file": SimpleUploadedFile("a.csv", bad)}
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert line in body and problem in body
        assert "neither UTF-8" not in body
        good = excel(f"{pid};2025-03-03;present;7,5;", encoding="cp1252")
        response = client.post(
            "/rehab/attendance/import/", {"file": SimpleUploadedFile("a.csv", good)}
        )
        assert response.status_code == 302
        assert Attendance.objects.get().hours == Decimal("7.5")
