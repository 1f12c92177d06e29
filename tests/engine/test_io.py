"""CSV readers validate the whole file and report every bad line; the writer writes
the contract's format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from silta.engine import funding
from silta.engine.io import InputFileError, read_events, read_payments, write_result_csv

HEADER = "person_id,municipality_code,benefit,basis,period_start,period_end,paid_days,amount_eur,payment_date"
GOOD = "010190-900A,074,LMS,unemployment,2025-01-06,2025-01-19,10,372.10,2025-01-22"


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "input.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file_is_read_with_types(tmp_path):
    # given / when
    df = read_payments(write(tmp_path, HEADER, GOOD), valid_municipality_codes={"074", "272"})
    # then
    row = df.row(0, named=True)
    assert row["municipality_code"] == "074"
    assert row["period_start"] == dt.date(2025, 1, 6)
    assert row["paid_days"] == 10
    assert row["amount_eur"] == Decimal("372.10")


def test_every_bad_line_is_reported_with_line_field_and_value(tmp_path):
    # given: a good line and four bad ones (the header is line 1)
    path = write(
        tmp_path,
        HEADER,
        GOOD,
        "010190-900A,74,SICK,unemployment,2025-01-06,2025-01-19,10,372.10,2025-01-22",
        "010190-900A,272,LMS,leisure,2025-01-20,2025-01-06,10,37.2.1,2025-02-30",
        "010190-900A,272,LMS,service,2025-01-06,2025-01-12,6,10,2025-01-15",
        "010190-900A,999,BASIC,other,06.01.2025,2025-01-12,-1,1,2025-01-15",
    )
    # when
    with pytest.raises(InputFileError) as caught:
        read_payments(path, valid_municipality_codes={"074", "272"})
    # then
    found = {(e.line, e.field, e.value) for e in caught.value.errors}
    assert found == {
        (3, "municipality_code", "74"),
        (3, "benefit", "SICK"),
        (4, "basis", "leisure"),
        (4, "period_end", "2025-01-06"),
        (4, "amount_eur", "37.2.1"),
        (4, "payment_date", "2025-02-30"),
        (5, "paid_days", "6"),
        (6, "municipality_code", "999"),
        (6, "period_start", "06.01.2025"),
        (6, "paid_days", "-1"),
    }
    assert "line 5, paid_days: '6' more paid days than 5 a calendar week" in str(caught.value)


def test_paid_days_may_fill_every_week_touched(tmp_path):
    # given: Sat 4.1.-Sun 12.1.2025 touches two calendar weeks but has 5 weekdays
    path = write(tmp_path, HEADER, "p,272,LMS,unemployment,2025-01-04,2025-01-12,10,1,2025-01-15")
    # when / then: 10 days ≤ 5 × 2 weeks is accepted, 11 is not
    assert read_payments(path).height == 1
    path = write(tmp_path, HEADER, "p,272,LMS,unemployment,2025-01-04,2025-01-12,11,1,2025-01-15")
    with pytest.raises(InputFileError):
        read_payments(path)


def test_paid_days_beyond_the_store_are_refused(tmp_path):
    # given: a 150-year period whose weekdays would allow 39 000 paid days
    path = write(
        tmp_path, HEADER, "p,272,LMS,unemployment,1900-01-01,2049-12-31,39000,1,2050-01-05"
    )
    # when / then: refused on its line, not left to fail in the database
    with pytest.raises(InputFileError) as caught:
        read_payments(path)
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "paid_days")]
    assert "at most 32767" in str(caught.value)


def test_header_problems_are_reported_on_line_1(tmp_path):
    path = write(tmp_path, HEADER.replace("basis,", "") + ",note", GOOD)
    with pytest.raises(InputFileError) as caught:
        read_payments(path)
    assert {(e.line, e.field, e.code) for e in caught.value.errors} == {
        (1, "basis", "column_missing"),
        (1, "note", "column_extra"),
    }


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputFileError, match="empty"):
        read_payments(path)


def test_events_are_validated(tmp_path):
    path = write(
        tmp_path,
        "person_id,event,date",
        "p,employment_condition_met,2025-03-01",
        "p,moved,2025-03-01",
        ",state_funded_until,2025-13-01",
    )
    with pytest.raises(InputFileError) as caught:
        read_events(path)
    assert {(e.line, e.field) for e in caught.value.errors} == {
        (3, "event"),
        (4, "person_id"),
        (4, "date"),
    }
    good = write(tmp_path, "person_id,event,date", "p,state_funded_until,2025-03-01")
    assert read_events(good).row(0) == ("p", "state_funded_until", dt.date(2025, 3, 1))


def test_result_csv_has_iso_dates_and_two_decimals(tmp_path, rules):
    # given
    payments = read_payments(write(tmp_path, HEADER, GOOD))
    result = funding.compute(payments, rules=rules)
    out = tmp_path / "out.csv"
    # when
    write_result_csv(result, out)
    # then
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[-6:] == list(funding.RESULT_COLUMNS)
    assert (
        lines[1]
        == "010190-900A,074,LMS,unemployment,2025-01-06,2025-01-19,10,372.10,2025-01-22,2025,0,10,0.0,0.00,372.10"
    )
    back = pl.read_csv(out, infer_schema=False)
    assert back.get_column("municipality_code").to_list() == ["074"]


# --- files as municipalities have them (issue 14) --------------------------------------

MIXED = [
    "p1,272,LMS,unemployment,2024-11-04,2024-11-17,10,372.10,2024-11-20",
    "p1,272,BASIC,service,2025-03-03,2025-03-16,10,372.10,2025-03-19",
    "p2,217,EARN_BASIC,unemployment,2025-06-02,2025-06-15,10,372.10,2025-06-18",
    # a late payment of the abolished subsidy for April days, paid in May
    "p1,272,LMS,unemployment,2026-04-20,2026-04-30,9,334.89,2026-05-05",
    "p1,272,GEN,unemployment,2026-05-04,2026-05-17,10,372.10,2026-05-20",
]


def excel(lines: list[str], encoding: str = "utf-8-sig") -> bytes:
    """Lines as Finnish Excel saves them: semicolons and decimal commas."""
    out = []
    for line in lines:
        fields = line.split(",")
        out.append(
            ";".join(f.replace(".", ",") if f[:1].isdigit() and "-" not in f else f for f in fields)
        )
    return ("\r\n".join(out) + "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_semicolon_decimal_comma_file_is_read_like_the_plain_one(tmp_path, encoding):
    # given the same rows as a plain file and as Excel's
    plain = read_payments(write(tmp_path, HEADER, *MIXED))
    path = tmp_path / "excel.csv"
    path.write_bytes(excel([HEADER, *MIXED], encoding))
    assert b";" in path.read_bytes()
    # when / then
    assert read_payments(path).equals(plain)
    assert read_payments(path.read_bytes(), name="excel.csv").equals(plain)
    assert plain.get_column("amount_eur").to_list()[3] == Decimal("334.89")


def test_a_file_mixing_2024_lms_2025_basic_and_2026_gen_computes_by_rule_version(tmp_path):
    # given
    payments = read_payments(write(tmp_path, HEADER, *MIXED))
    # when
    result = funding.compute(payments)
    # then: GEN counts on from the person's earlier days, and every row has a share
    gen = result.filter(pl.col("benefit") == "GEN").row(0, named=True)
    assert gen["days_before"] == 29
    assert set(result.get_column("benefit").cast(pl.String)) == {
        "LMS",
        "BASIC",
        "EARN_BASIC",
        "GEN",
    }


def test_benefit_codes_follow_the_rules_in_force_on_the_payment_date(tmp_path):
    path = write(
        tmp_path,
        HEADER,
        # yleistuki before it existed
        "p,272,GEN,unemployment,2026-03-02,2026-03-15,10,372.10,2026-03-18",
        # the subsidy for days after it was abolished
        "p,272,LMS,unemployment,2026-05-04,2026-05-17,10,372.10,2026-05-20",
        "p,272,BASIC,unemployment,2026-05-04,2026-05-17,10,372.10,2026-05-20",
    )
    with pytest.raises(InputFileError) as caught:
        read_payments(path)
    assert [(e.line, e.field, e.code) for e in caught.value.errors] == [
        (2, "benefit", "benefit_unknown"),
        (3, "benefit", "benefit_unknown"),
        (4, "benefit", "benefit_unknown"),
    ]
    assert "EARN_BASIC, GEN from 2026-05-01" in str(caught.value)


def test_a_file_neither_utf8_nor_windows_1252_names_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes((HEADER + "\n" + GOOD + "\n").encode() + b"p,272,LMS,\x81\n")
    with pytest.raises(InputFileError) as caught:
        read_payments(path)
    [error] = caught.value.errors
    assert (error.line, error.code) == (3, "csv_encoding")


def test_a_broken_semicolon_line_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    body = (
        HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n" + "a;b;c;d;e;f;g;h;i;j;k\n"
    )
    path.write_bytes(body.encode("utf-8-sig"))
    with pytest.raises(InputFileError) as caught:
        read_payments(path)
    [error] = caught.value.errors
    assert (error.line, error.code) == (3, "csv_format")


def test_events_file_from_excel_is_read(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(
        "person_id;event;date\r\np;employment_condition_met;2025-03-01\r\n".encode("cp1252")
    )
    assert read_events(path).height == 1
