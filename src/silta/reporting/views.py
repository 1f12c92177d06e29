"""Statistics pages for managers: only suppressed aggregates (no person-level data,
so no access-log rows). Every table downloads as CSV, XLSX or PDF
(``?format=csv|xlsx|pdf&table=main|comparison``); the manager dashboard as CSV, XLSX
or PDF (the PDF with the strategic agreement's indicators); the council report as
PDF. PDFs are in the user's language with the suppression rule under each table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from silta.accounts.decorators import require_perm
from silta.accounts.roles import Perm
from silta.core import dates
from silta.funding import exports
from silta.reporting import charts, council, pdf, yearly
from silta.reporting import statistics as st
from silta.reporting.forms import StatisticsForm
from silta.reporting.suppression import HIDDEN, RULE_TEXT
from silta.web.pages import page


def _shown(value: float | None) -> Any:
    if value is None:
        return HIDDEN
    return int(value) if value == int(value) else round(value, 1)


def _table_rows(table: st.Table) -> list[list[Any]]:
    p = table.published
    rows = []
    for i, name in enumerate(table.rows):
        row: list[Any] = [name, *[_shown(v) for v in p.cells[i]]]
        if p.row_totals is not None:
            row.append(_shown(p.row_totals[i]))
        rows.append(row)
    last: list[Any] = [_("Whole region"), *[_shown(v) for v in p.column_totals]]
    if p.row_totals is not None:
        last.append(_shown(p.total))
    rows.append(last)
    return rows


def _query_without_format(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return query.urlencode()


def _download(
    name: str, header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> HttpResponse:
    return exports.table_response(name, header, rows, fmt)


PDF = "pdf"


def _pdf_response(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _organisation_note(table: st.Table) -> str:
    label = table.statistic.organisation_label
    return str(label) if table.breakdown == st.ORGANISATION and label else ""


@require_perm(Perm.STATISTICS_VIEW)
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None, initial=StatisticsForm.initial_values())
    if not request.GET:
        form = StatisticsForm(StatisticsForm.initial_values())
    context: dict[str, Any] = {
        "form": form,
        "active": "statistics",
        "rule": RULE_TEXT,
        "last_year": dates.today().year - 1,
    }
    if form.is_valid():
        stat = st.statistic(form.cleaned_data["statistic"])
        period: st.Period = form.cleaned_data["period"]
        table = st.table(stat, period, form.cleaned_data["breakdown"])
        comparison = st.year_over_year(stat, period)
        header = [_("Municipality"), *table.columns]
        if table.has_total_column:
            header.append(_("Total"))
        rows = _table_rows(table)
        comparison_header = [
            _("Municipality"),
            comparison.previous.label,
            comparison.period.label,
            _("Change from last year"),
        ]
        comparison_rows = [
            [name, _shown(b), _shown(a), _shown(c)] for name, b, a, c in comparison.rows
        ] + [[_("Whole region"), *[_shown(v) for v in comparison.total]]]
        fmt = request.GET.get("format", "")
        which = request.GET.get("table", "main")
        name = f"{stat.key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        if fmt in exports.FORMATS:
            if which == "comparison":
                return _download(f"{name}-comparison", comparison_header, comparison_rows, fmt)
            return _download(f"{name}-{table.breakdown}", header, rows, fmt)
        label = stat.title(period)
        title = f"{label}, {period.label}"
        if fmt == PDF:
            if which == "comparison":
                part = pdf.PdfTable(_("Year over year"), comparison_header, comparison_rows)
                name = f"{name}-comparison"
            else:
                part = pdf.PdfTable(label, header, rows, note=_organisation_note(table))
                name = f"{name}-{table.breakdown}"
            return _pdf_response(
                name,
                pdf.tables_pdf(
                    title,
                    _(
                        "Computed from the events recorded in Silta, by the client's home "
                        "municipality on the date of the event."
                    ),
                    [part],
                    str(RULE_TEXT),
                ),
            )
        values, _total = st.municipality_values(table)
        context.update(
            statistic=stat,
            statistic_label=label,
            period=period,
            organisation_note=_organisation_note(table),
            header=header,
            rows=rows,
            comparison_header=comparison_header,
            comparison_rows=comparison_rows,
            chart=charts.bars(
                _("%(statistic)s by municipality, %(period)s")
                % {"statistic": label, "period": period.label},
                table.rows,
                values,
                "statistics-chart-title",
            ),
            query=_query_without_format(request),
        )
    return page(request, "reporting/statistics.html", title=_("Statistics"), **context)


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    if asked in council.LANGUAGES:
        return asked
    current = (get_language() or "fi")[:2]
    return current if current in council.LANGUAGES else "fi"


def _council_months(request: HttpRequest) -> tuple[int, int, dict[str, str]]:
    """The first and last month asked for (the whole year by default), and an error
    per field that is not a month or ends before the period starts."""
    months: dict[str, int] = {}
    errors: dict[str, str] = {}
    for field, default in (("from", 1), ("to", 12)):
        raw = request.GET.get(field, "").strip()
        if not raw:
            months[field] = default
        elif raw.isdigit() and 1 <= int(raw) <= 12:
            months[field] = int(raw)
        else:
            errors[field] = _("Give the month as a number from 1 to 12.")
    if not errors and months["to"] < months["from"]:
        errors["to"] = _("The last month is before the first month.")
    return months.get("from", 1), months.get("to", 12), errors


@require_perm(Perm.STATISTICS_VIEW)
@require_GET
def council_report(request: HttpRequest, year: int) -> HttpResponse:
    language = _language(request)
    first_month, last_month, errors = _council_months(request)
    context: dict[str, Any] = {
        "language": language,
        "report_language": language,
        "this_year": dates.today().year,
        "active": "statistics",
        "rule": RULE_TEXT,
        "months": range(1, 13),
        "first_month": request.GET.get("from", "1"),
        "last_month": request.GET.get("to", "12"),
        "errors": errors,
    }
    title = _("Council answer report")
    if errors:
        return page(request, "reporting/council.html", title=title, http_status=400, **context)
    try:
        report = council.council_report(year, language, first_month, last_month)
    except yearly.YearError:
        raise Http404(
            _("There are no figures for %(year)s: give a year from %(first)s to %(last)s.")
            % {"year": year, "first": yearly.FIRST_YEAR, "last": dates.today().year}
        ) from None
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            council.council_pdf(report, language), content_type="application/pdf"
        )
        name = f"council-{year}-{first_month:02d}-{last_month:02d}-{language}.pdf"
        if (first_month, last_month) == (1, 12):
            name = f"council-{year}-{language}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return page(request, "reporting/council.html", title=title, report=report, **context)


@require_perm(Perm.STATISTICS_VIEW)
@require_GET
def manager_dashboard(request: HttpRequest) -> HttpResponse:
    this_year = dates.today().year
    error = ""
    try:
        year = int(request.GET.get("year", this_year - 1))
        period = st.Period.year(year)
    except ValueError:
        error = _("The year must be four digits, for example 2023 (not %(value)s).") % {
            "value": request.GET.get("year", "")
        }
        year, period = this_year - 1, st.Period.year(this_year - 1)
    except ValidationError as e:
        error = e.messages[0]
        year, period = this_year - 1, st.Period.year(this_year - 1)
    data = council.dashboard(period)
    rows = [[name, *[_shown(v) for v in values], euros] for name, values, euros in data.rows]
    region = [_("Whole region"), *[_shown(v) for v in data.region[0]], data.region[1]]
    header = [_("Municipality"), *data.columns, _("Municipal share (€)")]
    board = council.agreement_indicators()
    ind_header, ind_rows = _indicator_table(board)
    split_header = [_("Municipality"), *[r.title for r in board.split]]
    split_rows = [
        [name, *[_shown(r.municipalities[i]) for r in board.split if r.municipalities]]
        for i, name in enumerate(board.municipalities)
    ]
    fmt = request.GET.get("format", "")
    if fmt in exports.FORMATS:
        if request.GET.get("table") == "indicators":
            return _download("dashboard-indicators", ind_header, ind_rows, fmt)
        return _download(f"dashboard-{year}", header, [*rows, region], fmt)
    if fmt == PDF:
        tables = [
            pdf.PdfTable(_("The region and its municipalities"), header, [*rows, region]),
        ]
        if ind_rows:
            tables.append(pdf.PdfTable(_("Strategic agreement indicators"), ind_header, ind_rows))
        if board.split:
            tables.append(
                pdf.PdfTable(
                    _("Indicators by municipality (the indicator's period up to today)"),
                    split_header,
                    split_rows,
                )
            )
        return _pdf_response(
            f"dashboard-{year}",
            pdf.tables_pdf(
                _("Manager dashboard %(year)s") % {"year": year}, "", tables, str(RULE_TEXT)
            ),
        )
    return page(
        request,
        "reporting/dashboard.html",
        title=_("Manager dashboard %(year)s") % {"year": year},
        year=year,
        error=error,
        header=header,
        rows=rows,
        region=region,
        indicator_header=ind_header,
        indicator_rows=ind_rows,
        split_header=split_header,
        split_rows=split_rows,
        active="statistics_dashboard",
        rule=RULE_TEXT,
        chart=charts.bars(
            _("Municipal funding share by municipality, %(year)s (€)") % {"year": year},
            [r[0] for r in rows],
            [float(r[-1]) for r in rows],
            "dashboard-chart-title",
        ),
    )


def _track(on_track: bool | None) -> str:
    if on_track is None:
        return "–"
    return _("On track") if on_track else _("Behind the target")


def _indicator_table(board: council.IndicatorBoard) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Indicator"),
        _("Goal"),
        _("Period"),
        _("Target"),
        _("Value"),
        _("On track"),
        _("Source"),
    ]
    rows = []
    for r in board.rows:
        value: Any = HIDDEN if r.hidden else ("–" if r.value is None else _shown(float(r.value)))
        if r.as_of is not None and not r.hidden and r.value is not None:
            value = _("%(value)s (up to %(day)s)") % {
                "value": value,
                "day": r.as_of.strftime("%d.%m.%Y"),
            }
        rows.append(
            [
                r.title,
                f"{r.agreement} ({_('version %(n)s') % {'n': r.version}}): {r.goal} "
                f"– {r.responsible}",
                f"{r.period_start:%d.%m.%Y}–{r.period_end:%d.%m.%Y}",
                f"{r.direction}: {_shown(float(r.target))}",
                value,
                _track(r.on_track),
                r.source,
            ]
        )
    return header, rows
