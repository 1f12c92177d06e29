from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, Sum
from django.http import Http404
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from silta.accounts.models import User
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.audit.services import access_log_write
from silta.clients.models import Client, UnemploymentSpell
from silta.core import dates
from silta.engine import forecast as fc
from silta.engine import funding as engine
from silta.engine import reconcile
from silta.funding import figures
from silta.funding.models import BenefitPayment
from silta.funding.policies import SMALL_CELL, FundingGrant, funding_scope, shows_small_cells
from silta.funding.results import funding_data, rules_in_force
from silta.places.models import Municipality


@dataclass(frozen=True)
class BenefitSummary:
    """How long a client has been unemployed and what has been paid, in brief."""

    spell_start: dt.date | None
    spell_months: int | None
    spells_total: int
    days_by_benefit: dict[str, int] = field(default_factory=dict)
    days_last_12_months: int = 0
    days_since_2025: int = 0
    first_payment: dt.date | None = None
    last_payment: dt.date | None = None
    amount_total: Decimal = Decimal("0.00")

    @property
    def days_total(self) -> int:
        return sum(self.days_by_benefit.values())


def benefit_summary_of(client: Client) -> BenefitSummary:
    """Called by the client selectors after the access check and log; never directly
    from a view."""
    today = dates.today()
    spells = list(UnemploymentSpell.objects.filter(client=client).order_by("start"))
    open_spell = next((s for s in reversed(spells) if s.end is None or s.end >= today), None)
    payments = BenefitPayment.objects.filter(client=client)
    by_benefit = {
        row["benefit"]: int(row["days"] or 0)
        for row in payments.values("benefit").annotate(days=Sum("paid_days")).order_by()
    }
    year_ago = today - dt.timedelta(days=365)
    agg = payments.aggregate(
        first=Min("period_start"), last=Max("payment_date"), amount=Sum("amount_eur")
    )
    last_12 = payments.filter(period_start__gte=year_ago).aggregate(d=Sum("paid_days"))["d"]
    since_2025 = payments.filter(period_start__gte=dt.date(2025, 1, 1)).aggregate(
        d=Sum("paid_days")
    )["d"]
    return BenefitSummary(
        spell_start=open_spell.start if open_spell else None,
        spell_months=dates.months_between(open_spell.start, today) if open_spell else None,
        spells_total=len(spells),
        days_by_benefit=by_benefit,
        days_last_12_months=int(last_12 or 0),
        days_since_2025=int(since_2025 or 0),
        first_payment=agg["first"],
        last_payment=agg["last"],
        amount_total=agg["amount"] or Decimal("0.00"),
    )


# --- funding share (issue 4): dashboard, radar, explanation, reconciliation ---------------
#
# Every person-level read below is scoped by silta.funding.policies and writes one
# access-log row; the dashboard is aggregated (counts under 5 hidden, see policies).


@dataclass(frozen=True)
class MonthRow:
    month: str
    regime: str
    benefit: str
    persons: int | None  # None: fewer than 5, hidden
    paid_days: int
    amount_eur: Decimal
    municipal_share_eur: Decimal
    state_share_eur: Decimal


@dataclass(frozen=True)
class MunicipalityRow:
    """One municipality's figures over the dashboard's period (the region view)."""

    municipality: Municipality
    persons: int | None  # distinct people paid in the period; None: fewer than 5, hidden
    paid_days: int
    amount_eur: Decimal
    municipal_share_eur: Decimal
    state_share_eur: Decimal


@dataclass(frozen=True)
class StepRow:
    first_day: int
    last_day: int | None
    rate: Decimal
    persons: int | None  # None: fewer than 5, hidden


@dataclass(frozen=True)
class ForecastRow:
    month: str
    recipients_expected: float
    expected_eur: Decimal
    low_eur: Decimal
    high_eur: Decimal


@dataclass(frozen=True)
class Dashboard:
    municipality: Municipality | None
    municipalities: list[Municipality]
    as_of: dt.date
    year: int
    months: list[MonthRow]
    steps: list[StepRow]
    ytd_eur: Decimal
    ytd_last_year_eur: Decimal
    last_month: str
    forecast: list[ForecastRow]
    forecast_total: ForecastRow | None
    rules_version: str
    first_month: str = ""
    """The period shown in the monthly table: payment months ``first_month`` to
    ``last_month``, both included (YYYY-MM)."""
    period_total_eur: Decimal = Decimal("0.00")
    by_municipality: list[MunicipalityRow] = field(default_factory=list)
    """The region view: each municipality over the same period (empty for one
    municipality)."""


def _hidden(n: int, show_small: bool) -> int | None:
    return n if show_small or n == 0 or n >= SMALL_CELL else None


def funding_dashboard_for(
    *,
    actor: User,
    municipality_code: str | None,
    period: tuple[str, str] | None = None,
) -> Dashboard:
    """Aggregated funding-share figures for one municipality or the region (all eight):
    the municipal share by month, regime and benefit over ``period`` (payment months
    ``(first, last)`` as YYYY-MM, both included; the last 12 months by default) with
    its total, current recipients by step, year to date against the same months last
    year, and the 12-month forecast. Not person-level: no access-log row; small
    counts hidden."""
    if not can(actor, Perm.FUNDING_VIEW_AGGREGATE):
        raise PermissionDenied(Perm.FUNDING_VIEW_AGGREGATE.value)
    municipalities = list(Municipality.objects.order_by("name_fi"))
    municipality = None
    if municipality_code:
        municipality = next((m for m in municipalities if m.code == municipality_code), None)
        if municipality is None:
            raise Http404("No such municipality.")
    codes = [municipality.code] if municipality else None
    show_small = shows_small_cells(actor, municipality_code or None)
    data = funding_data()
    out = figures.outlook(data)
    as_of = out.as_of
    mm = figures.municipality_months(data)
    if codes is not None:
        mm = mm.filter(pl.col("municipality_code").is_in(codes))
    if period is None:
        year, month = (as_of.year, as_of.month + 1) if as_of.month < 12 else (as_of.year + 1, 1)
        first_month, last_month = f"{year - 1}-{month:02d}", f"{as_of:%Y-%m}"
    else:
        first_month, last_month = period
    window = (
        mm.filter(pl.col("month").is_between(pl.lit(first_month), pl.lit(last_month)))
        .group_by("month", "regime", "benefit")
        .agg(
            persons=pl.col("persons").sum(),
            paid_days=pl.col("paid_days").sum(),
            amount_eur=pl.col("amount_eur").sum(),
            municipal_share_eur=pl.col("municipal_share_eur").sum(),
            state_share_eur=pl.col("state_share_eur").sum(),
        )
        .sort("month", "regime", "benefit")
    )
    # persons summed over municipalities count a mover twice in a month; for the
    # region take the distinct count from the result itself
    if codes is None and window.height:
        distinct = (
            data.result.with_columns(month=pl.col("payment_date").dt.strftime("%Y-%m"))
            .filter(pl.col("month").is_between(pl.lit(first_month), pl.lit(last_month)))
            .group_by(
                "month",
                pl.col("regime").cast(pl.String),
                pl.col("benefit").cast(pl.String),
            )
            .agg(persons=pl.col("person_id").n_unique().cast(pl.Int64))
        )
        window = window.drop("persons").join(
            distinct, on=["month", "regime", "benefit"], how="left"
        )
    months = [
        MonthRow(
            month=r["month"],
            regime=r["regime"],
            benefit=r["benefit"],
            persons=_hidden(int(r["persons"] or 0), show_small),
            paid_days=int(r["paid_days"]),
            amount_eur=Decimal(r["amount_eur"]),
            municipal_share_eur=Decimal(r["municipal_share_eur"]),
            state_share_eur=Decimal(r["state_share_eur"]),
        )
        for r in window.sort("month", "regime", "benefit").iter_rows(named=True)
    ]

    by_municipality = (
        _region_rows(actor, data, mm, municipalities, first_month, last_month)
        if codes is None
        else []
    )

    def ytd(year: int) -> Decimal:
        total = mm.filter(
            pl.col("month").is_between(pl.lit(f"{year}-01"), pl.lit(f"{year}-{as_of.month:02d}"))
        ).get_column("municipal_share_eur")
        return Decimal(total.sum() or 0).quantize(Decimal("0.01"))

    steps = [
        StepRow(first, last, rate, _hidden(n, show_small))
        for first, last, rate, n in figures.people_by_step(out, codes)
    ]
    table = figures.forecast_table(out, codes)
    forecast = [
        ForecastRow(
            month=r["month"],
            recipients_expected=r["recipients_expected"],
            expected_eur=r["expected_eur"],
            low_eur=r["low_eur"],
            high_eur=r["high_eur"],
        )
        for r in table.iter_rows(named=True)
    ]
    total = None
    if out.projection is not None:
        rec = out.recipients.with_columns(
            municipality_code=pl.lit("all")
            if codes is None
            else pl.when(pl.col("municipality_code").is_in(codes))
            .then(pl.lit("all"))
            .otherwise(pl.lit("other"))
        )
        totals = fc.totals_with_band(rec, out.projection).filter(
            pl.col("municipality_code") == "all"
        )
        if totals.height:
            t = totals.row(0, named=True)
            total = ForecastRow(
                "", float(t["recipients"]), t["expected_eur"], t["low_eur"], t["high_eur"]
            )
    return Dashboard(
        municipality=municipality,
        municipalities=municipalities,
        as_of=as_of,
        year=as_of.year,
        months=months,
        steps=steps,
        ytd_eur=ytd(as_of.year),
        ytd_last_year_eur=ytd(as_of.year - 1),
        last_month=last_month,
        first_month=first_month,
        period_total_eur=sum((m.municipal_share_eur for m in months), Decimal("0.00")),
        by_municipality=by_municipality,
        forecast=forecast,
        forecast_total=total,
        rules_version=data.rules_version,
    )


def _region_rows(
    actor: User,
    data: Any,
    mm: pl.DataFrame,
    municipalities: list[Municipality],
    first_month: str,
    last_month: str,
) -> list[MunicipalityRow]:
    """Every municipality of the region over payment months ``first_month`` to
    ``last_month``: the money summed, the people counted once each per municipality
    (small counts hidden by the viewer's rights for that municipality)."""
    in_period = pl.col("month").is_between(pl.lit(first_month), pl.lit(last_month))
    money = {
        r["municipality_code"]: r
        for r in mm.filter(in_period)
        .group_by("municipality_code")
        .agg(
            paid_days=pl.col("paid_days").sum(),
            amount_eur=pl.col("amount_eur").sum(),
            municipal_share_eur=pl.col("municipal_share_eur").sum(),
            state_share_eur=pl.col("state_share_eur").sum(),
        )
        .iter_rows(named=True)
    }
    people: dict[str, int] = {}
    if data.result.height:
        people = {
            code: int(n)
            for code, n in data.result.with_columns(
                month=pl.col("payment_date").dt.strftime("%Y-%m")
            )
            .filter(in_period)
            .group_by(pl.col("municipality_code").cast(pl.String))
            .agg(n=pl.col("person_id").n_unique())
            .iter_rows()
        }
    zero = Decimal("0.00")
    rows = []
    for m in municipalities:
        r = money.get(m.code)
        rows.append(
            MunicipalityRow(
                municipality=m,
                persons=_hidden(people.get(m.code, 0), shows_small_cells(actor, m.code)),
                paid_days=int(r["paid_days"]) if r else 0,
                amount_eur=Decimal(r["amount_eur"]) if r else zero,
                municipal_share_eur=Decimal(r["municipal_share_eur"]) if r else zero,
                state_share_eur=Decimal(r["state_share_eur"]) if r else zero,
            )
        )
    return rows


@dataclass(frozen=True)
class RadarRow:
    rank: int
    person_id: str
    client: Client | None
    municipality_code: str
    counter: int
    current_rate: float
    expected_12m_eur: Decimal
    cost_if_staying_12m_eur: Decimal
    stay_12m: float
    next_step_day: int | None
    next_step_rate: float | None
    next_step_date: dt.date | None
    reasons: list[str]
    waiting_since: dt.date | None = None
    """Waiting for a decision on a rehabilitation or pension benefit (issue 16)."""


@dataclass(frozen=True)
class Radar:
    as_of: dt.date
    rows: list[RadarRow]
    total: int
    municipalities: list[Municipality]
    municipality_code: str
    top_k_saving_eur: Decimal | None
    top_k: int


def _person_homes(person_ids: list[str]) -> dict[str, Client]:
    found: dict[str, Client] = {}
    for i in range(0, len(person_ids), 500):
        for c in Client.objects.filter(personal_id__in=person_ids[i : i + 500]).select_related(
            "home_municipality"
        ):
            found[c.personal_id] = c
    return found


def _pct(value: float) -> str:
    return f"{value * 100:.0f}"


def radar_reasons(row: dict[str, Any], rates: fc.ExitRates | None) -> list[str]:
    """Why a person is on the radar, in words (decision support: a person decides)."""
    reasons = [
        _(
            "Counter %(days)s benefit days under the 2025 rules: the municipality pays "
            "%(rate)s %% of each new benefit day."
        )
        % {"days": row["counter"], "rate": _pct(row["current_rate"])}
    ]
    if row["next_step_day"] is not None and row["next_step_date"] is not None:
        reasons.append(
            _(
                "Next step on benefit day %(day)s (%(rate)s %%), around %(date)s at the "
                "current pace (%(share)s %% of weekdays paid)."
            )
            % {
                "day": row["next_step_day"],
                "rate": _pct(row["next_step_rate"]),
                "date": date_format(row["next_step_date"], "SHORT_DATE_FORMAT"),
                "share": _pct(row["paid_share"]),
            }
        )
    else:
        reasons.append(_("At the highest step already."))
    if row["spell_start"] is not None:
        reasons.append(
            _(
                "Receiving benefit since %(start)s (%(months)s months); %(stay)s %% of "
                "spells this long in the data continue for 12 more months."
            )
            % {
                "start": date_format(row["spell_start"], "SHORT_DATE_FORMAT"),
                "months": row["duration_month"],
                "stay": _pct(row["stay_12m"]),
            }
        )
    reasons.append(
        _(
            "If the benefit continues, 12 months cost the municipality %(cost)s €; "
            "weighted by that chance, %(expected)s €."
        )
        % {
            "cost": number_format(row["cost_if_staying_12m_eur"], 0, force_grouping=True),
            "expected": number_format(row["expected_12m_eur"], 0, force_grouping=True),
        }
    )
    if row["state_funded_until"] is not None:
        reasons.append(
            _("The state funds the benefit until %(date)s.")
            % {"date": date_format(row["state_funded_until"], "SHORT_DATE_FORMAT")}
        )
    return reasons


def funding_radar_for(
    *,
    actor: User,
    municipality_code: str = "",
    limit: int = 100,
    top_k: int = 0,
    path: str = "",
) -> Radar:
    """Residents of the actor's radar municipalities receiving benefit now, ordered by
    expected cost over the next 12 months and the date of their next step, each with
    its reasons. One access-log row with every person shown."""
    scope = funding_scope(actor, Perm.FUNDING_RADAR)
    if not scope:
        raise PermissionDenied(Perm.FUNDING_RADAR.value)
    if municipality_code and municipality_code not in scope:
        raise Http404("No such municipality.")
    codes = [municipality_code] if municipality_code else sorted(scope)
    data = funding_data()
    out = figures.outlook(data)
    radar = out.radar
    person_ids = radar.get_column("person_id").to_list()
    homes = _person_homes(person_ids)
    # Silta's own records: the home municipality on the outlook's date (issue 16)
    from silta.clients.registry import municipality_on

    home_then = municipality_on([p for p in person_ids if p in homes], out.as_of)
    home_codes = [
        home_then.get(p, homes[p].home_municipality.code) if p in homes else m
        for p, m in zip(
            radar.get_column("person_id").to_list(),
            radar.get_column("municipality_code").to_list(),
            strict=True,
        )
    ]
    radar = radar.with_columns(home=pl.Series(home_codes, dtype=pl.String)).filter(
        pl.col("home").is_in(codes)
    )
    total = radar.height
    saving = fc.what_if_top_find_work(radar, top_k).saving_eur if top_k > 0 else None
    from silta.workability.selectors import waiting_for_decision

    waiting = waiting_for_decision()
    rows = []
    for i, r in enumerate(radar.head(limit).iter_rows(named=True), start=1):
        reasons = radar_reasons(r, out.rates)
        if r["person_id"] in waiting:
            reasons.append(
                _(
                    "Waiting for a decision on a benefit that would replace the "
                    "unemployment benefit (applied %(date)s)."
                )
                % {"date": date_format(waiting[r["person_id"]], "SHORT_DATE_FORMAT")}
            )
        rows.append(
            RadarRow(
                rank=i,
                person_id=r["person_id"],
                client=homes.get(r["person_id"]),
                municipality_code=r["home"],
                counter=int(r["counter"]),
                current_rate=float(r["current_rate"]),
                expected_12m_eur=r["expected_12m_eur"],
                cost_if_staying_12m_eur=r["cost_if_staying_12m_eur"],
                stay_12m=float(r["stay_12m"]),
                next_step_day=r["next_step_day"],
                next_step_rate=r["next_step_rate"],
                next_step_date=r["next_step_date"],
                reasons=reasons,
                waiting_since=waiting.get(r["person_id"]),
            )
        )
    grants = {scope[c].membership.pk: scope[c] for c in codes if c in scope}
    first = next(iter(grants.values()))
    access_log_write(
        actor=actor,
        membership=first.membership,
        section="funding_radar:counter,expected_cost,next_step",
        basis=",".join(sorted({g.basis for g in grants.values()})),
        client_ids=[r.client.pk for r in rows if r.client is not None],
        path=path,
    )
    return Radar(
        as_of=out.as_of,
        rows=rows,
        total=total,
        municipalities=list(Municipality.objects.filter(code__in=sorted(scope))),
        municipality_code=municipality_code,
        top_k_saving_eur=saving,
        top_k=top_k,
    )


@dataclass(frozen=True)
class Explanation:
    person_id: str
    client: Client | None
    grant: FundingGrant
    rows: list[dict[str, Any]]
    text: str
    total_municipal_eur: Decimal
    total_state_eur: Decimal
    what_if: fc.WhatIf | None
    what_if_error: str


def _person_municipality(person_id: str, client: Client | None, result: pl.DataFrame) -> str:
    if client is not None:
        return client.home_municipality.code
    mine = result.filter(pl.col("person_id") == person_id).sort("payment_date")
    return str(mine.get_column("municipality_code")[-1]) if mine.height else ""


def funding_explanation_for(
    *,
    actor: User,
    client_id: uuid.UUID | None = None,
    person_id: str | None = None,
    lang: str = "fi",
    employed_from: dt.date | None = None,
    employed_months: int | None = None,
    path: str = "",
) -> Explanation:
    """One person's counter history, steps and shares in words, or 404 when the actor
    may not see the person's funding data (the same answer as for nobody). Optionally
    the what-if of employment from a date for some months. One access-log row."""
    client: Client | None = None
    if client_id is not None:
        client = Client.objects.select_related("home_municipality").filter(pk=client_id).first()
        if client is None:
            raise Http404("No such person.")
        person_id = client.personal_id
    elif person_id:
        client = (
            Client.objects.select_related("home_municipality").filter(personal_id=person_id).first()
        )
    if not person_id:
        raise Http404("No such person.")
    data = funding_data()
    code = _person_municipality(person_id, client, data.result)
    grant = funding_scope(actor, Perm.FUNDING_VIEW_PERSON).get(code)
    if grant is None:
        raise Http404("No such person.")
    mine = data.result.filter(pl.col("person_id") == person_id)
    if mine.height == 0 and client is None:
        raise Http404("No such person.")
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="funding_explanation:payments,counter,shares"
        + (",what_if" if employed_from else ""),
        basis=grant.basis,
        client_ids=[client.pk] if client is not None else [],
        path=path,
    )
    language = lang if lang in ("fi", "sv", "en") else "fi"
    text = (
        engine.explain(mine, language, rules=data.rules)  # type: ignore[arg-type]
        if mine.height
        else ""
    )
    what_if = None
    what_if_error = ""
    if employed_from is not None and employed_months:
        out = figures.outlook(data)
        try:
            if out.rates is None:
                raise LookupError(person_id)
            what_if = fc.what_if_employed(
                out.recipients,
                out.rates,
                data.rules,
                as_of=out.as_of,
                person_id=person_id,
                start=employed_from,
                months=employed_months,
            )
        except LookupError:
            what_if_error = str(_("The person is not receiving benefit now: nothing to save."))
    rows = mine.sort("period_start", "period_end").to_dicts()
    return Explanation(
        person_id=person_id,
        client=client,
        grant=grant,
        rows=rows,
        text=text,
        total_municipal_eur=sum((r["municipal_share_eur"] for r in rows), Decimal("0.00")),
        total_state_eur=sum((r["state_share_eur"] for r in rows), Decimal("0.00")),
        what_if=what_if,
        what_if_error=what_if_error,
    )


@dataclass(frozen=True)
class Reconciliation:
    spec_rows: int
    invoices: int
    differences: pl.DataFrame
    kela_total_eur: Decimal
    silta_total_eur: Decimal


def funding_reconciliation_for(
    *,
    actor: User,
    spec: bytes | str,
    name: str = "specification",
    lang: str = "fi",
    path: str = "",
) -> Reconciliation:
    """Reconcile Kela's specification (the file's bytes or a path) with the store.

    The whole file is validated first, and every line of a municipality outside the
    actor's scope is an error: :class:`InputFileError` lists every bad line and
    nothing is computed or stored. One access-log row with the persons listed."""
    scope = funding_scope(actor, Perm.FUNDING_VIEW_PERSON)
    if not scope:
        raise PermissionDenied(Perm.FUNDING_VIEW_PERSON.value)
    table = reconcile.read_spec(
        spec if isinstance(spec, bytes) else str(spec),
        valid_municipality_codes=list(Municipality.objects.values_list("code", flat=True)),
        allowed_municipality_codes=sorted(scope),
        name=name,
        rules=rules_in_force(),
    )
    data = funding_data()
    language = lang if lang in ("fi", "sv", "en") else "fi"
    differences = reconcile.reconcile(table, data.result, lang=language)  # type: ignore[arg-type]
    listed = differences.get_column("person_id").unique().to_list()
    clients = _person_homes(listed)
    codes = sorted(set(table.get_column("municipality_code").to_list())) or sorted(scope)
    grant = scope[codes[0]]
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="funding_reconciliation:municipal_share",
        basis=grant.basis,
        client_ids=[c.pk for c in clients.values()],
        path=path,
    )
    invoices = table.select("invoice_month", "municipality_code", "benefit").unique().height
    kela_total = Decimal(table.get_column("municipal_share_eur").sum() or 0)
    silta_rows = (
        data.result.with_columns(
            invoice_month=pl.col("payment_date").dt.strftime("%Y-%m"),
            benefit=pl.col("benefit").cast(pl.String),
        ).join(
            table.select("invoice_month", "municipality_code", "benefit").unique(),
            on=["invoice_month", "municipality_code", "benefit"],
            how="semi",
        )
        if data.result.height
        else data.result
    )
    silta_total = Decimal(silta_rows.get_column("municipal_share_eur").sum() or 0)
    return Reconciliation(
        spec_rows=table.height,
        invoices=invoices,
        differences=differences,
        kela_total_eur=kela_total.quantize(Decimal("0.01")),
        silta_total_eur=silta_total.quantize(Decimal("0.01")),
    )
