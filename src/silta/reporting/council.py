"""The council answer report (DOMAIN.md §4) and the manager dashboard's figures.

The council report is the table Soite's answer to the 2023 council initiative gave,
from ``yearly.year_figures`` (region totals, the previous year beside them), plus the
municipal funding share by municipality. Region totals of 1–4 are hidden like any
other figure. The PDF is drawn with reportlab (standard fonts: Latin-1 and €)."""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
from django.utils import translation
from django.utils.translation import gettext

from silta.places.models import Municipality
from silta.reporting import statistics as st
from silta.reporting import yearly
from silta.reporting.suppression import HIDDEN, is_small
from silta.web.words import in_reader_language, indicator_title

LANGUAGES = ("fi", "sv")


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    value: int | Decimal | None
    previous: int | Decimal | None


@dataclass(frozen=True)
class CouncilReport:
    year: int
    figures: list[FigureRow]
    funding: list[tuple[str, Decimal]]
    funding_total: Decimal
    first_month: int = 1
    last_month: int = 12

    def _label(self, year: int) -> str:
        if (self.first_month, self.last_month) == (1, 12):
            return str(year)
        return f"{self.first_month}–{self.last_month}/{year}"

    @property
    def period_label(self) -> str:
        """The year ("2023") or its months ("1–10/2023")."""
        return self._label(self.year)

    @property
    def previous_label(self) -> str:
        """The same months of the year before."""
        return self._label(self.year - 1)


class MonthsError(ValueError):
    """The months are not a period of the year: ``1 <= first <= last <= 12``."""


def _months(year: int, first_month: int, last_month: int) -> tuple[dt.date, dt.date]:
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def _published(value: int | Decimal) -> int | Decimal | None:
    return None if isinstance(value, int) and is_small(value) else value


def funding_share_by_municipality(
    year: int, first_month: int = 1, last_month: int = 12
) -> tuple[list[tuple[str, Decimal]], Decimal]:
    """The municipal share of benefit payments made in ``year`` (in its months
    ``first_month..last_month``), per municipality (euros; the funding dashboard shows
    the same sums to managers)."""
    from silta.funding import figures
    from silta.funding.results import funding_data

    months = figures.municipality_months(funding_data())
    sums: dict[str, Decimal] = {}
    if months.height:
        grouped = (
            months.filter(
                pl.col("month").is_between(
                    pl.lit(f"{year}-{first_month:02d}"),
                    pl.lit(f"{year}-{last_month:02d}"),
                    closed="both",
                )
            )
            .group_by("municipality_code")
            .agg(pl.col("municipal_share_eur").sum())
        )
        sums = {
            code: Decimal(str(v or 0)).quantize(Decimal("0.01")) for code, v in grouped.iter_rows()
        }
    rows = [
        (m.name, sums.get(m.code, Decimal("0.00")))
        for m in sorted(Municipality.objects.all(), key=lambda m: m.name)
    ]
    return rows, sum((v for _n, v in rows), Decimal("0.00"))


def council_report(
    year: int, language: str, first_month: int = 1, last_month: int = 12
) -> CouncilReport:
    """The report in ``language`` (fi or sv) for the year or its months
    ``first_month..last_month`` (the same months of the year before beside them);
    ``yearly.YearError`` for a bad year, ``MonthsError`` for bad months."""
    yearly.check_year(year)
    if not 1 <= first_month <= last_month <= 12:
        raise MonthsError(first_month, last_month)
    whole_year = (first_month, last_month) == (1, 12)

    def values(of: int) -> dict[str, yearly.Value]:
        if of < yearly.FIRST_YEAR:
            return {}
        if whole_year:
            return yearly.year_figures(of)
        return yearly.period_figures(*_months(of, first_month, last_month))[0]

    with translation.override(language if language in LANGUAGES else "fi"):
        now = values(year)
        before = values(year - 1)
        labels = {f.key: str(f.label) for f in yearly.figures()}
        # the law's name by date: TYP until 2024, multisectoral cooperation from 2025
        from silta.integration.law_names import joint_service_clients_label

        labels["joint_service_clients"] = joint_service_clients_label(
            *_months(year, first_month, last_month)
        )
        rows = [
            FigureRow(
                key,
                labels[key],
                _published(value),
                _published(before[key]) if key in before else None,
            )
            for key, value in now.items()
        ]
        funding, total = funding_share_by_municipality(year, first_month, last_month)
    return CouncilReport(
        year=year,
        figures=rows,
        funding=funding,
        funding_total=total,
        first_month=first_month,
        last_month=last_month,
    )


def _text(value: int | Decimal | None) -> str:
    if value is None:
        return HIDDEN
    if isinstance(value, Decimal):
        return f"{value:,.2f} €".replace(",", "\u00a0").replace(".", ",")
    return f"{value:,}".replace(",", "\u00a0")


def council_pdf(report: CouncilReport, language: str) -> bytes:
    """The report as a PDF (A4), in ``language``."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from silta.reporting.suppression import RULE_TEXT

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf1")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ]
    )
    with translation.override(language):
        title = gettext("Employment services in Central Ostrobothnia: figures for %(year)s") % {
            "year": report.period_label
        }
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=title)
        figures_table = Table(
            [
                [gettext("Figure"), report.period_label, report.previous_label],
                *[[r.label, _text(r.value), _text(r.previous)] for r in report.figures],
            ],
            colWidths=[300, 90, 90],
        )
        figures_table.setStyle(grid)
        funding_table = Table(
            [
                [gettext("Municipality"), gettext("Municipal share (€)")],
                *[[name, _text(v)] for name, v in report.funding],
                [gettext("Total"), _text(report.funding_total)],
            ],
            colWidths=[300, 180],
        )
        funding_table.setStyle(grid)
        story: list[Any] = [
            Paragraph(title, styles["Title"]),
            Paragraph(
                gettext("Computed by Silta from the events recorded in it."), styles["Normal"]
            ),
            Spacer(1, 12),
            figures_table,
            Spacer(1, 18),
            Paragraph(
                gettext("Municipal funding share of unemployment benefits paid in %(year)s")
                % {"year": report.period_label},
                styles["Heading2"],
            ),
            funding_table,
            Spacer(1, 12),
            Paragraph(str(RULE_TEXT), styles["Italic"]),
        ]
        doc.build(story)
    return buffer.getvalue()


DASHBOARD_STATISTICS = (
    "joint_service_clients",
    "rehab_participants",
    "health_checks",
    "work_ability_assessments",
    "referrals_completed",
    "outcomes",
)


@dataclass(frozen=True)
class Dashboard:
    period: st.Period
    columns: list[str]
    rows: list[tuple[str, list[float | None], Decimal]]
    region: tuple[list[float | None], Decimal]


def dashboard(period: st.Period) -> Dashboard:
    """The region and each municipality on one page: the main statistics (each
    column suppressed as that statistic's municipality totals are everywhere) and the
    municipal funding share of the period's year."""
    stats = [st.statistic(k) for k in DASHBOARD_STATISTICS]
    columns: list[list[float | None]] = []
    totals: list[float | None] = []
    names: list[str] = []
    for stat in stats:
        table = st.table(stat, period, st.NONE)
        by_row, total = st.municipality_values(table)
        columns.append(by_row)
        totals.append(total)
        names = table.rows
    funding, funding_total = funding_share_by_municipality(period.start.year)
    euros = dict(funding)
    rows = [
        (name, [col[i] for col in columns], euros.get(name, Decimal("0.00")))
        for i, name in enumerate(names)
    ]
    return Dashboard(
        period=period,
        columns=[s.title(period) for s in stats],
        rows=rows,
        region=(totals, funding_total),
    )


# --- the strategic agreement's indicators on the dashboard ---------------------------


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as the dashboard publishes it: ``value`` is None when hidden (a
    count of 1–4 people) or when there is no value yet; ``on_track`` is None then too."""

    agreement: str
    version: int
    goal: str
    responsible: str
    title: str
    period_start: Any
    period_end: Any
    direction: str
    target: Decimal
    value: float | Decimal | None
    hidden: bool
    as_of: Any
    on_track: bool | None
    source: str
    municipalities: list[float | None] | None
    """Per municipality in the order of ``IndicatorBoard.municipalities``, when the
    indicator's statistic splits by municipality."""


@dataclass(frozen=True)
class IndicatorBoard:
    municipalities: list[str]
    rows: list[IndicatorRow]

    @property
    def split(self) -> list[IndicatorRow]:
        return [r for r in self.rows if r.municipalities is not None]


def agreement_indicators() -> IndicatorBoard:
    """The indicators of each agreement's current version: target, period, the value
    now (computed from its statistic over its period up to today, or recorded by
    hand), whether it is on track, and per municipality where its statistic splits so.
    Figures counting people are suppressed as everywhere on the dashboard."""
    from silta.governance import indicators as gi
    from silta.governance.selectors import current_indicators

    names = [m.name for m in sorted(Municipality.objects.all(), key=lambda m: m.name)]
    rows = []
    for current in current_indicators():
        iv = current.value
        indicator = iv.indicator
        stat = gi.STATISTICS.get(indicator.statistic) if indicator.statistic else None
        value: float | Decimal | None = (
            Decimal(iv.value) if isinstance(iv.value, Decimal) else iv.value
        )
        hidden = False
        split: list[float | None] | None = None
        if stat is not None and iv.as_of is not None:
            if stat.by_municipality is not None:
                published = stat.by_municipality(gi.Period(indicator.period_start, iv.as_of))
                split = [v for _code, _name, v in published.rows]
                hidden = published.region is None
            elif stat.people and isinstance(iv.value, int) and is_small(iv.value):
                hidden = True
        if hidden:
            value = None
        if stat is not None:
            source = gettext("Statistic: %(name)s") % {"name": stat.label}
        elif indicator.statistic:
            source = gettext("Unknown statistic: %(key)s.") % {"key": indicator.statistic}
        else:
            source = gettext("Recorded by hand")
        rows.append(
            IndicatorRow(
                agreement=current.agreement.name,
                version=current.version.number,
                goal=f"{current.goal.number}. {in_reader_language(current.goal.title)}",
                responsible=current.goal.responsible.name,
                title=indicator_title(indicator.title, indicator.statistic),
                period_start=indicator.period_start,
                period_end=indicator.period_end,
                direction=str(indicator.get_direction_display()),
                target=indicator.target,
                value=value,
                hidden=hidden,
                as_of=iv.as_of,
                on_track=None if hidden else iv.on_track,
                source=source,
                municipalities=split,
            )
        )
    return IndicatorBoard(municipalities=names, rows=rows)
