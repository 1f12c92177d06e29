"""The forecast, exit rates, radar ordering and what-ifs on small hand-built sets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from silta.engine import forecast as fc
from silta.engine import funding
from silta.engine.rules import load_rules
from silta.engine.testing import fortnights, payments_frame

RULES = load_rules()
AS_OF = dt.date(2026, 2, 28)


def _spell(person: str, first_monday: dt.date, n: int) -> list[dict]:
    return fortnights(first_monday, [10] * n, person=person)


def test_exit_rates_count_ended_spells_and_censor_running_ones() -> None:
    # given two spells that end after about one month and one that runs on to the end
    rows = (
        _spell("a", dt.date(2025, 1, 6), 3)  # 6 weeks: ends in duration month 1
        + _spell("b", dt.date(2025, 3, 3), 3)  # 6 weeks: ends in duration month 1
        + _spell("c", dt.date(2025, 1, 6), 30)  # runs to Feb 2026: censored
    )
    result = funding.compute(payments_frame(rows), rules=RULES)
    # when exit rates are estimated
    rates = fc.exit_rates(result, as_of=AS_OF)
    table = rates.table
    # then month 0 has nobody leaving, month 1 two of three leaving
    assert table["exits"][0] == 0 and table["at_risk"][0] == 3
    assert table["exits"][1] == 2 and table["at_risk"][1] == 3
    assert table["hazard"][1] == pytest.approx(2 / 3)
    # and the running spell is never counted as an exit
    assert table["exits"].sum() == 2


def _recipient(counter: int, duration: int = 5, share: float = 1.0) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "person_id": ["p"],
            "municipality_code": ["272"],
            "counter": [counter],
            "daily_eur": [37.21],
            "paid_share": [share],
            "duration_month": [duration],
            "spell_start": [dt.date(2025, 9, 1)],
            "last_period_end": [AS_OF],
            "state_funded_until": [None],
        },
        schema_overrides={
            "counter": pl.Int32,
            "duration_month": pl.Int32,
            "state_funded_until": pl.Date,
        },
    )


def _never_leave() -> fc.ExitRates:
    table = pl.DataFrame(
        {
            "duration_month": np.arange(61, dtype=np.int32),
            "at_risk": np.ones(61),
            "exits": np.zeros(61),
            "hazard": np.zeros(61),
            "survival": np.ones(61),
        }
    )
    return fc.ExitRates(table=table, data_end=AS_OF)


def test_projection_prices_each_day_at_its_tier() -> None:
    # given a person at counter 90 paid every weekday, who never leaves
    rec = _recipient(90)
    projection = fc.project(rec, _never_leave(), RULES, as_of=AS_OF, months=1)
    # when March 2026 (22 weekdays) is projected
    assert projection.months[1] == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    # then days 91-100 are free and days 101-112 cost 30 % of 37.21 €
    assert projection.cost_if_staying[0, 1] == pytest.approx(12 * 37.21 * 0.30)
    assert projection.counter_end[0, 1] == pytest.approx(112)


def test_expected_cost_is_weighted_by_the_chance_of_staying() -> None:
    # given a constant 10 % monthly exit hazard
    rates = _never_leave()
    table = rates.table.with_columns(hazard=pl.lit(0.1))
    rates = fc.ExitRates(table=table, data_end=AS_OF)
    rec = _recipient(500)
    projection = fc.project(rec, rates, RULES, as_of=AS_OF, months=2)
    # then month k is paid with probability 0.9^k
    assert projection.stay[0, 1] == pytest.approx(0.9)
    assert projection.stay[0, 2] == pytest.approx(0.81)
    march = 22 * 37.21 * 0.70
    assert projection.expected[0, 1] == pytest.approx(0.9 * march)
    # and the band of one month is the Bernoulli spread
    out = fc.forecast_by_municipality(rec, projection)
    row = out.row(0, named=True)
    sd = (0.9 * 0.1) ** 0.5 * march
    assert float(row["high_eur"]) == pytest.approx(0.9 * march + fc.Z_95 * sd, abs=0.01)


def test_what_if_employment_saves_the_days_not_paid() -> None:
    # given a person at the top tier who never leaves
    rec = _recipient(500)
    # when they are employed for all of April 2026
    saving = fc.what_if_employed(
        rec,
        _never_leave(),
        RULES,
        as_of=AS_OF,
        person_id="p",
        start=dt.date(2026, 4, 1),
        months=1,
    )
    # then the saving is April's 22 weekdays at 70 %
    assert saving.saving_eur == Decimal(str(round(22 * 37.21 * 0.70, 2)))


def test_what_if_long_employment_also_restarts_the_counter() -> None:
    # given a person at counter 300 (45 %)
    rec = _recipient(300)
    short = fc.what_if_employed(
        rec, _never_leave(), RULES, as_of=AS_OF, person_id="p", start=dt.date(2026, 3, 1), months=11
    )
    long = fc.what_if_employed(
        rec, _never_leave(), RULES, as_of=AS_OF, person_id="p", start=dt.date(2026, 3, 1), months=12
    )
    # then 12 months of work (a new employment condition) saves more than 11 would
    # plus one month: afterwards the first 100 days are state-paid again
    assert long.saving_eur > short.saving_eur + Decimal(22 * 37.21 * 0.45)


def test_radar_orders_by_expected_cost_then_next_step_and_dates_the_step() -> None:
    recipients = pl.concat(
        [
            _recipient(90).with_columns(person_id=pl.lit("near-step")),
            _recipient(450).with_columns(person_id=pl.lit("top-tier")),
            _recipient(150).with_columns(person_id=pl.lit("middle")),
        ]
    )
    rates = _never_leave()
    projection = fc.project(recipients, rates, RULES, as_of=AS_OF)
    radar = fc.radar(recipients, projection, rates, RULES, as_of=AS_OF)
    # then the top-tier person costs most, the one at day 90 least
    assert radar["person_id"].to_list() == ["top-tier", "middle", "near-step"]
    # and the next step of the person at day 90 is day 101, 11 weekdays on
    near = radar.filter(pl.col("person_id") == "near-step").row(0, named=True)
    assert near["next_step_day"] == 101
    assert near["next_step_date"] == dt.date(2026, 3, 16)
    assert radar.filter(pl.col("person_id") == "top-tier")["next_step_day"][0] is None


def test_top_k_saving_sums_the_top_rows() -> None:
    recipients = pl.concat(
        [_recipient(450).with_columns(person_id=pl.lit(f"p{i}")) for i in range(3)]
    )
    rates = _never_leave()
    projection = fc.project(recipients, rates, RULES, as_of=AS_OF)
    radar = fc.radar(recipients, projection, rates, RULES, as_of=AS_OF)
    two = fc.what_if_top_find_work(radar, 2)
    assert two.saving_eur == radar["expected_12m_eur"][0] + radar["expected_12m_eur"][1]


def test_current_recipients_take_the_2025_counter_and_pace() -> None:
    # given a person paid 10 of every 10 weekdays since October 2025
    rows = fortnights(dt.date(2025, 10, 6), [10] * 10, person="x")
    result = funding.compute(payments_frame(rows), rules=RULES)
    rec = fc.current_recipients(result, None, RULES, as_of=AS_OF)
    row = rec.row(0, named=True)
    assert row["counter"] == 100
    assert row["paid_share"] == pytest.approx(1.0)
    assert row["daily_eur"] == pytest.approx(37.21)


def test_forecast_before_the_2025_rules_is_refused() -> None:
    rows = fortnights(dt.date(2024, 1, 1), [10] * 4, person="x")
    result = funding.compute(payments_frame(rows), rules=RULES)
    with pytest.raises(ValueError, match="forecasts start"):
        fc.current_recipients(result, None, RULES, as_of=dt.date(2024, 3, 1))
