"""The yearly figures of integration and the youth joint service for ``silta report
year`` / ``period`` (DESIGN.md keys ``initial_assessments``, ``integration_plans``,
``youth_joint_service_clients``), read by silta.reporting.yearly through its
FIGURE_SOURCES without reporting being imported here.

``initial_assessments``
    Initial assessments (681/2023 14 §) signed with an assessment date in the period
    (each assessment counts).
``integration_plans``
    Integration plans (16 §) whose period starts in the period.
``youth_joint_service_clients``
    Distinct clients with a youth plan in force during the period (agreed on or before
    its last day and not closed before its first) or an Ohjaamo referral that reached
    the service (scheduled or completed, first appointment on or before the last day,
    not closed before the first).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silta.casework.models import Plan, PlanKind, Referral, ReferralStatus
from silta.catalogue.models import ServiceCode
from silta.core import dates
from silta.integration.models import InitialAssessment, IntegrationPlan


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def initial_assessments(first: dt.date, last: dt.date) -> int:
    return InitialAssessment.objects.filter(assessed_on__gte=first, assessed_on__lte=last).count()


def integration_plans(first: dt.date, last: dt.date) -> int:
    return IntegrationPlan.objects.filter(starts_on__gte=first, starts_on__lte=last).count()


def youth_joint_service_clients(first: dt.date, last: dt.date) -> int:
    start = dt.datetime(first.year, first.month, first.day, tzinfo=dates.HELSINKI)
    after = last + dt.timedelta(days=1)
    next_start = dt.datetime(after.year, after.month, after.day, tzinfo=dates.HELSINKI)
    plans = set(
        Plan.objects.filter(kind=PlanKind.YOUTH, agreed_on__isnull=False, agreed_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list("client_id", flat=True)
    )
    referrals = set(
        Referral.objects.filter(
            service__code=ServiceCode.YOUTH_GUIDANCE,
            status__in=[ReferralStatus.SCHEDULED, ReferralStatus.COMPLETED],
            first_appointment_at__isnull=False,
            first_appointment_at__lt=next_start,
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .values_list("client_id", flat=True)
    )
    return len(plans | referrals)


class Figure(NamedTuple):
    key: str
    label: object
    by_period: object

    def compute(self, year: int) -> int:
        return self.by_period(*_year(year))  # type: ignore[operator,no-any-return]

    def compute_period(self, first: dt.date, last: dt.date) -> int:
        return self.by_period(first, last)  # type: ignore[operator,no-any-return]


YEARLY_FIGURES = (
    Figure("initial_assessments", _("Initial assessments of integration"), initial_assessments),
    Figure("integration_plans", _("Integration plans made"), integration_plans),
    Figure(
        "youth_joint_service_clients",
        _("Clients of the youth joint service (under 30)"),
        youth_joint_service_clients,
    ),
)
