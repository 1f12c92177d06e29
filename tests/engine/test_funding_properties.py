"""The fast engine equals the per-row reference, to the cent, row by row, on generated
payment histories: several persons, periods of up to four weeks with at most the
weekdays in them paid, every rule version and periods across 1.1.2025 and 1.5.2026,
every benefit code the rules know (GEN included), recoveries, resets and state-funded
periods, sorted or shuffled input, and rules with small thresholds (and other tiers in
the 1.5.2026 version) so that every step and tier is reached."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silta.engine import funding, reference
from silta.engine.reference import weekdays
from silta.engine.rules import BASES, FundingRules, load_rules
from silta.engine.testing import events_frame, payment, payments_frame, with_rules

RULES = load_rules()
BENEFITS = RULES.benefit_codes
FIRST_DAYS = (dt.date(2024, 9, 1), dt.date(2025, 12, 1))


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[tuple[str, str, dt.date]]]:
    rows: list[dict[str, Any]] = []
    events: list[tuple[str, str, dt.date]] = []
    for person in range(draw(st.integers(1, 4))):
        person_id = f"0101{person:02d}-9{person:02d}X"
        first_day = draw(st.sampled_from(FIRST_DAYS))
        day = first_day + dt.timedelta(days=draw(st.integers(0, 120)))
        periods: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(1, 12))):
            day += dt.timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 3, 20])))
            length = draw(st.integers(1, 28))
            end = day + dt.timedelta(days=length - 1)
            paid = draw(st.integers(0, weekdays(day, end)))
            if draw(st.booleans()):
                amount = Decimal("37.21") * paid
            else:
                amount = Decimal(draw(st.integers(-5000, 200_000))) / 100
            periods.append(
                payment(
                    day,
                    end,
                    paid,
                    amount,
                    person=person_id,
                    benefit=draw(st.sampled_from(BENEFITS)),
                    basis=draw(st.sampled_from(BASES + ("unemployment",) * 3)),
                )
            )
            day = end + dt.timedelta(days=1)
        # Recoveries: a negative amount for (part of) an earlier period.
        for _ in range(draw(st.integers(0, 3))):
            original = draw(st.sampled_from(periods))
            shift = draw(st.integers(0, 5))
            start = min(original["period_start"] + dt.timedelta(days=shift), original["period_end"])
            periods.append(
                payment(
                    start,
                    original["period_end"],
                    0,
                    -Decimal(draw(st.integers(1, 40_000))) / 100,
                    person=person_id,
                    benefit=original["benefit"]
                    if draw(st.integers(0, 3))
                    else draw(st.sampled_from(BENEFITS)),
                    basis=original["basis"],
                )
            )
        rows += periods
        for _ in range(draw(st.integers(0, 2))):
            event = draw(st.sampled_from(["employment_condition_met", "state_funded_until"]))
            date = first_day + dt.timedelta(days=draw(st.integers(0, 400)))
            events.append((person_id, event, date))
    if draw(st.booleans()):
        rows = draw(st.permutations(rows))
    return rows, events


@st.composite
def small_rules(draw: st.DrawFn) -> FundingRules:
    first_step = draw(st.integers(1, 40))
    first_tier = draw(st.integers(1, 40))
    return with_rules(
        RULES,
        carry_over=draw(st.booleans()),
        steps=[(first_step, "0.5"), (first_step + draw(st.integers(1, 60)), "0.7")],
        state_paid_days=first_tier - 1,
        tiers=[
            (first_tier, "0.3"),
            (first_tier + draw(st.integers(1, 30)), "0.45"),
            (first_tier + 31 + draw(st.integers(0, 30)), "0.7"),
        ],
        later_tiers=[
            (first_tier, "0.25"),
            (first_tier + draw(st.integers(1, 30)), "0.5"),
        ]
        if draw(st.booleans())
        else None,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), rules=small_rules())
def test_engine_equals_reference_row_by_row(history, rules):
    rows, events = history
    payments = payments_frame(rows)
    events_df = events_frame(events) if events else None
    fast = funding.compute(payments, events_df, rules)
    slow = reference.compute(payments, events_df, rules)
    assert fast.schema == slow.schema
    assert fast.to_dicts() == slow.to_dicts()


@settings(max_examples=60, deadline=None)
@given(history=histories())
def test_shares_add_up_and_parts_keep_the_whole(history):
    rows, events = history
    payments = payments_frame(rows)
    result = funding.compute(payments, events_frame(events) if events else None, RULES)
    # Municipal and state shares add up to the amount on every row.
    assert result.filter(
        pl.col("municipal_share_eur") + pl.col("state_share_eur") != pl.col("amount_eur")
    ).is_empty()
    # Splitting at the regime boundary keeps every payment's days and euros.
    assert result.get_column("paid_days").sum() == payments.get_column("paid_days").sum()
    assert result.get_column("amount_eur").sum() == payments.get_column("amount_eur").sum()
    # Rates stay within the rules' range and counters never run backwards in a row.
    assert result.filter(
        (pl.col("municipal_rate") < 0) | (pl.col("municipal_rate") > 0.7)
    ).is_empty()
    assert result.filter(pl.col("days_after") < pl.col("days_before")).is_empty()
