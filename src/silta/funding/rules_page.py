"""The rules page: the funding-law rule version in force on any date, every value with
its source and whether it is verified, and what changed from the version before.

Values are shown in the user's language (benefit, basis, model and event names come
from the store's choices); the sources are citations kept as the rules file has them.
No person-level data: no access-log row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silta.engine.rules import DayTier, FundingRules, PeriodStep, RuleVersion
from silta.funding.models import Basis, Benefit, PersonEventKind

NAMES = {
    "valid_from": gettext_lazy("In force from"),
    "model": gettext_lazy("Counting model"),
    "benefits": gettext_lazy("Benefits paid"),
    "counted_benefits": gettext_lazy("Benefits counted toward the days"),
    "counted_bases": gettext_lazy("Bases counted toward the days"),
    "billed_benefits": gettext_lazy("Benefits billed to the municipality"),
    "billed_bases": gettext_lazy("Bases billed to the municipality"),
    "counter_reset_event": gettext_lazy("Event that restarts the counter"),
    "exceptions": gettext_lazy("Exceptions"),
    "steps": gettext_lazy("Steps per payment period"),
    "state_paid_days": gettext_lazy("Days the state pays"),
    "tiers": gettext_lazy("Tiers per benefit day"),
    "carry_over_earlier_days": gettext_lazy("Days before the model count"),
}
MODELS = {
    "period_steps": gettext_lazy("steps per payment period (until 2024)"),
    "day_tiers": gettext_lazy("tiers per benefit day (from 2025)"),
}
EXCEPTIONS = {"state_funded_until": gettext_lazy("state funds a person's days up to a date")}


@dataclass(frozen=True)
class ValueRow:
    name: str
    value: str
    source: str
    verified: bool


@dataclass(frozen=True)
class VersionView:
    version: RuleVersion
    valid_from: dt.date
    valid_until: dt.date | None
    in_force: bool
    rows: list[ValueRow]
    changes: list[tuple[str, str, str]]


def _percent(rate: Decimal) -> str:
    return number_format(rate * 100, decimal_pos=0 if rate * 100 % 1 == 0 else 2) + " %"


def show(name: str, value: Any) -> str:
    """A rule value in the user's language."""
    if value is None:
        return "–"
    if name == "valid_from":
        return value.strftime("%-d.%-m.%Y")
    if name == "model":
        return str(MODELS.get(value, value))
    if name in ("benefits", "counted_benefits", "billed_benefits"):
        labels = dict(Benefit.choices)
        return ", ".join(sorted(str(labels.get(c, c)) for c in value)) or "–"
    if name in ("counted_bases", "billed_bases"):
        labels = dict(Basis.choices)
        return ", ".join(sorted(str(labels.get(c, c)) for c in value)) or "–"
    if name == "counter_reset_event":
        return str(dict(PersonEventKind.choices).get(value, value))
    if name == "exceptions":
        return ", ".join(sorted(str(EXCEPTIONS.get(c, c)) for c in value)) or "–"
    if name == "steps":
        return "; ".join(
            _("after the period reaching %(days)s days: %(rate)s")
            % {"days": s.from_days, "rate": _percent(s.municipal_rate)}
            for s in value
            if isinstance(s, PeriodStep)
        )
    if name == "tiers":
        return "; ".join(
            _("from day %(day)s: %(rate)s")
            % {"day": t.from_day, "rate": _percent(t.municipal_rate)}
            for t in value
            if isinstance(t, DayTier)
        )
    if name == "state_paid_days":
        return _("days 1–%(days)s") % {"days": value}
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def versions_view(rules: FundingRules, on: dt.date) -> list[VersionView]:
    in_force = rules.version_on(on)
    views = []
    for version in rules.versions:
        rows = [
            ValueRow(str(NAMES[name]), show(name, item.value), item.source, item.verified)
            for name, item in version.values()
        ]
        changes = [
            (str(NAMES[name]), show(name, before), show(name, after))
            for name, before, after in rules.changes(version)
        ]
        views.append(
            VersionView(
                version=version,
                valid_from=version.valid_from.value,
                valid_until=rules.valid_until(version),
                in_force=version is in_force,
                rows=rows,
                changes=changes,
            )
        )
    return views
