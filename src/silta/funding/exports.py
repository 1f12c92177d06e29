"""CSV and XLSX downloads of the funding pages' tables (what municipal staff open).

CSV follows the data contracts (comma, decimal point, ISO dates) and is UTF-8 with a
byte order mark, so that Excel shows ä and ö; a text cell that a spreadsheet would
read as a formula (starting with =, +, -, @, a tab or a carriage return) is written
as text, with a leading apostrophe. ``csv-fi`` is the variant Finnish Excel opens
into columns by a double click: semicolons and decimal commas. XLSX keeps numbers as
numbers and dates as dates, euros with two decimals; formula-like text is stored as
text there too."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from silta.core.spreadsheets import CSV_BOM, xlsx_append

FORMATS = ("csv", "csv-fi", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """``text`` as a spreadsheet shows it as text, never as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value: Any, *, decimal_comma: bool = False) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralised(value)
    if decimal_comma and isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    return value


def table_response(
    name: str, header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> HttpResponse:
    """A download of the table as ``name.csv`` or ``name.xlsx``."""
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = name[:31]
        sheet.append(list(header))
        for row in rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, Decimal):
                    cells.append(float(value))
                else:
                    cells.append(value)
            xlsx_append(sheet, cells)
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, Decimal):
                    cell.number_format = "0.00"
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    finnish = fmt == "csv-fi"
    text = io.StringIO()
    # funding's own cell rule (``_plain``): text is neutralised, numbers stay numbers
    text.write(CSV_BOM)
    writer = csv.writer(text, delimiter=";" if finnish else ",", lineterminator="\r\n")
    writer.writerow([neutralised(str(h)) for h in header])
    for row in rows:
        writer.writerow([_plain(v, decimal_comma=finnish) for v in row])
    response = HttpResponse(text.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
