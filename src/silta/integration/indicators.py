"""Integration and youth figures computed from the records (issue 17), registered as
statistics the strategic agreement's indicators link to (silta.governance.indicators):
the agreement's integration goal counts the integration plans actually made instead of
a hand-typed figure. By municipality (the client's home municipality now) with the
disclosure control of silta.core.suppression: a cell of 1–4 people and the cell
that would reveal it are hidden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from silta.core.suppression import suppress_vector
from silta.governance import indicators as gi
from silta.integration import rules
from silta.integration.models import InitialAssessment, IntegrationPlan, PlanOutcome
from silta.places.models import Municipality

POSITIVE_OUTCOMES = (PlanOutcome.EMPLOYED, PlanOutcome.EDUCATION, PlanOutcome.LANGUAGE_GOAL)


def plans_made(period: gi.Period) -> QuerySet[IntegrationPlan]:
    """Integration plans whose period starts within ``period``."""
    return IntegrationPlan.objects.filter(starts_on__gte=period.start, starts_on__lte=period.end)


def assessments_made(period: gi.Period) -> QuerySet[InitialAssessment]:
    return InitialAssessment.objects.filter(
        assessed_on__gte=period.start, assessed_on__lte=period.end
    )


def assessments_in_time(period: gi.Period) -> QuerySet[InitialAssessment]:
    """Initial assessments made within the time limit from the start of the
    integration-client relationship, under the law in force on that day
    (rules.law_on: 1386/2010 until 2024, 681/2023 14 § from 2025)."""
    within = Q()
    for law in rules.LAWS:
        span = Q()
        if law.valid_from is not None:
            span &= Q(client_since__gte=law.valid_from)
        if law.valid_to is not None:
            span &= Q(client_since__lte=law.valid_to)
        limit = dt.timedelta(days=law.assessment_deadline_days)
        within |= span & Q(assessed_on__lte=F("client_since") + limit)
    return assessments_made(period).filter(within)


def in_language_training(period: gi.Period) -> QuerySet[IntegrationPlan]:
    """Plans with language training whose period overlaps ``period``."""
    return IntegrationPlan.objects.filter(
        language_training=True, starts_on__lte=period.end, ends_on__gte=period.start
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))


def positive_outcomes(period: gi.Period) -> QuerySet[IntegrationPlan]:
    return IntegrationPlan.objects.filter(
        closed_on__gte=period.start, closed_on__lte=period.end, outcome__in=POSITIVE_OUTCOMES
    )


def _people(qs: QuerySet) -> int:  # type: ignore[type-arg]
    return qs.values("client_id").distinct().count()


def _split(rows: Callable[[gi.Period], QuerySet]) -> Callable[[gi.Period], gi.ByMunicipality]:  # type: ignore[type-arg]
    def by_municipality(period: gi.Period) -> gi.ByMunicipality:
        counts = dict(
            rows(period)
            .values("client__home_municipality__code")
            .annotate(n=Count("client_id", distinct=True))
            .values_list("client__home_municipality__code", "n")
        )
        munis = list(Municipality.objects.order_by("name_fi"))
        values = [int(counts.get(m.code, 0)) for m in munis]
        total = _people(rows(period))
        hidden, total_hidden = suppress_vector(values, total)
        return gi.ByMunicipality(
            rows=[
                (m.code, m.name, None if h else float(v))
                for m, v, h in zip(munis, values, hidden, strict=True)
            ],
            region=None if total_hidden else float(total),
        )

    return by_municipality


STATISTICS: tuple[tuple[str, object, Callable[[gi.Period], QuerySet]], ...] = (  # type: ignore[type-arg]
    ("integration_plans_made", _("Integration plans made (people)"), plans_made),
    ("initial_assessments_made", _("Initial assessments made (people)"), assessments_made),
    (
        "initial_assessments_in_time",
        _("Initial assessments within the time limit (people)"),
        assessments_in_time,
    ),
    (
        "integration_language_training",
        _("People in integration language training"),
        in_language_training,
    ),
    (
        "integration_positive_outcomes",
        _("Integration plans ended in work, education or the language goal (people)"),
        positive_outcomes,
    ),
)


def tym_network_meetings(period: gi.Period) -> int:
    """Meetings the TYM network held in the period (the agreement's TYM goal)."""
    from silta.governance.models import BodyKind, Meeting, MeetingStatus

    return Meeting.objects.filter(
        body__kind=BodyKind.TYM_NETWORK,
        status=MeetingStatus.HELD,
        held_on__gte=period.start,
        held_on__lte=period.end,
    ).count()


def ohjaamo_guidance_contacts(period: gi.Period) -> int:
    """Guidance contacts of the Ohjaamo units in the period (youth, under 30)."""
    from silta.integration.models import GuidanceContact

    return GuidanceContact.objects.filter(
        contacted_on__gte=period.start, contacted_on__lte=period.end
    ).count()


def register() -> None:
    if "ohjaamo_guidance_contacts" not in gi.STATISTICS:
        gi.statistic_register(
            "ohjaamo_guidance_contacts",
            _("Ohjaamo guidance contacts (under 30)"),
            ohjaamo_guidance_contacts,
            people=False,
        )
    if "tym_network_meetings" not in gi.STATISTICS:
        gi.statistic_register(
            "tym_network_meetings", _("TYM network meetings"), tym_network_meetings, people=False
        )
    for name, label, rows in STATISTICS:
        if name not in gi.STATISTICS:
            gi.statistic_register(
                name,
                label,
                (lambda r: lambda period: _people(r(period)))(rows),
                by_municipality=_split(rows),
            )
