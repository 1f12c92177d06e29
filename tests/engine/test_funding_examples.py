"""Hand-computed examples of the funding rules (DOMAIN.md §3.1), one rule each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from silta.engine import funding, reference
from silta.engine.rules import FundingRules, load_rules
from silta.engine.testing import (
    events_frame,
    fortnights,
    payment,
    payments_frame,
    with_rules,
)

D = Decimal
MONDAY_2022 = dt.date(2022, 1, 3)
MONDAY_2025 = dt.date(2025, 1, 6)


def compute(rows, events=None, rules=None) -> list[dict]:
    payments = payments_frame(rows)
    result = funding.compute(payments, events, rules)
    # Every example is also a check of the reference implementation.
    assert result.to_dicts() == reference.compute(payments, events, rules).to_dicts()
    return result.to_dicts()


def test_old_regime_reaching_300_mid_period_keeps_that_period_state_paid(rules):
    # given: 295 LMS days on the basis of unemployment, then a 10-day period
    # (295 → 305) and one more 10-day period
    rows = fortnights(MONDAY_2022, [5] + [10] * 29 + [10, 10])
    # when
    result = compute(rows, rules=rules)
    # then: the period that reaches 300 is still fully state-paid ...
    crossing = result[30]
    assert (crossing["days_before"], crossing["days_after"]) == (295, 305)
    assert crossing["municipal_rate"] == 0.0
    assert crossing["municipal_share_eur"] == D("0.00")
    # ... and the next period is billed 50 %, for the whole period
    after = result[31]
    assert after["days_before"] == 305
    assert after["municipal_rate"] == 0.5
    assert after["municipal_share_eur"] == D("186.05")
    assert after["state_share_eur"] == D("186.05")


def test_old_regime_reaching_1000_steps_to_70_percent_from_next_period(rules):
    # given: 995 days, then two 10-day periods
    rows = fortnights(dt.date(2019, 1, 7), [5] + [10] * 99 + [10, 10])
    # when
    result = compute(rows, rules=rules)
    # then
    assert (result[100]["days_before"], result[100]["municipal_rate"]) == (995, 0.5)
    assert (result[101]["days_before"], result[101]["municipal_rate"]) == (1005, 0.7)
    assert result[101]["municipal_share_eur"] == D("260.47")  # 372.10 × 0.7


def test_2025_period_crossing_day_100_is_split_by_days(rules):
    # given: 90 days in 2025, then a four-week period of 20 days (days 91-110)
    rows = fortnights(MONDAY_2025, [10] * 9)
    start = MONDAY_2025 + dt.timedelta(days=14 * 9)
    rows.append(payment(start, start + dt.timedelta(days=27), 20))
    # when
    result = compute(rows, rules=rules)
    # then: 10 days state-paid, 10 days at 30 % → 744.20 × 3 / 20 = 111.63
    last = result[-1]
    assert (last["days_before"], last["days_after"]) == (90, 110)
    assert last["municipal_rate"] == pytest.approx(0.15)
    assert last["municipal_share_eur"] == D("111.63")
    assert last["state_share_eur"] == D("632.57")


def test_2025_period_crossing_day_200_is_split_by_days_and_rounded_half_up(rules):
    # given: 195 days, then a 10-day period (days 196-205)
    rows = fortnights(MONDAY_2025, [5] + [10] * 19 + [10])
    # when
    result = compute(rows, rules=rules)
    # then: 5 days at 30 % and 5 at 45 %: 372.10 × 0.375 = 139.5375 → 139.54
    last = result[-1]
    assert (last["days_before"], last["days_after"]) == (195, 205)
    assert last["municipal_rate"] == 0.375
    assert last["municipal_share_eur"] == D("139.54")


def test_period_crossing_new_year_2025_is_split_by_weekdays(rules):
    # given: Mon 23.12.2024 - Sun 5.1.2025 has 7 weekdays in 2024 and 3 in 2025
    rows = [payment(dt.date(2024, 12, 23), dt.date(2025, 1, 5), 10)]
    # when
    result = compute(rows, rules=rules)
    # then: the row keeps the 2024 days; the 2025 days follow as an extra row
    assert len(result) == 2
    old, new = result
    assert (old["regime"], old["period_end"], old["paid_days"]) == (
        "2015",
        dt.date(2024, 12, 31),
        7,
    )
    assert old["amount_eur"] == D("260.47")
    assert (new["regime"], new["period_start"], new["paid_days"]) == (
        "2025",
        dt.date(2025, 1, 1),
        3,
    )
    assert new["amount_eur"] == D("111.63")
    assert old["amount_eur"] + new["amount_eur"] == D("372.10")


def test_regime_split_rounds_days_half_up_and_keeps_the_whole(rules):
    # given: 5 paid days over 7 + 3 weekdays: 3.5 days before the boundary
    rows = [payment(dt.date(2024, 12, 23), dt.date(2025, 1, 5), 5, "186.05")]
    # when
    old, new = compute(rows, rules=rules)
    # then: 4 + 1 days; 186.05 × 4 / 5 = 148.84 and the rest
    assert (old["paid_days"], new["paid_days"]) == (4, 1)
    assert (old["amount_eur"], new["amount_eur"]) == (D("148.84"), D("37.21"))


def test_service_days_cost_nothing_before_2025_and_count_by_the_2025_rules(rules):
    # given: 40 days of LMS in a service in 2024 and 40 in 2025, then a 2025 period
    rows = fortnights(dt.date(2024, 9, 2), [10] * 4, basis="service")
    rows += fortnights(MONDAY_2025, [10] * 4 + [10], basis="service")
    # when
    result = compute(rows, rules=rules)
    off = compute(rows, rules=with_rules(rules, carry_over=False))
    # then: the 2024 days neither count toward the old counter nor cost
    assert [r["days_after"] for r in result[:4]] == [0, 0, 0, 0]
    assert all(r["municipal_share_eur"] == 0 for r in result[:4])
    # and they count toward day 101 (carried over by the 2025 counting rules) unless
    # carry-over is switched off
    assert result[-1]["days_before"] == 80
    assert off[-1]["days_before"] == 40


def test_other_basis_neither_counts_nor_costs(rules):
    # given: 200 days in 2025 of which the last period has basis "other"
    rows = fortnights(MONDAY_2025, [10] * 20)
    rows += fortnights(MONDAY_2025 + dt.timedelta(days=14 * 20), [10], basis="other")
    # when
    result = compute(rows, rules=rules)
    # then
    assert result[-1]["days_before"] == result[-1]["days_after"] == 200
    assert result[-1]["municipal_share_eur"] == D("0.00")


def test_basic_allowance_costs_nothing_before_2025_but_counts_after(rules):
    # given: 120 days of basic allowance in 2025 after 400 in 2022-2023 (not carried)
    rows = fortnights(MONDAY_2022, [10] * 40, benefit="BASIC")
    rows += fortnights(MONDAY_2025, [10] * 12, benefit="BASIC")
    # when
    result = compute(rows, rules=with_rules(rules, carry_over=False))
    # then
    assert all(r["municipal_share_eur"] == 0 and r["days_after"] == 0 for r in result[:40])
    assert result[-1]["days_before"] == 110
    assert result[-1]["municipal_share_eur"] == D("111.63")  # 372.10 × 0.30


def test_employment_condition_restarts_the_counter(rules):
    # given: 110 days in 2025, an employment condition met, then one more period
    rows = fortnights(MONDAY_2025, [10] * 12)
    last_start = rows[-1]["period_start"]
    events = events_frame(
        [("010190-900A", "employment_condition_met", last_start - dt.timedelta(days=1))]
    )
    # when
    without = compute(rows, rules=rules)
    with_event = compute(rows, events, rules=rules)
    # then: without the event the period costs 30 %, after it the state pays again
    assert without[-1]["municipal_share_eur"] == D("111.63")
    assert with_event[-1]["days_before"] == 0
    assert with_event[-1]["municipal_share_eur"] == D("0.00")
    # and a period starting on the event's day is not yet restarted
    same_day = events_frame([("010190-900A", "employment_condition_met", last_start)])
    assert compute(rows, same_day, rules=rules)[-1]["days_before"] == 110


def test_state_funded_until_prorates_the_period_it_ends_in(rules):
    # given: 150 days, then Mon 4.8.-Sun 17.8.2025 (10 days) with state funding
    # until Friday 8.8.2025
    rows = fortnights(MONDAY_2025, [10] * 15 + [10])
    assert rows[-1]["period_start"] == dt.date(2025, 8, 4)
    events = events_frame([("010190-900A", "state_funded_until", dt.date(2025, 8, 8))])
    # when
    result = compute(rows, events, rules=rules)
    # then: 5 days are state-funded, 5 cost 30 %: 372.10 × 1.5 / 10 = 55.815 → 55.82
    assert result[-1]["days_before"] == 150
    assert result[-1]["municipal_share_eur"] == D("55.82")
    # and earlier periods cost nothing at all
    assert sum(r["municipal_share_eur"] for r in result[:-1]) == 0


def test_carry_over_switch_decides_whether_2024_days_count(rules):
    # given: 150 LMS days in 2024, then a 2025 period
    rows = fortnights(dt.date(2024, 6, 3), [10] * 15) + fortnights(MONDAY_2025, [10])
    # when
    off = compute(rows, rules=with_rules(rules, carry_over=False))
    on = compute(rows, rules=with_rules(rules, carry_over=True))
    # then
    assert (off[-1]["days_before"], off[-1]["municipal_share_eur"]) == (0, D("0.00"))
    assert (on[-1]["days_before"], on[-1]["municipal_share_eur"]) == (150, D("111.63"))


def test_recovery_takes_the_rate_of_the_payment_it_corrects(rules):
    # given: the period that reaches 300 days (state-paid), the next one (50 %), 40
    # more, and a recovery for each of the first two
    rows = fortnights(MONDAY_2022, [10] * 72)
    reaching, billed = rows[29], rows[30]
    rows.append(payment(reaching["period_start"], reaching["period_end"], 0, "-100.01"))
    rows.append(payment(billed["period_start"], billed["period_end"], 0, "-100.01"))
    # when
    result = compute(rows, rules=rules)
    # then: the first recovery is state-paid like its payment, although at its place
    # (after 300 days) a payment would cost 50 %
    first, second = result[-2], result[-1]
    assert first["days_before"] == first["days_after"] == 300
    assert (first["municipal_rate"], first["municipal_share_eur"]) == (0.0, D("0.00"))
    # and the second is charged 50 %: -50.005 rounded half up (away from zero)
    assert second["municipal_rate"] == 0.5
    assert second["municipal_share_eur"] == D("-50.01")
    assert second["state_share_eur"] == D("-50.00")
    assert second["days_before"] == second["days_after"] == 310


def test_recovery_without_its_payment_takes_the_rate_at_its_place(rules):
    # given: 400 days, then a recovery for a period with no payment in the data
    rows = fortnights(MONDAY_2022, [10] * 40)
    rows.append(payment(dt.date(2021, 6, 7), dt.date(2021, 6, 20), 0, "-10.00"))
    rows.append(
        payment(rows[35]["period_start"], rows[35]["period_end"], 0, "-10.00", basis="service")
    )
    # when
    result = compute(rows, rules=rules)
    # then: the first sits before all payments (counter 0, state-paid); the second
    # has no payment of the same basis to correct and its basis is not billed
    assert (result[-2]["days_before"], result[-2]["municipal_share_eur"]) == (0, D("0.00"))
    assert result[-1]["municipal_share_eur"] == D("0.00")


def test_output_keeps_input_order_and_is_the_same_for_shuffled_input(rules):
    # given: two persons' rows interleaved
    rows = []
    for a, b in zip(
        fortnights(MONDAY_2025, [10] * 12, person="A"),
        fortnights(MONDAY_2025, [5] * 12, person="B"),
        strict=True,
    ):
        rows += [b, a]
    # when
    result = compute(rows, rules=rules)
    # then
    assert [r["person_id"] for r in result[:4]] == ["B", "A", "B", "A"]
    assert result[-1]["municipal_share_eur"] == D("111.63")
    assert result[-2]["days_before"] == 55


def test_dates_beyond_2149_use_the_exact_ordering(rules):
    # given: unsorted rows with a date the hashed ordering does not cover
    rows = [payment(dt.date(2200, 1, 5), dt.date(2200, 1, 11), 5, person="B")]
    rows += fortnights(MONDAY_2025, [10] * 11, person="A")[::-1]
    # when
    result = compute(rows, rules=rules)
    # then
    assert result[-1]["days_before"] == 0 and result[0]["days_before"] == 0
    assert result[1]["days_before"] == 100 and result[1]["municipal_share_eur"] == D("111.63")


def test_custom_rules_file_changes_the_result(tmp_path: Path):
    # given: a rules file where the state pays 50 days and the municipality 50 % after
    text = Path(load_rules().path or "").read_text(encoding="utf-8")
    text = text.replace("state_paid_days = { value = 100", "state_paid_days = { value = 50")
    text = text.replace(
        'from_day = 101, municipal_rate = "0.30"', 'from_day = 51, municipal_rate = "0.50"'
    )
    custom = tmp_path / "rules.toml"
    custom.write_text(text, encoding="utf-8")
    rows = fortnights(MONDAY_2025, [10] * 6)
    # when
    result = compute(rows, rules=load_rules(custom))
    # then
    assert result[-1]["municipal_share_eur"] == D("186.05")


def test_bad_input_is_refused_with_a_clear_message(rules):
    rows = [payment(dt.date(2025, 1, 6), dt.date(2025, 1, 19), 10, benefit="SICK")]
    with pytest.raises(ValueError, match="unknown benefit codes \\['SICK'\\]"):
        funding.compute(payments_frame(rows), rules=rules)
    with pytest.raises(ValueError, match="lack the columns"):
        funding.compute(payments_frame(rows).drop("basis"), rules=rules)
    events = events_frame([("x", "moved_away", dt.date(2025, 1, 1))])
    good = [payment(dt.date(2025, 1, 6), dt.date(2025, 1, 19), 10)]
    with pytest.raises(ValueError, match="moved_away"):
        funding.compute(payments_frame(good), events, rules=rules)


def test_empty_payments_give_an_empty_result(rules: FundingRules):
    result = funding.compute(payments_frame([]), rules=rules)
    assert result.height == 0
    assert result.columns[-6:] == list(funding.RESULT_COLUMNS)


def test_result_columns_follow_the_data_contract(rules):
    result = funding.compute(payments_frame(fortnights(MONDAY_2025, [10])), rules=rules)
    assert result.columns == [
        "person_id",
        "municipality_code",
        "benefit",
        "basis",
        "period_start",
        "period_end",
        "paid_days",
        "amount_eur",
        "payment_date",
        "regime",
        "days_before",
        "days_after",
        "municipal_rate",
        "municipal_share_eur",
        "state_share_eur",
    ]
    assert result.schema["municipal_share_eur"] == pl.Decimal(18, 2)


# --- rule versions (issue 14) ------------------------------------------------------------


def test_carry_over_is_on_by_default_and_sourced(rules):
    assert rules.carry_over is True
    assert "stt" in rules.carry_over_version.carry_over_earlier_days.source.lower()


def test_450_earlier_subsidy_days_cost_70_percent_from_the_first_2025_day(rules):
    # given: 450 LMS days (45 fortnights, 3.4.2023-22.12.2024), then a 2025 period
    rows = fortnights(dt.date(2023, 4, 3), [10] * 45)
    assert rows[-1]["period_end"] == dt.date(2024, 12, 22)
    rows += fortnights(MONDAY_2025, [10])
    # when
    result = compute(rows, rules=rules)
    # then: day 451 onward costs 70 %: 372.10 × 0.70 = 260.47
    assert result[-1]["days_before"] == 450
    assert result[-1]["municipal_share_eur"] == D("260.47")
    assert result[-1]["municipal_rate"] == pytest.approx(0.70)


def test_400_earlier_days_bill_6_800_not_2_100_euros_for_2025(rules):
    # given: 400 LMS days before 2025, then 2025 unemployed throughout: 26 fortnights
    # of 10 days at 37.21 € (the example)
    rows = fortnights(dt.date(2023, 6, 12), [10] * 40)
    assert rows[-1]["period_end"] == dt.date(2024, 12, 22)
    rows += fortnights(MONDAY_2025, [10] * 26)
    # when
    on = compute(rows, rules=rules)
    off = compute(rows, rules=with_rules(rules, carry_over=False))
    # then: with carry-over all 260 days are days 401-660 at 70 %: 26 × 260.47
    assert sum(r["municipal_share_eur"] for r in on[40:]) == D("6772.22")
    # without it: days 1-100 state, 101-200 at 30 % (10 × 111.63), 201-260 at 45 %
    # (6 × 167.445 → 167.45)
    assert sum(r["municipal_share_eur"] for r in off[40:]) == D("2121.00")


def test_a_period_crossing_day_400_is_split_by_days(rules):
    # given: 395 days of EARN_BASIC (known in every version) in 2025-2026, then 10 days
    rows = fortnights(MONDAY_2025, [10] * 39 + [5] + [10], benefit="EARN_BASIC")
    # when
    result = compute(rows, rules=rules)
    # then: 5 days at 45 % and 5 at 70 %: 372.10 × 0.575 = 213.9575 → 213.96
    assert (result[-1]["days_before"], result[-1]["days_after"]) == (395, 405)
    assert result[-1]["municipal_share_eur"] == D("213.96")


def test_yleistuki_from_may_2026_carries_the_counter_on(rules):
    # given: 80 LMS days in 2026, an LMS period across 1.5.2026 (27.4.-3.5., 5 days),
    # then yleistuki (GEN) fortnights from Monday 4.5.2026
    rows = fortnights(dt.date(2026, 1, 5), [10] * 8)
    assert rows[-1]["period_end"] == dt.date(2026, 4, 26)
    rows.append(payment(dt.date(2026, 4, 27), dt.date(2026, 5, 3), 5))
    rows += fortnights(dt.date(2026, 5, 4), [10] * 3, benefit="GEN")
    # when
    result = compute(rows, rules=rules)
    # then: the crossing LMS period is one row, priced by the version of its first day
    assert len(result) == len(rows)
    assert result[8]["days_before"] == 80 and result[8]["days_after"] == 85
    assert rules.version_on(result[8]["period_start"]).id == "2025"
    # and yleistuki days count on from 85, billed from day 101 like the subsidy:
    # 95 → 105 has 5 days at 30 %: 372.10 × 0.15 = 55.815 → 55.82
    gen = result[9:]
    assert [(r["days_before"], r["days_after"]) for r in gen] == [(85, 95), (95, 105), (105, 115)]
    assert [r["municipal_share_eur"] for r in gen] == [D("0.00"), D("55.82"), D("111.63")]
    assert all(rules.version_on(r["period_start"]).id == "2026-05" for r in gen)


def test_an_abolished_code_in_force_no_more_neither_counts_nor_costs(rules):
    # given: 150 days in 2025, then an LMS period starting after 1.5.2026 (the rules
    # in force then do not know LMS; the readers refuse such a row)
    rows = fortnights(MONDAY_2025, [10] * 15)
    rows.append(payment(dt.date(2026, 5, 4), dt.date(2026, 5, 17), 10))
    # when
    result = compute(rows, rules=rules)
    # then
    assert (result[-1]["days_before"], result[-1]["days_after"]) == (150, 150)
    assert result[-1]["municipal_share_eur"] == D("0.00")


def test_explanation_names_the_rule_version_of_each_period(rules):
    rows = fortnights(dt.date(2026, 4, 6), [10, 10], benefit="EARN_BASIC")
    rows += fortnights(dt.date(2026, 5, 4), [10], benefit="GEN")
    result = funding.compute(payments_frame(rows), rules=rules)
    text = funding.explain(result, "fi", rules=rules)
    assert text.count("sääntöversiolla 2025") == 2
    assert text.count("sääntöversiolla 2026-05") == 1
    # benefits by name, never by their code
    assert "ansiopäivärahan perusosa (työttömyys)" in text and "yleistuki (" in text
    assert "EARN_BASIC" not in text and "GEN (" not in text
    assert "Prissatt enligt regelversion 2026-05" in funding.explain(result, "sv", rules=rules)


def test_a_reset_under_the_2026_version_restarts_the_yleistuki_counter(rules):
    # given: 120 EARN_BASIC days from November 2025 to April 2026, an employment
    # condition met on 1.5.2026, then two yleistuki (GEN) fortnights from 4.5.2026
    rows = fortnights(dt.date(2025, 11, 3), [10] * 12, benefit="EARN_BASIC")
    assert rows[-1]["period_end"] == dt.date(2026, 4, 19)
    rows += fortnights(dt.date(2026, 5, 4), [10, 10], benefit="GEN")
    event = events_frame([("010190-900A", "employment_condition_met", dt.date(2026, 5, 1))])
    # when
    without = compute(rows, rules=rules)
    with_event = compute(rows, event, rules=rules)
    # then: without the event yleistuki days 121-140 cost 30 % (2 × 111.63)
    assert [(r["days_before"], r["days_after"]) for r in without[-2:]] == [(120, 130), (130, 140)]
    assert [r["municipal_share_eur"] for r in without[-2:]] == [D("111.63")] * 2
    # with it the counter restarts under the 2026 version: days 1-20, state paid
    assert [(r["days_before"], r["days_after"]) for r in with_event[-2:]] == [(0, 10), (10, 20)]
    assert [r["municipal_share_eur"] for r in with_event[-2:]] == [D("0.00")] * 2
    assert rules.version_on(dt.date(2026, 5, 4)).counter_reset_event.value == (
        "employment_condition_met"
    )


def test_a_2024_period_crossing_day_1000_and_2025_tiers_in_one_history(rules):
    # given: 990 LMS days (99 fortnights from Monday 1.3.2021), one more 2024 fortnight
    # that reaches day 1000, then a 2025 fortnight
    rows = fortnights(dt.date(2021, 3, 1), [10] * 99)
    rows += fortnights(rows[-1]["period_end"] + dt.timedelta(days=1), [10])
    assert rows[-1]["period_end"].year == 2024
    rows += fortnights(MONDAY_2025, [10])
    # when
    result = compute(rows, rules=rules)
    # then: the period reaching 1000 is still at 50 % (186.05), and the first 2025 days
    # are day 1001 onward, 70 % of 372.10 = 260.47
    assert (result[-2]["days_before"], result[-2]["days_after"]) == (990, 1000)
    assert result[-2]["municipal_share_eur"] == D("186.05")
    assert result[-1]["days_before"] == 1000
    assert result[-1]["municipal_share_eur"] == D("260.47")
