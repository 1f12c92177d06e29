"""The rules file: loads into frozen dataclasses, says what is unverified, and refuses
a malformed file with a message naming the key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from silta.engine.rules import DEFAULT_RULES_PATH, RulesError, load_rules


def test_default_rules_hold_three_dated_versions(rules):
    assert [v.id for v in rules.versions] == ["2015", "2025", "2026-05"]
    old, new, gen = rules.versions
    assert rules.boundary.value == dt.date(2025, 1, 1)
    assert old.model.value == "period_steps" and new.model.value == "day_tiers"
    assert old.counted_benefits.value == {"LMS"}
    assert old.counted_bases.value == {"unemployment"}
    assert old.steps is not None and [(s.from_days, s.municipal_rate) for s in old.steps.value] == [
        (300, Decimal("0.50")),
        (1000, Decimal("0.70")),
    ]
    assert "other" not in new.counted_bases.value
    assert new.state_paid_days is not None and new.state_paid_days.value == 100
    assert new.tiers is not None and [(t.from_day, t.municipal_rate) for t in new.tiers.value] == [
        (101, Decimal("0.30")),
        (201, Decimal("0.45")),
        (401, Decimal("0.70")),
    ]
    assert rules.carry_over is True
    # yleistuki from 1.5.2026; labour market subsidy and basic allowance abolished
    assert gen.valid_from.value == dt.date(2026, 5, 1)
    assert gen.benefits.value == {"EARN_BASIC", "GEN"}
    assert rules.version_on(dt.date(2026, 4, 30)) is new
    assert rules.version_on(dt.date(2026, 5, 1)) is gen
    assert rules.version_on(dt.date(2010, 1, 1)) is old
    assert rules.valid_until(new) == dt.date(2026, 4, 30) and rules.valid_until(gen) is None
    assert rules.knows("GEN", dt.date(2026, 5, 1)) and not rules.knows("GEN", dt.date(2026, 4, 30))
    assert not rules.knows("LMS", dt.date(2026, 5, 1))
    assert rules.benefit_codes == ("BASIC", "EARN_BASIC", "LMS", "GEN")


def test_daily_amounts_by_period(rules):
    on = rules.daily_amount_on
    assert on(dt.date(2017, 6, 1)) == on(dt.date(2018, 6, 1)) == Decimal("32.40")
    assert on(dt.date(2019, 6, 1)) == Decimal("32.40")
    assert on(dt.date(2020, 6, 1)) == Decimal("33.66")
    assert on(dt.date(2021, 6, 1)) == Decimal("33.78")
    assert on(dt.date(2022, 7, 31)) == Decimal("34.50")
    assert on(dt.date(2022, 8, 1)) == Decimal("35.72")
    assert on(dt.date(2023, 1, 1)) == Decimal("37.21")
    assert on(dt.date(2026, 12, 31)) == Decimal("37.21")
    assert rules.daily_amount(2022) == Decimal("35.72")


def test_verify_items_are_marked_unverified(rules):
    unverified = rules.unverified()
    assert "versions.2025.tiers" in unverified
    assert "versions.2025.carry_over_earlier_days" in unverified
    assert "versions.2026-05.billed_benefits" in unverified
    assert "versions.2015.steps" not in unverified
    assert "versions.2026-05.benefits" not in unverified
    assert not any(name.startswith("daily_amounts") for name in unverified)
    assert all(value.source for v in rules.versions for _name, value in v.values())


def test_changes_between_versions(rules):
    changes = {name: (old, new) for name, old, new in rules.changes(rules.versions[2])}
    assert changes["benefits"] == (
        frozenset({"LMS", "BASIC", "EARN_BASIC"}),
        frozenset({"EARN_BASIC", "GEN"}),
    )
    assert "tiers" not in changes
    assert rules.changes(rules.versions[0]) == []


def test_rules_are_frozen(rules):
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.version = "x"  # type: ignore[misc]


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'municipal_rate = "0.45"',
            'municipal_rate = "1.45"',
            r"versions\.2025\.tiers\[1\]\.municipal_rate: a rate must be between 0 and 1",
        ),
        ("from_day = 201", "from_day = 101", r"versions\.2025\.tiers: from_day must increase"),
        (
            "from_days = 300",
            "from_days = 0",
            r"versions\.2015\.steps\[0\]\.from_days: must be a whole number",
        ),
        (
            'counted_benefits = { value = ["LMS"]',
            'counted_benefits = { value = ["TMT"]',
            r"versions\.2015\.counted_benefits: unknown code 'TMT'",
        ),
        (
            'benefits = { value = ["EARN_BASIC", "GEN"]',
            'benefits = { value = ["EARN_BASIC", "yleistuki"]',
            r"versions\.2026-05\.benefits: 'yleistuki' is not a benefit code",
        ),
        (
            "state_paid_days = { value = 100",
            "state_paid_days = { value = 150",
            r"inside the\s+150 state-paid days",
        ),
        (
            "carry_over_earlier_days = { value = true",
            "carry_over_earlier_days = { value = 1",
            r"carry_over_earlier_days: value must be bool",
        ),
        ('value = "32.40"', 'value = "32.405"', r"daily_amounts\.2017-01-01: must be euros"),
        (
            'value = "employment_condition_met"',
            'value = "moved"',
            r"counter_reset_event: unknown event",
        ),
        (
            "valid_from = { value = 2026-05-01",
            "valid_from = { value = 2024-05-01",
            r"versions\.2026-05\.valid_from: must be after 2025's",
        ),
        (
            'model = { value = "day_tiers", source = "no source',
            'model = { value = "period_steps", source = "no source',
            r"versions\.2026-05\.(model|state_paid_days)",
        ),
        ('id = "2026-05"', 'id = "2025"', r"version ids must be unique"),
        ('title = "Labour market', 'titel = "Labour market', r"versions\.2015: unknown keys"),
        ("valid_from = 2019-01-01", "valid_from = 2023-01-01", r"valid_from must increase"),
    ],
)
def test_malformed_rules_file_is_refused_with_a_clear_message(tmp_path, old, new, message):
    path = _write(tmp_path, old, new)
    with pytest.raises(RulesError, match=message) as caught:
        load_rules(path)
    assert str(path) in str(caught.value)


def test_unreadable_rules_file(tmp_path):
    with pytest.raises(RulesError, match="not found"):
        load_rules(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("version = ", encoding="utf-8")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(broken)


def test_missing_daily_amount_is_an_error(rules):
    with pytest.raises(RulesError, match="no daily amount for 2016-12-31"):
        rules.daily_amount_on(dt.date(2016, 12, 31))
