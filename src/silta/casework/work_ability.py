"""Who likely needs a work ability assessment: pure rules over a client's facts.

The rule keys and what they test are here; weights and thresholds come from
``rules/work_ability.toml`` (data, shown on the help page). ``evaluate`` returns the
reasons that fired, each with its weight, so every suggestion shows why."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RULES_FILE = Path(__file__).resolve().parent / "rules" / "work_ability.toml"

RULE_LABELS: dict[str, Promise] = {
    "long_benefit_history": _("Long benefit history"),
    "health_check_finding": _("Health check finding"),
    "services_not_completed": _("Services repeatedly not completed"),
    "rehab_over_24_months": _("Rehabilitative work activity over 24 months"),
    "low_assessment_ratings": _("Low assessment ratings"),
}
RULE_EXPLANATIONS: dict[str, Promise] = {
    "long_benefit_history": _(
        "Unemployment benefit paid for at least %(min_benefit_days)s days in total."
    ),
    "health_check_finding": _(
        "An unemployed health check in the last %(within_months)s months found that work "
        "ability should be assessed. Shown only to those who may see the health data."
    ),
    "services_not_completed": _(
        "At least %(min_count)s referred services not completed in the last "
        "%(within_months)s months."
    ),
    "rehab_over_24_months": _(
        "Rehabilitative work activity has continued for at least %(min_months)s months."
    ),
    "low_assessment_ratings": _(
        "In the latest service-need assessment a rating of at most %(max_rating)s in: %(domains)s."
    ),
}


@dataclass(frozen=True)
class Rules:
    version: str
    source: str
    verified: bool
    min_score: int
    skip_if_assessed_within_months: int
    rules: Mapping[str, Mapping[str, Any]]

    def weight(self, key: str) -> int:
        return int(self.rules[key]["weight"])


def rules_from(data: Mapping[str, Any]) -> Rules:
    unknown = set(data["rules"]) - set(RULE_LABELS)
    if unknown:
        raise ValueError(f"Unknown work ability rules: {sorted(unknown)}")
    return Rules(
        version=str(data["version"]),
        source=str(data.get("source", "")),
        verified=bool(data.get("verified", False)),
        min_score=int(data["min_score"]),
        skip_if_assessed_within_months=int(data["skip_if_assessed_within_months"]),
        rules=data["rules"],
    )


@cache
def default_rules() -> Rules:
    return rules_from(tomllib.loads(RULES_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Facts:
    benefit_days: int = 0
    health_concern_on: dt.date | None = None
    """Latest completed health check with a work-ability finding the viewer may see."""
    not_completed_on: tuple[dt.date, ...] = ()
    rehab_since: dt.date | None = None
    """Start of ongoing rehabilitative work activity."""
    latest_ratings: Mapping[str, int] = field(default_factory=dict)
    last_assessed_on: dt.date | None = None
    """Latest work ability assessment completed or under way."""


def rule_explanation(key: str, params: Mapping[str, Any]) -> str:
    """A rule's explanation with its parameters, the assessment domains by name."""
    from silta.casework.models import AssessmentDomain

    def shown(name: str, value: Any) -> Any:
        if name == "domains":
            labels = {d.value: str(d.label) for d in AssessmentDomain}
            return ", ".join(labels.get(v, str(v)).lower() for v in value)
        return ", ".join(value) if isinstance(value, list) else value

    return str(RULE_EXPLANATIONS[key]) % {k: shown(k, v) for k, v in params.items()}


@dataclass(frozen=True)
class Reason:
    key: str
    weight: int
    detail: str

    @property
    def label(self) -> Promise:
        return RULE_LABELS[self.key]


def _months_ago(today: dt.date, months: int) -> dt.date:
    return today - dt.timedelta(days=round(months * 30.44))


def evaluate(facts: Facts, rules: Rules, today: dt.date) -> list[Reason]:
    """Every reason that fires for one client (empty when a recent work ability
    assessment skips the client). Whether the client is listed: ``is_candidate``."""
    if facts.last_assessed_on is not None and facts.last_assessed_on >= _months_ago(
        today, rules.skip_if_assessed_within_months
    ):
        return []
    reasons: list[Reason] = []
    r = rules.rules
    if "long_benefit_history" in r and facts.benefit_days >= int(
        r["long_benefit_history"]["min_benefit_days"]
    ):
        reasons.append(
            Reason(
                "long_benefit_history",
                rules.weight("long_benefit_history"),
                str(facts.benefit_days),
            )
        )
    if (
        "health_check_finding" in r
        and facts.health_concern_on is not None
        and facts.health_concern_on
        >= _months_ago(today, int(r["health_check_finding"]["within_months"]))
    ):
        reasons.append(
            Reason(
                "health_check_finding",
                rules.weight("health_check_finding"),
                facts.health_concern_on.isoformat(),
            )
        )
    if "services_not_completed" in r:
        since = _months_ago(today, int(r["services_not_completed"]["within_months"]))
        n = sum(1 for d in facts.not_completed_on if d >= since)
        if n >= int(r["services_not_completed"]["min_count"]):
            reasons.append(
                Reason("services_not_completed", rules.weight("services_not_completed"), str(n))
            )
    if (
        "rehab_over_24_months" in r
        and facts.rehab_since is not None
        and facts.rehab_since <= _months_ago(today, int(r["rehab_over_24_months"]["min_months"]))
    ):
        reasons.append(
            Reason(
                "rehab_over_24_months",
                rules.weight("rehab_over_24_months"),
                facts.rehab_since.isoformat(),
            )
        )
    if "low_assessment_ratings" in r:
        rule = r["low_assessment_ratings"]
        low = sorted(
            d
            for d in rule["domains"]
            if d in facts.latest_ratings and facts.latest_ratings[d] <= int(rule["max_rating"])
        )
        if low:
            reasons.append(
                Reason(
                    "low_assessment_ratings", rules.weight("low_assessment_ratings"), ",".join(low)
                )
            )
    return reasons


def is_candidate(reasons: list[Reason], rules: Rules) -> bool:
    return bool(reasons) and sum(x.weight for x in reasons) >= rules.min_score
