"""Builders for tests of the engine and of code that calls it: payment rows as the
DESIGN.md contract has them, and rules with chosen values. Pure, like the engine."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl

from silta.engine.rules import DayTier, FundingRules, PeriodStep, Sourced

PAYMENT_SCHEMA: dict[str, Any] = {
    "person_id": pl.String,
    "municipality_code": pl.String,
    "benefit": pl.String,
    "basis": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "paid_days": pl.Int32,
    "amount_eur": pl.Decimal(18, 2),
    "payment_date": pl.Date,
}
EVENT_SCHEMA: dict[str, Any] = {"person_id": pl.String, "event": pl.String, "date": pl.Date}
DAILY = Decimal("37.21")


def payment(
    start: dt.date,
    end: dt.date,
    days: int,
    amount: Decimal | str | None = None,
    *,
    person: str = "010190-900A",
    benefit: str = "LMS",
    basis: str = "unemployment",
    municipality: str = "272",
) -> dict[str, Any]:
    return {
        "person_id": person,
        "municipality_code": municipality,
        "benefit": benefit,
        "basis": basis,
        "period_start": start,
        "period_end": end,
        "paid_days": days,
        "amount_eur": Decimal(amount) if amount is not None else DAILY * days,
        "payment_date": end + dt.timedelta(days=3),
    }


def fortnights(first_monday: dt.date, days: list[int], **kwargs: Any) -> list[dict[str, Any]]:
    """Consecutive two-week payment periods from a Monday, with these paid days."""
    rows = []
    for i, paid in enumerate(days):
        start = first_monday + dt.timedelta(days=14 * i)
        rows.append(payment(start, start + dt.timedelta(days=13), paid, **kwargs))
    return rows


def payments_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=PAYMENT_SCHEMA, orient="row")


def events_frame(rows: list[tuple[str, str, dt.date]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row")


def with_rules(
    rules: FundingRules,
    *,
    carry_over: bool | None = None,
    steps: list[tuple[int, str]] | None = None,
    tiers: list[tuple[int, str]] | None = None,
    state_paid_days: int | None = None,
    later_tiers: list[tuple[int, str]] | None = None,
) -> FundingRules:
    """A copy of ``rules`` with some values replaced (for tests only): ``steps`` in
    every period-step version, ``tiers`` and ``state_paid_days`` in every day-tier
    version (``later_tiers`` instead in the day-tier versions after the first),
    ``carry_over`` in the first day-tier version."""
    carry = rules.carry_over_version
    versions = []
    for version in rules.versions:
        if version.is_day_tiers:
            if carry_over is not None and version == carry:
                version = dataclasses.replace(
                    version, carry_over_earlier_days=Sourced(carry_over, "test", False)
                )
            chosen = tiers
            if later_tiers is not None and version != carry:
                chosen = later_tiers
            if chosen is not None:
                version = dataclasses.replace(
                    version,
                    tiers=Sourced(tuple(DayTier(d, Decimal(r)) for d, r in chosen), "test", False),
                )
            if state_paid_days is not None:
                version = dataclasses.replace(
                    version, state_paid_days=Sourced(state_paid_days, "test", False)
                )
        elif steps is not None:
            version = dataclasses.replace(
                version,
                steps=Sourced(tuple(PeriodStep(d, Decimal(r)) for d, r in steps), "test", False),
            )
        versions.append(version)
    return dataclasses.replace(rules, versions=tuple(versions))
