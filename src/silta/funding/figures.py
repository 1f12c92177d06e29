"""Figures derived from the engine's result (dashboard tables, forecast, radar), kept
per store state so that a page does not recompute them. No access checks here:
selectors call these after scoping and log what they show."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

import polars as pl
from django.utils.translation import gettext_lazy

from silta.core import dates
from silta.engine import forecast as fc
from silta.engine import funding as engine
from silta.engine.rules import FundingRules
from silta.funding.results import FundingData

T = TypeVar("T")
_LOCK = threading.Lock()
_MEMO: dict[tuple[Any, ...], Any] = {}


def _memo(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    with _LOCK:
        if key in _MEMO:
            return _MEMO[key]  # type: ignore[no-any-return]
    value = make()
    with _LOCK:
        stale = [k for k in _MEMO if k[1] != key[1]]
        for k in stale:
            del _MEMO[k]
        _MEMO[key] = value
    return value


def as_of_date(data: FundingData) -> dt.date:
    """Today, or the store's last benefit day when the store ends before today."""
    today = dates.today()
    end = data.data_end
    return min(today, end) if end is not None else today


def municipality_months(data: FundingData) -> pl.DataFrame:
    return _memo(
        ("mm", data.key),
        lambda: (
            engine.summarise(data.result, "municipality-month")
            if data.result.height
            else pl.DataFrame(
                schema={
                    "municipality_code": pl.String,
                    "month": pl.String,
                    "regime": pl.String,
                    "benefit": pl.String,
                    "persons": pl.Int64,
                    "paid_days": pl.Int64,
                    "amount_eur": pl.Decimal(18, 2),
                    "municipal_share_eur": pl.Decimal(18, 2),
                    "state_share_eur": pl.Decimal(18, 2),
                }
            )
        ),
    )


@dataclass(frozen=True)
class Outlook:
    """Current recipients, their projection, exit rates and radar figures."""

    as_of: dt.date
    rules: FundingRules
    recipients: pl.DataFrame
    rates: fc.ExitRates | None
    projection: fc.Projection | None
    radar: pl.DataFrame


def outlook(data: FundingData, as_of: dt.date | None = None) -> Outlook:
    day = as_of or as_of_date(data)
    exits = path_exits(day)
    return _memo(("outlook", data.key, day, exits), lambda: _outlook(data, day, exits))


def path_exits(day: dt.date) -> frozenset[str]:
    """People on a granted rehabilitation allowance, rehabilitation subsidy or
    disability pension (the work ability path, issue 16): they leave the forecast and
    the cost radar."""
    try:
        from silta.workability.selectors import granted_exits
    except ImportError:  # pragma: no cover - the app is installed with funding
        return frozenset()
    return granted_exits(day)


def _outlook(data: FundingData, as_of: dt.date, exits: frozenset[str] = frozenset()) -> Outlook:
    empty = fc._empty_recipients()
    if data.result.height == 0 or as_of < data.rules.boundary.value:
        return Outlook(as_of, data.rules, empty, None, None, empty)
    rates = fc.exit_rates(data.result, as_of=as_of)
    recipients = fc.current_recipients(data.result, data.events, data.rules, as_of=as_of)
    if exits:
        recipients = recipients.filter(~pl.col("person_id").is_in(sorted(exits)))
    projection = fc.project(recipients, rates, data.rules, as_of=as_of)
    radar = fc.radar(recipients, projection, rates, data.rules, as_of=as_of)
    return Outlook(as_of, data.rules, recipients, rates, projection, radar)


def forecast_table(out: Outlook, codes: list[str] | None) -> pl.DataFrame:
    """The 12-month forecast per month for these municipalities together (all when
    ``codes`` is None), with the band."""
    if out.projection is None:
        return pl.DataFrame(
            schema={
                "municipality_code": pl.String,
                "month": pl.String,
                "recipients_expected": pl.Float64,
                "expected_eur": pl.Decimal(18, 2),
                "low_eur": pl.Decimal(18, 2),
                "high_eur": pl.Decimal(18, 2),
            }
        )
    recipients = out.recipients.with_columns(
        municipality_code=pl.lit("all")
        if codes is None
        else pl.when(pl.col("municipality_code").is_in(codes))
        .then(pl.lit("all"))
        .otherwise(pl.lit("other"))
    )
    table = fc.forecast_by_municipality(recipients, out.projection)
    return table.filter(pl.col("municipality_code") == "all")


def people_by_step(
    out: Outlook, codes: list[str] | None
) -> list[tuple[int, int | None, Decimal, int]]:
    """Current recipients by the 2025 step they are in: (first day, last day or None,
    municipal rate, persons)."""
    rec = out.recipients
    if codes is not None:
        rec = rec.filter(pl.col("municipality_code").is_in(codes))
    counters = rec.get_column("counter").to_list()
    return steps_of(counters, out)


def steps_of(counters: list[int], out: Outlook) -> list[tuple[int, int | None, Decimal, int]]:
    latest = out.rules.latest_day_tiers().tiers
    tiers = latest.value if latest is not None else ()
    bounds: list[tuple[int, int | None, Decimal]] = [(1, tiers[0].from_day - 1, Decimal(0))]
    for i, t in enumerate(tiers):
        last = tiers[i + 1].from_day - 1 if i + 1 < len(tiers) else None
        bounds.append((t.from_day, last, t.municipal_rate))
    rows = []
    for first, last, rate in bounds:
        n = sum(1 for c in counters if c + 1 >= first and (last is None or c + 1 <= last))
        rows.append((first, last, rate, n))
    return rows


class YearlyFigure(NamedTuple):
    """A yearly figure for ``silta report year`` (found by silta.reporting.yearly
    through ``FIGURE_SOURCES``; reporting is never imported from here), and for
    ``silta report period`` through ``compute_period(first day, last day)``."""

    key: str
    label: Any
    compute: Callable[[int], Decimal]
    compute_period: Callable[[dt.date, dt.date], Decimal] | None = None


def _municipal_share_of_year(year: int) -> Decimal:
    from silta.funding.results import total_municipal_share

    return total_municipal_share(year)


def _municipal_share_of_period(first: dt.date, last: dt.date) -> Decimal:
    from silta.funding.results import municipal_share_between

    return municipal_share_between(first, last)


YEARLY_FIGURES: tuple[YearlyFigure, ...] = (
    YearlyFigure(
        "municipal_share_eur",
        gettext_lazy("Municipal share of unemployment benefits, all municipalities (€)"),
        _municipal_share_of_year,
        _municipal_share_of_period,
    ),
)
