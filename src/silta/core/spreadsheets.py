"""CSV files as spreadsheets read and write them: the one decoder of uploaded CSV
files (issue 14, ADR 0019), and CSV and XLSX downloads that a spreadsheet cannot run
(issue 19, item 7; ADR 0020).

Reading: files come as municipal staff and providers have them after Excel — comma or
semicolon separated (Finnish Excel writes semicolons), UTF-8 with or without a byte
order mark, or Windows-1252. :func:`decode_csv` finds the encoding and the separator;
every reader (the funding engine's payments, events and Kela specification, the
clients import, the attendance import) starts from it. A decimal comma is the
reader's business: :func:`decimal_point` for one value (the engine has a column-wise
twin in ``silta.engine.io.decimal_text``).

Downloads:

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return, a
line feed or NUL is read as a formula by Excel, LibreOffice and Google Sheets
(OWASP "CSV Injection"; ASVS 5.0 requirement 1.2.10). Every export writes its rows
through this module:

- CSV: such a text cell gets a leading apostrophe (``'=HYPERLINK(...)``), which the
  spreadsheet shows as text; numbers, dates and amounts are written as they are, so
  a negative amount stays a number. The file starts with a UTF-8 byte-order mark, so
  Excel reads ä and ö right.
- XLSX: every text cell is stored as a string (openpyxl would store ``=...`` as a
  formula), and one that starts with a trigger also gets the cell's quote prefix, so
  editing it in Excel keeps it text. The value itself is not changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
#: The UTF-8 byte-order mark at the start of every CSV download.
CSV_BOM = "\ufeff"
_BOM_BYTES = CSV_BOM.encode("utf-8")


def csv_separator(text: str) -> str:
    """A semicolon when the header line has more semicolons than commas (Finnish
    Excel), else a comma."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its separator: UTF-8 (a byte order mark is dropped)
    or, when the bytes are not UTF-8, Windows-1252; the separator by
    :func:`csv_separator`. Raises :class:`UnicodeDecodeError` for bytes that are
    neither (its ``start`` is the first bad byte)."""
    if data.startswith(_BOM_BYTES):
        skip = len(_BOM_BYTES)
        try:
            text = data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:  # positions in the whole file, not after the mark
            raise UnicodeDecodeError(
                exc.encoding, data, exc.start + skip, exc.end + skip, exc.reason
            ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    return text, csv_separator(text)


def decimal_point(text: str) -> str:
    """A decimal number as written with a decimal point: a decimal comma (Finnish
    Excel) becomes a point and spaces used as thousands separators go. Anything else
    is returned as it is, for the caller's own check."""
    text = "".join(ch for ch in text.strip() if ch not in " \u00a0\u202f")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return text


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value: object) -> object:
    """A cell for ``csv.writer``: text that could run as a formula gets a leading
    apostrophe; None is empty; anything else is written as it is."""
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + str(value)
    return value


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose rows pass through ``csv_cell``."""

    def __init__(self, target: _Writable, **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(target: _Writable, *, bom: bool = True, **options: Any) -> SafeCsvWriter:
    """A formula-safe CSV writer on ``target`` (a text file, ``io.StringIO`` or an
    ``HttpResponse``); writes the byte-order mark first unless ``bom=False``."""
    if bom:
        target.write(CSV_BOM)
    return SafeCsvWriter(target, **options)


def xlsx_append(sheet: Any, row: Sequence[object]) -> None:
    """``sheet.append(row)`` with every text cell stored as text (see the module)."""
    sheet.append(list(row))
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
