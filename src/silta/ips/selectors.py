"""Every read of IPS supported employment, scoped to the acting user.

Coaching episodes are person-level: a coach reads only the episodes where they are the
coach, and every read writes one access-log row (basis ``ips_coach:own_episode``).
Employer records carry no client data (no access-log rows). Results are aggregated and
suppressed (``silta.reporting.suppression``) before anyone sees them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from silta.accounts.models import Organisation, User
from silta.accounts.policies import can
from silta.accounts.roles import Perm, Role
from silta.audit.services import access_log_write
from silta.casework.models import Referral
from silta.catalogue.models import ServiceCode
from silta.clients.identity import looks_like_personal_id, validate_personal_id
from silta.clients.models import Client
from silta.clients.policies import client_access_grant, visible_clients_filter
from silta.core import dates
from silta.ips import figures, workflow
from silta.ips.errors import IpsError as E
from silta.ips.models import (
    CoachingEpisode,
    Employer,
    EmploymentSupport,
    EpisodeStatusChange,
    JobOpportunity,
    JobSearchStep,
    WorkPlacement,
)
from silta.ips.policies import (
    active_coaches,
    can_see_results,
    can_view_employers,
    coach_membership,
    is_supervisor_of,
    supervisor_memberships,
)
from silta.ips.services import CLIENT_NOT_FOUND, IPS_REFERRAL_TAKEN
from silta.reporting import suppression

BASIS = "ips_coach:own_episode"


def _coach_or_deny(actor: User) -> None:
    if coach_membership(actor) is None:
        raise PermissionDenied(E.NO_ACCESS.value)


def _log(actor: User, section: str, client_ids: list[uuid.UUID], path: str) -> None:
    access_log_write(
        actor=actor,
        membership=coach_membership(actor),
        section=section,
        basis=BASIS,
        client_ids=client_ids,
        path=path,
    )


# --- episodes ------------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeSearch:
    text: str = ""
    show: str = "open"  # open | ended | all
    page: int = 1


def episode_list_for(
    *, actor: User, search: EpisodeSearch, path: str = ""
) -> Page[CoachingEpisode]:
    """One page of the actor's own coaching episodes (open ones by default), searched by
    the client's name or exact identity code; logged with every client on the page."""
    _coach_or_deny(actor)
    qs = CoachingEpisode.objects.filter(coach=actor).select_related(
        "client", "client__home_municipality"
    )
    if search.show == "open":
        qs = qs.filter(status__in=workflow.OPEN)
    elif search.show == "ended":
        qs = qs.exclude(status__in=workflow.OPEN)
    text = search.text.strip()
    if text and looks_like_personal_id(text):
        qs = qs.filter(client__personal_id=validate_personal_id(text))
    else:
        for word in text.casefold().split():
            qs = qs.filter(client__search_name__contains=word)
    qs = qs.order_by("client__last_name", "client__first_names", "-referred_on", "id")
    page = Paginator(qs, settings.SILTA_PAGE_SIZE).get_page(search.page)
    _log(actor, "ips:episodes", [e.client_id for e in page.object_list], path)
    return page


@dataclass(frozen=True)
class EpisodeView:
    episode: CoachingEpisode
    steps: list[JobSearchStep]
    placements: list[WorkPlacement]
    support: list[EmploymentSupport]
    moves: list[EpisodeStatusChange]
    supervised: bool = False
    """Read by the supervisor of the episode's unit (not its coach): no recording."""


def _own_episode(actor: User, episode_id: uuid.UUID) -> CoachingEpisode:
    """The actor's own episode, or 404 (the same answer as for a missing one)."""
    if coach_membership(actor) is None:
        raise Http404("No such episode.")
    episode = (
        CoachingEpisode.objects.select_related("client", "client__home_municipality", "coach")
        .filter(pk=episode_id, coach=actor)
        .first()
    )
    if episode is None:
        raise Http404("No such episode.")
    return episode


def episode_get_for(*, actor: User, episode_id: uuid.UUID, path: str = "") -> EpisodeView:
    """One of the actor's episodes with its steps, jobs and support, or an open episode
    of a unit the actor supervises (ADR 0028); logged with the basis it was read on."""
    episode = (
        CoachingEpisode.objects.select_related("client", "client__home_municipality", "coach")
        .filter(pk=episode_id, coach=actor)
        .first()
        if coach_membership(actor) is not None
        else None
    )
    supervised = False
    if episode is None:
        episode = _supervised_episode(actor, episode_id)
        supervised = True
        _log_supervisor(actor, "ips:episode", episode, path)
    else:
        _log(actor, "ips:episode", [episode.client_id], path)
    return EpisodeView(
        episode=episode,
        steps=list(episode.steps.all()),
        placements=list(episode.placements.select_related("employer")),
        support=list(episode.support.select_related("placement")),
        moves=list(episode.moves.select_related("actor")),
        supervised=supervised,
    )


# --- the supervisor of an IPS unit (ADR 0028) ----------------------------------------

SUPERVISOR_BASIS = "ips_supervisor:unit"


def _supervised_episode(actor: User, episode_id: uuid.UUID) -> CoachingEpisode:
    """An open episode of a unit the actor supervises, or 404 (the same answer as for
    a missing episode, an ended one and one of another unit)."""
    episode = (
        CoachingEpisode.objects.select_related(
            "client", "client__home_municipality", "coach", "organisation"
        )
        .filter(pk=episode_id)
        .first()
    )
    if episode is None or not is_supervisor_of(actor, episode):
        raise Http404("No such episode.")
    return episode


def _log_supervisor(actor: User, section: str, episode: CoachingEpisode, path: str) -> None:
    membership = next(
        m for m in supervisor_memberships(actor) if m.organisation_id == episode.organisation_id
    )
    access_log_write(
        actor=actor,
        membership=membership,
        section=section,
        basis=SUPERVISOR_BASIS,
        client_ids=[episode.client_id],
        path=path,
    )


def unit_episodes_for(*, actor: User, path: str = "") -> list[CoachingEpisode]:
    """The open coaching episodes of the units the actor supervises, by coach and
    client; logged with every client shown (one row per unit)."""
    memberships = supervisor_memberships(actor)
    if not memberships:
        raise PermissionDenied(E.NO_ACCESS.value)
    episodes = list(
        CoachingEpisode.objects.filter(
            organisation_id__in={m.organisation_id for m in memberships},
            status__in=workflow.OPEN,
        )
        .select_related("client", "coach", "organisation")
        .order_by(
            "organisation__name_fi",
            "coach__last_name",
            "coach__first_name",
            "client__last_name",
            "client__first_names",
            "id",
        )
    )
    for m in memberships:
        shown = [e.client_id for e in episodes if e.organisation_id == m.organisation_id]
        access_log_write(
            actor=actor,
            membership=m,
            section="ips:unit",
            basis=SUPERVISOR_BASIS,
            client_ids=shown,
            path=path,
        )
    return episodes


def episode_for_reassign(*, actor: User, episode_id: uuid.UUID, path: str = "") -> CoachingEpisode:
    """An open episode of the actor's unit for the "move to another coach" form (the
    page shows the client's name); logged."""
    episode = _supervised_episode(actor, episode_id)
    _log_supervisor(actor, "ips:unit_form", episode, path)
    return episode


def episode_for_reassign_write(
    *, actor: User, episode_id: uuid.UUID
) -> tuple[CoachingEpisode, bool]:
    """For the API's move: the actor's own episode (the coach hands it over) or an open
    episode of the actor's unit (the supervisor moves it), with whether it is the
    latter; 404 otherwise. Not logged: the answer is read back through a logged
    selector."""
    try:
        return _own_episode(actor, episode_id), False
    except Http404:
        return _supervised_episode(actor, episode_id), True


def episode_for_action(*, actor: User, episode_id: uuid.UUID, path: str = "") -> CoachingEpisode:
    """The episode for a write form (its page shows the client's name); logged."""
    episode = _own_episode(actor, episode_id)
    _log(actor, "ips:episode_form", [episode.client_id], path)
    return episode


def episode_for_write(*, actor: User, episode_id: uuid.UUID) -> CoachingEpisode:
    """The actor's own episode for a write whose answer is read back through a logged
    selector (the API), or 404; not logged itself, so one request writes one row."""
    return _own_episode(actor, episode_id)


def placement_for_action(*, actor: User, placement_id: uuid.UUID, path: str = "") -> WorkPlacement:
    placement = (
        WorkPlacement.objects.select_related("episode", "employer")
        .filter(pk=placement_id, episode__coach=actor)
        .first()
    )
    if placement is None or coach_membership(actor) is None:
        raise Http404("No such job.")
    _log(actor, "ips:episode_form", [placement.episode.client_id], path)
    return placement


def client_for_intake(*, actor: User, personal_id: str, path: str = "") -> Client:
    """The client of an intake, by exact identity code, among the clients the coach may
    already see; a code nobody has and a client the coach may not see get the same
    answer, so the form tells nothing about codes (issue 13). The read is logged."""
    _coach_or_deny(actor)
    try:
        code = validate_personal_id(personal_id)
    except ValidationError as exc:
        raise ValidationError({"personal_id": exc}) from None
    visible = visible_clients_filter(actor)
    client = (
        Client.objects.filter(visible, personal_id=code).first() if visible is not None else None
    )
    if client is None:
        raise ValidationError(
            {"personal_id": ValidationError(str(CLIENT_NOT_FOUND), code=E.CLIENT_UNKNOWN)}
        )
    grant = client_access_grant(actor, client)
    access_log_write(
        actor=actor,
        membership=grant.membership if grant else coach_membership(actor),
        section="ips:intake",
        basis=grant.basis if grant else "task:ips_intake",
        client_ids=[client.pk],
        path=path,
    )
    return client


def episodes_open_count(*, actor: User) -> int:
    return CoachingEpisode.objects.filter(coach=actor, status__in=workflow.OPEN).count()


# --- employers -----------------------------------------------------------------------


@dataclass(frozen=True)
class EmployerSearch:
    text: str = ""
    sector: str = ""
    municipality_code: str = ""
    page: int = 1


def employer_search_for(*, actor: User, search: EmployerSearch) -> Page[Employer]:
    """One page of employers matching the name or business ID (no client data)."""
    if not can_view_employers(actor):
        raise PermissionDenied(E.NO_ACCESS.value)
    qs: QuerySet[Employer] = Employer.objects.select_related("municipality")
    text = search.text.strip()
    for word in text.casefold().split():
        qs = qs.filter(Q(search_name__contains=word) | Q(business_id__startswith=word))
    if search.sector:
        qs = qs.filter(sector=search.sector)
    if search.municipality_code:
        qs = qs.filter(municipality__code=search.municipality_code)
    return Paginator(qs.order_by("name", "business_id"), settings.SILTA_PAGE_SIZE).get_page(
        search.page
    )


def employer_get_for(*, actor: User, employer_id: uuid.UUID) -> Employer:
    """One employer with its people, contacts, opportunities and adjustments, or 404."""
    if not can_view_employers(actor):
        raise Http404("No such employer.")
    employer = (
        Employer.objects.select_related("municipality")
        .prefetch_related("people", "contacts__coach", "opportunities", "adjustments")
        .filter(pk=employer_id)
        .first()
    )
    if employer is None:
        raise Http404("No such employer.")
    return employer


def opportunity_for_action(*, actor: User, opportunity_id: uuid.UUID) -> JobOpportunity:
    if not can_view_employers(actor):
        raise Http404("No such opportunity.")
    opportunity = JobOpportunity.objects.filter(pk=opportunity_id).first()
    if opportunity is None:
        raise Http404("No such opportunity.")
    return opportunity


def employer_choices(*, actor: User) -> QuerySet[Employer]:
    if not can_view_employers(actor):
        return Employer.objects.none()
    return Employer.objects.order_by("name", "business_id")


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownResults:
    """One line of the results as published: None is a hidden figure."""

    name: str
    coached: int | None
    followed_6: int | None
    open_market_6: int | None
    share_6: float | None
    followed_12: int | None
    open_market_12: int | None
    share_12: float | None
    employed: int | None
    median_days_to_first_job: float | None
    median_tenure_days: float | None


@dataclass(frozen=True)
class ShownReport:
    year: int | None
    as_of: dt.date
    coaches: list[ShownResults]
    region: ShownResults


def _pct(part: int | None, whole: int | None) -> float | None:
    if part is None or whole is None or not whole:
        return None
    return round(100 * part / whole, 1)


def _shares_table(
    rows: list[tuple[int, int]], region: tuple[int, int]
) -> tuple[list[tuple[int | None, int | None]], tuple[int | None, int | None]]:
    """(hit, followed) per coach and for the region, suppressed as a two-column table
    (hit / not hit) so that no hidden count follows from the totals."""
    if not rows:
        return [], region  # nobody in the cohort: zeros
    table = suppression.suppress([[hit, followed - hit] for hit, followed in rows])
    assert table.row_totals is not None
    shown = [(table.cells[i][0], table.row_totals[i]) for i in range(len(rows))]
    return shown, (table.column_totals[0], table.total)


def suppress_report(report: figures.ResultsReport) -> ShownReport:
    """Publish the report with the statistics' disclosure control: counts of 1–4 and
    the cells that would reveal them are hidden; a median or share is hidden with the
    count it rests on."""
    cs = [c.results for c in report.coaches]
    r = report.region
    coached_hidden, region_coached_hidden = suppression.suppress_vector(
        [c.coached for c in cs], r.coached
    )
    six, six_region = _shares_table([(c.open_market_6, c.followed_6) for c in cs], (
        r.open_market_6, r.followed_6))  # fmt: skip
    twelve, twelve_region = _shares_table(
        [(c.open_market_12, c.followed_12) for c in cs], (r.open_market_12, r.followed_12)
    )
    employed_hidden, region_employed_hidden = suppression.suppress_vector(
        [c.employed for c in cs], r.employed
    )

    def line(
        name: str,
        res: figures.Results,
        coached_h: bool,
        s6: tuple[int | None, int | None],
        s12: tuple[int | None, int | None],
        employed_h: bool,
    ) -> ShownResults:
        return ShownResults(
            name=name,
            coached=None if coached_h else res.coached,
            followed_6=s6[1],
            open_market_6=s6[0],
            share_6=_pct(*s6),
            followed_12=s12[1],
            open_market_12=s12[0],
            share_12=_pct(*s12),
            employed=None if employed_h else res.employed,
            median_days_to_first_job=None if employed_h else res.median_days_to_first_job,
            median_tenure_days=None if employed_h else res.median_tenure_days,
        )

    return ShownReport(
        year=report.year,
        as_of=report.as_of,
        coaches=[
            line(c.coach_name, c.results, coached_hidden[i], six[i], twelve[i], employed_hidden[i])
            for i, c in enumerate(report.coaches)
        ],
        region=line(
            _("Region"),
            r,
            region_coached_hidden,
            six_region,
            twelve_region,
            region_employed_hidden,
        ),
    )


def results_for(*, actor: User, year: int | None, as_of: dt.date | None = None) -> ShownReport:
    """The region's and each coach's IPS results for a cohort (the year coaching
    started, or all years), aggregated and suppressed; no access-log row."""
    if not can_see_results(actor):
        raise PermissionDenied(E.NO_ACCESS.value)
    cutoff = min(as_of or dates.today(), dates.today())
    facts = figures.episode_facts(CoachingEpisode.objects.filter(started_on__isnull=False))
    return suppress_report(figures.results_report(facts, year=year, as_of=cutoff))


def result_years() -> list[int]:
    """The years in which some coaching started, newest first."""
    return sorted(
        {d.year for d in CoachingEpisode.objects.filter(started_on__isnull=False).dates(
            "started_on", "year")},
        reverse=True,
    )  # fmt: skip


# --- case-work referrals to the IPS unit ----------------------------------------------


def _referrals_to_take(actor: User) -> QuerySet[Referral]:
    membership = coach_membership(actor)
    if membership is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    return Referral.objects.filter(
        to_organisation_id=membership.organisation_id,
        service__code=ServiceCode.IPS_JOB_COACHING,
        status__in=IPS_REFERRAL_TAKEN,
        ips_episode__isnull=True,
    ).select_related("client", "from_organisation", "service")


def referrals_to_take_for(*, actor: User, path: str = "") -> list[Referral]:
    """Case-work referrals to the coach's IPS unit that the unit has accepted and no
    coach has taken into coaching yet (oldest first); logged as a read of referrals
    received."""
    rows = list(_referrals_to_take(actor).order_by("sent_at")[:200])
    if rows:
        access_log_write(
            actor=actor,
            membership=coach_membership(actor),
            section="ips:referrals_to_take",
            basis="referral_received",
            client_ids=[r.client_id for r in rows],
            path=path,
        )
    return rows


def referral_to_take(*, actor: User, referral_id: uuid.UUID, path: str = "") -> Referral:
    """One such referral, or 404 (another unit's, taken already, or not accepted)."""
    referral = _referrals_to_take(actor).filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral.")
    access_log_write(
        actor=actor,
        membership=coach_membership(actor),
        section="ips:referral_to_take",
        basis="referral_received",
        client_ids=[referral.client_id],
        path=path,
    )
    return referral


# --- coaches (administrators) ---------------------------------------------------------


@dataclass(frozen=True)
class CoachRow:
    coach: User
    organisation: Organisation
    open_episodes: int
    coaching: bool  # an IPS coach of the organisation today


def coach_overview_for(*, actor: User) -> list[CoachRow]:
    """Per organisation, every coach who holds open episodes or coaches today, with the
    number of open episodes: what an administrator needs to move a departing coach's
    episodes. No client data, so nothing to log."""
    if not can(actor, Perm.IPS_REASSIGN):
        raise PermissionDenied
    counts = {
        (row["coach"], row["organisation"]): row["n"]
        for row in CoachingEpisode.objects.filter(status__in=workflow.OPEN)
        .values("coach", "organisation")
        .annotate(n=Count("pk"))
        .order_by()
    }
    coaching_orgs = Organisation.objects.filter(
        memberships__role=Role.IPS_COACH, is_active=True
    ).values_list("pk", flat=True)
    organisations = Organisation.objects.in_bulk(
        {org for _coach, org in counts} | set(coaching_orgs)
    )
    rows: list[CoachRow] = []
    for org in organisations.values():
        coaching = {u.pk: u for u in active_coaches(org.pk)}
        holders = {coach for coach, o in counts if o == org.pk}
        users = User.objects.in_bulk(holders | set(coaching))
        rows += [
            CoachRow(users[pk], org, counts.get((pk, org.pk), 0), pk in coaching) for pk in users
        ]
    return sorted(
        rows,
        key=lambda r: (
            r.organisation.name,
            r.coach.last_name,
            r.coach.first_name,
            r.coach.username,
        ),
    )


def coaches_with_open_episodes() -> QuerySet[User]:
    return User.objects.filter(
        pk__in=CoachingEpisode.objects.filter(status__in=workflow.OPEN).values("coach")
    ).order_by("last_name", "first_name", "username")
