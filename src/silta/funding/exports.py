"""CSV and XLSX downloads of the funding pages' tables (what municipal staff open).

CSV follows the data contracts (UTF-8, comma, decimal point, ISO dates); XLSX keeps
numbers as numbers and dates as dates, euros with two decimals."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from silta.core.spreadsheets import csv_writer, xlsx_append

FORMATS = ("csv", "xlsx")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
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
            cells = []
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
    text = io.StringIO()
    writer = csv_writer(text, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    response = HttpResponse(text.getvalue().encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
