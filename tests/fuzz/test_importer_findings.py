"""The bugs the importer fuzzers found, pinned as plain examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from silta.clients.importer import ImportRejected, clients_validate
from silta.engine import io as engine_io
from silta.engine.io import InputFileError
from silta.engine.reconcile import read_spec

PAYMENTS = (
    "person_id,municipality_code,benefit,basis,period_start,period_end,paid_days,"
    "amount_eur,payment_date\n"
)
GOOD_PAYMENT = "P1,272,LMS,unemployment,2024-01-01,2024-01-05,5,37.21,2024-01-10\n"
SPEC = (
    "invoice_month,municipality_code,benefit,person_id,paid_eur,returned_eur,"
    "corrected_eur,municipal_share_eur\n"
)


def test_a_line_with_too_many_fields_is_named(tmp_path: Path) -> None:
    # was: "line 0: not a readable CSV file: found more fields than defined in 'Schema'"
    path = tmp_path / "p.csv"
    path.write_text(PAYMENTS + GOOD_PAYMENT + GOOD_PAYMENT.strip() + ",extra\n")
    with pytest.raises(InputFileError) as caught:
        engine_io.read_payments(path)
    [error] = caught.value.errors
    assert (error.line, error.code) == (3, "csv_format")
    assert "header has 9" in error.message


def test_a_byte_that_is_not_utf8_is_named_by_its_line() -> None:
    # a file that is not UTF-8 is read as Windows-1252 (Excel's habit, DESIGN.md); a byte
    # that is neither (0x81 is undefined in Windows-1252) is named by its line
    raw = (SPEC + "2024-01,272,LMS,P1,1.00,0.00,0.00,1.00\n").encode() + b"2024-01,272,LMS,P\x81\n"
    with pytest.raises(InputFileError) as caught:
        read_spec(raw)
    [error] = caught.value.errors
    assert error.line == 3 and "UTF-8" in error.message


def test_an_amount_too_large_for_the_store_is_a_line_error(tmp_path: Path) -> None:
    # was: polars InvalidOperationError (decimal overflow) out of read_payments
    path = tmp_path / "p.csv"
    path.write_text(PAYMENTS + GOOD_PAYMENT.replace("37.21", "99999999999999999.99"))
    with pytest.raises(InputFileError) as caught:
        engine_io.read_payments(path)
    [error] = caught.value.errors
    assert (error.line, error.field, error.code) == (2, "amount_eur", "amount_format")
    assert (
        engine_io.read_payments(
            _write(tmp_path, PAYMENTS + GOOD_PAYMENT.replace("37.21", "9999999999.99"))
        ).height
        == 1
    )
    with pytest.raises(InputFileError):
        read_spec((SPEC + "2024-01,272,LMS,P1,1.00,0.00,0.00,99999999999999999.99\n").encode())


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ok.csv"
    path.write_text(text)
    return path


@pytest.mark.django_db
def test_clients_file_errors_name_the_line(region) -> None:
    # was: line 0 for a NUL character or a byte that is not UTF-8
    header = b"personal_id,last_name,first_names,home_municipality_code,language,phone,email\n"
    with pytest.raises(ImportRejected) as caught:
        clients_validate(header + b"a,b,c,272,fi,,\r\nx\x00y,b,c,272,fi,,\n")
    assert [e.line for e in caught.value.errors] == [3]
    with pytest.raises(ImportRejected) as caught:
        clients_validate(header + b"\xe4\n")
    assert [e.line for e in caught.value.errors] == [2]
