"""The registry of named statistics an indicator may link to.

An indicator of the strategic agreement names a statistic (``Indicator.statistic``);
its value is ``STATISTICS[name].compute(Period(start, end))``, computed from the
database's own events whenever it is read, so it updates itself as work is recorded.
A name that is not in the registry is refused (``statistic_get``).

Other apps add statistics with ``statistic_register`` (the reporting module registers
its per-period statistics in ``silta.reporting.indicators``); a name may be registered
once. A statistic may also say how it splits by municipality
(``statistic_by_municipality``): a function of the period that returns the
municipalities' figures and the region's as *published* (small cells hidden, see
``silta.reporting.suppression``), which the manager dashboard shows beside the
indicator. ``people`` says whether the figure counts people (a region figure of 1–4
people is then hidden on the dashboard); meeting counts do not. Each function takes a
``Period`` (both days inclusive, Europe/Helsinki) and returns an ``int`` or a
``Decimal``. Definitions follow ``silta.reporting.yearly`` where they overlap, over
any period instead of a calendar year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from silta.casework.models import JointService, Plan, PlanKind, Referral, ReferralStatus
from silta.catalogue.models import ServiceCode
from silta.core import dates
from silta.governance.errors import GovernanceError as E
from silta.governance.models import AgendaItem, BodyKind, Meeting, MeetingStatus, NetworkCase

Value = int | Decimal


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as Helsinki moments: ``start <= t < next``."""
        start = dt.datetime.combine(self.start, dt.time(0, 0), tzinfo=dates.HELSINKI)
        after = dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time(0, 0), tzinfo=dates.HELSINKI
        )
        return start, after


@dataclass(frozen=True)
class ByMunicipality:
    """Published figures: ``None`` is a hidden one."""

    rows: list[tuple[str, str, float | None]]
    """(municipality code, name, figure) in the order of the statistics tables."""
    region: float | None


@dataclass(frozen=True)
class Statistic:
    name: str
    label: Any  # a lazy translation
    compute: Callable[[Period], Value]
    people: bool = True
    by_municipality: Callable[[Period], ByMunicipality] | None = None


# --- the statistics ------------------------------------------------------------------


def _completed(code: str, period: Period) -> int:
    start, after = period.moments
    return Referral.objects.filter(
        service__code=code,
        status=ReferralStatus.COMPLETED,
        closed_at__gte=start,
        closed_at__lt=after,
    ).count()


def health_checks_done(period: Period) -> int:
    """Unemployed health checks completed in the period (referrals to the service
    ``health_check`` marked completed)."""
    return _completed(ServiceCode.HEALTH_CHECK, period)


def work_ability_assessments_done(period: Period) -> int:
    return _completed(ServiceCode.WORK_ABILITY_ASSESSMENT, period)


def joint_service_clients(period: Period) -> int:
    """Clients whose joint service overlaps the period."""
    return (
        JointService.objects.filter(started_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .values("client_id")
        .distinct()
        .count()
    )


def activation_clients(period: Period) -> int:
    """Clients with an agreed activation plan in force during the period."""
    return (
        Plan.objects.filter(
            kind=PlanKind.ACTIVATION, agreed_on__isnull=False, agreed_on__lte=period.end
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .values("client_id")
        .distinct()
        .count()
    )


def _held(kind: str, period: Period) -> Any:
    return Meeting.objects.filter(
        body__kind=kind,
        status=MeetingStatus.HELD,
        held_on__gte=period.start,
        held_on__lte=period.end,
    )


def network_meetings(period: Period) -> int:
    """Meetings the work ability network held in the period (development meetings
    included, as the network reports them)."""
    return _held(BodyKind.WORK_ABILITY_NETWORK, period).count()


def network_clients(period: Period) -> int:
    """Distinct clients whose case was on the agenda of a network meeting held in the
    period."""
    return (
        AgendaItem.objects.filter(
            network_case__isnull=False,
            meeting__in=_held(BodyKind.WORK_ABILITY_NETWORK, period),
        )
        .values("network_case__client_id")
        .distinct()
        .count()
    )


def network_new_referrals(period: Period) -> int:
    """Referrals to the work ability network sent in the period (withdrawn and
    declined ones included: they were referrals)."""
    start, after = period.moments
    return NetworkCase.objects.filter(referred_at__gte=start, referred_at__lt=after).count()


def tym_leadership_group_meetings(period: Period) -> int:
    return _held(BodyKind.TYM_LEADERSHIP_GROUP, period).count()


def joint_team_meetings(period: Period) -> int:
    return _held(BodyKind.JOINT_TEAM, period).count()


STATISTICS: dict[str, Statistic] = {}


def statistic_register(
    name: str,
    label: Any,
    compute: Callable[[Period], Value],
    *,
    people: bool = True,
    by_municipality: Callable[[Period], ByMunicipality] | None = None,
) -> Statistic:
    """Add a named statistic; a name is registered once."""
    if name in STATISTICS:
        raise ValueError(f"statistic {name!r} is already registered")
    STATISTICS[name] = Statistic(name, label, compute, people, by_municipality)
    return STATISTICS[name]


def statistic_by_municipality(
    name: str, by_municipality: Callable[[Period], ByMunicipality]
) -> Statistic:
    """Say how a registered statistic splits by municipality (once per statistic)."""
    found = STATISTICS[name]
    if found.by_municipality is not None:
        raise ValueError(f"statistic {name!r} already splits by municipality")
    STATISTICS[name] = replace(found, by_municipality=by_municipality)
    return STATISTICS[name]


for _name, _label, _fn, _people in (
    ("health_checks_done", _("Unemployed health checks done"), health_checks_done, True),
    (
        "work_ability_assessments_done",
        _("Work ability assessments done"),
        work_ability_assessments_done,
        True,
    ),
    (
        "joint_service_clients",
        # the agreement's name from 2025 (law 381/2023); TYP before (integration.law_names)
        _("Clients in multisectoral cooperation"),
        joint_service_clients,
        True,
    ),
    ("activation_clients", _("Clients in activation work"), activation_clients, True),
    ("network_meetings", _("Work ability network meetings"), network_meetings, False),
    ("network_clients", _("Clients handled in the work ability network"), network_clients, True),
    (
        "network_new_referrals",
        _("New referrals to the work ability network"),
        network_new_referrals,
        True,
    ),
    (
        "tym_leadership_group_meetings",
        _("TYM leadership group meetings"),
        tym_leadership_group_meetings,
        False,
    ),
    ("joint_team_meetings", _("Monthly joint team meetings"), joint_team_meetings, False),
):
    statistic_register(_name, _label, _fn, people=_people)


def statistic_get(name: str, *, field: str = "statistic") -> Statistic:
    """The registered statistic, or a ValidationError naming the known ones."""
    found = STATISTICS.get(name)
    if found is None:
        raise ValidationError(
            {
                field: ValidationError(
                    gettext("There is no statistic named “%(name)s”. Choose one of: %(known)s.")
                    % {"name": name, "known": ", ".join(sorted(STATISTICS))},
                    code=E.UNKNOWN_STATISTIC,
                )
            }
        )
    return found


def statistic_value(name: str, period: Period) -> Value:
    return statistic_get(name).compute(period)
