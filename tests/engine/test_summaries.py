"""Summaries by municipality or person and month, and the explanation in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from silta.engine import funding
from silta.engine.testing import fortnights, payment, payments_frame

MONDAY_2025 = dt.date(2025, 1, 6)


@pytest.fixture
def result(rules):
    rows = fortnights(MONDAY_2025, [10] * 12, person="A", municipality="272")
    rows += fortnights(MONDAY_2025, [10] * 12, person="B", municipality="272")
    rows += fortnights(MONDAY_2025, [10] * 12, person="C", municipality="074", benefit="BASIC")
    rows.append(payment(dt.date(2024, 12, 23), dt.date(2025, 1, 5), 10, person="D"))
    return funding.compute(payments_frame(rows), rules=rules)


def test_municipality_month_sums_and_counts_persons(result):
    # when
    summary = funding.summarise(result, "municipality-month")
    # then
    assert summary.columns == ["municipality_code", *funding.SUMMARY_COLUMNS]
    june = summary.filter(
        (pl.col("municipality_code") == "272") & (pl.col("month") == "2025-06")
    ).row(0, named=True)
    assert june["persons"] == 2
    # A and B: the periods 26.5.-8.6. and 9.6.-22.6. (days 101-120), paid in June
    assert june["paid_days"] == 40
    assert june["municipal_share_eur"] == Decimal("446.52")  # 4 × 111.63
    assert june["amount_eur"] == june["municipal_share_eur"] + june["state_share_eur"]
    # the payment split at the regime boundary shows in both regimes, paid in January
    january = summary.filter(pl.col("month") == "2025-01")
    assert set(january.get_column("regime")) == {"2015", "2025"}
    total = summary.get_column("amount_eur").sum()
    assert total == result.get_column("amount_eur").sum()


def test_person_month_has_one_person_per_row(result):
    summary = funding.summarise(result, "person-month")
    assert summary.columns[0] == "person_id"
    assert summary.get_column("persons").max() == 1
    assert summary.height == summary.select("person_id", "month", "regime", "benefit").n_unique()


def test_unknown_summary_is_refused(result):
    with pytest.raises(ValueError, match="municipality-month"):
        funding.summarise(result, "year")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fi",
            ["Päivä 101 saavutettiin: siitä alkaen kunta maksaa 30 %.", "kunta 30 % = 111,63 €"],
        ),
        (
            "sv",
            ["Dag 101 nåddes: från den dagen betalar kommunen 30 %.", "kommunen 30 % = 111,63 €"],
        ),
        (
            "en",
            [
                "Day 101 was reached: from that day the municipality pays 30 %.",
                "municipality 30 % = 111.63 €",
            ],
        ),
    ],
)
def test_explain_tells_the_counter_and_shares_in_three_languages(result, lang, words):
    # given: one person's rows
    one = result.filter(pl.col("person_id") == "A")
    # when
    text = funding.explain(one, lang)
    # then
    for expected in words:
        assert expected in text
    assert len(text.splitlines()) == 1 + 1 + 12 + 1 + 1  # title, regime, rows, step, total


def test_explain_tells_the_regime_split_and_refuses_two_persons(result):
    text = funding.explain(result.filter(pl.col("person_id") == "D"), "en")
    assert "From 2025-01-01 the 2025 rules apply" in text
    with pytest.raises(ValueError, match="one person"):
        funding.explain(result, "en")
    with pytest.raises(ValueError, match="lang"):
        funding.explain(result.filter(pl.col("person_id") == "D"), "de")  # type: ignore[arg-type]
