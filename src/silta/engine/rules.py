"""Funding-share rules as data: a versioned TOML file loaded into frozen dataclasses.

Every value in the file is a table ``{value, source, verified}`` so that a reader can
see where a number comes from and whether it still needs checking (DOMAIN.md §3.1
marks those **[verify]**). ``load_rules()`` reads the packaged default; pass a path to
use an operator's corrected copy. A malformed file raises :class:`RulesError` naming
the file and the key.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar

DEFAULT_RULES_PATH = Path(__file__).with_name("rules") / "default.toml"

BENEFITS = ("LMS", "BASIC", "EARN_BASIC")
BASES = ("unemployment", "service", "other")
EVENTS = ("employment_condition_met", "state_funded_until")

#: Rates are held as integers in millionths, so the engine can work in integers.
RATE_UNIT = 1_000_000

T = TypeVar("T")


class RulesError(ValueError):
    """The rules file is missing a value or holds one the engine cannot use."""


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A rule value with where it comes from and whether it has been verified."""

    value: T
    source: str
    verified: bool


@dataclass(frozen=True)
class PeriodStep:
    """Regime 2015: from the period after the one in which the counter reaches
    ``from_days``, the municipality pays ``municipal_rate``."""

    from_days: int
    municipal_rate: Decimal


@dataclass(frozen=True)
class DayTier:
    """Regime 2025: benefit day number ``from_day`` and later cost the municipality
    ``municipal_rate`` (until the next tier)."""

    from_day: int
    municipal_rate: Decimal


@dataclass(frozen=True)
class Regime2015Rules:
    counted_benefits: Sourced[frozenset[str]]
    counted_bases: Sourced[frozenset[str]]
    steps: Sourced[tuple[PeriodStep, ...]]


@dataclass(frozen=True)
class Regime2025Rules:
    counted_benefits: Sourced[frozenset[str]]
    counted_bases: Sourced[frozenset[str]]
    state_paid_days: Sourced[int]
    tiers: Sourced[tuple[DayTier, ...]]
    carry_over_pre_2025_days: Sourced[bool]


@dataclass(frozen=True)
class FundingRules:
    version: str
    description: str
    boundary: Sourced[dt.date]
    counter_reset_event: Sourced[str]
    regime_2015: Regime2015Rules
    regime_2025: Regime2025Rules
    daily_amounts: Mapping[int, Sourced[Decimal]]
    path: Path | None = None

    def daily_amount(self, year: int) -> Decimal:
        """The full daily amount of the labour market subsidy in ``year``."""
        try:
            return self.daily_amounts[year].value
        except KeyError:
            raise RulesError(f"the rules hold no daily amount for {year}") from None

    def unverified(self) -> list[str]:
        """Names of the values still marked ``verified = false``."""
        names: list[tuple[str, Sourced[Any]]] = [
            ("boundary", self.boundary),
            ("counter_reset_event", self.counter_reset_event),
            ("regime.2015.counted_benefits", self.regime_2015.counted_benefits),
            ("regime.2015.counted_bases", self.regime_2015.counted_bases),
            ("regime.2015.steps", self.regime_2015.steps),
            ("regime.2025.counted_benefits", self.regime_2025.counted_benefits),
            ("regime.2025.counted_bases", self.regime_2025.counted_bases),
            ("regime.2025.state_paid_days", self.regime_2025.state_paid_days),
            ("regime.2025.tiers", self.regime_2025.tiers),
            ("regime.2025.carry_over_pre_2025_days", self.regime_2025.carry_over_pre_2025_days),
        ]
        names += [(f"daily_amounts.{y}", v) for y, v in sorted(self.daily_amounts.items())]
        return [name for name, item in names if not item.verified]


def load_rules(path: Path | None = None) -> FundingRules:
    """Load and validate a rules file (the packaged default when ``path`` is None)."""
    path = Path(path) if path is not None else DEFAULT_RULES_PATH
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise RulesError(f"rules file {path}: not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"rules file {path}: not valid TOML: {exc}") from None
    return rules_from_mapping(data, path=path)


def rules_from_mapping(data: Mapping[str, Any], *, path: Path | None = None) -> FundingRules:
    """Validate an already parsed rules document (what ``tomllib`` returns)."""
    reader = _Reader(str(path) if path is not None else "<rules>")
    regimes = reader.table(data, "regime", "regime")
    old = reader.table(regimes, "2015", "regime.2015")
    new = reader.table(regimes, "2025", "regime.2025")

    steps_raw = reader.sourced(old, "steps", "regime.2015", list)
    steps = tuple(
        PeriodStep(
            from_days=reader.positive_int(item, "from_days", f"regime.2015.steps[{i}]"),
            municipal_rate=reader.rate(item, "municipal_rate", f"regime.2015.steps[{i}]"),
        )
        for i, item in enumerate(reader.list_of_tables(steps_raw.value, "regime.2015.steps"))
    )
    reader.increasing([s.from_days for s in steps], "regime.2015.steps", "from_days")

    state_days = reader.sourced(new, "state_paid_days", "regime.2025", int)
    if state_days.value < 0:
        reader.fail("regime.2025.state_paid_days", "must be 0 or more")
    tiers_raw = reader.sourced(new, "tiers", "regime.2025", list)
    tiers = tuple(
        DayTier(
            from_day=reader.positive_int(item, "from_day", f"regime.2025.tiers[{i}]"),
            municipal_rate=reader.rate(item, "municipal_rate", f"regime.2025.tiers[{i}]"),
        )
        for i, item in enumerate(reader.list_of_tables(tiers_raw.value, "regime.2025.tiers"))
    )
    reader.increasing([t.from_day for t in tiers], "regime.2025.tiers", "from_day")
    if tiers and tiers[0].from_day <= state_days.value:
        reader.fail(
            "regime.2025.tiers",
            f"the first tier starts on day {tiers[0].from_day}, inside the "
            f"{state_days.value} state-paid days",
        )

    reset = reader.sourced(data, "counter_reset_event", "", str)
    if reset.value not in EVENTS:
        reader.fail(
            "counter_reset_event", f"unknown event {reset.value!r}; expected one of {EVENTS}"
        )

    amounts_table = reader.table(data, "daily_amounts", "daily_amounts")
    amounts: dict[int, Sourced[Decimal]] = {}
    for key in amounts_table:
        where = f"daily_amounts.{key}"
        if not str(key).isdigit() or len(str(key)) != 4:
            reader.fail(where, "the key must be a four-digit year")
        item = reader.sourced(amounts_table, key, "daily_amounts", (str, int, float))
        amounts[int(key)] = Sourced(reader.money(item.value, where), item.source, item.verified)

    version = data.get("version")
    if not isinstance(version, str) or not version:
        reader.fail("version", "must be a non-empty string")
    boundary = reader.sourced(data, "boundary", "", dt.date)
    if isinstance(boundary.value, dt.datetime):
        reader.fail("boundary", "must be a date, not a date and time")

    return FundingRules(
        version=version,
        description=str(data.get("description", "")),
        boundary=boundary,
        counter_reset_event=reset,
        regime_2015=Regime2015Rules(
            counted_benefits=reader.codes(old, "counted_benefits", "regime.2015", BENEFITS),
            counted_bases=reader.codes(old, "counted_bases", "regime.2015", BASES),
            steps=Sourced(steps, steps_raw.source, steps_raw.verified),
        ),
        regime_2025=Regime2025Rules(
            counted_benefits=reader.codes(new, "counted_benefits", "regime.2025", BENEFITS),
            counted_bases=reader.codes(new, "counted_bases", "regime.2025", BASES),
            state_paid_days=state_days,
            tiers=Sourced(tiers, tiers_raw.source, tiers_raw.verified),
            carry_over_pre_2025_days=reader.sourced(
                new, "carry_over_pre_2025_days", "regime.2025", bool
            ),
        ),
        daily_amounts=amounts,
        path=path,
    )


class _Reader:
    """Small helpers that raise :class:`RulesError` with the file and key in the text."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> NoReturn:
        raise RulesError(f"rules file {self.name}: {where}: {message}")

    def table(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            self.fail(where, "missing table" if value is None else "must be a table")
        return value

    def sourced(
        self,
        data: Mapping[str, Any],
        key: str,
        prefix: str,
        kind: type | tuple[type, ...],
    ) -> Sourced[Any]:
        where = f"{prefix}.{key}" if prefix else key
        item = data.get(key)
        if not isinstance(item, Mapping):
            self.fail(
                where, "missing" if item is None else "must be a table {value, source, verified}"
            )
        extra = set(item) - {"value", "source", "verified"}
        if extra:
            self.fail(where, f"unknown keys {sorted(extra)}")
        if "value" not in item:
            self.fail(where, "has no value")
        value = item["value"]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is a subclass of int: an int field must not accept true/false.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            self.fail(where, f"value must be {names}, got {value!r}")
        source = item.get("source")
        if not isinstance(source, str) or not source.strip():
            self.fail(where, "source must be a non-empty string")
        verified = item.get("verified")
        if not isinstance(verified, bool):
            self.fail(where, "verified must be true or false")
        return Sourced(value, str(source), bool(verified))

    def codes(
        self, data: Mapping[str, Any], key: str, prefix: str, allowed: tuple[str, ...]
    ) -> Sourced[frozenset[str]]:
        item = self.sourced(data, key, prefix, list)
        for code in item.value:
            if code not in allowed:
                self.fail(f"{prefix}.{key}", f"unknown code {code!r}; expected some of {allowed}")
        return Sourced(frozenset(item.value), item.source, item.verified)

    def list_of_tables(self, value: list[Any], where: str) -> list[Mapping[str, Any]]:
        for i, item in enumerate(value):
            if not isinstance(item, Mapping):
                self.fail(f"{where}[{i}]", "must be a table")
        return value

    def positive_int(self, item: Mapping[str, Any], key: str, where: str) -> int:
        value = item.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.fail(f"{where}.{key}", f"must be a whole number of days ≥ 1, got {value!r}")
        return value

    def rate(self, item: Mapping[str, Any], key: str, where: str) -> Decimal:
        value = item.get(key)
        rate = self._decimal(value, f"{where}.{key}")
        if not Decimal(0) <= rate <= Decimal(1):
            self.fail(f"{where}.{key}", f"a rate must be between 0 and 1, got {value!r}")
        if (rate * RATE_UNIT) % 1 != 0:
            self.fail(f"{where}.{key}", f"a rate may have at most 6 decimals, got {value!r}")
        return rate

    def money(self, value: Any, where: str) -> Decimal:
        amount = self._decimal(value, where)
        if amount < 0 or (amount * 100) % 1 != 0:
            self.fail(where, f"must be euros with at most 2 decimals, got {value!r}")
        return amount

    def increasing(self, values: list[int], where: str, field: str) -> None:
        if not values:
            self.fail(where, "must list at least one entry")
        for before, after in itertools.pairwise(values):
            if after <= before:
                self.fail(where, f"{field} must increase ({after} follows {before})")

    def _decimal(self, value: Any, where: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(where, f"must be a decimal number, got {value!r}")
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            result = Decimal("NaN")
        if not result.is_finite():
            self.fail(where, f"must be a decimal number, got {value!r}")
        return result
