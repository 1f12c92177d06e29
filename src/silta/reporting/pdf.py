"""Statistics tables as PDF (reportlab, in the house style of ``council.py``: A4,
standard fonts, a grey grid with a tinted header row). Each table is printed as it is
published: a hidden figure shows the hidden mark (never its number) and the
suppression rule is printed under every table. The texts are in the language active
when the PDF is built (the user's language on a page).

A table wider than the page is split into parts of at most ``COLUMNS_PER_PART``
figure columns, each repeating the row labels, so that no figure is lost off the
edge of the paper."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

COLUMNS_PER_PART = 7


@dataclass(frozen=True)
class PdfTable:
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    note: str = ""
    """Printed under the table before the rule (e.g. what the organisation column is)."""


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")
    if isinstance(value, float):
        text = f"{value:,.2f}" if value != int(value) else f"{int(value):,}"
        return text.replace(",", "\u00a0").replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def _parts(table: PdfTable) -> list[tuple[list[str], list[list[str]]]]:
    """The table cut into column groups, the first column (row labels) in each."""
    n = len(table.header)
    if n <= COLUMNS_PER_PART + 1:
        groups = [list(range(1, n))]
    else:
        groups = [
            list(range(start, min(start + COLUMNS_PER_PART, n)))
            for start in range(1, n, COLUMNS_PER_PART)
        ]
    parts = []
    for group in groups:
        cols = [0, *group]
        parts.append(
            (
                [str(table.header[j]) for j in cols],
                [[_cell(row[j]) for j in cols] for row in table.rows],
            )
        )
    return parts


def tables_pdf(title: str, subtitle: str, tables: Sequence[PdfTable], rule: str) -> bytes:
    """A landscape A4 PDF: the title, a subtitle, and each table with its caption, its
    note and the suppression ``rule`` under it."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import KeepTogether

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    small_bold = small.clone("head", fontName="Helvetica-Bold")
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf1")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
        ]
    )
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        buffer, pagesize=page, title=title, leftMargin=36, rightMargin=36, topMargin=36
    )
    width = page[0] - 72
    story: list[Any] = [Paragraph(escape(title), styles["Title"])]
    if subtitle:
        story += [Paragraph(escape(subtitle), styles["Normal"]), Spacer(1, 10)]
    for table in tables:
        story.append(Paragraph(escape(table.caption), styles["Heading2"]))
        for header, rows in _parts(table):
            first = min(170.0, width * 0.3)
            rest = (width - first) / max(len(header) - 1, 1)
            data = [
                [Paragraph(escape(h), small_bold) for h in header],
                *[[Paragraph(escape(row[0]), small), *row[1:]] for row in rows],
            ]
            grid_table = Table(data, colWidths=[first, *[rest] * (len(header) - 1)], repeatRows=1)
            grid_table.setStyle(grid)
            story += [grid_table, Spacer(1, 6)]
        under: list[Any] = []
        if table.note:
            under.append(Paragraph(escape(table.note), styles["Normal"]))
        under.append(Paragraph(escape(rule), styles["Italic"]))
        story += [KeepTogether(under), Spacer(1, 14)]
    doc.build(story)
    return buffer.getvalue()
