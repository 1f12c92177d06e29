"""Yearly figures of the whole region, computed from the database's own events
(DESIGN.md "Yearly figures"; DOMAIN.md §4 lists the 2023 values the demo reproduces).

Each figure is a ``YearFigure``: a stable key (the JSON key of
``silta report year YYYY --format json``), a translatable label and a function
``compute(year) -> int | Decimal``. Counts are ``int``; euro amounts are ``Decimal``.

Extension point
---------------
Other apps bring their own figures without importing this module (nothing imports
reporting, DESIGN.md "Layout"): ``FIGURE_SOURCES`` lists dotted paths of sequences
of figure objects — anything with ``key``, ``label`` and ``compute(year)``, e.g. a
``typing.NamedTuple`` declared in the app. A source whose module or attribute does not
exist yet is skipped, so an app's figures appear as soon as the app defines them; for
the funding side that is ``silta.funding.figures.YEARLY_FIGURES`` (for
``municipal_share_eur``). Keys come out in the order of DESIGN.md
(``KEY_ORDER``), any others after them; a key may be defined once only.

Definitions (calendar year, Europe/Helsinki; "overlaps the year" means began on or
before 31.12. and had not ended before 1.1.; every count is of distinct clients unless
it says referrals):

``joint_service_clients``
    Clients with a joint service membership (``JointService``) overlapping the year:
    ``started_on <= 31.12.`` and ``ended_on`` empty or ``>= 1.1.``.
``activation_clients``
    Clients with an activation plan (``Plan.kind == "activation"``) in force during
    the year: agreed (``agreed_on``) on or before 31.12. and not closed
    (``closed_on`` empty or ``>= 1.1.``). Drafts that were never agreed do not count.
``social_guidance_clients`` / ``social_rehabilitation_clients``
    Clients who received the catalogue service (code ``social_guidance`` /
    ``social_rehabilitation``) during the year: a referral to it that reached the
    service (status ``scheduled`` or ``completed``), whose first appointment was on or
    before 31.12. and which was not closed before 1.1. Declined, cancelled and not
    completed referrals do not count.
``health_checks``
    Referrals to the unemployed health check (code ``health_check``) completed in the
    year: status ``completed`` and ``closed_at`` within the year.
``work_ability_assessments``
    Referrals to the work ability assessment (code ``work_ability_assessment``, in the
    region's catalogue provided by Soite's adult social work) completed in the year,
    counted like health checks.

These are region totals for staff; they are not broken down by municipality, so no
small cells arise (DOMAIN.md §3.5 suppression applies to breakdowns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from silta.casework.models import JointService, Plan, PlanKind, Referral, ReferralStatus
from silta.catalogue.models import ServiceCode
from silta.core import dates

FIRST_YEAR = 2000
"""The earliest year the command accepts (the region's benefit history starts 2010)."""

KEY_ORDER: tuple[str, ...] = (
    "joint_service_clients",
    "activation_clients",
    "rehab_participants",
    "social_guidance_clients",
    "social_rehabilitation_clients",
    "health_checks",
    "work_ability_assessments",
    "network_clients",
    "network_new_referrals",
    "network_meetings",
    "municipal_share_eur",
    "social_rehabilitation_group_participants",  # issue 8: group activities
    # issue 16: the work ability path (silta.workability.figures)
    "work_ability_results",
    "rehabilitation_applications",
    "pension_applications",
    "rehabilitation_or_pension_granted",
    "health_check_coverage_pct",
    "initial_assessments",  # issue 17: integration and youth
    "integration_plans",
    "youth_joint_service_clients",
)
"""The keys of the DESIGN.md contract, in its order (then the figures added since)."""

Value = int | Decimal


class FigureLike(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def label(self) -> Any: ...

    def compute(self, year: int) -> Value: ...


@dataclass(frozen=True)
class YearFigure:
    key: str
    label: Any  # a lazy translation
    compute: Callable[[int], Value]


class YearError(ValueError):
    """The year is not one the figures can be computed for."""


def year_bounds(year: int) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    """First and last day of the year, and its start and the next year's start as
    Helsinki moments (for timestamps: ``start <= t < next_start``)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.datetime(year, 1, 1, tzinfo=dates.HELSINKI)
    next_start = dt.datetime(year + 1, 1, 1, tzinfo=dates.HELSINKI)
    return first, last, start, next_start


def joint_service_clients(year: int) -> int:
    first, last, _s, _e = year_bounds(year)
    return (
        JointService.objects.filter(started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values("client_id")
        .distinct()
        .count()
    )


def activation_clients(year: int) -> int:
    first, last, _s, _e = year_bounds(year)
    return (
        Plan.objects.filter(kind=PlanKind.ACTIVATION, agreed_on__isnull=False, agreed_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values("client_id")
        .distinct()
        .count()
    )


def _service_clients(code: str, year: int) -> int:
    _f, _l, start, next_start = year_bounds(year)
    return (
        Referral.objects.filter(
            service__code=code,
            status__in=[ReferralStatus.SCHEDULED, ReferralStatus.COMPLETED],
            first_appointment_at__isnull=False,
            first_appointment_at__lt=next_start,
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .values("client_id")
        .distinct()
        .count()
    )


def _completed(code: str, year: int) -> int:
    _f, _l, start, next_start = year_bounds(year)
    return Referral.objects.filter(
        service__code=code,
        status=ReferralStatus.COMPLETED,
        closed_at__gte=start,
        closed_at__lt=next_start,
    ).count()


CASEWORK_FIGURES: tuple[YearFigure, ...] = (
    YearFigure(
        "joint_service_clients",
        _("Clients in multisectoral cooperation (TYP until 2024)"),
        joint_service_clients,
    ),
    YearFigure("activation_clients", _("Clients in activation work"), activation_clients),
    YearFigure(
        "social_guidance_clients",
        _("Clients in social guidance"),
        lambda year: _service_clients(ServiceCode.SOCIAL_GUIDANCE, year),
    ),
    YearFigure(
        "social_rehabilitation_clients",
        _("Clients in social rehabilitation"),
        lambda year: _service_clients(ServiceCode.SOCIAL_REHABILITATION, year),
    ),
    YearFigure(
        "health_checks",
        _("Unemployed health checks done"),
        lambda year: _completed(ServiceCode.HEALTH_CHECK, year),
    ),
    YearFigure(
        "work_ability_assessments",
        _("Work ability assessments with adult social work"),
        lambda year: _completed(ServiceCode.WORK_ABILITY_ASSESSMENT, year),
    ),
)

FIGURE_SOURCES: list[str] = [
    "silta.reporting.yearly.CASEWORK_FIGURES",
    "silta.funding.figures.YEARLY_FIGURES",  # municipal_share_eur
    "silta.rehab.figures.YEARLY_FIGURES",  # rehab_participants
    "silta.governance.figures.YEARLY_FIGURES",  # network_* (work ability network)
    "silta.groups.figures.YEARLY_FIGURES",  # social_rehabilitation_group_participants
    "silta.workability.figures.YEARLY_FIGURES",  # the work ability path (issue 16)
    "silta.integration.figures.YEARLY_FIGURES",  # initial_assessments, integration_plans, youth
]
"""Dotted paths of figure sequences (see the module docstring). Append to add figures."""


def _sources(paths: Iterable[str]) -> list[FigureLike]:
    found: list[FigureLike] = []
    for path in paths:
        try:
            figures: Sequence[FigureLike] = import_string(path)
        except ImportError:
            continue  # that app has not defined its figures (yet)
        found.extend(figures)
    return found


def figures() -> list[FigureLike]:
    """Every known figure in the contract's order; a key defined twice is an error."""
    found = _sources(FIGURE_SOURCES)
    keys = [f.key for f in found]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ImproperlyDefined(f"yearly figure keys defined more than once: {', '.join(twice)}")
    rank = {key: i for i, key in enumerate(KEY_ORDER)}
    return sorted(found, key=lambda f: (rank.get(f.key, len(rank)), f.key))


class ImproperlyDefined(RuntimeError):
    pass


def check_year(year: int) -> int:
    """The year itself, or ``YearError`` when it is before ``FIRST_YEAR`` or has not
    begun."""
    this_year = dates.today().year
    if not FIRST_YEAR <= year <= this_year:
        raise YearError(year)
    return year


def year_figures(year: int) -> dict[str, Value]:
    """The year's figures, keyed as in DESIGN.md; only the figures whose data exist in
    Silta so far (see ``FIGURE_SOURCES``)."""
    check_year(year)
    return {f.key: f.compute(year) for f in figures()}


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's start and the next day's start as Helsinki moments."""
    start = dt.datetime(first.year, first.month, first.day, tzinfo=dates.HELSINKI)
    after = last + dt.timedelta(days=1)
    return start, dt.datetime(after.year, after.month, after.day, tzinfo=dates.HELSINKI)


def _casework_period(key: str, first: dt.date, last: dt.date) -> int | None:
    """The casework figures of ``silta.reporting.yearly`` over a period of days."""
    start, next_start = _bounds(first, last)
    if key == "joint_service_clients":
        return (
            JointService.objects.filter(started_on__lte=last)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
            .values("client_id")
            .distinct()
            .count()
        )
    if key == "activation_clients":
        return (
            Plan.objects.filter(
                kind=PlanKind.ACTIVATION, agreed_on__isnull=False, agreed_on__lte=last
            )
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
            .values("client_id")
            .distinct()
            .count()
        )
    services = {
        "social_guidance_clients": ServiceCode.SOCIAL_GUIDANCE,
        "social_rehabilitation_clients": ServiceCode.SOCIAL_REHABILITATION,
    }
    if key in services:
        return (
            Referral.objects.filter(
                service__code=services[key],
                status__in=[ReferralStatus.SCHEDULED, ReferralStatus.COMPLETED],
                first_appointment_at__isnull=False,
                first_appointment_at__lt=next_start,
            )
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
            .values("client_id")
            .distinct()
            .count()
        )
    completed = {
        "health_checks": ServiceCode.HEALTH_CHECK,
        "work_ability_assessments": ServiceCode.WORK_ABILITY_ASSESSMENT,
    }
    if key in completed:
        return Referral.objects.filter(
            service__code=completed[key],
            status=ReferralStatus.COMPLETED,
            closed_at__gte=start,
            closed_at__lt=next_start,
        ).count()
    return None


def period_figures(first: dt.date, last: dt.date) -> tuple[dict[str, Value], list[str]]:
    """The figures of ``first..last`` keyed as in DESIGN.md, and the labels of those
    that cannot be computed for a part of a year."""
    whole_year = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and (
        first.year == last.year
    )
    values: dict[str, Value] = {}
    missing: list[str] = []
    for figure in figures():
        by_period = getattr(figure, "compute_period", None)
        value: Value | None
        if by_period is not None:
            value = by_period(first, last)
        else:
            value = _casework_period(figure.key, first, last)
            if value is None and whole_year:
                value = figure.compute(first.year)
        if value is None:
            missing.append(str(figure.label))
        else:
            values[figure.key] = value
    return values, missing
