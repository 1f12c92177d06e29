"""Statistics computed from the raw events (never from stored totals) for a period,
by home municipality and one breakdown (the statistic's own category, organisation,
age band or language), suppressed before anyone sees them (``suppression.py``; DOMAIN.md §3.5).

Every statistic is a list of *units*, each with one client, one date and at most one
category; a unit falls in exactly one cell, so a table's totals are the sums of its
cells and suppression can reason about them. The unit decides the attributes:

- **home municipality**: the client's registered home municipality on the unit's date
  (``HomeMunicipality`` history; the current one when the history has no period);
- **age band**: age on the unit's date;
- **language**: the client's language (Finnish, Swedish, other);
- **organisation**: the one organisation the unit belongs to, decided per statistic
  (``Statistic.organisation_label`` says which, under the table):

  - referrals and the services they led to (clients per service, health checks,
    work ability assessments, referrals sent / accepted / completed, waiting times):
    the organisation that *received* the referral (``to_organisation``: it provides
    the service, so sent, accepted and completed line up per organisation);
  - joint service: the organisation of the worker who enrolled the client (the team
    row of ``started_by``; the team has workers of several organisations, a unit one
    cell);
  - rehabilitative work activity (participants and participant-days): the provider
    organisation that ran the client's first placement in the period;
  - outcomes and their follow-ups: the organisation that recorded the outcome.

  A unit without one (e.g. a joint service whose enrolling worker left the team)
  falls in the column "No organisation recorded".

Definitions (a period is whole days, Europe/Helsinki; "in the period" means
``start <= date <= end``; "overlaps" as in ``yearly.py``):

``clients_per_service``
    Distinct (client, service) pairs of referrals completed in the period (status
    ``completed``, ``closed_at`` in it); the unit's date is the first completion.
``health_checks`` / ``work_ability_assessments``
    Completed referrals to that service closed in the period (one unit per referral,
    as ``yearly.py`` counts them).
``referrals_sent`` / ``referrals_accepted`` / ``referrals_completed``
    Referrals by ``sent_at`` / ``accepted_at`` / completion ``closed_at`` in the
    period, by service.
``waiting_median`` / ``waiting_p90``
    Days from sending to the first appointment of referrals whose first appointment
    was in the period: the median (the middle value, or the mean of the two middle
    ones) and the 90th percentile (nearest rank: the ⌈0.9·n⌉-th smallest). Hidden
    wherever the number of referrals behind it is hidden.
``joint_service_clients``
    Distinct clients with a joint service membership overlapping the period; the date
    is the later of the membership's start and the period's start.
``rehab_participants``
    Distinct clients with a placement overlapping the period (to ``ended_on``, or the
    planned end while it runs), dated like joint service.
``rehab_participant_days``
    Days present (each placement day's latest attendance row) in the period, summed
    per participant; hidden wherever the number of participants behind it is hidden.
``outcomes``
    Outcomes (transitions) that occurred in the period, by kind.
``outcome_follow_up_3`` / ``_6`` / ``_12``
    The same outcomes by their 3-, 6- or 12-month follow-up status ("not recorded"
    while empty).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics as pystats
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Organisation
from silta.casework.models import (
    FollowUpStatus,
    JointService,
    JointServiceMember,
    Outcome,
    OutcomeKind,
    Plan,
    Referral,
    ReferralStatus,
)
from silta.catalogue.models import ServiceCode
from silta.clients.models import Client, HomeMunicipality
from silta.core import dates
from silta.integration.law_names import joint_service_clients_label
from silta.places.models import Municipality
from silta.rehab.models import Attendance, Placement
from silta.reporting import suppression
from silta.reporting.yearly import FIRST_YEAR

# --- periods -----------------------------------------------------------------------


class PeriodError:
    ENDS_BEFORE_START = "ends_before_start"
    FUTURE = "future"
    TOO_EARLY = "too_early"
    FORMAT = "format"


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` inclusive."""

    start: dt.date
    end: dt.date
    label: str

    @classmethod
    def between(cls, start: dt.date, end: dt.date, label: str = "") -> Period:
        """A checked period: it may not end before it starts, begin in the future or
        before ``FIRST_YEAR``. A period that runs past today counts up to today's
        events (there are no later ones)."""
        if end < start:
            raise ValidationError(
                gettext("The period ends (%(end)s) before it starts (%(start)s).")
                % {"end": end.strftime("%d.%m.%Y"), "start": start.strftime("%d.%m.%Y")},
                code=PeriodError.ENDS_BEFORE_START,
            )
        today = dates.today()
        if start > today:
            raise ValidationError(
                gettext(
                    "The period starts in the future (%(start)s): statistics exist up to "
                    "today (%(today)s)."
                )
                % {"start": start.strftime("%d.%m.%Y"), "today": today.strftime("%d.%m.%Y")},
                code=PeriodError.FUTURE,
            )
        if start.year < FIRST_YEAR:
            raise ValidationError(
                gettext("Statistics start from %(first)s.") % {"first": FIRST_YEAR},
                code=PeriodError.TOO_EARLY,
            )
        return cls(start, end, label or f"{start:%d.%m.%Y}–{end:%d.%m.%Y}")

    @classmethod
    def year(cls, year: int) -> Period:
        if year > dates.today().year:
            raise ValidationError(
                gettext("The year %(year)s has not begun yet.") % {"year": year},
                code=PeriodError.FUTURE,
            )
        return cls.between(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValidationError(gettext("A quarter is 1–4."), code=PeriodError.FORMAT)
        first = dt.date(year, 3 * quarter - 2, 1)
        last = _month_end(year, 3 * quarter)
        return cls.between(first, last, f"{year} Q{quarter}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValidationError(gettext("A month is 1–12."), code=PeriodError.FORMAT)
        return cls.between(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")

    def year_before(self) -> Period:
        """The same days a year earlier (29 February becomes 28 February)."""

        def back(day: dt.date) -> dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)

        label = self.label
        year = str(self.start.year)
        label = (
            label.replace(year, str(self.start.year - 1), 1)
            if label.startswith(year) and self.start.year == self.end.year
            else f"{back(self.start):%d.%m.%Y}–{back(self.end):%d.%m.%Y}"
        )
        return Period(back(self.start), back(self.end), label)

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=dates.HELSINKI)

    @property
    def end_before(self) -> dt.datetime:
        """The first moment after the period."""
        return dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time(), tzinfo=dates.HELSINKI
        )


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# --- units and their attributes ----------------------------------------------------


@dataclass(frozen=True)
class Unit:
    client_id: uuid.UUID
    on: dt.date
    category: str = ""
    amount: float = 1.0
    organisation_id: uuid.UUID | None = None


AGE_BANDS: tuple[tuple[int, int | None, Any], ...] = (
    (0, 24, _("under 25")),
    (25, 29, _("25–29")),
    (30, 39, _("30–39")),
    (40, 49, _("40–49")),
    (50, 59, _("50–59")),
    (60, None, _("60 and over")),
)
LANGUAGES: tuple[tuple[str, Any], ...] = (
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("other", _("Other language")),
)


def age_band(birth: dt.date, day: dt.date) -> str:
    age = dates.age_on(birth, day)
    for low, high, _label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"{low}-{high if high is not None else ''}"
    return f"{AGE_BANDS[0][0]}-{AGE_BANDS[0][1]}"  # pragma: no cover - bands cover all ages


@dataclass(frozen=True)
class Described:
    municipality: str
    age_band: str
    language: str
    category: str
    client_id: uuid.UUID
    amount: float
    organisation: str = ""
    """The organisation's id as text, "" when the unit has none."""


def describe(units: list[Unit]) -> list[Described]:
    """Each unit with the client's home municipality and age band on its date and
    the client's language (three queries, whatever the number of units)."""
    ids = {u.client_id for u in units}
    if not ids:
        return []
    clients: dict[uuid.UUID, tuple[dt.date, str, str]] = {}
    history: dict[uuid.UUID, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    id_list = list(ids)
    for chunk in (id_list[i : i + 500] for i in range(0, len(id_list), 500)):
        for pk, birth, language, code in Client.objects.filter(pk__in=chunk).values_list(
            "pk", "birth_date", "language", "home_municipality__code"
        ):
            clients[pk] = (birth, language, code)
        for pk, valid_from, valid_to, code in HomeMunicipality.objects.filter(
            client_id__in=chunk
        ).values_list("client_id", "valid_from", "valid_to", "municipality__code"):
            history[pk].append((valid_from, valid_to, code))
    described = []
    for u in units:
        birth, language, current = clients[u.client_id]
        home = next(
            (
                code
                for start, end, code in history.get(u.client_id, [])
                if start <= u.on and (end is None or u.on <= end)
            ),
            current,
        )
        described.append(
            Described(
                municipality=home,
                age_band=age_band(birth, u.on),
                language=language if language in {"fi", "sv"} else "other",
                category=u.category,
                client_id=u.client_id,
                amount=u.amount,
                organisation=str(u.organisation_id) if u.organisation_id else "",
            )
        )
    return described


# --- the statistics ----------------------------------------------------------------


def _day(moment: dt.datetime | None) -> dt.date:
    """The Helsinki calendar day of a stored moment (the queries exclude empty ones)."""
    assert moment is not None
    return moment.astimezone(dates.HELSINKI).date()


def _referrals(period: Period, field_name: str) -> QuerySet[Referral]:
    return Referral.objects.filter(
        **{f"{field_name}__gte": period.start_at, f"{field_name}__lt": period.end_before}
    )


def _completed(period: Period) -> QuerySet[Referral]:
    return _referrals(period, "closed_at").filter(status=ReferralStatus.COMPLETED)


def clients_per_service(period: Period) -> list[Unit]:
    first: dict[tuple[uuid.UUID, str], tuple[dt.date, uuid.UUID]] = {}
    for client_id, code, closed, org in _completed(period).values_list(
        "client_id", "service__code", "closed_at", "to_organisation_id"
    ):
        day = _day(closed)
        key = (client_id, code)
        if key not in first or day < first[key][0]:
            first[key] = (day, org)
    return [Unit(c, day, code, organisation_id=org) for (c, code), (day, org) in first.items()]


def _completed_of(code: str) -> Callable[[Period], list[Unit]]:
    def units(period: Period) -> list[Unit]:
        return [
            Unit(c, _day(closed), organisation_id=org)
            for c, closed, org in _completed(period)
            .filter(service__code=code)
            .values_list("client_id", "closed_at", "to_organisation_id")
        ]

    return units


def _referrals_by(field_name: str, completed: bool = False) -> Callable[[Period], list[Unit]]:
    def units(period: Period) -> list[Unit]:
        qs = _completed(period) if completed else _referrals(period, field_name)
        return [
            Unit(c, _day(at), code, organisation_id=org)
            for c, code, at, org in qs.values_list(
                "client_id", "service__code", field_name, "to_organisation_id"
            )
        ]

    return units


def waiting_times(period: Period) -> list[Unit]:
    return [
        Unit(c, _day(first), code, float((_day(first) - _day(sent)).days), org)
        for c, code, sent, first, org in _referrals(period, "first_appointment_at").values_list(
            "client_id", "service__code", "sent_at", "first_appointment_at", "to_organisation_id"
        )
    ]


def _earliest(
    rows: Iterable[tuple[uuid.UUID, dt.date, uuid.UUID | None]],
) -> list[Unit]:
    """One unit per client: the earliest day, with the organisation of that row."""
    first: dict[uuid.UUID, tuple[dt.date, uuid.UUID | None]] = {}
    for c, day, org in rows:
        if c not in first or day < first[c][0]:
            first[c] = (day, org)
    return [Unit(c, day, organisation_id=org) for c, (day, org) in first.items()]


def joint_service_clients(period: Period) -> list[Unit]:
    services = list(
        JointService.objects.filter(started_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .values_list("pk", "client_id", "started_on", "started_by_id")
    )
    enrolled_by: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}
    ids = [pk for pk, _c, _s, _b in services]
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        for js, user, org in JointServiceMember.objects.filter(
            joint_service_id__in=chunk
        ).values_list("joint_service_id", "user_id", "organisation_id"):
            enrolled_by[(js, user)] = org
    return _earliest(
        (c, max(started, period.start), enrolled_by.get((pk, by)) if by else None)
        for pk, c, started, by in services
    )


def rehab_participants(period: Period) -> list[Unit]:
    return _earliest(
        (c, max(start, period.start), org)
        for c, start, org in Placement.objects.filter(start_on__lte=period.end)
        .filter(
            Q(ended_on__isnull=True, planned_end_on__gte=period.start)
            | Q(ended_on__gte=period.start)
        )
        .order_by("start_on", "created_at")
        .values_list("client_id", "start_on", "provider__organisation_id")
    )


def rehab_participant_days(period: Period) -> list[Unit]:
    latest: dict[tuple[uuid.UUID, dt.date], tuple[uuid.UUID, bool, uuid.UUID]] = {}
    for placement, client, day, present, org in (
        Attendance.objects.filter(day__gte=period.start, day__lte=period.end)
        .order_by("placement_id", "day", "recorded_at", "created_at")
        .values_list(
            "placement_id",
            "placement__client_id",
            "day",
            "present",
            "placement__provider__organisation_id",
        )
    ):
        latest[(placement, day)] = (client, present, org)  # the day's latest row wins
    days: dict[uuid.UUID, int] = defaultdict(int)
    first: dict[uuid.UUID, tuple[dt.date, uuid.UUID]] = {}
    for (_placement, day), (client, present, org) in sorted(
        latest.items(), key=lambda item: (item[0][1], str(item[0][0]))
    ):
        if present:
            days[client] += 1
            first.setdefault(client, (day, org))
    return [
        Unit(c, first[c][0], "", float(n), organisation_id=first[c][1]) for c, n in days.items()
    ]


def outcomes(period: Period) -> list[Unit]:
    return [
        Unit(c, day, kind, organisation_id=org)
        for c, day, kind, org in Outcome.objects.filter(
            occurred_on__gte=period.start, occurred_on__lte=period.end
        ).values_list("client_id", "occurred_on", "kind", "organisation_id")
    ]


NOT_RECORDED = "not_recorded"


def _follow_up(months: int) -> Callable[[Period], list[Unit]]:
    def units(period: Period) -> list[Unit]:
        return [
            Unit(c, day, status or NOT_RECORDED, organisation_id=org)
            for c, day, status, org in Outcome.objects.filter(
                occurred_on__gte=period.start, occurred_on__lte=period.end
            ).values_list("client_id", "occurred_on", f"follow_up_{months}", "organisation_id")
        ]

    return units


COUNT, SUM, MEDIAN, P90 = "count", "sum", "median", "p90"

SERVICES: tuple[tuple[str, Any], ...] = tuple(ServiceCode.choices)
FOLLOW_UPS: tuple[tuple[str, Any], ...] = (
    *FollowUpStatus.choices,
    (NOT_RECORDED, _("Not recorded")),
)


# --- integration and the youth joint service (issue 17) ------------------------------


def initial_assessments(period: Period) -> list[Unit]:
    """Initial assessments of integration (681/2023 14 §; 1386/2010 before 2025) made
    in the period, one unit per assessment, by whether it was within the time limit of
    the law in force when the time limit started (integration.rules.in_time)."""
    from silta.integration import rules
    from silta.integration.models import InitialAssessment

    return [
        Unit(c, on, "in_time" if rules.in_time(since, on) else "late", organisation_id=org)
        for c, on, since, org in InitialAssessment.objects.filter(
            assessed_on__gte=period.start, assessed_on__lte=period.end
        ).values_list("client_id", "assessed_on", "client_since", "organisation_id")
    ]


def integration_plans(period: Period) -> list[Unit]:
    """Integration plans (16 §) whose period starts in the period, by whether they
    include integration language training."""
    from silta.integration.models import IntegrationPlan

    return [
        Unit(c, on, "language_training" if lt else "no_language_training", organisation_id=org)
        for c, on, lt, org in IntegrationPlan.objects.filter(
            starts_on__gte=period.start, starts_on__lte=period.end
        ).values_list("client_id", "starts_on", "language_training", "organisation_id")
    ]


def youth_joint_service_clients(period: Period) -> list[Unit]:
    """Distinct clients with a youth plan in force (agreed) or an Ohjaamo referral that
    reached the service during the period (as ``silta.integration.figures``)."""
    start = dt.datetime.combine(period.start, dt.time(0, 0), tzinfo=dates.HELSINKI)
    after = dt.datetime.combine(
        period.end + dt.timedelta(days=1), dt.time(0, 0), tzinfo=dates.HELSINKI
    )
    plans = (
        Plan.objects.filter(kind="youth", agreed_on__isnull=False, agreed_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .values_list("client_id", "agreed_on", "organisation_id")
    )
    referrals = (
        Referral.objects.filter(
            service__code=ServiceCode.YOUTH_GUIDANCE,
            status__in=[ReferralStatus.SCHEDULED, ReferralStatus.COMPLETED],
            first_appointment_at__isnull=False,
            first_appointment_at__lt=after,
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .values_list("client_id", "first_appointment_at", "to_organisation_id")
    )
    rows: list[tuple[uuid.UUID, dt.date, uuid.UUID | None]] = []
    rows.extend((c, max(on, period.start), org) for c, on, org in plans if on is not None)
    rows.extend(
        (c, max(at.astimezone(dates.HELSINKI).date(), period.start), org)
        for c, at, org in referrals
        if at is not None
    )
    return _earliest(rows)


BY_INTEGRATION_RECORDER = _("Organisation: the one that made the assessment or plan.")
BY_YOUTH_ORGANISATION = _(
    "Organisation: the one that made the youth plan or received the Ohjaamo referral."
)

BY_RECEIVER = _("Organisation: the one that received the referral and provides the service.")
BY_ENROLLER = _("Organisation: that of the worker who enrolled the client in joint service.")
BY_PROVIDER = _("Organisation: the provider that ran the client's first placement in the period.")
BY_RECORDER = _("Organisation: the one that recorded the outcome.")


@dataclass(frozen=True)
class Statistic:
    key: str
    label: Any
    unit_label: Any
    units: Callable[[Period], list[Unit]]
    measure: str = COUNT
    category_label: Any = None
    categories: tuple[tuple[str, Any], ...] = field(default_factory=tuple)
    organisation_label: Any = None
    """What the organisation column means for this statistic (module docstring)."""
    dated_label: Callable[[dt.date, dt.date], str] | None = None
    """The label for a period when the law's name changed (joint service: TYP until
    31.12.2024, multisectoral cooperation from 1.1.2025; integration.law_names)."""

    def title(self, period: Period) -> str:
        """The label for ``period``: the law's name of that time where it changed."""
        if self.dated_label is not None:
            return self.dated_label(period.start, period.end)
        return str(self.label)


STATISTICS: tuple[Statistic, ...] = (
    Statistic(
        "clients_per_service",
        _("Clients per service (completed referrals)"),
        _("clients"),
        clients_per_service,
        organisation_label=BY_RECEIVER,
        category_label=_("Service"),
        categories=SERVICES,
    ),
    Statistic(
        "health_checks",
        _("Unemployed health checks done"),
        _("health checks"),
        _completed_of(ServiceCode.HEALTH_CHECK),
        organisation_label=BY_RECEIVER,
    ),
    Statistic(
        "work_ability_assessments",
        _("Work ability assessments done"),
        _("assessments"),
        _completed_of(ServiceCode.WORK_ABILITY_ASSESSMENT),
        organisation_label=BY_RECEIVER,
    ),
    Statistic(
        "referrals_sent",
        _("Referrals sent"),
        _("referrals"),
        _referrals_by("sent_at"),
        organisation_label=BY_RECEIVER,
        category_label=_("Service"),
        categories=SERVICES,
    ),
    Statistic(
        "referrals_accepted",
        _("Referrals accepted"),
        _("referrals"),
        _referrals_by("accepted_at"),
        organisation_label=BY_RECEIVER,
        category_label=_("Service"),
        categories=SERVICES,
    ),
    Statistic(
        "referrals_completed",
        _("Referrals completed"),
        _("referrals"),
        _referrals_by("closed_at", completed=True),
        organisation_label=BY_RECEIVER,
        category_label=_("Service"),
        categories=SERVICES,
    ),
    Statistic(
        "waiting_median",
        _("Waiting time to the first appointment, median"),
        _("days"),
        waiting_times,
        organisation_label=BY_RECEIVER,
        measure=MEDIAN,
        category_label=_("Service"),
        categories=SERVICES,
    ),
    Statistic(
        "waiting_p90",
        _("Waiting time to the first appointment, 90th percentile"),
        _("days"),
        waiting_times,
        organisation_label=BY_RECEIVER,
        measure=P90,
        category_label=_("Service"),
        categories=SERVICES,
    ),
    Statistic(
        "joint_service_clients",
        _("Clients in multisectoral cooperation (TYP until 2024)"),
        _("clients"),
        joint_service_clients,
        organisation_label=BY_ENROLLER,
        dated_label=joint_service_clients_label,
    ),
    Statistic(
        "rehab_participants",
        _("Participants in rehabilitative work activity"),
        _("participants"),
        rehab_participants,
        organisation_label=BY_PROVIDER,
    ),
    Statistic(
        "rehab_participant_days",
        _("Participant-days in rehabilitative work activity"),
        _("days present"),
        rehab_participant_days,
        organisation_label=BY_PROVIDER,
        measure=SUM,
    ),
    Statistic(
        "outcomes",
        _("Outcomes by type"),
        _("outcomes"),
        outcomes,
        organisation_label=BY_RECORDER,
        category_label=_("Outcome"),
        categories=tuple(OutcomeKind.choices),
    ),
    *(
        Statistic(
            f"outcome_follow_up_{months}",
            label,
            _("outcomes"),
            _follow_up(months),
            organisation_label=BY_RECORDER,
            category_label=_("Follow-up"),
            categories=FOLLOW_UPS,
        )
        for months, label in (
            (3, _("Outcomes at the 3-month follow-up")),
            (6, _("Outcomes at the 6-month follow-up")),
            (12, _("Outcomes at the 12-month follow-up")),
        )
    ),
)
STATISTICS = (
    *STATISTICS,
    Statistic(
        "initial_assessments",
        _("Initial assessments of integration"),
        _("assessments"),
        initial_assessments,
        organisation_label=BY_INTEGRATION_RECORDER,
        category_label=_("Time limit"),
        categories=(
            ("in_time", _("Within the time limit")),
            ("late", _("After the time limit")),
        ),
    ),
    Statistic(
        "integration_plans",
        _("Integration plans made"),
        _("plans"),
        integration_plans,
        organisation_label=BY_INTEGRATION_RECORDER,
        category_label=_("Integration language training"),
        categories=(
            ("language_training", _("With language training")),
            ("no_language_training", _("Without language training")),
        ),
    ),
    Statistic(
        "youth_joint_service_clients",
        _("Clients of the youth joint service (under 30)"),
        _("clients"),
        youth_joint_service_clients,
        organisation_label=BY_YOUTH_ORGANISATION,
    ),
)
BY_KEY = {s.key: s for s in STATISTICS}


def statistic(key: str) -> Statistic:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValidationError(
            gettext("Unknown statistic: %(key)s.") % {"key": key}, code="unknown_statistic"
        ) from None


# --- tables ------------------------------------------------------------------------

CATEGORY, AGE, LANGUAGE, NONE = "category", "age_band", "language", "none"
ORGANISATION = "organisation"
NO_ORGANISATION = _("No organisation recorded")
BREAKDOWNS: tuple[tuple[str, Any], ...] = (
    (CATEGORY, _("Service or type")),
    (ORGANISATION, _("Organisation")),
    (AGE, _("Age band")),
    (LANGUAGE, _("Language")),
    (NONE, _("Municipality only")),
)


@dataclass(frozen=True)
class Table:
    """A suppressed table: rows are home municipalities, columns the breakdown."""

    statistic: Statistic
    period: Period
    breakdown: str
    row_codes: list[str]
    rows: list[str]
    columns: list[str]
    published: suppression.SuppressedTable
    counts: suppression.SuppressedTable
    """The people (units) behind each cell, suppressed the same way."""

    @property
    def has_total_column(self) -> bool:
        return self.published.row_totals is not None


def _columns(stat: Statistic, breakdown: str, described: list[Described]) -> list[tuple[str, Any]]:
    if breakdown == CATEGORY and stat.categories:
        present = {d.category for d in described}
        # every category that occurs, in the declared order (an empty column tells nothing)
        return [(k, label) for k, label in stat.categories if k in present] or [stat.categories[0]]
    if breakdown == AGE:
        return [
            (f"{low}-{high if high is not None else ''}", label) for low, high, label in AGE_BANDS
        ]
    if breakdown == LANGUAGE:
        return list(LANGUAGES)
    if breakdown == ORGANISATION:
        present = {d.organisation for d in described}
        named = sorted(
            ((str(o.pk), o.name) for o in Organisation.objects.filter(pk__in=present - {""})),
            key=lambda pair: (pair[1].casefold(), pair[0]),
        )
        # every organisation that occurs, by name; an empty table gets one column
        missing = [("", NO_ORGANISATION)] if "" in present or not named else []
        return [*named, *missing]
    return [("", stat.unit_label)]


def _column_of(breakdown: str, d: Described) -> str:
    return {
        CATEGORY: d.category,
        AGE: d.age_band,
        LANGUAGE: d.language,
        ORGANISATION: d.organisation,
    }.get(breakdown, "")


def measure_of(values: list[float], measure: str) -> float:
    """The sum, median or 90th percentile (nearest rank) of the values."""
    if not values:
        return 0.0
    if measure == MEDIAN:
        return float(pystats.median(values))
    if measure == P90:
        ordered = sorted(values)
        return float(ordered[math.ceil(0.9 * len(ordered)) - 1])
    return float(sum(values))


def table(stat: Statistic, period: Period, breakdown: str = NONE) -> Table:
    """The statistic for the period by home municipality (rows) and ``breakdown``."""
    if breakdown == CATEGORY and not stat.categories:
        breakdown = NONE
    if breakdown not in dict(BREAKDOWNS):
        raise ValidationError(gettext("Unknown breakdown."), code="unknown_breakdown")
    described = describe(stat.units(period))
    municipalities = sorted(Municipality.objects.all(), key=lambda m: m.name)
    row_codes = [m.code for m in municipalities]
    columns = _columns(stat, breakdown, described)
    col_index = {key: j for j, (key, _label) in enumerate(columns)}
    row_index = {code: i for i, code in enumerate(row_codes)}
    people: dict[tuple[int, int], set[Any]] = defaultdict(set)
    values: dict[tuple[int, int], list[float]] = defaultdict(list)
    for k, d in enumerate(described):
        i, j = row_index[d.municipality], col_index[_column_of(breakdown, d)]
        # a unit is one person-event; referral-type units are counted as units
        people[(i, j)].add(k)
        values[(i, j)].append(d.amount)
    n_rows, n_cols = len(row_codes), len(columns)
    counts = [[len(people[(i, j)]) for j in range(n_cols)] for i in range(n_rows)]
    pattern = suppression.suppression_pattern(counts)
    counted = suppression.apply_pattern(counts, pattern, n_rows=n_rows, n_cols=n_cols)
    if stat.measure == COUNT:
        published = counted
    else:

        def over(cells: Iterable[tuple[int, int]]) -> float:
            return measure_of([v for cell in cells for v in values[cell]], stat.measure)

        published = suppression.apply_pattern(
            [[over([(i, j)]) for j in range(n_cols)] for i in range(n_rows)],
            pattern,
            n_rows=n_rows,
            n_cols=n_cols,
            row_totals=[over((i, j) for j in range(n_cols)) for i in range(n_rows)],
            column_totals=[over((i, j) for i in range(n_rows)) for j in range(n_cols)],
            total=over(values),
        )
    return Table(
        statistic=stat,
        period=period,
        breakdown=breakdown,
        row_codes=row_codes,
        rows=[m.name for m in municipalities],
        columns=[str(label) for _key, label in columns],
        published=published,
        counts=counted,
    )


def municipality_values(t: Table) -> tuple[list[float | None], float | None]:
    """The table's municipality totals and region total as published."""
    p = t.published
    by_row = p.row_totals if p.row_totals is not None else [row[0] for row in p.cells]
    return list(by_row), p.total


@dataclass(frozen=True)
class Comparison:
    """This period against the same days a year earlier, by municipality."""

    period: Period
    previous: Period
    rows: list[tuple[str, float | None, float | None, float | None]]
    total: tuple[float | None, float | None, float | None]


def year_over_year(stat: Statistic, period: Period) -> Comparison:
    """Both periods' municipality and region figures as each period's own table
    publishes them (the totals' suppression does not depend on the breakdown), and
    the change where both are published."""
    now = table(stat, period, NONE)
    before_period = period.year_before()
    before = table(stat, before_period, NONE)
    now_rows, now_total = municipality_values(now)
    before_rows, before_total = municipality_values(before)

    def change(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else a - b

    return Comparison(
        period=period,
        previous=before_period,
        rows=[
            (name, b, a, change(a, b))
            for name, a, b in zip(now.rows, now_rows, before_rows, strict=True)
        ],
        total=(before_total, now_total, change(now_total, before_total)),
    )
