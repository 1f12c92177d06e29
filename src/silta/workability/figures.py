"""The work ability path's figures for ``silta report year`` / ``report period``
(DESIGN.md "Yearly figures"), counted from the path's own records, never typed:

``work_ability_results``
    Results of work ability assessments completed in the period (``assessed_on``).
``rehabilitation_applications``
    Applications for Kela's or a pension provider's vocational rehabilitation or for a
    rehabilitation allowance sent in the period (``applied_on``).
``pension_applications``
    Applications for a rehabilitation subsidy, a disability pension or a partial
    disability pension sent in the period.
``rehabilitation_or_pension_granted``
    Distinct clients with a rehabilitation or pension application granted in the
    period (``decided_on``).
``health_check_coverage_pct``
    Of the health-check target group on the period's last day (unemployed for over 12
    months or work ability uncertain, no occupational health care), the share with an
    unemployed health check completed within the 12 months before it, in per cent
    with one decimal (0 when the group is empty).

The reporting app reads ``YEARLY_FIGURES`` through ``FIGURE_SOURCES``; nothing here
imports reporting's yearly module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from silta.core import dates
from silta.workability.models import (
    PENSION_KINDS,
    REHABILITATION_KINDS,
    ApplicationStatus,
    BenefitApplication,
    WorkAbilityResult,
)


def results_between(first: dt.date, last: dt.date) -> int:
    return WorkAbilityResult.objects.filter(assessed_on__gte=first, assessed_on__lte=last).count()


def _applications(kinds: frozenset[str], first: dt.date, last: dt.date) -> int:
    return BenefitApplication.objects.filter(
        kind__in=sorted(kinds), applied_on__gte=first, applied_on__lte=last
    ).count()


def rehabilitation_applications_between(first: dt.date, last: dt.date) -> int:
    return _applications(REHABILITATION_KINDS, first, last)


def pension_applications_between(first: dt.date, last: dt.date) -> int:
    return _applications(PENSION_KINDS, first, last)


def granted_between(first: dt.date, last: dt.date) -> int:
    return (
        BenefitApplication.objects.filter(
            status=ApplicationStatus.GRANTED, decided_on__gte=first, decided_on__lte=last
        )
        .values("client_id")
        .distinct()
        .count()
    )


def coverage_between(first: dt.date, last: dt.date) -> Decimal:
    from silta.workability.selectors import coverage_pct

    pct = coverage_pct(min(last, dates.today()))
    return Decimal("0.0") if pct is None else Decimal(str(pct)).quantize(Decimal("0.1"))


def _year(between: Callable[[dt.date, dt.date], Any]) -> Callable[[int], Any]:
    return lambda year: between(dt.date(year, 1, 1), dt.date(year, 12, 31))


class PathFigure(NamedTuple):
    key: str
    label: Any  # a lazy translation
    compute: Callable[[int], int | Decimal]
    compute_period: Callable[[dt.date, dt.date], int | Decimal]


def _figure(key: str, label: Any, between: Callable[[dt.date, dt.date], Any]) -> PathFigure:
    return PathFigure(key, label, _year(between), between)


YEARLY_FIGURES: tuple[PathFigure, ...] = (
    _figure("work_ability_results", _("Work ability assessment results"), results_between),
    _figure(
        "rehabilitation_applications",
        _("Rehabilitation applications"),
        rehabilitation_applications_between,
    ),
    _figure("pension_applications", _("Pension applications"), pension_applications_between),
    _figure(
        "rehabilitation_or_pension_granted",
        _("Clients granted rehabilitation or a pension"),
        granted_between,
    ),
    _figure(
        "health_check_coverage_pct",
        _("Health check coverage of the target group (per cent)"),
        coverage_between,
    ),
)
