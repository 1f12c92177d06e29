"""A plain, one-row-at-a-time implementation of the funding rules.

This is the specification the fast engine (:mod:`silta.engine.funding`) is tested
against, cent by cent. It walks the days one by one with ``datetime`` and ``Decimal``
and shares no arithmetic with the engine, so that a mistake in one is caught by the
other. It is slow on purpose; the bench measures how slow.

The rules it implements are written out in docs/adr/0004-funding-engine.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from silta.engine.rules import EVENTS, FundingRules, RuleVersion, load_rules

ONE_DAY = dt.timedelta(days=1)
CENT = Decimal("0.01")


def compute(
    payments: pl.DataFrame,
    events: pl.DataFrame | None = None,
    rules: FundingRules | None = None,
) -> pl.DataFrame:
    """Same contract as :func:`silta.engine.funding.compute`, computed row by row."""
    from silta.engine.funding import result_schema

    rows = compute_rows(
        payments.to_dicts(), events.to_dicts() if events is not None else None, rules
    )
    schema = result_schema(payments.schema)
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def compute_rows(
    payments: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]] | None = None,
    rules: FundingRules | None = None,
) -> list[dict[str, Any]]:
    """Compute the result rows for payment dicts (one dict per payment)."""
    rules = rules or load_rules()
    payments = list(payments)
    resets, funded_until = _read_events(events or [], rules)
    boundary = rules.boundary.value

    # Split every payment into its parts: one part per regime it touches.
    parts_by_row: list[list[dict[str, Any]]] = []
    for index, payment in enumerate(payments):
        parts_by_row.append(_split_at_boundary(index, payment, boundary))

    # Each person's rows in the order of period start, then of the input.
    by_person: dict[str, list[int]] = {}
    for index, payment in enumerate(payments):
        by_person.setdefault(payment["person_id"], []).append(index)

    for person, indices in by_person.items():
        indices.sort(
            key=lambda i: (payments[i]["period_start"], parts_by_row[i][0]["correction"], i)
        )
        _walk_person(
            [parts_by_row[i] for i in indices],
            sorted(resets.get(person, [])),
            funded_until.get(person),
            rules,
        )

    first_parts = [parts[0] for parts in parts_by_row]
    second_parts = [parts[1] for parts in parts_by_row if len(parts) == 2]
    return [_result_row(part) for part in first_parts + second_parts]


def _read_events(
    events: Iterable[Mapping[str, Any]], rules: FundingRules
) -> tuple[dict[str, list[dt.date]], dict[str, dt.date]]:
    resets: dict[str, list[dt.date]] = {}
    funded_until: dict[str, dt.date] = {}
    for event in events:
        name = event["event"]
        if name not in EVENTS:
            raise ValueError(f"unknown event {name!r}; expected one of {EVENTS}")
        person, date = event["person_id"], event["date"]
        if name == rules.version_on(date).counter_reset_event.value:
            resets.setdefault(person, []).append(date)
        if name == "state_funded_until":
            # The union of "up to and including" ranges is the range up to the latest.
            funded_until[person] = max(date, funded_until.get(person, date))
    return resets, funded_until


def _split_at_boundary(
    index: int, payment: Mapping[str, Any], boundary: dt.date
) -> list[dict[str, Any]]:
    start, end = payment["period_start"], payment["period_end"]
    days, cents = payment["paid_days"], _cents(payment["amount_eur"])
    correction = cents < 0 or days == 0
    base = {"payment": payment, "index": index, "correction": correction}
    if not start < boundary <= end:
        regime = "2015" if start < boundary else "2025"
        return [dict(base, regime=regime, start=start, end=end, days=days, cents=cents)]
    before = weekdays(start, boundary - ONE_DAY)
    after = weekdays(boundary, end)
    days_before = round_half_up(days * before, before + after)
    if days > 0:
        cents_before = round_half_up(cents * days_before, days)
    else:
        cents_before = round_half_up(cents * before, before + after)
    return [
        dict(
            base,
            regime="2015",
            start=start,
            end=boundary - ONE_DAY,
            days=days_before,
            cents=cents_before,
        ),
        dict(
            base,
            regime="2025",
            start=boundary,
            end=end,
            days=days - days_before,
            cents=cents - cents_before,
        ),
    ]


def _walk_person(
    rows: list[list[dict[str, Any]]],
    resets: list[dt.date],
    funded_until: dt.date | None,
    rules: FundingRules,
) -> None:
    carry_version = rules.carry_over_version
    carry_over = rules.carry_over
    old_counter = new_counter = 0
    segment_reset: dt.date | None = None
    originals: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    for position, parts in enumerate(rows):
        payment = parts[0]["payment"]
        # The counters restart for periods starting after an employment condition.
        latest_reset = max((d for d in resets if d < payment["period_start"]), default=None)
        if latest_reset != segment_reset:
            segment_reset = latest_reset
            old_counter = new_counter = 0
        benefit, basis = payment["benefit"], payment["basis"]
        for part in parts:
            part["position"] = position
            # The rule version in force on the part's first day prices it.
            version = rules.version_on(part["start"])
            rate_days = max(part["days"], 1)
            funded = 0
            if "state_funded_until" in version.exceptions.value:
                funded = _state_funded_days(rate_days, part["start"], part["end"], funded_until)
            counted = 0 if part["correction"] else part["days"]
            day_rates: list[Decimal] = []
            if part["regime"] == "2015":
                part["days_before"] = old_counter
                step_rate = Decimal(0)
                assert version.steps is not None
                for step in version.steps.value:
                    if old_counter >= step.from_days:
                        step_rate = step.municipal_rate
                billed = version.bills(benefit, basis)
                for day in range(rate_days):
                    billable = billed and day >= funded
                    day_rates.append(step_rate if billable else Decimal(0))
                if version.counts(benefit, basis):
                    old_counter += counted
                # Days before the day-tier model count toward its counter by the
                # counting rules of its first version, when carry-over is on.
                if carry_over and carry_version.counts(benefit, basis):
                    new_counter += counted
                part["days_after"] = old_counter
            else:
                part["days_before"] = new_counter
                billed = version.bills(benefit, basis)
                for day in range(rate_days):
                    day_number = new_counter + day + 1
                    billable = billed and day >= funded
                    day_rates.append(_tier_rate(day_number, version) if billable else Decimal(0))
                if version.counts(benefit, basis):
                    new_counter += counted
                part["days_after"] = new_counter
            part["rate_sum"] = sum(day_rates, Decimal(0))
            part["rate_days"] = rate_days
            if part["correction"]:
                corrections.append(part)
            elif part["days"] > 0:
                originals.append(part)

    # A correction takes the rate of the payment it corrects (see the ADR).
    for correction in corrections:
        original = _corrected_original(correction, originals)
        if original is not None:
            correction["rate_sum"] = original["rate_sum"]
            correction["rate_days"] = original["rate_days"]


def _corrected_original(
    correction: dict[str, Any], originals: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The payment a correction corrects: of the person's payments of the same benefit
    and basis in the same regime, the one starting last on or before the end of the
    correction's period (later in counter order on a tie), if it reaches the
    correction's start."""
    payment = correction["payment"]
    found = None
    for original in originals:
        other = original["payment"]
        if (
            original["regime"] != correction["regime"]
            or other["benefit"] != payment["benefit"]
            or other["basis"] != payment["basis"]
            or original["start"] > correction["end"]
        ):
            continue
        if found is None or (original["start"], original["position"]) > (
            found["start"],
            found["position"],
        ):
            found = original
    if found is None or found["end"] < correction["start"]:
        return None
    return found


def _tier_rate(day_number: int, version: RuleVersion) -> Decimal:
    rate = Decimal(0)
    assert version.tiers is not None
    for tier in version.tiers.value:
        if day_number >= tier.from_day:
            rate = tier.municipal_rate
    return rate


def _state_funded_days(
    rate_days: int, start: dt.date, end: dt.date, funded_until: dt.date | None
) -> int:
    """How many of the part's days fall on or before the state-funded-until date."""
    if funded_until is None or funded_until < start:
        return 0
    if funded_until >= end:
        return rate_days
    whole = weekdays(start, end)
    if whole > 0:
        return round_half_up(rate_days * weekdays(start, funded_until), whole)
    return round_half_up(rate_days * ((funded_until - start).days + 1), (end - start).days + 1)


def _result_row(part: dict[str, Any]) -> dict[str, Any]:
    row = dict(part["payment"])
    row["period_start"], row["period_end"] = part["start"], part["end"]
    row["paid_days"] = part["days"]
    amount = Decimal(part["cents"]) / 100
    municipal = (amount * part["rate_sum"] / part["rate_days"]).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    row["amount_eur"] = amount.quantize(CENT)
    row["regime"] = part["regime"]
    row["days_before"] = part["days_before"]
    row["days_after"] = part["days_after"]
    row["municipal_rate"] = float(Fraction(part["rate_sum"]) / part["rate_days"])
    row["municipal_share_eur"] = municipal
    row["state_share_eur"] = amount - municipal
    return row


def weekdays(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from ``start`` to ``end``, both included."""
    count, day = 0, start
    while day <= end:
        if day.weekday() < 5:
            count += 1
        day += ONE_DAY
    return count


def round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to an integer, halves away from zero."""
    result = (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return int(result)


def _cents(amount: Any) -> int:
    value = Decimal(str(amount)) * 100
    if value != value.to_integral_value():
        raise ValueError(f"amount {amount!r} is not a whole number of cents")
    return int(value)
