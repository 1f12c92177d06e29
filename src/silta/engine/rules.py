"""Funding-share rules as dated data: a TOML file of rule versions, each valid from a date.

The law changes by date, so the rules file is a list of *rule versions*
(``[[versions]]``). Each version says from which day it applies, which benefit codes
exist then, which benefits and bases count toward the person's counter and which are
billed, the counting model (per-payment-period steps, as until 2024, or per-day
tiers, as from 2025), the counter reset event, the exceptions that apply and, for
the day-tier model, the state-paid days, the tiers and whether days counted before
the model began carry over. A new law is a new version in the file, not new code.

Every value is a table ``{value, source, verified}`` so that a reader can see where a
number comes from and whether it still needs checking (DOMAIN.md §3.1 marks those
**[verify]**). ``load_rules()`` reads the packaged default; pass a path to use an
operator's corrected copy. A malformed file raises :class:`RulesError` naming the
file and the key. docs/adr/0019-funding-law-as-data.md says how versions are applied.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar

DEFAULT_RULES_PATH = Path(__file__).with_name("rules") / "default.toml"

BASES = ("unemployment", "service", "other")
EVENTS = ("employment_condition_met", "state_funded_until")
#: The counting models the engine implements.
MODELS = ("period_steps", "day_tiers")
#: Exceptions a version may switch on (each is a person event of the same name).
EXCEPTIONS = ("state_funded_until",)
#: What a benefit code in a rules file (and so in a payment file) looks like.
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")

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
    """Model ``period_steps``: from the period after the one in which the counter
    reaches ``from_days``, the municipality pays ``municipal_rate``."""

    from_days: int
    municipal_rate: Decimal


@dataclass(frozen=True)
class DayTier:
    """Model ``day_tiers``: benefit day number ``from_day`` and later cost the
    municipality ``municipal_rate`` (until the next tier)."""

    from_day: int
    municipal_rate: Decimal


@dataclass(frozen=True)
class RuleVersion:
    """The rules in force from ``valid_from`` until the next version's start."""

    id: str
    title: str
    valid_from: Sourced[dt.date]
    model: Sourced[str]
    benefits: Sourced[frozenset[str]]
    counted_benefits: Sourced[frozenset[str]]
    counted_bases: Sourced[frozenset[str]]
    billed_benefits: Sourced[frozenset[str]]
    billed_bases: Sourced[frozenset[str]]
    counter_reset_event: Sourced[str]
    exceptions: Sourced[frozenset[str]]
    steps: Sourced[tuple[PeriodStep, ...]] | None = None
    state_paid_days: Sourced[int] | None = None
    tiers: Sourced[tuple[DayTier, ...]] | None = None
    carry_over_earlier_days: Sourced[bool] | None = None

    @property
    def is_day_tiers(self) -> bool:
        return self.model.value == "day_tiers"

    def values(self) -> list[tuple[str, Sourced[Any]]]:
        """Every value of the version with its name, in file order."""
        names = (
            "valid_from",
            "model",
            "benefits",
            "counted_benefits",
            "counted_bases",
            "billed_benefits",
            "billed_bases",
            "counter_reset_event",
            "exceptions",
            "steps",
            "state_paid_days",
            "tiers",
            "carry_over_earlier_days",
        )
        found: list[tuple[str, Sourced[Any]]] = []
        for name in names:
            item = getattr(self, name)
            if item is not None:
                found.append((name, item))
        return found

    def counts(self, benefit: str, basis: str) -> bool:
        return benefit in self.counted_benefits.value and basis in self.counted_bases.value

    def bills(self, benefit: str, basis: str) -> bool:
        return benefit in self.billed_benefits.value and basis in self.billed_bases.value


@dataclass(frozen=True)
class DailyAmount:
    """The full daily amount of the basic unemployment benefits from ``valid_from``."""

    valid_from: dt.date
    amount: Sourced[Decimal]


@dataclass(frozen=True)
class FundingRules:
    version: str
    description: str
    versions: tuple[RuleVersion, ...]
    daily_amounts: tuple[DailyAmount, ...]
    path: Path | None = None

    # --- versions -----------------------------------------------------------------------

    def version_index(self, day: dt.date) -> int:
        """The index of the version in force on ``day`` (the first version also
        prices any day before its start)."""
        starts = [v.valid_from.value for v in self.versions]
        return max(0, bisect.bisect_right(starts, day) - 1)

    def version_on(self, day: dt.date) -> RuleVersion:
        return self.versions[self.version_index(day)]

    def valid_until(self, version: RuleVersion) -> dt.date | None:
        """The last day ``version`` is in force (None for the newest)."""
        i = self.versions.index(version)
        if i + 1 < len(self.versions):
            return self.versions[i + 1].valid_from.value - dt.timedelta(days=1)
        return None

    @property
    def boundary(self) -> Sourced[dt.date]:
        """The first day of the day-tier model: payment periods crossing it are split."""
        return self.carry_over_version.valid_from

    @property
    def carry_over_version(self) -> RuleVersion:
        """The first day-tier version: it decides whether earlier days carry over."""
        return next(v for v in self.versions if v.is_day_tiers)

    @property
    def carry_over(self) -> bool:
        item = self.carry_over_version.carry_over_earlier_days
        return bool(item is not None and item.value)

    def latest_day_tiers(self) -> RuleVersion:
        """The newest day-tier version (what a projection into the future uses)."""
        return [v for v in self.versions if v.is_day_tiers][-1]

    @property
    def benefit_codes(self) -> tuple[str, ...]:
        """Every benefit code any version knows, in the order they first appear."""
        codes: list[str] = []
        for version in self.versions:
            for code in sorted(version.benefits.value):
                if code not in codes:
                    codes.append(code)
        return tuple(codes)

    def knows(self, benefit: str, day: dt.date) -> bool:
        return benefit in self.version_on(day).benefits.value

    # --- daily amounts ------------------------------------------------------------------

    def daily_amount_on(self, day: dt.date) -> Decimal:
        """The full daily amount of the basic benefits on ``day``."""
        starts = [a.valid_from for a in self.daily_amounts]
        i = bisect.bisect_right(starts, day) - 1
        if i < 0:
            raise RulesError(f"the rules hold no daily amount for {day.isoformat()}")
        return self.daily_amounts[i].amount.value

    def daily_amount(self, year: int) -> Decimal:
        """The full daily amount in force at the end of ``year``."""
        return self.daily_amount_on(dt.date(year, 12, 31))

    # --- sources ------------------------------------------------------------------------

    def unverified(self) -> list[str]:
        """Names of the values still marked ``verified = false``."""
        names: list[str] = []
        for version in self.versions:
            names += [
                f"versions.{version.id}.{name}"
                for name, item in version.values()
                if not item.verified
            ]
        names += [
            f"daily_amounts.{a.valid_from.isoformat()}"
            for a in self.daily_amounts
            if not a.amount.verified
        ]
        return names

    def changes(self, version: RuleVersion) -> list[tuple[str, Any, Any]]:
        """What ``version`` changes against the version before it: (name, before,
        after) for each value that differs (``valid_from`` left out)."""
        i = self.versions.index(version)
        if i == 0:
            return []
        before = dict(self.versions[i - 1].values())
        after = dict(version.values())
        found: list[tuple[str, Any, Any]] = []
        for name in dict.fromkeys([*before, *after]):
            if name == "valid_from":
                continue
            old = before[name].value if name in before else None
            new = after[name].value if name in after else None
            if old != new:
                found.append((name, old, new))
        return found


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
    version = data.get("version")
    if not isinstance(version, str) or not version:
        reader.fail("version", "must be a non-empty string")

    raw_versions = data.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        reader.fail("versions", "must list at least one rule version ([[versions]])")
    versions = tuple(
        _version(reader, item, i)
        for i, item in enumerate(reader.list_of_tables(raw_versions, "versions"))
    )
    ids = [v.id for v in versions]
    if len(set(ids)) != len(ids):
        reader.fail("versions", f"version ids must be unique, got {ids}")
    for before, after in itertools.pairwise(versions):
        if after.valid_from.value <= before.valid_from.value:
            reader.fail(
                f"versions.{after.id}.valid_from",
                f"must be after {before.id}'s ({before.valid_from.value.isoformat()})",
            )
        if before.is_day_tiers and not after.is_day_tiers:
            reader.fail(
                f"versions.{after.id}.model",
                "the engine supports one change of counting model, from period_steps to "
                "day_tiers; a period_steps version may not follow a day_tiers one",
            )
    if not any(v.is_day_tiers for v in versions):
        reader.fail("versions", "at least one version must use the day_tiers model")

    raw_amounts = data.get("daily_amounts")
    if not isinstance(raw_amounts, list) or not raw_amounts:
        reader.fail("daily_amounts", "must list at least one amount ([[daily_amounts]])")
    amounts: list[DailyAmount] = []
    for i, item in enumerate(reader.list_of_tables(raw_amounts, "daily_amounts")):
        where = f"daily_amounts[{i}]"
        extra = set(item) - {"valid_from", "value", "source", "verified"}
        if extra:
            reader.fail(where, f"unknown keys {sorted(extra)}")
        start = item.get("valid_from")
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            reader.fail(f"{where}.valid_from", f"must be a date, got {start!r}")
        where = f"daily_amounts.{start.isoformat()}"
        sourced = reader.sourced(
            {"x": {k: v for k, v in item.items() if k != "valid_from"}},
            "x",
            "",
            (str, int, float),
            where=where,
        )
        amounts.append(
            DailyAmount(
                start, Sourced(reader.money(sourced.value, where), sourced.source, sourced.verified)
            )
        )
    for earlier, later in itertools.pairwise(amounts):
        if later.valid_from <= earlier.valid_from:
            reader.fail(
                f"daily_amounts.{later.valid_from.isoformat()}",
                f"valid_from must increase ({later.valid_from} follows {earlier.valid_from})",
            )

    return FundingRules(
        version=version,
        description=str(data.get("description", "")),
        versions=versions,
        daily_amounts=tuple(amounts),
        path=path,
    )


_VERSION_KEYS = {
    "id",
    "title",
    "valid_from",
    "model",
    "benefits",
    "counted_benefits",
    "counted_bases",
    "billed_benefits",
    "billed_bases",
    "counter_reset_event",
    "exceptions",
    "steps",
    "state_paid_days",
    "tiers",
    "carry_over_earlier_days",
}


def _version(reader: _Reader, item: Mapping[str, Any], index: int) -> RuleVersion:
    vid = item.get("id")
    if not isinstance(vid, str) or not vid.strip():
        reader.fail(f"versions[{index}].id", "must be a non-empty string")
    prefix = f"versions.{vid}"
    extra = set(item) - _VERSION_KEYS
    if extra:
        reader.fail(prefix, f"unknown keys {sorted(extra)}")
    valid_from = reader.sourced(item, "valid_from", prefix, dt.date)
    if isinstance(valid_from.value, dt.datetime):
        reader.fail(f"{prefix}.valid_from", "must be a date, not a date and time")
    model = reader.sourced(item, "model", prefix, str)
    if model.value not in MODELS:
        reader.fail(f"{prefix}.model", f"unknown model {model.value!r}; expected one of {MODELS}")
    benefits = reader.codes(item, "benefits", prefix, None)
    if not benefits.value:
        reader.fail(f"{prefix}.benefits", "must list at least one benefit code")
    known = tuple(sorted(benefits.value))
    reset = reader.sourced(item, "counter_reset_event", prefix, str)
    if reset.value not in EVENTS:
        reader.fail(
            f"{prefix}.counter_reset_event",
            f"unknown event {reset.value!r}; expected one of {EVENTS}",
        )
    version = RuleVersion(
        id=vid,
        title=str(item.get("title", "")),
        valid_from=valid_from,
        model=model,
        benefits=benefits,
        counted_benefits=reader.codes(item, "counted_benefits", prefix, known),
        counted_bases=reader.codes(item, "counted_bases", prefix, BASES),
        billed_benefits=reader.codes(item, "billed_benefits", prefix, known),
        billed_bases=reader.codes(item, "billed_bases", prefix, BASES),
        counter_reset_event=reset,
        exceptions=reader.codes(item, "exceptions", prefix, EXCEPTIONS),
    )
    if model.value == "period_steps":
        for key in ("state_paid_days", "tiers", "carry_over_earlier_days"):
            if key in item:
                reader.fail(f"{prefix}.{key}", "belongs to the day_tiers model only")
        steps_raw = reader.sourced(item, "steps", prefix, list)
        steps = tuple(
            PeriodStep(
                from_days=reader.positive_int(s, "from_days", f"{prefix}.steps[{i}]"),
                municipal_rate=reader.rate(s, "municipal_rate", f"{prefix}.steps[{i}]"),
            )
            for i, s in enumerate(reader.list_of_tables(steps_raw.value, f"{prefix}.steps"))
        )
        reader.increasing([s.from_days for s in steps], f"{prefix}.steps", "from_days")
        return _replace(version, steps=Sourced(steps, steps_raw.source, steps_raw.verified))

    if "steps" in item:
        reader.fail(f"{prefix}.steps", "belongs to the period_steps model only")
    state_days = reader.sourced(item, "state_paid_days", prefix, int)
    if state_days.value < 0:
        reader.fail(f"{prefix}.state_paid_days", "must be 0 or more")
    tiers_raw = reader.sourced(item, "tiers", prefix, list)
    tiers = tuple(
        DayTier(
            from_day=reader.positive_int(t, "from_day", f"{prefix}.tiers[{i}]"),
            municipal_rate=reader.rate(t, "municipal_rate", f"{prefix}.tiers[{i}]"),
        )
        for i, t in enumerate(reader.list_of_tables(tiers_raw.value, f"{prefix}.tiers"))
    )
    reader.increasing([t.from_day for t in tiers], f"{prefix}.tiers", "from_day")
    if tiers[0].from_day <= state_days.value:
        reader.fail(
            f"{prefix}.tiers",
            f"the first tier starts on day {tiers[0].from_day}, inside the "
            f"{state_days.value} state-paid days",
        )
    return _replace(
        version,
        state_paid_days=state_days,
        tiers=Sourced(tiers, tiers_raw.source, tiers_raw.verified),
        carry_over_earlier_days=reader.sourced(item, "carry_over_earlier_days", prefix, bool),
    )


def _replace(version: RuleVersion, **changes: Any) -> RuleVersion:
    import dataclasses

    return dataclasses.replace(version, **changes)


class _Reader:
    """Small helpers that raise :class:`RulesError` with the file and key in the text."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> NoReturn:
        raise RulesError(f"rules file {self.name}: {where}: {message}")

    def sourced(
        self,
        data: Mapping[str, Any],
        key: str,
        prefix: str,
        kind: type | tuple[type, ...],
        *,
        where: str | None = None,
    ) -> Sourced[Any]:
        where = where or (f"{prefix}.{key}" if prefix else key)
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
        self,
        data: Mapping[str, Any],
        key: str,
        prefix: str,
        allowed: tuple[str, ...] | None,
    ) -> Sourced[frozenset[str]]:
        item = self.sourced(data, key, prefix, list)
        for code in item.value:
            if allowed is None:
                if not isinstance(code, str) or not CODE_PATTERN.match(code):
                    self.fail(
                        f"{prefix}.{key}",
                        f"{code!r} is not a benefit code (capital letters, digits, _)",
                    )
            elif code not in allowed:
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
