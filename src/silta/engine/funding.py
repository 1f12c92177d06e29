"""The municipal funding share of unemployment benefits, computed over Polars frames.

``compute(payments, events, rules)`` takes the benefit payments (the DESIGN.md data
contract) and returns every payment with its regime, the person's counter before and
after it, the municipal rate and the municipal and state shares in euros.

How it runs fast: the arithmetic is done in integers (cents, paid days, rates in
millionths) over whole columns. Rows are put in (person, period start) order once; a
person's counter is a cumulative sum that restarts at each person and at each
employment-condition event (a "segment"), so no Python loop touches a row. Input that
is already in that order is not sorted again; otherwise persons are grouped by a
64-bit hash of ``person_id`` with a second hash as a guard against collisions.

The rules themselves (regime split, per-period steps, per-day tiers, corrections,
state-funded days, basis ``other``) are written out in docs/adr/0004-funding-engine.md
and, one row at a time, in :mod:`silta.engine.reference`, which the tests hold this
module to cent by cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import polars as pl

from silta.engine.rules import BASES, BENEFITS, EVENTS, RATE_UNIT, FundingRules, load_rules

PAYMENT_COLUMNS = (
    "person_id",
    "municipality_code",
    "benefit",
    "basis",
    "period_start",
    "period_end",
    "paid_days",
    "amount_eur",
    "payment_date",
)
EVENT_COLUMNS = ("person_id", "event", "date")
RESULT_COLUMNS = (
    "regime",
    "days_before",
    "days_after",
    "municipal_rate",
    "municipal_share_eur",
    "state_share_eur",
)
SUMMARY_COLUMNS = (
    "month",
    "regime",
    "benefit",
    "persons",
    "paid_days",
    "amount_eur",
    "municipal_share_eur",
    "state_share_eur",
)

#: Euro amounts in results: exact decimals with two places.
MONEY = pl.Decimal(18, 2)
REGIME = pl.Enum(["2015", "2025"])
COUNTER = pl.Int32

_EPOCH = dt.date(1970, 1, 1)
# Keys that pack a date (days since 1970) below a group number.
_DATE_BITS = 20
_DATE_OFFSET = 1 << (_DATE_BITS - 1)
_HASH_SEEDS = (0x5117A, 0xC0FFEE)


def compute(
    payments: pl.DataFrame,
    events: pl.DataFrame | None = None,
    rules: FundingRules | None = None,
) -> pl.DataFrame:
    """Compute the municipal and state share of every payment.

    Returns the payment columns (``amount_eur`` as a two-place decimal) plus
    ``regime``, ``days_before``, ``days_after``, ``municipal_rate``,
    ``municipal_share_eur`` and ``state_share_eur``. Rows keep the input order; a
    payment whose period crosses the regime boundary keeps its row for the days before
    the boundary, and its days from the boundary on follow as extra rows after all the
    others, in input order.
    """
    rules = rules or load_rules()
    _check_payments(payments)
    if payments.height == 0:
        return pl.DataFrame(schema=result_schema(payments.schema))
    numbers = _input_numbers(payments).rechunk()
    order, first_flags = _person_order(payments, numbers)
    work = numbers if order is None else numbers[order]
    work = work.with_columns(first=first_flags).with_columns(
        gid=pl.col("first").cast(pl.Int64).cum_sum() - 1
    )
    if order is not None:
        work = work.with_columns(row=order)
    else:
        work = work.with_row_index("row")

    persons = _persons(payments, work)
    resets, funded_until = _event_columns(events, work, persons, rules)
    work = work.with_columns(reset=resets)
    if funded_until is not None:
        work = work.with_columns(funded_until=funded_until)

    crossing = _split_crossing(work, rules)
    first, second = _counters_and_rates(work, crossing, rules)
    boundary = (rules.boundary.value - _EPOCH).days
    first, second = _apply_corrections(work, first, second, boundary)
    del work
    return _assemble(payments, numbers, first, second, order, rules)


def result_schema(payment_schema: Mapping[str, pl.DataType] | pl.Schema) -> pl.Schema:
    """The columns and types :func:`compute` returns for payments of this schema."""
    schema: dict[str, Any] = dict(payment_schema)
    schema["amount_eur"] = MONEY
    schema.update(
        {
            "regime": REGIME,
            "days_before": COUNTER,
            "days_after": COUNTER,
            "municipal_rate": pl.Float64(),
            "municipal_share_eur": MONEY,
            "state_share_eur": MONEY,
        }
    )
    return pl.Schema(schema)


# --- input ----------------------------------------------------------------------------


def _check_payments(payments: pl.DataFrame) -> None:
    missing = [c for c in PAYMENT_COLUMNS if c not in payments.columns]
    if missing:
        raise ValueError(f"payments lack the columns {missing}")
    schema = payments.schema
    for column in ("period_start", "period_end", "payment_date"):
        if schema[column] != pl.Date:
            raise TypeError(f"payments.{column} must be a date column, not {schema[column]}")
    if not schema["paid_days"].is_integer():
        raise TypeError(f"payments.paid_days must be integers, not {schema['paid_days']}")
    amount = schema["amount_eur"]
    if not (isinstance(amount, pl.Decimal) or amount.is_float() or amount.is_integer()):
        raise TypeError(f"payments.amount_eur must be decimal or numeric, not {amount}")
    nulls = [c for c in PAYMENT_COLUMNS if payments.get_column(c).null_count()]
    if nulls:
        raise ValueError(f"payments have empty values in {nulls}")
    bad = payments.select(
        end_before_start=(pl.col("period_end") < pl.col("period_start")).any(),
        negative_days=(pl.col("paid_days") < 0).any(),
    ).row(0, named=True)
    if bad["end_before_start"]:
        raise ValueError("payments have a period_end before period_start")
    if bad["negative_days"]:
        raise ValueError("payments have negative paid_days")


def _code(column: str, codes: tuple[str, ...]) -> pl.Expr:
    expr: Any = pl.when(pl.col(column) == codes[0]).then(pl.lit(0, pl.UInt8))
    for number, code in enumerate(codes[1:], start=1):
        expr = expr.when(pl.col(column) == code).then(pl.lit(number, pl.UInt8))
    return expr.otherwise(None)


def _cents(payments: pl.DataFrame) -> pl.Expr:
    dtype = payments.schema["amount_eur"]
    amount = pl.col("amount_eur")
    if isinstance(dtype, pl.Decimal):
        cents = (amount * 100).cast(pl.Int64)
        if (dtype.scale or 0) > 2:
            exact = payments.select((amount * 100 - cents == 0).all()).item()
            if not exact:
                raise ValueError("payments.amount_eur holds fractions of a cent")
        return cents
    if dtype.is_float():
        return (amount * 100).round(0).cast(pl.Int64)
    return amount.cast(pl.Int64) * 100


def _input_numbers(payments: pl.DataFrame) -> pl.DataFrame:
    """The columns the computation needs, as small integers, in input order."""
    numbers = payments.select(
        s=pl.col("period_start").to_physical(),
        e=pl.col("period_end").to_physical(),
        d=pl.col("paid_days").cast(pl.Int32),
        c=_cents(payments),
        ben=_code("benefit", BENEFITS),
        bas=_code("basis", BASES),
    )
    for column, codes in (("ben", BENEFITS), ("bas", BASES)):
        if numbers.get_column(column).null_count():
            source = "benefit" if column == "ben" else "basis"
            unknown = (
                payments.filter(numbers.get_column(column).is_null())
                .get_column(source)
                .cast(pl.String)
                .unique()
                .sort()
                .to_list()
            )
            raise ValueError(f"unknown {source} codes {unknown}; expected one of {codes}")
    return numbers


def _person_order(
    payments: pl.DataFrame, numbers: pl.DataFrame
) -> tuple[pl.Series | None, pl.Series]:
    """The order in which a person's counter runs: each person's rows together, by
    period start, payments before corrections (negative or zero-day rows) of the same
    start, then input order.

    Returns ``(order, first)``: ``order`` lists input row numbers in that order, or is
    None when the input is already so ordered; ``first`` marks, in that order, the
    first row of each person.
    """
    frame = pl.DataFrame(
        {
            "person_id": payments.get_column("person_id"),
            "s": numbers.get_column("s"),
            "k": ((numbers.get_column("c") < 0) | (numbers.get_column("d") == 0)).cast(pl.UInt8),
        }
    ).rechunk()
    person, previous = pl.col("person_id"), pl.col("person_id").shift(1)
    start, kind = pl.col("s"), pl.col("k")
    same_start = (person == previous) & (start == start.shift(1))
    in_order = frame.select(
        (
            (person > previous)
            | ((person == previous) & (start > start.shift(1)))
            | (same_start & (kind >= kind.shift(1)))
        )
        .fill_null(True)
        .all()
    ).item()
    if in_order:
        first = frame.select((person != previous).fill_null(True)).to_series()
        return None, first.alias("first")

    low, high = frame.get_column("s").min(), frame.get_column("s").max()
    assert isinstance(low, int) and isinstance(high, int)
    if low >= 0 and high < (1 << 16):
        # Key: the top 47 bits of a 64-bit hash of person_id, the start date (16 bits)
        # and the correction flag (1 bit). A second hash guards against collisions.
        hashes = frame.select(
            h=person.hash(_HASH_SEEDS[0]),
            g=person.hash(_HASH_SEEDS[1]),
            key=(person.hash(_HASH_SEEDS[0]) // (1 << 17)) * (1 << 17)
            + start.cast(pl.UInt64) * 2
            + kind.cast(pl.UInt64),
        )
        order = (
            hashes.select(pl.arg_sort_by(["key", pl.int_range(pl.len(), dtype=pl.UInt32)]))
            .to_series()
            .cast(pl.UInt32)
        )
        ordered = hashes.select("h", "g")[order]
        h, g = pl.col("h"), pl.col("g")
        checks = ordered.select(
            collision=(
                ((h // (1 << 17) == h.shift(1) // (1 << 17)) & (h != h.shift(1)))
                | ((h == h.shift(1)) & (g != g.shift(1)))
            ).any(),
            first=(h != h.shift(1)).fill_null(True),
        )
        if not checks.get_column("collision")[0]:
            return order.alias("row"), checks.get_column("first")

    # Exact (slower) order: two persons' hashes collided, or dates beyond 1970-2149.
    order = (
        frame.select(
            pl.arg_sort_by(["person_id", "s", "k", pl.int_range(pl.len(), dtype=pl.UInt32)])
        )
        .to_series()
        .cast(pl.UInt32)
    )
    ordered_person = frame.get_column("person_id")[order]
    first = (ordered_person != ordered_person.shift(1)).fill_null(True)
    return order.alias("row"), first.alias("first")


def _persons(payments: pl.DataFrame, work: pl.DataFrame) -> pl.DataFrame:
    """One row per person: group number (in work order) and person_id."""
    starts = work.filter(pl.col("first")).get_column("row")
    return pl.DataFrame(
        {
            "gid": pl.int_range(len(starts), dtype=pl.Int64, eager=True),
            "person_id": payments.get_column("person_id").cast(pl.String).gather(starts),
        }
    )


def _event_columns(
    events: pl.DataFrame | None,
    work: pl.DataFrame,
    persons: pl.DataFrame,
    rules: FundingRules,
) -> tuple[pl.Series, pl.Series | None]:
    """Per row in work order: does a counter segment start here (reset), and the
    person's state-funded-until date (days since 1970, or null; None if no person
    has one)."""
    n = work.height
    resets = pl.Series("reset", [False], dtype=pl.Boolean).extend_constant(False, n - 1)
    funded: pl.Series | None = None
    if events is None or events.height == 0:
        return resets, funded
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events lack the columns {missing}")
    if events.schema["date"] != pl.Date:
        raise TypeError(f"events.date must be a date column, not {events.schema['date']}")
    events = events.select(
        pl.col("person_id").cast(pl.String), pl.col("event").cast(pl.String), "date"
    )
    unknown = events.filter(~pl.col("event").is_in(EVENTS)).get_column("event").unique().to_list()
    if unknown or events.null_count().sum_horizontal().item():
        raise ValueError(f"events must name a person, a date and one of {EVENTS}; got {unknown}")

    gid = work.get_column("gid")
    reset_events = events.filter(pl.col("event") == rules.counter_reset_event.value).join(
        persons, on="person_id"
    )
    if reset_events.height:
        span = 1 << _DATE_BITS
        row_keys = work.select(
            pl.col("gid") * span + (pl.col("s").cast(pl.Int64) + _DATE_OFFSET).clip(0, span - 1)
        ).to_series()
        # The counter restarts at the person's first period starting after the event.
        event_keys = reset_events.select(
            pl.col("gid") * span
            + (pl.col("date").to_physical().cast(pl.Int64) + 1 + _DATE_OFFSET).clip(0, span - 1)
        ).to_series()
        positions = row_keys.search_sorted(event_keys, side="left")
        positions = positions.filter(positions < n)
        resets = resets.scatter(positions, True)

    funded_events = (
        events.filter(pl.col("event") == "state_funded_until")
        .group_by("person_id")
        .agg(pl.col("date").max())
        .join(persons, on="person_id")
    )
    if funded_events.height:
        by_person = pl.Series("funded_until", [None], dtype=pl.Int32).extend_constant(
            None, persons.height - 1
        )
        by_person = by_person.scatter(
            funded_events.get_column("gid"),
            funded_events.get_column("date").to_physical().cast(pl.Int32),
        )
        funded = by_person.gather(gid).alias("funded_until")
    return resets, funded


# --- the computation ------------------------------------------------------------------


def _round_half_up(numerator: pl.Expr, denominator: pl.Expr | int) -> pl.Expr:
    """Integer division rounded half away from zero (Decimal's ROUND_HALF_UP);
    the denominator is positive."""
    magnitude = (numerator.abs() * 2 + denominator) // (denominator * 2)
    return pl.when(numerator < 0).then(-magnitude).otherwise(magnitude)


def _weekday_index(day: pl.Expr) -> pl.Expr:
    # Weekdays from Monday 1969-12-29 (day -3) up to, not including, ``day``.
    shifted = day.cast(pl.Int64) + 3
    return (shifted // 7) * 5 + (shifted % 7).clip(upper_bound=5)


def _weekdays(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Monday-to-Friday days from start to end, both included (0 if end < start)."""
    count = _weekday_index(end + 1) - _weekday_index(start)
    return pl.when(end >= start).then(count).otherwise(0)


def _segment_exclusive_sum(values: str, segment_start: str) -> pl.Expr:
    """Sum of ``values`` over the earlier rows of the same segment."""
    before = pl.col(values).cum_sum() - pl.col(values)
    return before - pl.when(pl.col(segment_start)).then(before).otherwise(None).forward_fill()


def _state_funded_days(days: pl.Expr, start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """How many of a part's days fall on or before the person's funded-until date:
    apportioned by weekdays (by calendar days for a weekend-only period)."""
    until = pl.col("funded_until")
    weekday_total = _weekdays(start, end)
    by_weekdays = _round_half_up(days * _weekdays(start, until), weekday_total)
    by_calendar = _round_half_up(days * (until - start + 1), end - start + 1)
    return (
        pl.when(until.is_null() | (until < start))
        .then(0)
        .when(until >= end)
        .then(days)
        .when(weekday_total > 0)
        .then(by_weekdays)
        .otherwise(by_calendar)
    )


def _rate_units(rate: Decimal) -> int:
    return int(rate * RATE_UNIT)


def _step_units(counter: pl.Expr, rules: FundingRules) -> pl.Expr:
    """Regime 2015: the period's rate (in millionths) from the counter before it."""
    rate = pl.lit(0, pl.Int64)
    for step in rules.regime_2015.steps.value:
        rate = (
            pl.when(counter >= step.from_days)
            .then(pl.lit(_rate_units(step.municipal_rate), pl.Int64))
            .otherwise(rate)
        )
    return rate


def _tier_units(first_day: pl.Expr, last_day: pl.Expr, rules: FundingRules) -> pl.Expr:
    """Regime 2025: the sum of the day rates (in millionths) of day numbers
    first_day..last_day, split by days over the tiers."""
    total = pl.lit(0, pl.Int64)
    tiers = rules.regime_2025.tiers.value
    for i, tier in enumerate(tiers):
        low = pl.max_horizontal(first_day, pl.lit(tier.from_day, pl.Int64))
        high = last_day
        if i + 1 < len(tiers):
            high = pl.min_horizontal(last_day, pl.lit(tiers[i + 1].from_day - 1, pl.Int64))
        total = total + (high - low + 1).clip(lower_bound=0) * _rate_units(tier.municipal_rate)
    return total


def _counted(benefits: frozenset[str], bases: frozenset[str]) -> pl.Expr:
    combos = [BENEFITS.index(b) * len(BASES) + BASES.index(s) for b in benefits for s in bases]
    return (pl.col("ben") * len(BASES) + pl.col("bas")).is_in(sorted(combos))


def _split_crossing(work: pl.DataFrame, rules: FundingRules) -> pl.DataFrame:
    """The payments whose period crosses the regime boundary, split pro rata: paid
    days by the weekdays on each side, the amount by the paid days (by the weekdays
    for a payment without days), each rounded half up so the parts sum to the whole."""
    boundary = (rules.boundary.value - _EPOCH).days
    s, e, d, c = (pl.col(x).cast(pl.Int64) for x in ("s", "e", "d", "c"))
    before = _weekdays(s, pl.lit(boundary - 1, pl.Int64))
    after = _weekdays(pl.lit(boundary, pl.Int64), e)
    return (
        work.with_row_index("pos")
        .filter((pl.col("s") < boundary) & (pl.col("e") >= boundary))
        .with_columns(d1=_round_half_up(d * before, before + after), w1=before, w=before + after)
        .with_columns(
            c1=pl.when(d > 0)
            .then(_round_half_up(c * pl.col("d1"), d))
            .otherwise(_round_half_up(c * pl.col("w1"), pl.col("w"))),
            d2=d - pl.col("d1"),
        )
        .with_columns(c2=c - pl.col("c1"), p2s=pl.lit(boundary, pl.Int64))
    )


def _counters_and_rates(
    work: pl.DataFrame, crossing: pl.DataFrame, rules: FundingRules
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Counters, rate sums and rate days of every row's first part (``work`` order),
    and of the second part of the rows in ``crossing``."""
    new = rules.regime_2025
    boundary = (rules.boundary.value - _EPOCH).days
    carry_over = new.carry_over_pre_2025_days.value
    counts_old = _counted(
        rules.regime_2015.counted_benefits.value, rules.regime_2015.counted_bases.value
    )
    counts_new = _counted(new.counted_benefits.value, new.counted_bases.value)

    # The first part of a crossing row holds only the days before the boundary.
    positions = crossing.get_column("pos")
    days = work.get_column("d").cast(pl.Int64).scatter(positions, crossing.get_column("d1"))
    cents = work.get_column("c").clone().scatter(positions, crossing.get_column("c1"))
    crossing = crossing.with_columns(
        counts_new=counts_new,
        paid=(pl.col("c") >= 0) & (pl.col("d") > 0),
    )
    extra_new = pl.Series("x", [0], dtype=pl.Int64).extend_constant(0, work.height - 1)
    extra_new = extra_new.scatter(
        positions,
        crossing.select(
            pl.when(pl.col("paid") & pl.col("counts_new")).then(pl.col("d2")).otherwise(0)
        ).to_series(),
    )

    has1 = pl.col("s") < boundary
    paid = (pl.col("c") >= 0) & (pl.col("d") > 0)
    frame = work.lazy().with_columns(
        pd=days,
        pc=cents,
        has1=has1,
        correction=~paid,
        counts_old=counts_old,
        counts_new=counts_new,
        n_old=pl.when(has1 & paid & counts_old).then(days).otherwise(0),
        n_new=pl.when(paid & counts_new & (~has1 | carry_over)).then(days).otherwise(0) + extra_new,
        segment_start=pl.col("first") | pl.col("reset"),
        rd=days.clip(lower_bound=1),
    )
    frame = frame.with_columns(
        old_before=_segment_exclusive_sum("n_old", "segment_start"),
        new_before=_segment_exclusive_sum("n_new", "segment_start"),
    )
    # State-funded days: only rows of persons with a funded-until date on or after the
    # period start can have any, so they are computed for those rows alone.
    funded = pl.Series("sf", [0], dtype=pl.Int64).extend_constant(0, work.height - 1)
    if "funded_until" in work.columns:
        part_end = pl.when(pl.col("s") < boundary).then(pl.col("e").clip(upper_bound=boundary - 1))
        some = (
            pl.DataFrame({"rd": days.clip(lower_bound=1)})
            .hstack(work.select("s", "e", "funded_until"))
            .with_row_index("pos")
            .filter(pl.col("funded_until") >= pl.col("s"))
        )
        funded = funded.scatter(
            some.get_column("pos"),
            some.select(
                _state_funded_days(
                    pl.col("rd"),
                    pl.col("s").cast(pl.Int64),
                    part_end.otherwise("e").cast(pl.Int64),
                )
            ).to_series(),
        )
    frame = frame.with_columns(sf=funded)
    new_before = pl.col("new_before")
    frame = frame.select(
        "row",
        "gid",
        "ben",
        "bas",
        "s",
        "e",
        "pd",
        "pc",
        "rd",
        "has1",
        "correction",
        before=pl.when(has1).then("old_before").otherwise(new_before),
        after=pl.when(has1)
        .then(pl.col("old_before") + pl.col("n_old"))
        .otherwise(new_before + pl.col("n_new")),
        new_before=new_before,
        rate_sum=pl.when(has1)
        .then(
            pl.when(pl.col("counts_old"))
            .then(_step_units(pl.col("old_before"), rules) * (pl.col("rd") - pl.col("sf")))
            .otherwise(0)
        )
        .otherwise(
            pl.when(pl.col("counts_new"))
            .then(_tier_units(new_before + 1 + pl.col("sf"), new_before + pl.col("rd"), rules))
            .otherwise(0)
        ),
    )
    first_parts = frame.collect()

    # Second parts: the counter runs on from the row's days before the boundary.
    second = (
        crossing.with_columns(
            before=first_parts.get_column("new_before").gather(positions)
            + pl.when(pl.col("paid") & pl.col("counts_new") & carry_over)
            .then(pl.col("d1"))
            .otherwise(0),
            rd=pl.col("d2").clip(lower_bound=1),
        )
        .with_columns(
            after=pl.col("before")
            + pl.when(pl.col("paid") & pl.col("counts_new")).then(pl.col("d2")).otherwise(0),
            sf=_state_funded_days(pl.col("rd"), pl.col("p2s"), pl.col("e").cast(pl.Int64))
            if "funded_until" in crossing.columns
            else pl.lit(0, pl.Int64),
        )
        .with_columns(
            rate_sum=pl.when(pl.col("counts_new"))
            .then(
                _tier_units(
                    pl.col("before") + 1 + pl.col("sf"), pl.col("before") + pl.col("rd"), rules
                )
            )
            .otherwise(0),
        )
    )
    return first_parts, second


def _apply_corrections(
    work: pl.DataFrame, first: pl.DataFrame, second: pl.DataFrame, boundary: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A correction (a negative amount or no paid days) takes the rate of the payment
    it corrects: among the same person's payments of the same benefit and basis in the
    same regime, the one starting last on or before the correction's period end (the
    later in counter order on a tie), if its period reaches the correction's start.
    Without one, the correction keeps the rate computed for its own place.

    Only rows near a correction are looked at: a payment that can reach the
    correction's start begins at most ``longest period`` days before it, so the
    candidates are found with two binary searches on (person, period start)."""
    if not first.get_column("correction").any():
        return first, second
    span = 1 << _DATE_BITS
    longest = int(work.select((pl.col("e") - pl.col("s")).max()).item())
    keys = work.select(
        pl.col("gid") * span + (pl.col("s").cast(pl.Int64) + _DATE_OFFSET).clip(0, span - 1)
    ).to_series()

    def key(days: pl.Expr) -> pl.Expr:
        return pl.col("gid") * span + (days + _DATE_OFFSET).clip(0, span - 1)

    in_2015 = pl.col("has1")
    corrections = first.with_row_index("pos").filter(pl.col("correction"))
    wanted = [
        corrections.select(
            "pos",
            "gid",
            "ben",
            "bas",
            in_second=pl.lit(False),
            regime=(~in_2015).cast(pl.Int8),
            ps=pl.col("s").cast(pl.Int64),
            pe=pl.when(in_2015)
            .then(pl.col("e").clip(upper_bound=boundary - 1))
            .otherwise(pl.col("e"))
            .cast(pl.Int64),
        )
    ]
    if second.height:
        wanted.append(
            second.join(corrections.select("pos", "gid", "ben", "bas"), on="pos").select(
                "pos",
                "gid",
                "ben",
                "bas",
                in_second=pl.lit(True),
                regime=pl.lit(1, pl.Int8),
                ps=pl.col("p2s").cast(pl.Int64),
                pe=pl.col("e").cast(pl.Int64),
            )
        )
    parts = pl.concat(wanted).with_row_index("cid")
    low = keys.search_sorted(parts.select(key(pl.col("ps") - longest)).to_series(), side="left")
    high = keys.search_sorted(parts.select(key(pl.col("pe"))).to_series(), side="right")
    candidates = (
        parts.with_columns(cpos=pl.int_ranges(low, high, dtype=pl.UInt32))
        .explode("cpos")
        .drop_nulls("cpos")
    )
    near = first[candidates.get_column("cpos")].select(
        o_ben="ben",
        o_bas="bas",
        o_has1="has1",
        o_correction="correction",
        o_s=pl.col("s").cast(pl.Int64),
        o_e=pl.col("e").cast(pl.Int64),
        o_days="pd",
        o_sum="rate_sum",
        o_rd="rd",
    )
    candidates = pl.concat([candidates, near], how="horizontal")
    if second.height:
        candidates = candidates.join(
            second.select(
                cpos=pl.col("pos").cast(pl.UInt32),
                x_days="d2",
                x_sum="rate_sum",
                x_rd="rd",
            ),
            on="cpos",
            how="left",
        )
    else:
        candidates = candidates.with_columns(
            x_days=pl.lit(None, pl.Int64), x_sum=pl.lit(None, pl.Int64), x_rd=pl.lit(None, pl.Int64)
        )
    # The candidate's part in the correction's regime.
    use_second = (pl.col("regime") == 1) & pl.col("o_has1")
    matched = (
        candidates.with_columns(
            o_ps=pl.when(use_second).then(boundary).otherwise("o_s"),
            o_pe=pl.when(pl.col("regime") == 0)
            .then(pl.col("o_e").clip(upper_bound=boundary - 1))
            .otherwise("o_e"),
            o_days=pl.when(use_second).then("x_days").otherwise("o_days"),
            o_sum=pl.when(use_second).then("x_sum").otherwise("o_sum"),
            o_rd=pl.when(use_second).then("x_rd").otherwise("o_rd"),
            same_regime=pl.when(pl.col("regime") == 0)
            .then(pl.col("o_has1"))
            .otherwise(~pl.col("o_has1") | pl.col("x_days").is_not_null()),
        )
        .filter(
            pl.col("same_regime")
            & ~pl.col("o_correction")
            & (pl.col("o_days") > 0)
            & (pl.col("o_ben") == pl.col("ben"))
            & (pl.col("o_bas") == pl.col("bas"))
            & (pl.col("o_ps") <= pl.col("pe"))
        )
        .sort("cid", "o_ps", "cpos")
        .group_by("cid", maintain_order=True)
        .last()
        .filter(pl.col("o_pe") >= pl.col("ps"))
    )
    for in_second in (False, True):
        found = matched.filter(pl.col("in_second") == in_second)
        if found.height == 0:
            continue
        if in_second:
            second = (
                second.join(found.select("pos", "o_sum", "o_rd"), on="pos", how="left")
                .with_columns(
                    rate_sum=pl.coalesce("o_sum", "rate_sum"), rd=pl.coalesce("o_rd", "rd")
                )
                .drop("o_sum", "o_rd")
            )
        else:
            positions = found.get_column("pos")
            first = first.with_columns(
                first.get_column("rate_sum").scatter(positions, found.get_column("o_sum")),
                first.get_column("rd").scatter(positions, found.get_column("o_rd")),
            )
    return first, second


def _money(cents: pl.Expr) -> pl.Expr:
    """Integer cents as a two-place decimal (the decimal's integer is the cents)."""
    return cents.cast(pl.Int128).reinterpret(dtype=MONEY)


def _assemble(
    payments: pl.DataFrame,
    numbers: pl.DataFrame,
    first: pl.DataFrame,
    second: pl.DataFrame,
    order: pl.Series | None,
    rules: FundingRules,
) -> pl.DataFrame:
    """Results back in input order, the second parts of crossing rows at the end."""
    primary = first.select(
        has1="has1",
        days_before=pl.col("before").cast(COUNTER),
        days_after=pl.col("after").cast(COUNTER),
        municipal_rate=pl.col("rate_sum") / (pl.col("rd") * RATE_UNIT),
        m=_round_half_up(pl.col("pc") * pl.col("rate_sum"), pl.col("rd") * RATE_UNIT),
    )
    if order is not None:
        inverse = pl.Series("inverse", [0], dtype=pl.UInt32).extend_constant(0, len(order) - 1)
        inverse = inverse.scatter(order, pl.int_range(len(order), dtype=pl.UInt32, eager=True))
        primary = primary[inverse]

    cents = numbers.get_column("c")
    out = payments
    names = result_schema(payments.schema).names()
    if second.height:
        second = second.sort("row")
        rows = second.get_column("row")
        cents = cents.clone().scatter(rows, second.get_column("c1"))
        out = out.with_columns(
            payments.get_column("period_end")
            .clone()
            .scatter(rows, rules.boundary.value - dt.timedelta(days=1)),
            payments.get_column("paid_days")
            .clone()
            .scatter(rows, second.get_column("d1").cast(payments.schema["paid_days"])),
        )
    m = primary.get_column("m")
    out = out.with_columns(
        regime=pl.when(primary.get_column("has1"))
        .then(pl.lit("2015", REGIME))
        .otherwise(pl.lit("2025", REGIME)),
        days_before=primary.get_column("days_before"),
        days_after=primary.get_column("days_after"),
        municipal_rate=primary.get_column("municipal_rate"),
        amount_eur=_money(pl.lit(cents)),
        municipal_share_eur=_money(pl.lit(m)),
        state_share_eur=_money(pl.lit(cents) - pl.lit(m)),
    ).select(names)
    if second.height == 0:
        return out

    m2 = _round_half_up(pl.col("c2") * pl.col("rate_sum"), pl.col("rd") * RATE_UNIT)
    extra = payments[second.get_column("row")].with_columns(
        period_start=pl.lit(rules.boundary.value),
        paid_days=second.get_column("d2").cast(payments.schema["paid_days"]),
        regime=pl.lit("2025", REGIME),
        days_before=second.get_column("before").cast(COUNTER),
        days_after=second.get_column("after").cast(COUNTER),
        municipal_rate=second.get_column("rate_sum") / (second.get_column("rd") * RATE_UNIT),
        amount_eur=_money(pl.lit(second.get_column("c2"))),
        municipal_share_eur=second.select(_money(m2)).to_series(),
        state_share_eur=second.select(_money(pl.col("c2") - m2)).to_series(),
    )
    return pl.concat([out, extra.select(names)], rechunk=False)


# --- summaries and explanations ---------------------------------------------------------


def summarise(
    result: pl.DataFrame, by: Literal["municipality-month", "person-month"]
) -> pl.DataFrame:
    """Sum results per municipality or person, payment month, regime and benefit."""
    if by == "municipality-month":
        key = "municipality_code"
    elif by == "person-month":
        key = "person_id"
    else:
        raise ValueError(f"by must be 'municipality-month' or 'person-month', not {by!r}")
    return (
        result.group_by(
            pl.col(key),
            pl.col("payment_date").dt.strftime("%Y-%m").alias("month"),
            pl.col("regime").cast(pl.String),
            pl.col("benefit").cast(pl.String),
        )
        .agg(
            persons=pl.col("person_id").n_unique().cast(pl.Int64),
            paid_days=pl.col("paid_days").cast(pl.Int64).sum(),
            amount_eur=pl.col("amount_eur").sum().cast(MONEY),
            municipal_share_eur=pl.col("municipal_share_eur").sum().cast(MONEY),
            state_share_eur=pl.col("state_share_eur").sum().cast(MONEY),
        )
        .sort(key, "month", "regime", "benefit")
        .select(key, *SUMMARY_COLUMNS)
    )


_TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Funding share of {person}: {rows} payments.",
        "row": (
            "{start}–{end} {benefit} ({basis}), {days} paid days, {amount} €: regime {regime}, "
            "counter {before} → {after} days; municipality {rate} % = {municipal} €, "
            "state {state} €."
        ),
        "correction": " This is a correction: it takes the rate of the payment it corrects.",
        "reset": "The counter restarted (employment condition met).",
        "step": "The counter reached {days} days: from the next payment period the "
        "municipality pays {rate} %.",
        "tier": "Day {day} was reached: from that day the municipality pays {rate} %.",
        "new_regime": "From {date} the 2025 rules apply: a new counter, billed per day.",
        "total": "In total: municipality {municipal} €, state {state} €.",
        "basis": {"unemployment": "unemployment", "service": "service", "other": "other"},
    },
    "fi": {
        "title": "Henkilön {person} kunnan rahoitusosuus: {rows} maksua.",
        "row": (
            "{start}–{end} {benefit} ({basis}), {days} maksettua päivää, {amount} €: "
            "malli {regime}, kertymä {before} → {after} päivää; kunta {rate} % = "
            "{municipal} €, valtio {state} €."
        ),
        "correction": " Tämä on oikaisu: siihen sovelletaan oikaistavan maksun osuutta.",
        "reset": "Kertymä alkoi alusta (työssäoloehto täyttyi).",
        "step": "Kertymä saavutti {days} päivää: seuraavasta maksujaksosta alkaen kunta "
        "maksaa {rate} %.",
        "tier": "Päivä {day} saavutettiin: siitä alkaen kunta maksaa {rate} %.",
        "new_regime": "{date} alkaen sovelletaan vuoden 2025 sääntöjä: uusi kertymä, "
        "laskutus päivittäin.",
        "total": "Yhteensä: kunta {municipal} €, valtio {state} €.",
        "basis": {"unemployment": "työttömyys", "service": "palvelu", "other": "muu"},
    },
    "sv": {
        "title": "Kommunens finansieringsandel för {person}: {rows} utbetalningar.",
        "row": (
            "{start}–{end} {benefit} ({basis}), {days} betalda dagar, {amount} €: "
            "modell {regime}, ackumulering {before} → {after} dagar; kommunen {rate} % = "
            "{municipal} €, staten {state} €."
        ),
        "correction": " Detta är en rättelse: den får andelen för den utbetalning den rättar.",
        "reset": "Ackumuleringen började om (arbetsvillkoret uppfylldes).",
        "step": "Ackumuleringen nådde {days} dagar: från nästa utbetalningsperiod betalar "
        "kommunen {rate} %.",
        "tier": "Dag {day} nåddes: från den dagen betalar kommunen {rate} %.",
        "new_regime": "Från {date} gäller 2025 års regler: ny ackumulering, fakturering per dag.",
        "total": "Sammanlagt: kommunen {municipal} €, staten {state} €.",
        "basis": {"unemployment": "arbetslöshet", "service": "tjänst", "other": "annan"},
    },
}


def _percent(value: float | Decimal, lang: str) -> str:
    text = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang in ("fi", "sv") else text


def _euros(value: Decimal, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang in ("fi", "sv") else text


def explain(
    result_for_one_person: pl.DataFrame,
    lang: Literal["fi", "sv", "en"] = "fi",
    *,
    rules: FundingRules | None = None,
) -> str:
    """One person's counter history, steps and shares in words (fi, sv or en).

    Takes the rows :func:`compute` returned for one person, in any order."""
    if lang not in _TEXTS:
        raise ValueError(f"lang must be one of {sorted(_TEXTS)}, not {lang!r}")
    texts = _TEXTS[lang]
    rules = rules or load_rules()
    people = result_for_one_person.get_column("person_id").unique().to_list()
    if len(people) != 1:
        raise ValueError(f"explain takes the rows of one person, got {len(people)} persons")
    rows = result_for_one_person.sort("period_start", "period_end").to_dicts()
    lines = [texts["title"].format(person=people[0], rows=len(rows))]
    previous: dict[str, int] = {}
    boundary_told = False
    for row in rows:
        regime = str(row["regime"])
        if regime == "2025" and not boundary_told:
            lines.append(texts["new_regime"].format(date=rules.boundary.value.isoformat()))
            boundary_told = True
        if row["days_before"] < previous.get(regime, 0):
            lines.append(texts["reset"])
        amount = row["amount_eur"]
        line = texts["row"].format(
            start=row["period_start"].isoformat(),
            end=row["period_end"].isoformat(),
            benefit=row["benefit"],
            basis=texts["basis"][str(row["basis"])],
            days=row["paid_days"],
            amount=_euros(amount, lang),
            regime=regime,
            before=row["days_before"],
            after=row["days_after"],
            rate=_percent(row["municipal_rate"], lang),
            municipal=_euros(row["municipal_share_eur"], lang),
            state=_euros(row["state_share_eur"], lang),
        )
        if amount < 0 or row["paid_days"] == 0:
            line += texts["correction"]
        lines.append(line)
        before, after = row["days_before"], row["days_after"]
        if regime == "2015":
            for step in rules.regime_2015.steps.value:
                if before < step.from_days <= after:
                    lines.append(
                        texts["step"].format(
                            days=step.from_days, rate=_percent(step.municipal_rate, lang)
                        )
                    )
        else:
            for tier in rules.regime_2025.tiers.value:
                if before < tier.from_day <= after:
                    lines.append(
                        texts["tier"].format(
                            day=tier.from_day, rate=_percent(tier.municipal_rate, lang)
                        )
                    )
        previous[regime] = after
    total_m = sum((r["municipal_share_eur"] for r in rows), Decimal(0))
    total_s = sum((r["state_share_eur"] for r in rows), Decimal(0))
    lines.append(
        texts["total"].format(municipal=_euros(total_m, lang), state=_euros(total_s, lang))
    )
    return "\n".join(lines)
