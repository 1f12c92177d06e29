"""Statement and list exports: CSV, XLSX (openpyxl) and PDF (reportlab). The same rows
as the page. Money: plain numbers with a decimal point in CSV (``24800.00``), numeric
cells with a euro number format in XLSX, and in the PDF as on the page
(``silta.core.money.format_eur``: ``24 800,00 €`` in Finnish)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from silta.core.money import XLSX_EUR_FORMAT, format_eur
from silta.core.spreadsheets import csv_writer, xlsx_append
from silta.rehab.selectors import MonthList
from silta.rehab.statements import StatementData

STATEMENT_COLUMNS = (
    "provider",
    "business_id",
    "organiser",
    "month",
    "status",
    "line",
    "client",
    "contract",
    "contract_version",
    "days",
    "unit_price_eur",
    "amount_eur",
    "detail",
    "statement_number",
    "corrects_statement",
)


def _status(data: StatementData) -> str:
    """The CSV's status code: draft, checked, approved or sent (approved and sent are
    billed; a draft or checked statement is still a preview)."""
    return data.status


def statement_rows(statements: Sequence[StatementData]) -> list[list[object]]:
    rows: list[list[object]] = []
    for data in statements:
        number = data.statement.number_label if data.statement is not None else ""
        for line in data.lines:
            rows.append(
                [
                    data.provider.organisation.name,
                    data.provider.business_id,
                    data.organiser.name,
                    f"{data.month:%Y-%m}",
                    _status(data),
                    line.kind,
                    line.client_name,
                    line.contract_version.contract.reference,
                    line.contract_version.number,
                    line.days,
                    line.unit_price,
                    line.amount,
                    line.detail,
                    number,
                    line.corrects_number,
                ]
            )
        rows.append(
            [
                data.provider.organisation.name,
                data.provider.business_id,
                data.organiser.name,
                f"{data.month:%Y-%m}",
                _status(data),
                "total",
                "",
                "",
                "",
                data.participant_days,
                "",
                data.total_eur,
                "",
                number,
                "",
            ]
        )
    return rows


def _csv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """Euro columns (named ``*_eur``) are numbers with a euro format, not text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    ws.append(list(columns))
    euro = [i for i, name in enumerate(columns) if name.endswith("_eur")]
    for row in rows:
        xlsx_append(ws, [float(v) if isinstance(v, Decimal) else v for v in row])
        cells = ws[ws.max_row]
        for i in euro:
            if isinstance(row[i], Decimal):
                cells[i].number_format = XLSX_EUR_FORMAT
    for cell in ws[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def statement_csv(statements: Sequence[StatementData]) -> bytes:
    return _csv(STATEMENT_COLUMNS, statement_rows(statements))


def statement_xlsx(statements: Sequence[StatementData]) -> bytes:
    return _xlsx("statement", STATEMENT_COLUMNS, statement_rows(statements))


def statement_pdf(statements: Sequence[StatementData]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=_("Monthly statement"))
    styles = getSampleStyleSheet()
    story: list[object] = []
    for data in statements:
        heading = _(
            "Monthly statement %(month)s: %(provider)s (%(business_id)s) – %(organiser)s"
        ) % {
            "month": f"{data.month:%m/%Y}",
            "provider": data.provider.organisation.name,
            "business_id": data.provider.business_id,
            "organiser": data.organiser.name,
        }
        story.append(Paragraph(heading, styles["Heading2"]))
        status = str(data.status_label)
        if data.statement is not None and data.statement.number:
            status += " " + _("number %(n)s") % {"n": data.statement.number_label}
        story.append(Paragraph(status, styles["Normal"]))
        table = [[_("Line"), _("Client"), _("Contract"), _("Days"), _("Price"), _("Amount")]]
        for line in data.lines:
            table.append(
                [
                    line.kind_label,
                    line.client_name,
                    f"{line.contract_version.contract.reference} v{line.contract_version.number}",
                    str(line.days) if line.days else "",
                    format_eur(line.unit_price),
                    format_eur(line.amount),
                ]
            )
        table.append(
            ["", _("Total"), "", str(data.participant_days), "", format_eur(data.total_eur)]
        )
        t = Table(table, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                    ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
                ]
            )
        )
        story.extend([Spacer(1, 6), t, Spacer(1, 18)])
    doc.build(story)
    return out.getvalue()


LIST_COLUMNS = (
    "month",
    "personal_id",
    "client",
    "provider",
    "days_recorded",
    "days_counted",
    "rate_eur",
    "amount_eur",
)


def month_list_csv(data: MonthList) -> bytes:
    """The list as on the page: the days counted and, per reason, the days not counted
    (``not_counted_<reason>``); days recorded = counted + not counted."""
    reasons = [key for key, _label in data.reasons]
    rows = [
        [
            f"{data.month:%Y-%m}",
            r.personal_id,
            r.client_name,
            r.provider,
            r.days,
            r.eligible_days,
            data.rate,
            r.amount,
            *r.reason_days(reasons),
        ]
        for r in data.rows
    ]
    return _csv([*LIST_COLUMNS, *(f"not_counted_{k}" for k in reasons)], rows)
