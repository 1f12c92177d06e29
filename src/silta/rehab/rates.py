"""Rules and rates of rehabilitative work activity, read from ``rules/rates.toml``.

Every value there is ``{value, source, verified}``; values not yet verified are listed
by ``RehabRates.unverified()`` and shown on the pages that use them. The outcome-fee
window may also be set with the Django setting ``SILTA_REHAB_FEE_WINDOW_DAYS``."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

CENT = Decimal("0.01")


def round_eur(amount: Decimal) -> Decimal:
    """The one place rehab money is rounded: to the cent, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


RATES_FILE = Path(__file__).resolve().parent / "rules" / "rates.toml"


@dataclass(frozen=True)
class Rated:
    value: Any
    source: str
    verified: bool


@dataclass(frozen=True)
class AttendanceRules:
    max_days_per_week: int
    min_hours_per_day: Decimal
    max_hours_per_day: Decimal
    max_hours_per_week: Decimal


@dataclass(frozen=True)
class RehabRates:
    version: str
    attendance: AttendanceRules
    kela_eur_per_day: Decimal
    kela_max_days_per_week: int
    activity_eur_per_day: Decimal
    activity_max_days_per_week: int
    state_eur_per_day: Decimal
    fee_window_days: int
    plan_review_months: int
    no_attendance_days: int
    raw: Mapping[str, Mapping[str, Rated]]

    def unverified(self) -> list[str]:
        """``section.key`` of every value not yet verified."""
        return [
            f"{section}.{key}"
            for section, values in self.raw.items()
            for key, rated in values.items()
            if not rated.verified
        ]

    def is_verified(self, section: str, key: str) -> bool:
        return self.raw[section][key].verified

    def source(self, section: str, key: str) -> str:
        return self.raw[section][key].source


def rates_from(data: Mapping[str, Any]) -> RehabRates:
    raw: dict[str, dict[str, Rated]] = {}
    for section, values in data.items():
        if not isinstance(values, dict):
            continue
        raw[section] = {}
        for key, item in values.items():
            try:
                raw[section][key] = Rated(
                    item["value"], str(item["source"]), bool(item["verified"])
                )
            except (KeyError, TypeError):
                raise ValueError(
                    f"rates: {section}.{key} needs value, source and verified"
                ) from None

    def v(section: str, key: str) -> Any:
        try:
            return raw[section][key].value
        except KeyError:
            raise ValueError(f"rates: {section}.{key} is missing") from None

    window = getattr(settings, "SILTA_REHAB_FEE_WINDOW_DAYS", None)
    return RehabRates(
        version=str(data.get("version", "")),
        attendance=AttendanceRules(
            max_days_per_week=int(v("attendance", "max_days_per_week")),
            min_hours_per_day=Decimal(str(v("attendance", "min_hours_per_day"))),
            max_hours_per_day=Decimal(str(v("attendance", "max_hours_per_day"))),
            max_hours_per_week=Decimal(str(v("attendance", "max_hours_per_week"))),
        ),
        kela_eur_per_day=Decimal(str(v("kela_expense_allowance", "eur_per_day"))),
        kela_max_days_per_week=int(v("kela_expense_allowance", "max_days_per_week")),
        activity_eur_per_day=Decimal(str(v("activity_allowance", "eur_per_day"))),
        activity_max_days_per_week=int(v("activity_allowance", "max_days_per_week")),
        state_eur_per_day=Decimal(str(v("state_reimbursement", "eur_per_day"))),
        fee_window_days=int(window if window is not None else v("outcome_fee", "window_days")),
        plan_review_months=int(v("alerts", "plan_review_months")),
        no_attendance_days=int(v("alerts", "no_attendance_days")),
        raw=raw,
    )


@cache
def default_rates() -> RehabRates:
    return rates_from(tomllib.loads(RATES_FILE.read_text(encoding="utf-8")))
