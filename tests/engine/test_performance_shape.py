"""The fast paths of the engine give the same rows as the plain ones: many small
batches, two workers, the hash sort and the exact sort, input already in order or
shuffled, and the packed hand-back of shuffled results. The per-row reference is the
judge, as in test_funding_properties."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from silta.engine import funding, reference
from silta.engine.reference import weekdays
from silta.engine.rules import BASES, load_rules
from silta.engine.testing import events_frame, payment, payments_frame, with_rules

BENEFITS = load_rules().benefit_codes
RULES = with_rules(
    load_rules(),
    carry_over=True,
    steps=[(15, "0.5"), (40, "0.7")],
    state_paid_days=9,
    tiers=[(10, "0.3"), (25, "0.45"), (50, "0.7")],
)


def history(seed: int, persons: int = 30) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Payments of several persons around 1.1.2025, with recoveries, resets and
    state-funded dates, in (person, period start) order."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    events: list[tuple[str, str, dt.date]] = []
    for person in range(persons):
        person_id = f"{person:04d}-{rng.randrange(10**6):06d}"
        day = dt.date(2024, 8, 1) + dt.timedelta(days=rng.randrange(120))
        periods = []
        for _ in range(rng.randrange(1, 14)):
            day += dt.timedelta(days=rng.choice([0, 0, 1, 3, 20]))
            end = day + dt.timedelta(days=rng.randrange(28))
            paid = rng.randrange(weekdays(day, end) + 1)
            periods.append(
                payment(
                    day,
                    end,
                    paid,
                    Decimal("37.21") * paid
                    if rng.random() < 0.7
                    else Decimal(rng.randrange(-5000, 200_000)) / 100,
                    person=person_id,
                    benefit=rng.choice(BENEFITS),
                    basis=rng.choice(BASES + ("unemployment",) * 3),
                )
            )
            day = end + dt.timedelta(days=1)
        for original in rng.sample(periods, k=min(len(periods), rng.randrange(3))):
            periods.append(
                payment(
                    original["period_start"],
                    original["period_end"],
                    0,
                    -Decimal(rng.randrange(1, 40_000)) / 100,
                    person=person_id,
                    benefit=original["benefit"],
                    basis=original["basis"],
                )
            )
        periods.sort(
            key=lambda row: (row["period_start"], row["paid_days"] == 0 or row["amount_eur"] < 0)
        )
        rows += periods
        for _ in range(rng.randrange(3)):
            event = rng.choice(["employment_condition_met", "state_funded_until"])
            events.append(
                (person_id, event, dt.date(2024, 8, 1) + dt.timedelta(rng.randrange(400)))
            )
    rows.sort(key=lambda row: row["person_id"])
    return payments_frame(rows), events_frame(events)


def rows_of(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("batch_rows", [1, 7, 64])
@pytest.mark.parametrize("shuffle", [False, True])
def test_small_batches_and_two_workers_equal_the_reference(monkeypatch, seed, batch_rows, shuffle):
    # given: input in person order (no sort) or shuffled (hash sort), cut in tiny batches
    payments, events = history(seed)
    if shuffle:
        payments = payments.sample(fraction=1.0, shuffle=True, seed=seed)
    monkeypatch.setattr(funding, "_BATCH_ROWS", batch_rows)
    # when
    fast = funding.compute(payments, events, RULES)
    # then
    assert rows_of(fast) == rows_of(reference.compute(payments, events, RULES))


@pytest.mark.parametrize("shuffle", [False, True])
def test_one_worker_equals_two(monkeypatch, shuffle):
    payments, events = history(4, persons=60)
    if shuffle:
        payments = payments.sample(fraction=1.0, shuffle=True, seed=4)
    monkeypatch.setattr(funding, "_BATCH_ROWS", 16)
    two = funding.compute(payments, events, RULES)
    monkeypatch.setattr(funding, "_WORKERS", 1)
    assert funding.compute(payments, events, RULES).equals(two)


def test_exact_sort_is_used_when_the_hash_key_has_no_room(monkeypatch):
    # given: a shuffled input, and a guard needing more bits than the key has left
    payments, events = history(5)
    payments = payments.sample(fraction=1.0, shuffle=True, seed=5)
    monkeypatch.setattr(funding, "_GUARD_BITS", 64)
    # when / then
    assert rows_of(funding.compute(payments, events, RULES)) == rows_of(
        reference.compute(payments, events, RULES)
    )


def test_exact_sort_is_used_when_two_persons_share_a_hash(monkeypatch):
    # given: the first hash made to collide for every person (a constant seed-free
    # stand-in), so only the guard bits tell persons apart
    payments, events = history(6)
    payments = payments.sample(fraction=1.0, shuffle=True, seed=6)
    calls = []
    real = funding._exact_order

    def exact(*args: Any) -> Any:
        calls.append(True)
        return real(*args)

    monkeypatch.setattr(funding, "_exact_order", exact)
    original_hash = pl.Series.hash

    def colliding(self: pl.Series, seed: int = 0, *args: Any) -> pl.Series:
        if seed == funding._HASH_SEEDS[0]:
            return original_hash(self, seed, *args) * 0
        return original_hash(self, seed, *args)

    monkeypatch.setattr(pl.Series, "hash", colliding)
    # when
    result = funding.compute(payments, events, RULES)
    # then: the collision was seen and the exact order gave the reference's rows
    assert calls
    monkeypatch.undo()
    assert rows_of(result) == rows_of(reference.compute(payments, events, RULES))


def test_shuffled_results_with_very_long_periods_come_back_unpacked():
    # given: rate days too many to pack beside the rate sum (more than 2**21)
    rows = [
        payment(dt.date(2024, 1, 1), dt.date(2024, 1, 31), 3_000_000, "1000.00", person="B"),
        payment(dt.date(2024, 3, 4), dt.date(2024, 3, 8), 5, person="A"),
        payment(dt.date(2025, 2, 3), dt.date(2025, 2, 7), 5, person="B"),
        payment(dt.date(2024, 2, 5), dt.date(2024, 2, 9), 5, person="A"),
    ]
    payments = payments_frame(rows)
    in_order = payments.with_row_index("i").sort("person_id", "period_start")
    # when: computed shuffled and in person order
    shuffled = funding.compute(payments, rules=RULES).with_row_index("i")
    ordered = funding.compute(in_order.drop("i"), rules=RULES)
    # then: the same row for each payment
    by_input = shuffled.head(payments.height).sort("i").drop("i")
    expected = ordered.with_columns(i=in_order.get_column("i")).sort("i").drop("i")
    assert by_input.to_dicts() == expected.to_dicts()


def test_sorted_input_is_not_sorted_again(monkeypatch):
    payments, events = history(7)

    def no_sort(*args: Any) -> Any:
        raise AssertionError("sorted input was sorted again")

    monkeypatch.setattr(funding, "_hash_order", no_sort)
    monkeypatch.setattr(funding, "_exact_order", no_sort)
    assert rows_of(funding.compute(payments, events, RULES)) == rows_of(
        reference.compute(payments, events, RULES)
    )


def test_person_order_without_period_order_is_sorted():
    # given: each person's rows together but not by period start
    payments, events = history(8)
    payments = payments.sort("person_id", "period_start", descending=[False, True])
    # when / then
    assert rows_of(funding.compute(payments, events, RULES)) == rows_of(
        reference.compute(payments, events, RULES)
    )
