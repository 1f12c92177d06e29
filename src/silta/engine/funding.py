"""The municipal funding share of unemployment benefits, computed over Polars frames.

``compute(payments, events, rules)`` takes the benefit payments (the DESIGN.md data
contract) and returns every payment with its regime, the person's counter before and
after it, the municipal rate and the municipal and state shares in euros.

How it runs fast: the arithmetic is done in integers (cents, paid days, rates in
millionths) over whole columns. Rows are put in (person, period start) order once; a
person's counter is a cumulative sum that restarts at each person and at each
employment-condition event (a "segment"), so no Python loop touches a row. Input that
is already in that order is not sorted again; otherwise one sort of a single 128-bit
key (two hashes of ``person_id``, the period start, the correction flag and the row
number) gives the order. Persons are independent, so the work runs over batches of
about a million rows that never split a person, two at a time (Polars computes
without the interpreter lock), which keeps the intermediate columns small: memory
stays near the size of the input plus the result. Results of shuffled input go
straight to their input rows, packed in two integers per row, and the result columns
are then made in input order, batch by batch.

The rules themselves (regime split, per-period steps, per-day tiers, corrections,
state-funded days, basis ``other``) are written out in docs/adr/0004-funding-engine.md
and, one row at a time, in :mod:`silta.engine.reference`, which the tests hold this
module to cent by cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, Literal, TypeVar

import polars as pl

from silta.engine.rules import BASES, EVENTS, RATE_UNIT, FundingRules, RuleVersion, load_rules

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
_COUNTER_MAX = (1 << 31) - 1

_EPOCH = dt.date(1970, 1, 1)
_HASH_SEEDS = (0x5117A, 0xC0FFEE)
# Rows per batch (batches end at a person's last row, so they are about this size).
_BATCH_ROWS = 1 << 20
# At least this many bits of the second person hash go into the sort key.
_GUARD_BITS = 16
_SOURCE_COLUMNS = ("period_start", "period_end", "paid_days", "amount_eur", "benefit", "basis")
# Batches are small enough for one thread each; the in-memory engine keeps their
# columns in one piece.
_ENGINE: Literal["in-memory"] = "in-memory"
# Batches computed at the same time.
_WORKERS = 2
# Bits of the rate days in a packed rate (below the rate sum).
_RD_BITS = 21
_T = TypeVar("_T")
_R = TypeVar("_R")


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
    _check_cents(payments)
    order, first = _person_order(payments)
    starts = first.arg_true()
    resets, funded = _event_tables(events, payments, order, starts, rules)

    primary, seconds, hand_back = _run_batches(
        payments, order, first, starts, resets, funded, rules
    )
    del order, first, starts
    second_parts = (
        pl.concat(seconds).sort("row") if seconds else pl.DataFrame(schema=_SECOND_SCHEMA)
    )
    del seconds
    if hand_back is None:
        shares = pl.concat(primary, rechunk=False)
    else:
        shares = _unshuffle(payments, pl.DataFrame(list(hand_back.values())), second_parts, rules)
        hand_back.clear()
    del primary
    return _assemble(payments, shares, second_parts, rules)


def _run_batches(
    payments: pl.DataFrame,
    order: pl.Series | None,
    first: pl.Series,
    starts: pl.Series,
    resets: pl.DataFrame | None,
    funded: pl.Series | None,
    rules: FundingRules,
) -> tuple[list[pl.DataFrame], list[pl.DataFrame], dict[str, pl.Series] | None]:
    """Compute the batches: returns the result columns of sorted input by batch (or
    nothing for shuffled input), the second parts by batch, and for shuffled input the
    packed first parts in input order."""
    source = payments.select(_SOURCE_COLUMNS)
    n = payments.height
    # Shuffled input: each batch's results go straight to their input rows, packed in
    # two integers (rate days of at most 2**21 - 1 fit beside the rate sum).
    hand_back: dict[str, pl.Series] | None = None
    if order is not None:
        longest = payments.get_column("paid_days").max()
        packs = isinstance(longest, int) and longest < (1 << _RD_BITS)
        hand_back = {
            name: pl.zeros(n, pl.Int64, eager=True).alias(name)
            for name in (("counters", "rate") if packs else ("counters", "rate_sum", "rd"))
        }

    def run(
        bounds: tuple[int, int, int, int],
    ) -> tuple[pl.DataFrame, pl.DataFrame, pl.Series | None]:
        p0, p1, lo, hi = bounds
        rows = None if order is None else order.slice(lo, hi - lo)
        raw = source.slice(lo, hi - lo) if rows is None else source[rows]
        batch = _batch_numbers(raw, payments, rules)
        del raw
        batch = batch.with_columns(first=first.slice(lo, hi - lo))
        parts, second = _compute_batch(batch, p0, p1, resets, funded, rules)
        del batch
        if second.height:
            positions = second.get_column("pos")
            second = second.with_columns(
                row=(positions.cast(pl.UInt32) + lo) if rows is None else rows.gather(positions),
            ).select(pl.col(name).cast(dtype) for name, dtype in _SECOND_SCHEMA.items())
        if hand_back is None:
            return _shares(parts), second, rows
        return _packed(parts, packed="rate" in hand_back), second, rows

    primary: list[pl.DataFrame] = []
    seconds: list[pl.DataFrame] = []
    for result, second, rows in _map(run, _batches(starts, n)):
        if hand_back is None or rows is None:
            primary.append(result)
        else:
            for name, values in zip(result.columns, result.iter_columns(), strict=True):
                hand_back[name].scatter(rows, values)
        if second.height:
            seconds.append(second)
        del result, second, rows
    return primary, seconds, hand_back


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


def _cents(dtype: pl.DataType) -> pl.Expr:
    amount = pl.col("amount_eur")
    if isinstance(dtype, pl.Decimal):
        return (amount * 100).cast(pl.Int64)
    if dtype.is_float():
        return (amount * 100).round(0).cast(pl.Int64)
    return amount.cast(pl.Int64) * 100


def _check_cents(payments: pl.DataFrame) -> None:
    dtype = payments.schema["amount_eur"]
    if isinstance(dtype, pl.Decimal) and (dtype.scale or 0) > 2:
        amount = pl.col("amount_eur")
        exact = payments.select((amount * 100 - _cents(dtype) == 0).all()).item()
        if not exact:
            raise ValueError("payments.amount_eur holds fractions of a cent")


def _batch_numbers(raw: pl.DataFrame, payments: pl.DataFrame, rules: FundingRules) -> pl.DataFrame:
    """A batch's columns as small integers: start and end (days since 1970), paid
    days, cents, benefit and basis as one code (benefit × 3 + basis) and the index of
    the rule version in force on the period start."""
    width = len(rules.benefit_codes) * len(BASES)
    numbers = (
        raw.lazy()
        .select(
            s=pl.col("period_start").to_physical(),
            e=pl.col("period_end").to_physical(),
            d=pl.col("paid_days").cast(pl.Int32),
            c=_cents(raw.schema["amount_eur"]),
            code=_code("benefit", rules.benefit_codes) * len(BASES) + _code("basis", BASES),
        )
        .with_columns(vix=_version_index(pl.col("s"), rules))
        # What the row's rule version says of its benefit and basis, looked up once
        # for all the questions the computation asks (see _FLAGS).
        .with_columns(
            flags=pl.lit(_flag_table(rules)).gather(
                pl.col("vix").cast(pl.UInt16) * width + pl.col("code")
            )
        )
        .collect(engine=_ENGINE)
    )
    if numbers.get_column("code").null_count():
        _unknown_codes(payments, rules)
    return numbers


def _version_index(day: pl.Expr, rules: FundingRules) -> pl.Expr:
    """The index of the rule version in force on ``day`` (days since 1970); the first
    version also prices earlier days."""
    index: pl.Expr = pl.lit(0, pl.UInt8)
    for version in rules.versions[1:]:
        start = (version.valid_from.value - _EPOCH).days
        index = index + (day >= start).cast(pl.UInt8)
    return index


_FLAGS = {"counted_old": 1, "billed_old": 2, "counted_new": 4, "billed_new": 8, "funded": 16}
"""Bits of the ``flags`` column: the tables of ``_table`` for the row's (version,
benefit, basis), so that each row is looked up once, not once per question."""


def _flag_table(rules: FundingRules) -> pl.Series:
    """The ``flags`` of every (version index, code) at ``vix × codes + code``."""
    flags = [0] * (len(rules.versions) * len(rules.benefit_codes) * len(BASES))
    for kind, bit in _FLAGS.items():
        for index, value in enumerate(_table(rules, kind)):
            if value:
                flags[index] |= bit
    return pl.Series(flags, dtype=pl.UInt8)


def _flag(kind: str) -> pl.Expr:
    """Whether the row's ``flags`` say ``kind`` (one of ``_FLAGS``)."""
    return (pl.col("flags") & _FLAGS[kind]) != 0


def _lookup(rules: FundingRules, test: Callable[[int, RuleVersion, str, str], bool]) -> pl.Series:
    """A table over (version index, code): ``test(version index, version, benefit,
    basis)`` at ``vix × codes + code``."""
    values = [
        test(i, version, benefit, basis)
        for i, version in enumerate(rules.versions)
        for benefit in rules.benefit_codes
        for basis in BASES
    ]
    return pl.Series(values, dtype=pl.Boolean)


def _table(rules: FundingRules, kind: str) -> pl.Series:
    """The lookup tables of the engine: whether a (version, benefit, basis) is
    ``counted_old`` (the period-step counter), ``billed_old``, ``counted_new`` (the
    day-tier counter; for period-step versions the carried-over days),
    ``billed_new``, or has the ``funded`` (state-funded-until) exception."""
    carry = rules.carry_over_version
    carry_on = rules.carry_over
    tests: dict[str, Callable[[int, RuleVersion, str, str], bool]] = {
        "counted_old": lambda _i, v, b, s: not v.is_day_tiers and v.counts(b, s),
        "billed_old": lambda _i, v, b, s: not v.is_day_tiers and v.bills(b, s),
        "counted_new": lambda _i, v, b, s: (
            v.counts(b, s) if v.is_day_tiers else carry_on and carry.counts(b, s)
        ),
        "billed_new": lambda _i, v, b, s: v.is_day_tiers and v.bills(b, s),
        "funded": lambda _i, v, _b, _s: "state_funded_until" in v.exceptions.value,
    }
    return _lookup(rules, tests[kind])


def _looked_up(rules: FundingRules, kind: str, vix: pl.Expr | int) -> pl.Expr:
    """The table ``kind`` at each row's (version index, code)."""
    width = len(rules.benefit_codes) * len(BASES)
    index = (
        pl.lit(vix, pl.Int64) if isinstance(vix, int) else vix.cast(pl.Int64)
    ) * width + pl.col("code").cast(pl.Int64)
    return pl.lit(_table(rules, kind)).gather(index)


def _unknown_codes(payments: pl.DataFrame, rules: FundingRules) -> None:
    for column, codes in (("benefit", rules.benefit_codes), ("basis", BASES)):
        unknown = (
            payments.select(pl.col(column).cast(pl.String))
            .filter(~pl.col(column).is_in(codes))
            .get_column(column)
            .unique()
            .sort()
            .to_list()
        )
        if unknown:
            raise ValueError(f"unknown {column} codes {unknown}; expected one of {codes}")


def _correction_flag() -> pl.Expr:
    return (pl.col("amount_eur") < 0) | (pl.col("paid_days") == 0)


def _person_order(payments: pl.DataFrame) -> tuple[pl.Series | None, pl.Series]:
    """The order in which a person's counter runs: each person's rows together, by
    period start, payments before corrections (negative or zero-day rows) of the same
    start, then input order.

    Returns ``(order, first)``: ``order`` lists input row numbers in that order, or is
    None when the input is already so ordered; ``first`` marks, in that order, the
    first row of each person.
    """
    person = payments.get_column("person_id")
    if person.dtype != pl.String and not person.dtype.is_numeric():
        person = person.cast(pl.String)
    if person.is_sorted():
        start = pl.col("period_start")
        same = pl.col("person_id") == pl.col("person_id").shift(1)
        kind = _correction_flag().cast(pl.Int8)
        checked = (
            payments.select("period_start", "amount_eur", "paid_days")
            .with_columns(person_id=person)
            .select(
                first=~same.fill_null(False),
                out_of_order=(
                    same
                    & (
                        (start < start.shift(1))
                        | ((start == start.shift(1)) & (kind < kind.shift(1)))
                    )
                ).any(),
            )
        )
        if not checked.get_column("out_of_order")[0]:
            return None, checked.get_column("first")
    order_first = _hash_order(payments, person)
    if order_first is not None:
        return order_first
    return _exact_order(payments, person)


def _hash_order(payments: pl.DataFrame, person: pl.Series) -> tuple[pl.Series, pl.Series] | None:
    """The order from one sort of a 128-bit key: a 63-bit hash of ``person_id``, then
    (in the lower 64 bits) the top bits of a second hash, the period start, the
    correction flag and the row number. Two persons are told apart by 63 + at least
    16 hash bits; if two persons' first hashes are equal and the second ones differ,
    the exact order is used instead. None if the row numbers and dates leave fewer
    than 16 bits for the second hash."""
    n = payments.height
    starts = payments.get_column("period_start").to_physical()
    low, high = starts.min(), starts.max()
    assert isinstance(low, int) and isinstance(high, int)
    row_bits = max(1, (n - 1).bit_length())
    start_bits = max(1, (high - low).bit_length())
    guard_bits = 64 - row_bits - start_bits - 1
    if guard_bits < _GUARD_BITS:
        return None
    guard_shift = 64 - guard_bits

    def u64(value: int) -> pl.Expr:
        return pl.lit(value, pl.UInt64)

    guard = pl.col("g") // u64(1 << guard_shift)
    lower = (
        guard * u64(1 << guard_shift)
        + (pl.col("period_start").to_physical() - low).cast(pl.UInt64) * u64(1 << (row_bits + 1))
        + _correction_flag().cast(pl.UInt64) * u64(1 << row_bits)
        + pl.int_range(pl.len(), dtype=pl.UInt64)
    )
    key = (
        payments.select("period_start", "amount_eur", "paid_days")
        .with_columns(
            h=person.hash(_HASH_SEEDS[0]) // 2,
            g=person.hash(_HASH_SEEDS[1]),
        )
        .select(
            key=pl.col("h").cast(pl.Int128) * pl.lit(1 << 64, pl.Int128) + lower.cast(pl.Int128)
        )
        .get_column("key")
        .sort()
    )
    h = pl.col("h")
    guard = pl.col("lower") // u64(1 << guard_shift)
    ordered = (
        key.to_frame()
        .select(
            h=(pl.col("key") // pl.lit(1 << 64, pl.Int128)).cast(pl.Int64),
            lower=pl.col("key").cast(pl.UInt64, wrap_numerical=True),
        )
        .select(
            row=(pl.col("lower") % u64(1 << row_bits)).cast(pl.UInt32),
            first=(h != h.shift(1)).fill_null(True),
            collision=((h == h.shift(1)) & (guard != guard.shift(1))).any(),
        )
    )
    if ordered.get_column("collision")[0]:
        return None
    return ordered.get_column("row"), ordered.get_column("first")


def _exact_order(payments: pl.DataFrame, person: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The order by one sort on person_id, start, correction flag and row number."""
    frame = payments.select(s=pl.col("period_start"), k=_correction_flag(), person_id=person)
    order = (
        frame.select(
            pl.arg_sort_by(["person_id", "s", "k", pl.int_range(pl.len(), dtype=pl.UInt32)])
        )
        .to_series()
        .cast(pl.UInt32)
    )
    ordered_person = frame.get_column("person_id").gather(order)
    first = (ordered_person != ordered_person.shift(1)).fill_null(True)
    return order.alias("row"), first.alias("first")


def _map(function: Callable[[_T], _R], items: Iterable[_T]) -> Iterator[_R]:
    """``map`` over independent batches, two at a time when Polars has two or more
    threads (Polars releases the interpreter lock while it computes)."""
    workers = min(_WORKERS, pl.thread_pool_size())
    if workers <= 1:
        yield from map(function, items)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(function, items)


def _batches(starts: pl.Series, n: int) -> Iterator[tuple[int, int, int, int]]:
    """Batches of about _BATCH_ROWS rows, each ending at a person's last row: yields
    (first person, end person, first row, end row), ends exclusive."""
    persons = len(starts)
    targets = pl.Series(range(_BATCH_ROWS, n, _BATCH_ROWS), dtype=starts.dtype)
    cuts = sorted({0, persons, *starts.search_sorted(targets, side="left").to_list()})
    rows = [*starts.gather([c for c in cuts if c < persons]).to_list(), n]
    yield from ((cuts[i], cuts[i + 1], rows[i], rows[i + 1]) for i in range(len(cuts) - 1))


def _event_tables(
    events: pl.DataFrame | None,
    payments: pl.DataFrame,
    order: pl.Series | None,
    starts: pl.Series,
    rules: FundingRules,
) -> tuple[pl.DataFrame | None, pl.Series | None]:
    """The counter resets as (person number, date) sorted by person number, and each
    person's state-funded-until date (days since 1970, null if none) by person
    number; None when there are none. Person numbers count persons in work order."""
    if events is None or events.height == 0:
        return None, None
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

    first_rows = starts if order is None else order.gather(starts)
    persons = pl.DataFrame(
        {
            "gid": pl.int_range(len(starts), dtype=pl.Int64, eager=True),
            "person_id": payments.get_column("person_id").gather(first_rows).cast(pl.String),
        }
    )
    resets: pl.DataFrame | None = (
        events.filter(pl.col("event") == _reset_event(pl.col("date").to_physical(), rules))
        .join(persons, on="person_id")
        .select("gid", date=pl.col("date").to_physical().cast(pl.Int64))
        .sort("gid")
    )
    if resets is not None and resets.height == 0:
        resets = None
    funded_events = (
        events.filter(pl.col("event") == "state_funded_until")
        .group_by("person_id")
        .agg(pl.col("date").max())
        .join(persons, on="person_id")
    )
    funded: pl.Series | None = None
    if funded_events.height:
        funded = pl.Series("funded_until", [None], dtype=pl.Int32).extend_constant(
            None, persons.height - 1
        )
        funded = funded.scatter(
            funded_events.get_column("gid"),
            funded_events.get_column("date").to_physical().cast(pl.Int32),
        )
    return resets, funded


# --- the computation ------------------------------------------------------------------


def _reset_event(day: pl.Expr, rules: FundingRules) -> pl.Expr:
    """The counter reset event of the rule version in force on ``day``."""
    event: Any = pl.lit(rules.versions[0].counter_reset_event.value)
    for version in rules.versions[1:]:
        start = (version.valid_from.value - _EPOCH).days
        event = (
            pl.when(day >= start).then(pl.lit(version.counter_reset_event.value)).otherwise(event)
        )
    return event


def _by_version(
    vix: pl.Expr,
    rules: FundingRules,
    make: Callable[[RuleVersion], pl.Expr | None],
    same: Callable[[RuleVersion], object],
) -> pl.Expr:
    """``make(version)`` for the rule version of each row (0 where it gives None).

    Versions for which ``same`` gives an equal value make the same expression, so it
    is built and computed once for all of them (the 2025 and 2026 versions share
    their tiers), chosen by a range of version indices rather than row by row."""
    groups: dict[object, list[int]] = {}
    for i, version in enumerate(rules.versions):
        groups.setdefault(same(version), []).append(i)
    made = [(indices, make(rules.versions[indices[0]])) for indices in groups.values()]
    present = [(indices, e) for indices, e in made if e is not None]
    if not present:
        return pl.lit(0, pl.Int64)
    if len(present) == 1:
        # the callers ask only rows whose version has it
        return present[0][1]
    last = len(rules.versions) - 1
    result: Any = pl.lit(0, pl.Int64)
    for indices, expr in present:
        lo, hi = indices[0], indices[-1]
        if indices != list(range(lo, hi + 1)):
            chosen = vix.is_in(indices)
        elif lo == 0:
            chosen = vix <= hi
        elif hi == last:
            chosen = vix >= lo
        else:
            chosen = (vix >= lo) & (vix <= hi)
        result = pl.when(chosen).then(expr).otherwise(result)
    return result


def _round_half_up(numerator: pl.Expr, denominator: pl.Expr | int) -> pl.Expr:
    """Integer division rounded half away from zero (Decimal's ROUND_HALF_UP);
    the denominator is positive."""
    return ((numerator.abs() * 2 + denominator) // (denominator * 2)) * numerator.sign()


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
    until = pl.col("funded_until").cast(pl.Int64)
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


def _step_units(counter: pl.Expr, vix: pl.Expr, rules: FundingRules) -> pl.Expr:
    """Model period_steps: the period's rate (in millionths) from the counter before
    it, by the steps of the row's rule version."""

    def steps(version: RuleVersion) -> pl.Expr | None:
        if version.steps is None:
            return None
        rate = pl.lit(0, pl.Int64)
        for step in version.steps.value:
            rate = (
                pl.when(counter >= step.from_days)
                .then(pl.lit(_rate_units(step.municipal_rate), pl.Int64))
                .otherwise(rate)
            )
        return rate

    return _by_version(vix, rules, steps, lambda v: v.steps and v.steps.value)


def _tier_units(
    first_day: pl.Expr, last_day: pl.Expr, vix: pl.Expr | int, rules: FundingRules
) -> pl.Expr:
    """Model day_tiers: the sum of the day rates (in millionths) of day numbers
    first_day..last_day, split by days over the tiers of the row's rule version."""

    def tiered(version: RuleVersion) -> pl.Expr | None:
        if version.tiers is None:
            return None
        total = pl.lit(0, pl.Int64)
        tiers = version.tiers.value
        for i, tier in enumerate(tiers):
            low = pl.max_horizontal(first_day, pl.lit(tier.from_day, pl.Int64))
            high = last_day
            if i + 1 < len(tiers):
                high = pl.min_horizontal(last_day, pl.lit(tiers[i + 1].from_day - 1, pl.Int64))
            total = total + (high - low + 1).clip(lower_bound=0) * _rate_units(tier.municipal_rate)
        return total

    if isinstance(vix, int):
        made = tiered(rules.versions[vix])
        return made if made is not None else pl.lit(0, pl.Int64)
    return _by_version(vix, rules, tiered, lambda v: v.tiers and v.tiers.value)


def _boundary(rules: FundingRules) -> int:
    return (rules.boundary.value - _EPOCH).days


def _split_crossing(batch: pl.DataFrame, rules: FundingRules) -> pl.DataFrame:
    """The payments whose period crosses the regime boundary, split pro rata: paid
    days by the weekdays on each side, the amount by the paid days (by the weekdays
    for a payment without days), each rounded half up so the parts sum to the whole."""
    boundary = _boundary(rules)
    positions = batch.select(
        ((pl.col("s") < boundary) & (pl.col("e") >= boundary)).arg_true()
    ).to_series()
    s, e, d, c = (pl.col(x).cast(pl.Int64) for x in ("s", "e", "d", "c"))
    before = _weekdays(s, pl.lit(boundary - 1, pl.Int64))
    after = _weekdays(pl.lit(boundary, pl.Int64), e)
    carry = rules.versions.index(rules.carry_over_version)
    return (
        batch[positions]
        .with_columns(pos=positions)
        .with_columns(d1=_round_half_up(d * before, before + after), w1=before, w=before + after)
        .with_columns(
            c1=pl.when(d > 0)
            .then(_round_half_up(c * pl.col("d1"), d))
            .otherwise(_round_half_up(c * pl.col("w1"), pl.col("w"))),
            d2=d - pl.col("d1"),
        )
        .with_columns(
            c2=c - pl.col("c1"),
            p2s=pl.lit(boundary, pl.Int64),
            counts_new=_looked_up(rules, "counted_new", carry),
            bills_new=_looked_up(rules, "billed_new", carry),
            funded_ok=_looked_up(rules, "funded", carry),
            paid=(pl.col("c") >= 0) & (pl.col("d") > 0),
        )
    )


def _row_key() -> pl.Expr:
    """(person number in the batch, period start) as one increasing integer."""
    return pl.col("gid") * (1 << 32) + (pl.col("s").cast(pl.Int64) + (1 << 31))


def _day_key(gid: pl.Expr, day: pl.Expr) -> pl.Expr:
    """The row key of a period of person ``gid`` starting on ``day`` (days since 1970)."""
    return gid * (1 << 32) + (day + (1 << 31)).clip(0, (1 << 32) - 1)


def _compute_batch(
    batch: pl.DataFrame,
    p0: int,
    p1: int,
    resets: pl.DataFrame | None,
    funded: pl.Series | None,
    rules: FundingRules,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Counters, rate sums and rate days of a batch's rows (their first parts, in work
    order) and of the second parts of its rows that cross the regime boundary."""
    n = batch.height
    boundary = _boundary(rules)
    carry_over = rules.carry_over
    carry = rules.versions.index(rules.carry_over_version)
    batch = batch.with_columns(
        gid=pl.col("first").cast(pl.UInt32).cum_sum().cast(pl.Int64) - 1
    ).with_columns(key=_row_key())

    # Events: resets at the first period starting after each event; funded-until dates.
    segment_start = batch.get_column("first")
    if resets is not None:
        low, high = (
            resets.get_column("gid").search_sorted(pl.Series([p0, p1]), side="left").to_list()
        )
        mine = resets.slice(low, high - low)
        if mine.height:
            event_keys = mine.select(_day_key(pl.col("gid") - p0, pl.col("date") + 1))
            positions = batch.get_column("key").search_sorted(event_keys.to_series(), side="left")
            segment_start = segment_start.clone().scatter(positions.filter(positions < n), True)
    batch = batch.with_columns(segment_start=segment_start)
    with_funded = False
    if funded is not None:
        mine_funded = funded.slice(p0, p1 - p0)
        if mine_funded.null_count() < len(mine_funded):
            with_funded = True
            batch = batch.with_columns(funded_until=mine_funded.gather(batch.get_column("gid")))

    crossing = _split_crossing(batch, rules)
    days = batch.get_column("d")
    cents = batch.get_column("c")
    extra_new: pl.Expr | None = None
    if crossing.height:
        positions = crossing.get_column("pos")
        days = days.clone().scatter(positions, crossing.get_column("d1").cast(pl.Int32))
        cents = cents.clone().scatter(positions, crossing.get_column("c1"))
        extra_new = pl.lit(
            pl.Series("x", [0], dtype=pl.Int32)
            .extend_constant(0, n - 1)
            .scatter(
                positions,
                crossing.select(
                    pl.when(pl.col("paid") & pl.col("counts_new"))
                    .then(pl.col("d2"))
                    .otherwise(0)
                    .cast(pl.Int32)
                ).to_series(),
            )
        )

    # State-funded days: only rows of persons with a funded-until date on or after the
    # period start can have any, so they are computed for those rows alone.
    state_funded: pl.Series | None = None
    if with_funded:
        positions = batch.select((pl.col("funded_until") >= pl.col("s")).arg_true()).to_series()
        if len(positions):
            some = batch.select("s", "e", "funded_until", "flags")[positions]
            part_end = pl.when(pl.col("s") < boundary).then(
                pl.col("e").clip(upper_bound=boundary - 1)
            )
            state_funded = (
                pl.Series("sf", [0], dtype=pl.Int64)
                .extend_constant(0, n - 1)
                .scatter(
                    positions,
                    some.select(
                        pl.when(_flag("funded"))
                        .then(
                            _state_funded_days(
                                pl.lit(days.gather(positions)).cast(pl.Int64).clip(lower_bound=1),
                                pl.col("s").cast(pl.Int64),
                                part_end.otherwise("e").cast(pl.Int64),
                            )
                        )
                        .otherwise(0)
                    ).to_series(),
                )
            )

    has1, paid, pd = pl.col("has1"), pl.col("paid"), pl.col("pd")
    counted_new = paid & pl.col("counts_new")
    n_new = pl.when(counted_new).then(pd).otherwise(0)
    if extra_new is not None:
        n_new = n_new + pl.col("x")
    frame = (
        batch.lazy()
        .with_columns(
            pd=days,
            pc=cents,
            has1=pl.col("s") < boundary,
            paid=(pl.col("c") >= 0) & (pl.col("d") > 0),
            counts_old=_flag("counted_old"),
            bills_old=_flag("billed_old"),
            counts_new=_flag("counted_new"),
            bills_new=_flag("billed_new"),
            **({} if extra_new is None else {"x": extra_new}),
            **({} if state_funded is None else {"sf": state_funded}),
        )
        .with_columns(
            rd=pd.clip(lower_bound=1),
            n_old=pl.when(has1 & paid & pl.col("counts_old")).then(pd).otherwise(0).cast(pl.Int64),
            n_new=n_new.cast(pl.Int64),
        )
        .with_columns(
            old_before=_segment_exclusive_sum("n_old", "segment_start"),
            new_before=_segment_exclusive_sum("n_new", "segment_start"),
        )
    )
    rate_days = pl.col("rd").cast(pl.Int64)
    if state_funded is not None:
        rate_days = rate_days - pl.col("sf")
    first = frame.select(
        "gid",
        "key",
        "code",
        "s",
        "e",
        "pd",
        "pc",
        "rd",
        "has1",
        "vix",
        "bills_new",
        "new_before",
        correction=~paid,
        before=pl.when(has1).then("old_before").otherwise("new_before"),
        after=pl.when(has1)
        .then(pl.col("old_before") + pl.col("n_old"))
        .otherwise(pl.col("new_before") + pl.col("n_new")),
        rate_sum=pl.when(has1 & pl.col("bills_old"))
        .then(_step_units(pl.col("old_before"), pl.col("vix"), rules) * rate_days)
        .otherwise(0),
        sf=pl.lit(0, pl.Int64) if state_funded is None else pl.col("sf"),
    ).collect(engine=_ENGINE)

    # Regime 2025 rates, for the rows that have them.
    positions = first.select((~has1 & pl.col("bills_new")).arg_true()).to_series()
    if len(positions):
        new_before = pl.col("new_before")
        first = first.with_columns(
            first.get_column("rate_sum").scatter(
                positions,
                first.select("new_before", "rd", "sf", "vix")[positions]
                .select(
                    _tier_units(
                        new_before + 1 + pl.col("sf"),
                        new_before + pl.col("rd").cast(pl.Int64),
                        pl.col("vix"),
                        rules,
                    )
                )
                .to_series(),
            )
        )

    # Second parts: the counter runs on from the row's days before the boundary.
    second = crossing
    if crossing.height:
        second = (
            crossing.with_columns(
                before=first.get_column("new_before").gather(crossing.get_column("pos"))
                + pl.when(pl.col("paid") & pl.col("counts_new") & carry_over)
                .then(pl.col("d1"))
                .otherwise(0),
                rd=pl.col("d2").clip(lower_bound=1),
            )
            .with_columns(
                after=pl.col("before")
                + pl.when(pl.col("paid") & pl.col("counts_new")).then(pl.col("d2")).otherwise(0),
                sf=pl.when(pl.col("funded_ok"))
                .then(_state_funded_days(pl.col("rd"), pl.col("p2s"), pl.col("e").cast(pl.Int64)))
                .otherwise(0)
                if with_funded
                else pl.lit(0, pl.Int64),
            )
            .with_columns(
                rate_sum=pl.when(pl.col("bills_new"))
                .then(
                    _tier_units(
                        pl.col("before") + 1 + pl.col("sf"),
                        pl.col("before") + pl.col("rd"),
                        carry,
                        rules,
                    )
                )
                .otherwise(0),
            )
        )
    return _apply_corrections(first, second, boundary)


def _apply_corrections(
    first: pl.DataFrame, second: pl.DataFrame, boundary: int
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
    longest = int(first.select((pl.col("e") - pl.col("s")).max()).item())
    keys = first.get_column("key")

    def key(days: pl.Expr) -> pl.Expr:
        return _day_key(pl.col("gid"), days)

    in_2015 = pl.col("has1")
    positions = first.select(pl.col("correction").arg_true()).to_series()
    corrections = first.select("gid", "code", "has1", "s", "e")[positions].with_columns(
        pos=positions
    )
    wanted = [
        corrections.select(
            "pos",
            "gid",
            "code",
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
            second.select("pos", "p2s", pl.col("e").cast(pl.Int64))
            .join(corrections.select("pos", "gid", "code"), on="pos")
            .select(
                "pos",
                "gid",
                "code",
                in_second=pl.lit(True),
                regime=pl.lit(1, pl.Int8),
                ps=pl.col("p2s").cast(pl.Int64),
                pe=pl.col("e"),
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
    near = first.select(
        o_code="code",
        o_has1="has1",
        o_correction="correction",
        o_s="s",
        o_e="e",
        o_days="pd",
        o_sum="rate_sum",
        o_rd="rd",
    )[candidates.get_column("cpos")].with_columns(pl.col("o_s", "o_e").cast(pl.Int64))
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
            maintain_order="left",
        )
    else:
        candidates = candidates.with_columns(
            x_days=pl.lit(None, pl.Int64), x_sum=pl.lit(None, pl.Int64), x_rd=pl.lit(None, pl.Int64)
        )
    # The candidate's part in the correction's regime. Within a correction's
    # candidates (in counter order) the part's start never decreases, so the last
    # candidate left is the one starting last, the later in counter order on a tie.
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
            & (pl.col("o_code") == pl.col("code"))
            & (pl.col("o_ps") <= pl.col("pe"))
        )
        .filter((pl.col("cid") != pl.col("cid").shift(-1)).fill_null(True))
        .filter(pl.col("o_pe") >= pl.col("ps"))
    )
    for in_second in (False, True):
        found = matched.filter(pl.col("in_second") == in_second)
        if found.height == 0:
            continue
        if in_second:
            second = (
                second.join(
                    found.select("pos", "o_sum", "o_rd"),
                    on="pos",
                    how="left",
                    maintain_order="left",
                )
                .with_columns(
                    rate_sum=pl.coalesce("o_sum", "rate_sum"), rd=pl.coalesce("o_rd", "rd")
                )
                .drop("o_sum", "o_rd")
            )
        else:
            positions = found.get_column("pos")
            first = first.with_columns(
                first.get_column("rate_sum").scatter(positions, found.get_column("o_sum")),
                first.get_column("rd").scatter(
                    positions, found.get_column("o_rd").cast(first.schema["rd"])
                ),
            )
    return first, second


# --- results --------------------------------------------------------------------------

_SECOND_SCHEMA = {
    "d1": pl.Int64,
    "c1": pl.Int64,
    "d2": pl.Int64,
    "c2": pl.Int64,
    "before": pl.Int64,
    "after": pl.Int64,
    "rate_sum": pl.Int64,
    "rd": pl.Int64,
    "row": pl.UInt32,
}


def _money(cents: pl.Expr) -> pl.Expr:
    """Integer cents as a two-place decimal (the decimal's integer is the cents)."""
    return cents.cast(pl.Int128).reinterpret(dtype=MONEY)


def _share_columns(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The result columns from a frame of parts with ``has1``, ``before``, ``after``,
    ``rate_sum``, ``rd`` (rate days) and ``pc`` (cents)."""
    rd = pl.col("rd").cast(pl.Int64)
    pc, rate_sum = pl.col("pc"), pl.col("rate_sum")
    frame = frame.lazy()
    # Counters only grow, so checking the largest is enough before a wrapping cast.
    largest = frame.select(pl.col("after").max()).collect(engine=_ENGINE).item()
    if largest is not None and largest > _COUNTER_MAX:
        raise ValueError(f"a counter of {largest} days does not fit in {COUNTER}")
    return (
        frame.with_columns(m=_round_half_up(pc * rate_sum, rd * RATE_UNIT))
        .select(
            regime=pl.when("has1").then(pl.lit("2015", REGIME)).otherwise(pl.lit("2025", REGIME)),
            days_before=pl.col("before").cast(COUNTER, wrap_numerical=True),
            days_after=pl.col("after").cast(COUNTER, wrap_numerical=True),
            municipal_rate=rate_sum / (rd * RATE_UNIT),
            amount_eur=_money(pc),
            municipal_share_eur=_money(pl.col("m")),
            state_share_eur=_money(pc - pl.col("m")),
        )
        .collect(engine=_ENGINE)
    )


def _shares(parts: pl.DataFrame) -> pl.DataFrame:
    """The result columns of a batch's first parts (input order = work order)."""
    return _share_columns(parts.select("has1", "before", "after", "rate_sum", "rd", "pc"))


def _packed(parts: pl.DataFrame, *, packed: bool) -> pl.DataFrame:
    """A batch's first parts in two integers, to be put back in input order: the
    counters (before × 2³² + after) and the rate (rate sum × 2^21 + rate days), or
    the rate sum and rate days apart when they do not fit."""
    largest = parts.get_column("after").max()
    if isinstance(largest, int) and largest > _COUNTER_MAX:
        raise ValueError(f"a counter of {largest} days does not fit in {COUNTER}")
    counters = pl.col("before") * (1 << 32) + pl.col("after")
    rd = pl.col("rd").cast(pl.Int64)
    if packed:
        return parts.select(counters=counters, rate=pl.col("rate_sum") * (1 << _RD_BITS) + rd)
    return parts.select(counters=counters, rate_sum="rate_sum", rd=rd)


def _unshuffle(
    payments: pl.DataFrame,
    packed: pl.DataFrame,
    second_parts: pl.DataFrame,
    rules: FundingRules,
) -> pl.DataFrame:
    """The result columns in input order from the packed first parts (in input order)."""
    n = payments.height
    rows = second_parts.get_column("row")
    boundary = _boundary(rules)
    counters = pl.col("counters")
    dtype = payments.schema["amount_eur"]
    apart = "rd" in packed.columns
    rate_sum = pl.col("rate_sum") if apart else pl.col("rate") // (1 << _RD_BITS)
    rd = pl.col("rd") if apart else pl.col("rate") & ((1 << _RD_BITS) - 1)

    def run(lo: int) -> pl.DataFrame:
        size = min(_BATCH_ROWS, n - lo)
        inputs = payments.slice(lo, size).select(
            has1=pl.col("period_start").to_physical() < boundary, pc=_cents(dtype)
        )
        low, high = rows.search_sorted(
            pl.Series([lo, lo + size], dtype=pl.UInt32), side="left"
        ).to_list()
        if high > low:
            inputs = inputs.with_columns(
                inputs.get_column("pc").scatter(
                    rows.slice(low, high - low) - lo,
                    second_parts.get_column("c1").slice(low, high - low),
                )
            )
        part = pl.concat([packed.slice(lo, size), inputs], how="horizontal")
        return _share_columns(
            part.lazy().select(
                "has1",
                "pc",
                before=counters // (1 << 32),
                after=counters & ((1 << 32) - 1),
                rate_sum=rate_sum,
                rd=rd,
            )
        )

    return pl.concat(list(_map(run, range(0, n, _BATCH_ROWS))), rechunk=False)


def _assemble(
    payments: pl.DataFrame,
    shares: pl.DataFrame,
    second: pl.DataFrame,
    rules: FundingRules,
) -> pl.DataFrame:
    """Results in input order, the second parts of crossing rows at the end."""
    names = result_schema(payments.schema).names()
    out = payments
    if second.height:
        rows = second.get_column("row")
        out = out.with_columns(
            payments.get_column("period_end")
            .clone()
            .scatter(rows, rules.boundary.value - dt.timedelta(days=1)),
            payments.get_column("paid_days")
            .clone()
            .scatter(rows, second.get_column("d1").cast(payments.schema["paid_days"])),
        )
    out = pl.concat([out.drop(shares.columns, strict=False), shares], how="horizontal").select(
        names
    )
    if second.height == 0:
        return out

    shares = _share_columns(
        second.select("before", "after", "rate_sum", "rd", has1=pl.lit(False), pc="c2")
    )
    extra = payments[second.get_column("row")].with_columns(
        period_start=pl.lit(rules.boundary.value),
        paid_days=second.get_column("d2").cast(payments.schema["paid_days"]),
        **{name: shares.get_column(name) for name in shares.columns},
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
            "state {state} €. Priced by rule version {version}."
        ),
        "correction": " This is a correction: it takes the rate of the payment it corrects.",
        "reset": "The counter restarted (employment condition met).",
        "step": "The counter reached {days} days: from the next payment period the "
        "municipality pays {rate} %.",
        "tier": "Day {day} was reached: from that day the municipality pays {rate} %.",
        "new_regime": "From {date} the 2025 rules apply: a new counter, billed per day.",
        "total": "In total: municipality {municipal} €, state {state} €.",
        "basis": {"unemployment": "unemployment", "service": "service", "other": "other"},
        "benefits": {
            "LMS": "labour market subsidy",
            "BASIC": "basic unemployment allowance",
            "EARN_BASIC": "earnings-related allowance (basic part)",
            "GEN": "general support",
        },
    },
    "fi": {
        "title": "Henkilön {person} kunnan rahoitusosuus: {rows} maksua.",
        "row": (
            "{start}–{end} {benefit} ({basis}), {days} maksettua päivää, {amount} €: "
            "malli {regime}, kertymä {before} → {after} päivää; kunta {rate} % = "
            "{municipal} €, valtio {state} €. Hinnoiteltu sääntöversiolla {version}."
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
        "benefits": {
            "LMS": "työmarkkinatuki",
            "BASIC": "peruspäiväraha",
            "EARN_BASIC": "ansiopäivärahan perusosa",
            "GEN": "yleistuki",
        },
    },
    "sv": {
        "title": "Kommunens finansieringsandel för {person}: {rows} utbetalningar.",
        "row": (
            "{start}–{end} {benefit} ({basis}), {days} betalda dagar, {amount} €: "
            "modell {regime}, ackumulering {before} → {after} dagar; kommunen {rate} % = "
            "{municipal} €, staten {state} €. Prissatt enligt regelversion {version}."
        ),
        "correction": " Detta är en rättelse: den får andelen för den utbetalning den rättar.",
        "reset": "Ackumuleringen började om (arbetsvillkoret uppfylldes).",
        "step": "Ackumuleringen nådde {days} dagar: från nästa utbetalningsperiod betalar "
        "kommunen {rate} %.",
        "tier": "Dag {day} nåddes: från den dagen betalar kommunen {rate} %.",
        "new_regime": "Från {date} gäller 2025 års regler: ny ackumulering, fakturering per dag.",
        "total": "Sammanlagt: kommunen {municipal} €, staten {state} €.",
        "basis": {"unemployment": "arbetslöshet", "service": "tjänst", "other": "annan"},
        "benefits": {
            "LMS": "arbetsmarknadsstöd",
            "BASIC": "grunddagpenning",
            "EARN_BASIC": "inkomstrelaterad dagpenning (grunddel)",
            "GEN": "allmänt stöd",
        },
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
            # a benefit a later rule version adds is named by its code until it is named here
            benefit=texts["benefits"].get(str(row["benefit"]), row["benefit"]),
            basis=texts["basis"][str(row["basis"])],
            days=row["paid_days"],
            amount=_euros(amount, lang),
            regime=regime,
            before=row["days_before"],
            after=row["days_after"],
            rate=_percent(row["municipal_rate"], lang),
            municipal=_euros(row["municipal_share_eur"], lang),
            state=_euros(row["state_share_eur"], lang),
            version=rules.version_on(row["period_start"]).id,
        )
        if amount < 0 or row["paid_days"] == 0:
            line += texts["correction"]
        lines.append(line)
        before, after = row["days_before"], row["days_after"]
        version = rules.version_on(row["period_start"])
        if version.steps is not None:
            for step in version.steps.value:
                if before < step.from_days <= after:
                    lines.append(
                        texts["step"].format(
                            days=step.from_days, rate=_percent(step.municipal_rate, lang)
                        )
                    )
        elif version.tiers is not None:
            for tier in version.tiers.value:
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
