"""The rules file: loads into frozen dataclasses, says what is unverified, and refuses
a malformed file with a message naming the key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from silta.engine.rules import DEFAULT_RULES_PATH, RulesError, load_rules


def test_default_rules_hold_both_regimes(rules):
    assert rules.boundary.value == dt.date(2025, 1, 1)
    assert rules.regime_2015.counted_benefits.value == {"LMS"}
    assert rules.regime_2015.counted_bases.value == {"unemployment"}
    assert [(s.from_days, s.municipal_rate) for s in rules.regime_2015.steps.value] == [
        (300, Decimal("0.50")),
        (1000, Decimal("0.70")),
    ]
    assert "other" not in rules.regime_2025.counted_bases.value
    assert rules.regime_2025.state_paid_days.value == 100
    assert [(t.from_day, t.municipal_rate) for t in rules.regime_2025.tiers.value] == [
        (101, Decimal("0.30")),
        (201, Decimal("0.45")),
        (401, Decimal("0.70")),
    ]
    assert rules.regime_2025.carry_over_pre_2025_days.value is False
    assert rules.daily_amount(2024) == Decimal("37.21")
    assert rules.daily_amount(2020) == Decimal("33.78")


def test_verify_items_are_marked_unverified(rules):
    unverified = rules.unverified()
    assert "regime.2025.tiers" in unverified
    assert "regime.2025.carry_over_pre_2025_days" in unverified
    assert "daily_amounts.2019" in unverified
    assert "regime.2015.steps" not in unverified
    assert all(item.source for item in (rules.boundary, rules.regime_2025.tiers))


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
            r"regime\.2025\.tiers\[1\]\.municipal_rate: a rate must be between 0 and 1",
        ),
        ("from_day = 201", "from_day = 101", r"regime\.2025\.tiers: from_day must increase"),
        (
            "from_days = 300",
            "from_days = 0",
            r"regime\.2015\.steps\[0\]\.from_days: must be a whole number",
        ),
        (
            'counted_benefits = { value = ["LMS"]',
            'counted_benefits = { value = ["TMT"]',
            r"regime\.2015\.counted_benefits: unknown code 'TMT'",
        ),
        (
            "state_paid_days = { value = 100",
            "state_paid_days = { value = 150",
            r"inside the\s+150 state-paid days",
        ),
        (
            "carry_over_pre_2025_days = { value = false",
            "carry_over_pre_2025_days = { value = 0",
            r"carry_over_pre_2025_days: value must be bool",
        ),
        (
            '2019 = { value = "32.40"',
            '2019 = { value = "32.405"',
            r"daily_amounts\.2019: must be euros",
        ),
        (
            'value = "employment_condition_met"',
            'value = "moved"',
            r"counter_reset_event: unknown event",
        ),
        (
            'source = "DOMAIN.md §3.1 [verify]", verified = false }\n# Whether',
            "verified = false }\n# Whether",
            r"regime\.2025\.tiers: source must be",
        ),
        ("boundary = {", "boundary_date = {", r"boundary: missing"),
        ("[regime.2025]", "[regime.2026]", r"regime\.2025: missing table"),
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
    with pytest.raises(RulesError, match="no daily amount for 2030"):
        rules.daily_amount(2030)
