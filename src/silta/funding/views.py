"""Funding-share pages: thin views over the selectors. Person-level pages answer 404
outside the user's municipalities; every table downloads as CSV or XLSX
(``?format=csv|xlsx``, on the dashboard with ``&table=...``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.core import dates
from silta.engine.io import InputFileError
from silta.funding import charts, exports, rules_page, selectors
from silta.funding.forms import PeriodForm, RulesDateForm, SpecificationForm, WhatIfForm
from silta.funding.models import Basis, Benefit
from silta.funding.policies import funding_scope
from silta.funding.results import rules_in_force

# The engine's line errors in the user's language, by code (engine texts are English).
LINE_MESSAGES = {
    "required": gettext_lazy("The value is empty."),
    "municipality_format": gettext_lazy("A municipality code has exactly 3 digits."),
    "municipality_unknown": gettext_lazy("Unknown municipality code."),
    "municipality_out_of_scope": gettext_lazy("A municipality outside your funding-share scope."),
    "benefit_unknown": gettext_lazy(
        "This benefit code is not known by the rules in force on the payment date."
    ),
    "month_format": gettext_lazy("Not a month in the form YYYY-MM."),
    "amount_format": gettext_lazy(
        "Not a decimal number (decimal point or comma) with at most 2 decimals and at most "
        "10 digits before it."
    ),
    "column_missing": gettext_lazy("A required column is missing."),
    "column_extra": gettext_lazy("An unexpected column."),
    "empty": gettext_lazy("The file is empty; a header row is needed."),
    "csv_format": gettext_lazy(
        "This line cannot be read as CSV: check its quotes and that it has no more fields "
        "than the header."
    ),
    "csv_encoding": gettext_lazy(
        "The file is neither UTF-8 nor Windows-1252 text: save it from Excel as CSV (UTF-8)."
    ),
}


def _line_errors(errors: list[Any]) -> list[tuple[int, str, str, str]]:
    return [(e.line, e.field, e.value, str(LINE_MESSAGES.get(e.code, e.message))) for e in errors]


def _lang() -> str:
    return (get_language() or "fi")[:2]


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "")
    return fmt if fmt in exports.FORMATS else ""


def _step_label(row: selectors.StepRow) -> str:
    if row.last_day is None:
        return _("day %(first)s on") % {"first": row.first_day}
    return _("days %(first)s–%(last)s") % {"first": row.first_day, "last": row.last_day}


@require_perm(Perm.FUNDING_VIEW_AGGREGATE)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("municipality", "")
    period_form = PeriodForm(
        {"start": request.GET.get("from", ""), "end": request.GET.get("to", "")}
    )
    valid = period_form.is_valid()
    data = selectors.funding_dashboard_for(
        actor=acting_user(request),
        municipality_code=code,
        period=period_form.period() if valid else None,
    )
    fmt = _format(request)
    name = f"funding-{code or 'region'}"
    period_query = (
        f"&from={data.first_month}&to={data.last_month}" if valid and period_form.period() else ""
    )
    if fmt and valid and period_form.period():
        name = f"{name}-{data.first_month}-{data.last_month}"
    if fmt:
        table = request.GET.get("table", "months")
        if table == "steps":
            return exports.table_response(
                f"{name}-steps",
                ["first_day", "last_day", "municipal_rate", "persons"],
                (
                    (s.first_day, s.last_day, s.rate, "<5" if s.persons is None else s.persons)
                    for s in data.steps
                ),
                fmt,
            )
        if table == "municipalities":
            return exports.table_response(
                f"{name}-municipalities-{data.first_month}-{data.last_month}",
                [
                    "municipality_code",
                    "municipality",
                    "persons",
                    "paid_days",
                    "amount_eur",
                    "municipal_share_eur",
                    "state_share_eur",
                ],
                (
                    (
                        r.municipality.code,
                        r.municipality.name,
                        "<5" if r.persons is None else r.persons,
                        r.paid_days,
                        r.amount_eur,
                        r.municipal_share_eur,
                        r.state_share_eur,
                    )
                    for r in data.by_municipality
                ),
                fmt,
            )
        if table == "forecast":
            return exports.table_response(
                f"{name}-forecast",
                ["month", "recipients_expected", "expected_eur", "low_eur", "high_eur"],
                (
                    (f.month, f.recipients_expected, f.expected_eur, f.low_eur, f.high_eur)
                    for f in data.forecast
                ),
                fmt,
            )
        return exports.table_response(
            f"{name}-months",
            [
                "month",
                "regime",
                "benefit",
                "persons",
                "paid_days",
                "amount_eur",
                "municipal_share_eur",
                "state_share_eur",
            ],
            (
                (
                    m.month,
                    m.regime,
                    m.benefit,
                    "<5" if m.persons is None else m.persons,
                    m.paid_days,
                    m.amount_eur,
                    m.municipal_share_eur,
                    m.state_share_eur,
                )
                for m in data.months
            ),
            fmt,
        )
    months = sorted({m.month for m in data.months})
    by_series: dict[str, dict[str, Decimal]] = defaultdict(dict)
    benefit_names = {code: str(label) for code, label in Benefit.choices}
    for m in data.months:
        label = f"{m.regime} {benefit_names.get(m.benefit, m.benefit)}"
        by_series[label][m.month] = m.municipal_share_eur
    series = [
        charts.Series(label, [values.get(month, Decimal(0)) for month in months])
        for label, values in sorted(by_series.items())
    ]
    place = data.municipality.name if data.municipality else _("the region")
    month_totals = [
        (month, sum((m.municipal_share_eur for m in data.months if m.month == month), Decimal(0)))
        for month in months
    ]
    context: dict[str, Any] = {
        "data": data,
        "place": place,
        "code": code,
        "steps": [(s, _step_label(s)) for s in data.steps],
        "month_totals": month_totals,
        "cost_chart": charts.stacked_bars(
            _("Municipal share by month, regime and benefit: %(place)s") % {"place": place},
            months,
            series,
        ),
        "forecast_chart": charts.band_line(
            _("Forecast of the municipal share, next 12 months: %(place)s") % {"place": place},
            [f.month for f in data.forecast],
            [f.expected_eur for f in data.forecast],
            [f.low_eur for f in data.forecast],
            [f.high_eur for f in data.forecast],
            (_("Expected"), _("95 % band")),
        ),
        "ytd_change": data.ytd_eur - data.ytd_last_year_eur,
        "month_rows": [(m, benefit_names.get(m.benefit, m.benefit)) for m in data.months],
        "period_form": period_form,
        "period_query": period_query,
        "presets": _period_presets(data.as_of),
        "active": "funding",
    }
    return render(request, "funding/dashboard.html", context, status=200 if valid else 400)


def _period_presets(as_of: dt.date) -> list[tuple[str, str, str]]:
    """One-click periods: (label, first month, last month)."""
    year, month = as_of.year, as_of.month
    return [
        (_("This year so far"), f"{year}-01", f"{year}-{month:02d}"),
        (
            _("The same months last year"),
            f"{year - 1}-01",
            f"{year - 1}-{month:02d}",
        ),
        (_("Last year"), f"{year - 1}-01", f"{year - 1}-12"),
        (_("January–October %(year)s") % {"year": 2023}, "2023-01", "2023-10"),
    ]


@require_perm(Perm.FUNDING_RADAR)
@require_GET
def radar(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    try:
        top = max(0, min(int(request.GET.get("top", "0") or 0), 1000))
    except ValueError:
        top = 0
    fmt = _format(request)
    data = selectors.funding_radar_for(
        actor=actor,
        municipality_code=request.GET.get("municipality", ""),
        limit=1000 if fmt else 100,
        top_k=top,
        path=request.get_full_path(),
    )
    if fmt:
        return exports.table_response(
            "funding-radar",
            [
                "rank",
                "person_id",
                "name",
                "municipality_code",
                "counter",
                "current_rate",
                "expected_12m_eur",
                "cost_if_staying_12m_eur",
                "stay_12m",
                "next_step_day",
                "next_step_rate",
                "next_step_date",
                "reasons",
            ],
            (
                (
                    r.rank,
                    r.person_id,
                    str(r.client) if r.client else "",
                    r.municipality_code,
                    r.counter,
                    r.current_rate,
                    r.expected_12m_eur,
                    r.cost_if_staying_12m_eur,
                    round(r.stay_12m, 3),
                    r.next_step_day,
                    r.next_step_rate,
                    r.next_step_date,
                    " ".join(r.reasons),
                )
                for r in data.rows
            ),
            fmt,
        )
    person_scope = funding_scope(actor, Perm.FUNDING_VIEW_PERSON)
    return render(
        request,
        "funding/radar.html",
        {"radar": data, "person_scope": set(person_scope), "active": "funding_radar"},
    )


@require_perm(Perm.FUNDING_VIEW_PERSON)
@require_GET
def person(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    form = WhatIfForm(request.GET if "employed_from" in request.GET else None)
    employed_from = employed_months = None
    if form.is_bound and form.is_valid():
        employed_from = form.cleaned_data["employed_from"]
        employed_months = form.cleaned_data["months"]
    exp = selectors.funding_explanation_for(
        actor=acting_user(request),
        client_id=client_id,
        lang=_lang(),
        employed_from=employed_from,
        employed_months=employed_months,
        path=request.get_full_path(),
    )
    fmt = _format(request)
    if fmt:
        columns = [
            "period_start",
            "period_end",
            "benefit",
            "basis",
            "municipality_code",
            "paid_days",
            "amount_eur",
            "payment_date",
            "regime",
            "days_before",
            "days_after",
            "municipal_rate",
            "municipal_share_eur",
            "state_share_eur",
        ]
        return exports.table_response(
            "funding-person",
            columns,
            (
                [str(r[c]) if c in ("benefit", "basis", "regime") else r[c] for c in columns]
                for r in exp.rows
            ),
            fmt,
        )
    return render(
        request,
        "funding/person.html",
        {
            "exp": exp,
            # benefits and bases in words, never their codes
            "rows": [
                {
                    **r,
                    "benefit_label": _choice_label(Benefit, r["benefit"]),
                    "basis_label": _choice_label(Basis, r["basis"]),
                }
                for r in exp.rows
            ],
            "form": form,
            "lines": exp.text.splitlines(),
            "active": "funding_radar",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_perm(Perm.FUNDING_VIEW_PERSON)
@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> HttpResponse:
    form = SpecificationForm(request.POST or None, request.FILES or None)
    result = None
    line_errors: list[Any] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["specification"]
            try:
                result = selectors.funding_reconciliation_for(
                    actor=acting_user(request),
                    spec=upload.read(),
                    name=upload.name,
                    lang=_lang(),
                    path=request.path,
                )
                status = 200
            except InputFileError as exc:
                line_errors = _line_errors(exc.errors)
                form.add_error(
                    "specification",
                    _("The file has %(n)s bad line(s); nothing was compared.")
                    % {"n": len(exc.errors)},
                )
        if result is not None and form.cleaned_data.get("output") in exports.FORMATS:
            diff = result.differences
            return exports.table_response(
                "funding-reconciliation",
                diff.columns,
                diff.iter_rows(),
                form.cleaned_data["output"],
            )
    return render(
        request,
        "funding/reconcile.html",
        {
            "form": form,
            "result": result,
            "rows": result.differences.to_dicts() if result is not None else [],
            "line_errors": line_errors,
            "active": "funding_reconcile",
        },
        status=status,
    )


@require_perm(Perm.FUNDING_VIEW_AGGREGATE)
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """The rule versions of the funding law, the one in force on ``?on=`` (today by
    default) marked, every value with its source and verified flag."""
    form = RulesDateForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    on = (form.cleaned_data.get("on") if valid and request.GET else None) or dates.today()
    funding_rules = rules_in_force()
    return render(
        request,
        "funding/rules.html",
        {
            "form": form,
            "on": on,
            "rules": funding_rules,
            "versions": rules_page.versions_view(funding_rules, on),
            "active": "funding_rules",
        },
        status=200 if valid else 400,
    )


def _choice_label(choices: type[models.TextChoices], code: object) -> str:
    """A stored code's label; a code a later rule version adds is shown as it is."""
    try:
        return str(choices(str(code)).label)
    except ValueError:
        return str(code)
