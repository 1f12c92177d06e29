"""Forecast of the municipal funding share, the cost radar's figures and what-ifs.

Pure (no Django import), over the rows :func:`silta.engine.funding.compute` returns.

How it works (docs/adr/0005-funding-web.md):

1. **Benefit spells** from the payments themselves: a person's payment periods with
   gaps of at most ``gap_days`` (31) between them form one spell.
2. **Exit rates by duration** (Kaplan–Meier): for every spell-duration month ``d``,
   the hazard ``h(d)`` is the spells that ended in month ``d`` over the spells that
   reached it. A spell still running within ``gap_days`` of the data's last day is
   censored (it has not ended, we only stopped looking). Durations from
   ``max_month`` (60) on are pooled into one hazard per person-month at risk.
3. **Current recipients**: persons with a benefit period ending within ``recent_days``
   (45) of the forecast date. For each: the 2025 counter (``days_after`` of their
   last regime-2025 row), the daily amount actually paid and the share of weekdays
   paid over the last ``window_days`` (91), the spell's duration, a
   ``state_funded_until`` date.
4. **Projection**: if the person stays, the counter grows by the paid share of each
   month's weekdays and every day costs the daily amount times the tier rate of its
   day number (the rules file's tiers, a period crossing a tier split by days). The
   probability of still receiving benefit in month ``k`` is the survival
   ``Π h``-complement from the current duration. Expected cost = probability × cost.
5. **Band**: persons are independent; a person's month ``k`` cost is paid with
   probability ``p_k`` (Bernoulli), so the variance is ``p(1-p)c²``; for a sum over
   months, ``Cov(I_j, I_k) = p_max(j,k) - p_j p_k`` because staying to the later
   month implies staying to the earlier. The band is the normal ±1.96 σ interval,
   floored at 0. It does not include the uncertainty of the hazards themselves or
   people who start receiving benefit later (they cost nothing for their first
   ``state_paid_days`` days; see the ADR).

The projection uses the 2025 rules: a forecast date before the rules' boundary is
refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import polars as pl

from silta.engine.rules import DayTier, FundingRules

WEEKDAYS_PER_MONTH = 5 * 365.25 / 7 / 12
Z_95 = 1.959964
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ForecastSettings:
    """The forecast's own parameters (not rules of law; see the ADR)."""

    gap_days: int = 31
    max_month: int = 60
    recent_days: int = 45
    window_days: int = 91
    horizon_months: int = 12
    #: months of work for a new employment condition (DOMAIN.md §3.1: 12 months)
    employment_condition_months: int = 12


DEFAULT_SETTINGS = ForecastSettings()


def euros(value: float) -> Decimal:
    """A float euro figure as a Decimal with two places (the one rounding of this
    module's outputs; half up)."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


# --- spells and exit rates --------------------------------------------------------------


# A receipt pays benefit days (corrections and recoveries are not receipt).
_RECEIPT = (pl.col("paid_days") > 0) & (pl.col("amount_eur") > 0)


def benefit_spells(
    result: pl.DataFrame, settings: ForecastSettings = DEFAULT_SETTINGS
) -> pl.DataFrame:
    """One row per benefit spell: ``person_id, spell, start, end``."""
    # Only the three columns are taken from the (possibly very large) result.
    rows = (
        result.lazy()
        .filter(_RECEIPT)
        .select("person_id", "period_start", "period_end")
        .sort("person_id", "period_start", "period_end")
        .collect()
    )
    # A running maximum of the period end within each person, without a window:
    # persons are numbered in sort order and packed above the date, so one global
    # cumulative maximum never crosses from one person to the next.
    first = pl.col("person_id") != pl.col("person_id").shift(1)
    rows = rows.with_columns(
        rank=first.fill_null(True).cast(pl.Int64).cum_sum(),
        start_day=pl.col("period_start").cast(pl.Int64),
        end_day=pl.col("period_end").cast(pl.Int64),
    )
    packed = pl.col("rank") * (1 << 32) + pl.col("end_day") + (1 << 31)
    reach = packed.cum_max().shift(1) - pl.col("rank") * (1 << 32) - (1 << 31)
    new = first.fill_null(True) | (pl.col("start_day") > reach + settings.gap_days)
    rows = rows.with_columns(new=new).with_columns(spell=pl.col("new").cast(pl.Int64).cum_sum())
    return (
        rows.group_by("spell", maintain_order=True)
        .agg(
            person_id=pl.col("person_id").first(),
            start=pl.col("period_start").min(),
            end=pl.col("period_end").max(),
        )
        .with_columns(spell=pl.col("spell") - pl.col("spell").min().over("person_id") + 1)
        .select("person_id", "spell", "start", "end")
    )


def _months(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Whole months from ``start`` to ``end`` (30.4375-day months)."""
    return ((end - start).dt.total_days() / 30.4375).floor().cast(pl.Int32)


@dataclass(frozen=True)
class ExitRates:
    """Monthly exit hazard by spell duration (Kaplan–Meier), from the data."""

    table: pl.DataFrame  # duration_month, at_risk, exits, hazard, survival
    data_end: dt.date

    @property
    def hazards(self) -> np.ndarray:
        return self.table.get_column("hazard").to_numpy()

    def stay_probabilities(self, durations: np.ndarray, months: int) -> np.ndarray:
        """``p[i, k]``: probability that person ``i`` (now in duration month
        ``durations[i]``) still receives benefit ``k`` months on (``p[:, 0] = 1``)."""
        h = self.hazards
        last = len(h) - 1
        idx = np.minimum(durations[:, None] + np.arange(months)[None, :], last)
        stay = 1.0 - h[idx]
        p = np.ones((len(durations), months + 1))
        p[:, 1:] = np.cumprod(stay, axis=1)
        return p


def exit_rates(
    result: pl.DataFrame,
    *,
    as_of: dt.date | None = None,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> ExitRates:
    """Estimate the exit hazard by spell-duration month from the payments.

    Only what was known on ``as_of`` is used (periods starting after it are left out);
    the data end is the last period end up to then."""
    rows = result.lazy().select(
        "person_id", "period_start", "period_end", "paid_days", "amount_eur"
    )
    if as_of is not None:
        rows = rows.filter(pl.col("period_start") <= as_of)
    spells = benefit_spells(rows.collect(), settings)
    if spells.height == 0:
        raise ValueError("no benefit payments to estimate exit rates from")
    data_end = spells.get_column("end").max()
    assert isinstance(data_end, dt.date)
    if as_of is not None:
        data_end = min(data_end, as_of)
    cutoff = data_end - dt.timedelta(days=settings.gap_days)
    m = settings.max_month
    spells = spells.with_columns(
        d=pl.min_horizontal(_months(pl.col("start"), pl.col("end")), pl.lit(m)),
        d_raw=_months(pl.col("start"), pl.col("end")),
        ended=pl.col("end") < cutoff,
    )
    exits = np.zeros(m + 1)
    at_risk = np.zeros(m + 1)
    d = spells.get_column("d").to_numpy()
    d_raw = spells.get_column("d_raw").to_numpy()
    ended = spells.get_column("ended").to_numpy()
    np.add.at(exits, d[ended], 1.0)
    # at risk in month j < m: spells lasting at least j months
    counts = np.bincount(d, minlength=m + 1).astype(float)
    at_risk[:] = counts[::-1].cumsum()[::-1]
    # pooled tail: person-months at risk from month m on
    tail = d_raw >= m
    at_risk[m] = float(np.sum(d_raw[tail] - m + 1))
    hazard = np.divide(exits, at_risk, out=np.zeros_like(exits), where=at_risk > 0)
    # a duration nobody reached borrows the last estimated hazard
    for j in range(1, m + 1):
        if at_risk[j] == 0:
            hazard[j] = hazard[j - 1]
    hazard = np.clip(hazard, 0.0, 1.0)
    survival = np.cumprod(1.0 - hazard)
    table = pl.DataFrame(
        {
            "duration_month": np.arange(m + 1, dtype=np.int32),
            "at_risk": at_risk,
            "exits": exits,
            "hazard": hazard,
            "survival": survival,
        }
    )
    return ExitRates(table=table, data_end=data_end)


# --- current recipients -----------------------------------------------------------------


def current_recipients(
    result: pl.DataFrame,
    events: pl.DataFrame | None,
    rules: FundingRules,
    *,
    as_of: dt.date,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> pl.DataFrame:
    """One row per person receiving benefit around ``as_of`` with what the projection
    needs: ``person_id, municipality_code, counter, daily_eur, paid_share,
    duration_month, spell_start, last_period_end, state_funded_until``."""
    if as_of < rules.boundary.value:
        raise ValueError(f"forecasts start on or after {rules.boundary.value.isoformat()}")
    # Only the columns used here, and only what was known on ``as_of``.
    known = (
        result.lazy()
        .select(
            "person_id",
            "municipality_code",
            "benefit",
            "basis",
            "regime",
            "period_start",
            "period_end",
            "paid_days",
            "amount_eur",
            "days_after",
        )
        .filter(pl.col("period_start") <= as_of)
        .collect()
    )
    new = rules.version_on(as_of)
    if not new.is_day_tiers:
        new = rules.latest_day_tiers()
    counted = (
        pl.col("benefit").cast(pl.String).is_in(sorted(new.counted_benefits.value))
        & pl.col("basis").cast(pl.String).is_in(sorted(new.counted_bases.value))
        & (pl.col("paid_days") > 0)
        & (pl.col("amount_eur") > 0)
    )
    recent = as_of - dt.timedelta(days=settings.recent_days)
    # the municipality of each person's latest period (ties: the later row), without
    # sorting the whole history
    latest = ["period_start", "period_end"]
    last = (
        known.lazy()
        .filter(counted)
        .group_by("person_id")
        .agg(
            municipality_code=pl.col("municipality_code")
            .sort_by(latest, maintain_order=True)
            .last(),
            last_period_end=pl.col("period_end").max(),
        )
        .filter(pl.col("last_period_end") >= recent)
        .sort("person_id")
        .collect()
    )
    if last.height == 0:
        return _empty_recipients()
    # the rest only for the recipients (a few per cent of the persons)
    known = known.join(last.select("person_id"), on="person_id", how="semi")
    counters = (
        known.filter(pl.col("regime").cast(pl.String) == "2025")
        .group_by("person_id")
        .agg(counter=pl.col("days_after").sort_by(latest, maintain_order=True).last())
    )
    window_start = as_of - dt.timedelta(days=settings.window_days)
    window = (
        known.filter(counted & (pl.col("period_end") >= window_start))
        .group_by("person_id")
        .agg(
            amount=pl.col("amount_eur").cast(pl.Float64).sum(),
            days=pl.col("paid_days").cast(pl.Int64).sum(),
            first=pl.col("period_start").min(),
            last=pl.col("period_end").max(),
        )
        .with_columns(
            weekdays=pl.business_day_count(
                pl.max_horizontal(pl.col("first"), pl.lit(window_start)),
                pl.col("last") + pl.duration(days=1),
            )
        )
        .with_columns(
            daily_eur=pl.col("amount") / pl.col("days"),
            paid_share=pl.min_horizontal(
                pl.col("days") / pl.max_horizontal(pl.col("weekdays"), pl.lit(1)), pl.lit(1.0)
            ),
        )
        .select("person_id", "daily_eur", "paid_share")
    )
    spells = (
        benefit_spells(known, settings)
        .group_by("person_id")
        .agg(spell_start=pl.col("start").last(), spell_end=pl.col("end").last())
    )
    out = (
        last.join(counters, on="person_id", how="left")
        .join(window, on="person_id", how="inner")
        .join(spells, on="person_id", how="left")
        .with_columns(
            counter=pl.col("counter").fill_null(0).cast(pl.Int32),
            duration_month=pl.max_horizontal(
                _months(pl.col("spell_start"), pl.lit(as_of)), pl.lit(0)
            ),
        )
    )
    funded = _funded_until(events)
    if funded is None:
        out = out.with_columns(state_funded_until=pl.lit(None, dtype=pl.Date))
    else:
        out = out.join(funded, on="person_id", how="left")
    return out.select(
        "person_id",
        "municipality_code",
        "counter",
        "daily_eur",
        "paid_share",
        "duration_month",
        "spell_start",
        "last_period_end",
        "state_funded_until",
    ).sort("person_id")


def _empty_recipients() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "person_id": pl.String,
            "municipality_code": pl.String,
            "counter": pl.Int32,
            "daily_eur": pl.Float64,
            "paid_share": pl.Float64,
            "duration_month": pl.Int32,
            "spell_start": pl.Date,
            "last_period_end": pl.Date,
            "state_funded_until": pl.Date,
        }
    )


def _funded_until(events: pl.DataFrame | None) -> pl.DataFrame | None:
    if events is None or events.height == 0:
        return None
    return (
        events.filter(pl.col("event").cast(pl.String) == "state_funded_until")
        .group_by("person_id")
        .agg(state_funded_until=pl.col("date").max())
    )


# --- projection -------------------------------------------------------------------------


def forecast_months(as_of: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """Month 0 is the rest of ``as_of``'s month (from the next day; empty on its last
    day); then ``months`` whole calendar months."""
    start = dt.date(as_of.year + as_of.month // 12, as_of.month % 12 + 1, 1)
    out = [(as_of + dt.timedelta(days=1), start - dt.timedelta(days=1))]
    for _ in range(months):
        nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        out.append((start, nxt - dt.timedelta(days=1)))
        start = nxt
    return out


def _weekdays(start: dt.date, end: dt.date) -> int:
    if end < start:
        return 0
    return int(np.busday_count(start, end + dt.timedelta(days=1)))


def _tiers(rules: FundingRules) -> tuple[DayTier, ...]:
    """The tiers a projection into the future uses: the newest day-tier version's."""
    tiers = rules.latest_day_tiers().tiers
    assert tiers is not None
    return tiers.value


def _tier_integral(x: np.ndarray, rules: FundingRules) -> np.ndarray:
    """``R(x)``: the municipal rate summed over benefit days 1..x (fractional x)."""
    tiers = _tiers(rules)
    total = np.zeros_like(x, dtype=float)
    for i, tier in enumerate(tiers):
        lo = tier.from_day - 1
        hi = tiers[i + 1].from_day - 1 if i + 1 < len(tiers) else np.inf
        total += float(tier.municipal_rate) * np.clip(x - lo, 0.0, hi - lo)
    return total


def rate_at(counter: np.ndarray, rules: FundingRules) -> np.ndarray:
    """The municipal rate of the next benefit day after ``counter`` days."""
    rate = np.zeros(len(counter))
    for tier in _tiers(rules):
        rate = np.where(counter + 1 >= tier.from_day, float(tier.municipal_rate), rate)
    return rate


@dataclass(frozen=True)
class Projection:
    """Per person (rows, in ``recipients`` order) and month (columns; 0 = the rest of
    the current month): the cost if the person stays, the probability of staying and
    the expected cost."""

    months: list[tuple[dt.date, dt.date]]
    cost_if_staying: np.ndarray
    stay: np.ndarray
    counter_end: np.ndarray

    @property
    def expected(self) -> np.ndarray:
        return self.cost_if_staying * self.stay

    def person_total(self, first: int = 1) -> np.ndarray:
        return self.expected[:, first:].sum(axis=1)

    def person_variance(self, first: int = 1) -> np.ndarray:
        c = self.cost_if_staying[:, first:]
        p = self.stay[:, first:]
        n = c.shape[1]
        later = np.maximum.outer(np.arange(n), np.arange(n))
        second = np.einsum("ik,ij,ikj->i", c, c, p[:, later])
        mean = (c * p).sum(axis=1)
        return np.maximum(second - mean**2, 0.0)


def project(
    recipients: pl.DataFrame,
    rates: ExitRates,
    rules: FundingRules,
    *,
    as_of: dt.date,
    settings: ForecastSettings = DEFAULT_SETTINGS,
    months: int | None = None,
    employed: Sequence[tuple[dt.date, int] | None] | None = None,
) -> Projection:
    """Project each recipient's cost over month 0 and the next ``months`` months.

    ``employed[i] = (D, N)`` removes person ``i``'s benefit days from D for N months:
    the counter stops meanwhile and, when N reaches the employment condition, starts
    again from 0 afterwards (DOMAIN.md §3.1)."""
    horizon = months if months is not None else settings.horizon_months
    spans = forecast_months(as_of, horizon)
    n, k = recipients.height, len(spans)
    weekdays = np.array([_weekdays(s, e) for s, e in spans], dtype=float)
    share = recipients.get_column("paid_share").to_numpy().astype(float)
    daily = recipients.get_column("daily_eur").to_numpy().astype(float)
    counter = recipients.get_column("counter").to_numpy().astype(float)
    durations = recipients.get_column("duration_month").to_numpy().astype(np.int64)
    funded = recipients.get_column("state_funded_until").to_list()

    # fraction of each month's weekdays the person is on benefit (not employed)
    on_benefit = np.ones((n, k))
    reset_after = np.full(n, -1)
    funded_share = np.ones((n, k))
    for i in range(n):
        if employed is not None and employed[i] is not None:
            start, length = employed[i]  # type: ignore[misc]
            end = add_months(start, length) - dt.timedelta(days=1)
            for j, (s, e) in enumerate(spans):
                total = _weekdays(s, e)
                if total:
                    on_benefit[i, j] -= _weekdays(max(s, start), min(e, end)) / total
            if length >= settings.employment_condition_months:
                reset_after[i] = next((j for j, (s, e) in enumerate(spans) if e >= end), k)
        if funded[i] is not None:
            for j, (s, e) in enumerate(spans):
                total = _weekdays(s, e)
                if total:
                    funded_share[i, j] = 1.0 - _weekdays(s, min(e, funded[i])) / total

    days = share[:, None] * weekdays[None, :] * on_benefit
    cost = np.zeros((n, k))
    counter_end = np.zeros((n, k))
    c = counter.copy()
    for j in range(k):
        after = c + days[:, j]
        billed_days = _tier_integral(after, rules) - _tier_integral(c, rules)
        cost[:, j] = daily * billed_days * funded_share[:, j]
        c = np.where(reset_after == j, 0.0, after)
        counter_end[:, j] = c
    stay = rates.stay_probabilities(durations, k - 1)
    return Projection(months=spans, cost_if_staying=cost, stay=stay, counter_end=counter_end)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


# --- outputs ----------------------------------------------------------------------------


def forecast_by_municipality(
    recipients: pl.DataFrame, projection: Projection, *, z: float = Z_95
) -> pl.DataFrame:
    """Per municipality and month (the 12 whole months): expected cost, the band, and
    the expected number of recipients. Money as two-place decimals."""
    codes = recipients.get_column("municipality_code").to_numpy()
    exp = projection.expected[:, 1:]
    c = projection.cost_if_staying[:, 1:]
    p = projection.stay[:, 1:]
    var = p * (1 - p) * c**2
    rows = []
    for code in sorted(set(codes.tolist())):
        mask = codes == code
        for j, (start, _end) in enumerate(projection.months[1:]):
            mean = float(exp[mask, j].sum())
            sd = float(np.sqrt(var[mask, j].sum()))
            rows.append(
                {
                    "municipality_code": code,
                    "month": f"{start:%Y-%m}",
                    "recipients_expected": round(float(p[mask, j].sum()), 1),
                    "expected_eur": euros(mean),
                    "low_eur": euros(max(mean - z * sd, 0.0)),
                    "high_eur": euros(mean + z * sd),
                }
            )
    schema: dict[str, Any] = {
        "municipality_code": pl.String,
        "month": pl.String,
        "recipients_expected": pl.Float64,
        "expected_eur": pl.Decimal(18, 2),
        "low_eur": pl.Decimal(18, 2),
        "high_eur": pl.Decimal(18, 2),
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def totals_with_band(
    recipients: pl.DataFrame, projection: Projection, *, z: float = Z_95
) -> pl.DataFrame:
    """Per municipality: the 12-month expected total and its band (months of one person
    are dependent; see the module text)."""
    codes = recipients.get_column("municipality_code").to_numpy()
    totals = projection.person_total()
    variances = projection.person_variance()
    rows = []
    for code in sorted(set(codes.tolist())):
        mask = codes == code
        mean = float(totals[mask].sum())
        sd = float(np.sqrt(variances[mask].sum()))
        rows.append(
            {
                "municipality_code": code,
                "recipients": int(mask.sum()),
                "expected_eur": euros(mean),
                "low_eur": euros(max(mean - z * sd, 0.0)),
                "high_eur": euros(mean + z * sd),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "municipality_code": pl.String,
            "recipients": pl.Int64,
            "expected_eur": pl.Decimal(18, 2),
            "low_eur": pl.Decimal(18, 2),
            "high_eur": pl.Decimal(18, 2),
        },
        orient="row",
    )


def radar(
    recipients: pl.DataFrame,
    projection: Projection,
    rates: ExitRates,
    rules: FundingRules,
    *,
    as_of: dt.date,
) -> pl.DataFrame:
    """The cost radar's figures per recipient, ordered by expected 12-month cost (high
    first), then by the date of the next step (soonest first), then person.

    Columns: the recipient's columns plus ``current_rate``, ``expected_12m_eur``,
    ``cost_if_staying_12m_eur``, ``stay_12m`` (probability), ``next_step_day``,
    ``next_step_rate``, ``next_step_date`` (null when at the top tier or the step is
    not reached while paid at the current pace)."""
    counter = recipients.get_column("counter").to_numpy().astype(float)
    share = recipients.get_column("paid_share").to_numpy().astype(float)
    steps = [(t.from_day, float(t.municipal_rate)) for t in _tiers(rules)]
    next_day: list[int | None] = []
    next_rate: list[float | None] = []
    next_date: list[dt.date | None] = []
    for c, s in zip(counter, share, strict=True):
        step = next(((d, r) for d, r in steps if d > c), None)
        if step is None or s <= 0:
            next_day.append(None)
            next_rate.append(None)
            next_date.append(None)
            continue
        # the n-th weekday after as_of is benefit day c + n at full pace
        days_needed = int(np.ceil((step[0] - c) / s))
        when = np.busday_offset(as_of + dt.timedelta(days=1), days_needed - 1, roll="forward")
        next_day.append(step[0])
        next_rate.append(step[1])
        next_date.append(dt.date.fromisoformat(str(when)))
    out = recipients.with_columns(
        current_rate=pl.Series(rate_at(counter, rules)),
        expected_12m_eur=pl.Series([euros(v) for v in projection.person_total()]).cast(
            pl.Decimal(18, 2)
        ),
        cost_if_staying_12m_eur=pl.Series(
            [euros(v) for v in projection.cost_if_staying[:, 1:].sum(axis=1)]
        ).cast(pl.Decimal(18, 2)),
        stay_12m=pl.Series(projection.stay[:, -1]),
        next_step_day=pl.Series(next_day, dtype=pl.Int32),
        next_step_rate=pl.Series(next_rate, dtype=pl.Float64),
        next_step_date=pl.Series(next_date, dtype=pl.Date),
    )
    return out.sort(
        ["expected_12m_eur", "next_step_date", "person_id"],
        descending=[True, False, False],
        nulls_last=True,
    )


@dataclass(frozen=True)
class WhatIf:
    """The saving of a scenario: expected cost without and with it, over ``months``."""

    baseline_eur: Decimal
    scenario_eur: Decimal
    saving_eur: Decimal
    months: int


def what_if_employed(
    recipients: pl.DataFrame,
    rates: ExitRates,
    rules: FundingRules,
    *,
    as_of: dt.date,
    person_id: str,
    start: dt.date,
    months: int,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> WhatIf:
    """The expected saving if ``person_id`` is employed from ``start`` for ``months``
    months, over the months from now until 12 months after the employment ends."""
    one = recipients.filter(pl.col("person_id") == person_id)
    if one.height == 0:
        raise LookupError(f"{person_id} is not a current benefit recipient")
    if start <= as_of:
        start = as_of + dt.timedelta(days=1)
    end = add_months(start, months)
    horizon = max(
        settings.horizon_months,
        (end.year - as_of.year) * 12 + end.month - as_of.month + settings.horizon_months,
    )
    base = project(one, rates, rules, as_of=as_of, settings=settings, months=horizon)
    alt = project(
        one,
        rates,
        rules,
        as_of=as_of,
        settings=settings,
        months=horizon,
        employed=[(start, months)],
    )
    before, after = float(base.expected.sum()), float(alt.expected.sum())
    return WhatIf(
        baseline_eur=euros(before),
        scenario_eur=euros(after),
        saving_eur=euros(before - after),
        months=horizon,
    )


def what_if_top_find_work(radar_rows: pl.DataFrame, k: int) -> WhatIf:
    """The expected 12-month saving if the radar's top ``k`` rows find work now (and
    keep it for the 12 months)."""
    top = radar_rows.head(max(k, 0))
    total = sum(top.get_column("expected_12m_eur").to_list(), Decimal("0.00"))
    return WhatIf(baseline_eur=total, scenario_eur=Decimal("0.00"), saving_eur=total, months=12)
