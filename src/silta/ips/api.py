"""IPS supported employment API: the same selectors, services and authorization as the
pages. A coach reads only their own episodes (others answer 404, logged reads); bad
input answers 400 with the error's code and nothing is saved."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router

from silta.accounts.decorators import acting_user
from silta.accounts.models import User
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.core.schemas import Schema
from silta.ips import selectors, services
from silta.ips.errors import IpsError
from silta.ips.models import CoachingEpisode, Employer
from silta.places.models import Municipality

router = Router(tags=["ips"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


# --- episodes ------------------------------------------------------------------------


class EpisodeSummaryOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    status: str
    referred_on: dt.date
    started_on: dt.date | None
    ended_on: dt.date | None
    outcome: str


class EpisodePageOut(Schema):
    items: list[EpisodeSummaryOut]
    page: int
    pages: int
    count: int


class StepOut(Schema):
    on: dt.date
    kind: str
    note: str


class JobOut(Schema):
    id: uuid.UUID
    employer_id: uuid.UUID
    employer_name: str
    job_title: str
    start_on: dt.date
    end_on: dt.date | None
    hours_per_week: Decimal
    pay_subsidised: bool
    open_market: bool


class SupportOut(Schema):
    on: dt.date
    placement_id: uuid.UUID | None
    note: str


class EpisodeOut(EpisodeSummaryOut):
    coach_id: uuid.UUID
    referring_unit: str
    job_interests: str
    end_note: str
    version: int
    steps: list[StepOut]
    jobs: list[JobOut]
    support: list[SupportOut]


class EpisodeSearchIn(Schema):
    q: str = ""
    show: str = "open"
    page: int = 1


def _summary(e: CoachingEpisode) -> EpisodeSummaryOut:
    return EpisodeSummaryOut(
        id=e.pk, client_id=e.client_id,
        client_name=f"{e.client.last_name}, {e.client.first_names}", status=e.status,
        referred_on=e.referred_on, started_on=e.started_on, ended_on=e.ended_on,
        outcome=e.outcome,
    )  # fmt: skip


def _episode_out(request: HttpRequest, episode_id: uuid.UUID) -> EpisodeOut:
    view = selectors.episode_get_for(
        actor=acting_user(request), episode_id=episode_id, path=request.path
    )
    e = view.episode
    return EpisodeOut(
        **_summary(e).dict(),
        coach_id=e.coach_id, referring_unit=e.referring_unit, job_interests=e.job_interests,
        end_note=e.end_note, version=e.version,
        steps=[StepOut(on=s.on, kind=s.kind, note=s.note) for s in view.steps],
        jobs=[
            JobOut(
                id=p.pk, employer_id=p.employer_id, employer_name=p.employer.name,
                job_title=p.job_title, start_on=p.start_on, end_on=p.end_on,
                hours_per_week=p.hours_per_week, pay_subsidised=p.pay_subsidised,
                open_market=p.open_market,
            )
            for p in view.placements
        ],
        support=[
            SupportOut(on=s.on, placement_id=s.placement_id, note=s.note) for s in view.support
        ],
    )  # fmt: skip


@router.get("/ips/episodes", response={200: EpisodePageOut} | E, operation_id="ips_episodes_list")
def ips_episodes_list(request: HttpRequest, filters: Query[EpisodeSearchIn]) -> EpisodePageOut:
    """The coach's own coaching episodes (``show``: open, ended or all); logged."""
    _require(request, Perm.IPS_COACH)
    page = selectors.episode_list_for(
        actor=acting_user(request),
        search=selectors.EpisodeSearch(
            text=filters.q, show=filters.show, page=max(min(filters.page, 100_000), 1)
        ),
        path=request.get_full_path(),
    )
    return EpisodePageOut(
        items=[_summary(e) for e in page.object_list],
        page=page.number,
        pages=page.paginator.num_pages,
        count=page.paginator.count,
    )


@router.get(
    "/ips/episodes/{episode_id}", response={200: EpisodeOut} | E, operation_id="ips_episodes_get"
)
def ips_episodes_get(request: HttpRequest, episode_id: uuid.UUID) -> EpisodeOut:
    """One of the coach's own episodes, or an open episode of a unit the user
    supervises (404 for anyone else's); logged."""
    if not (can(request.user, Perm.IPS_COACH) or can(request.user, Perm.IPS_SUPERVISE)):
        raise PermissionDenied(Perm.IPS_COACH.value)
    return _episode_out(request, episode_id)


class UnitEpisodeOut(EpisodeSummaryOut):
    coach_id: uuid.UUID
    coach_name: str
    organisation_id: uuid.UUID
    version: int


@router.get(
    "/ips/unit/episodes",
    response={200: list[UnitEpisodeOut]} | E,
    operation_id="ips_unit_episodes",
)
def ips_unit_episodes(request: HttpRequest) -> list[UnitEpisodeOut]:
    """The supervisor of an IPS unit: the open coaching of the unit's coaches; logged.
    Nothing of other units."""
    _require(request, Perm.IPS_SUPERVISE)
    return [
        UnitEpisodeOut(
            **_summary(e).dict(),
            coach_id=e.coach_id,
            coach_name=e.coach.get_full_name() or e.coach.username,
            organisation_id=e.organisation_id,
            version=e.version,
        )
        for e in selectors.unit_episodes_for(actor=acting_user(request), path=request.path)
    ]


class UnitReassignIn(Schema):
    to_coach_id: uuid.UUID
    reason: str
    version: int


class ReassignedOut(Schema):
    """Who coaches the episode now. No client data: after a hand-over the former coach
    no longer sees the episode."""

    id: uuid.UUID
    coach_id: uuid.UUID
    version: int


@router.post(
    "/ips/episodes/{episode_id}/reassign",
    response={200: ReassignedOut} | E,
    operation_id="ips_episodes_reassign",
)
def ips_episodes_reassign(
    request: HttpRequest, episode_id: uuid.UUID, payload: UnitReassignIn
) -> ReassignedOut:
    """Move a client's open coaching to another coach of the same unit: the episode's
    coach hands it over, or the supervisor of the episode's unit moves it. 404 for
    anyone else (a colleague coach, a supervisor of another unit, an ended episode for
    the supervisor); 400 with ``ips.coach_of_another_unit``, ``ips.coach_not_active``,
    ``ips.same_coach`` or ``ips.not_a_coach_of_the_organisation`` on ``to_coach``; 409
    ``ips.stale_version`` for an old ``version``."""
    if not (can(request.user, Perm.IPS_COACH) or can(request.user, Perm.IPS_SUPERVISE)):
        raise PermissionDenied(Perm.IPS_SUPERVISE.value)
    actor = acting_user(request)
    episode, supervised = selectors.episode_for_reassign_write(actor=actor, episode_id=episode_id)
    to_coach = User.objects.filter(pk=payload.to_coach_id).first()
    move = services.episode_reassign_in_unit if supervised else services.episode_hand_over
    moved = move(
        actor=actor,
        episode=episode,
        to_coach=to_coach,
        reason=payload.reason,
        version=payload.version,
    )
    return ReassignedOut(id=moved.pk, coach_id=moved.coach_id, version=moved.version)


class JobIn(Schema):
    employer_id: uuid.UUID
    job_title: str
    start_on: dt.date
    end_on: dt.date | None = None
    hours_per_week: Decimal
    pay_subsidised: bool = False
    open_market: bool = True


@router.post(
    "/ips/episodes/{episode_id}/jobs",
    response={201: EpisodeOut} | E,
    operation_id="ips_episodes_job_add",
)
def ips_episodes_job_add(
    request: HttpRequest, episode_id: uuid.UUID, payload: JobIn
) -> tuple[int, EpisodeOut]:
    """Record a job of the client (it cannot start before the coaching episode)."""
    _require(request, Perm.IPS_COACH)
    actor = acting_user(request)
    episode = selectors.episode_for_write(actor=actor, episode_id=episode_id)
    employer = Employer.objects.filter(pk=payload.employer_id).first()
    if employer is None:
        raise ValidationError(
            {"employer_id": ValidationError("Unknown employer.", code=IpsError.REQUIRED)}
        )
    data = payload.dict()
    data.pop("employer_id")
    services.placement_add(actor=actor, episode=episode, employer=employer, **data)
    return 201, _episode_out(request, episode_id)


# --- employers -----------------------------------------------------------------------


class EmployerSummaryOut(Schema):
    id: uuid.UUID
    name: str
    business_id: str
    sector: str
    municipality_code: str


class EmployerPageOut(Schema):
    items: list[EmployerSummaryOut]
    page: int
    pages: int
    count: int


class ContactPersonOut(Schema):
    name: str
    title: str
    phone: str
    email: str


class EmployerContactOut(Schema):
    on: dt.date
    kind: str
    coach_id: uuid.UUID
    notes: str


class OpportunityOut(Schema):
    id: uuid.UUID
    title: str
    hours_per_week: Decimal
    status: str
    noted_on: dt.date
    description: str


class AdjustmentOut(Schema):
    kind: str
    agreed_on: dt.date
    description: str


class EmployerOut(EmployerSummaryOut):
    address: str
    notes: str
    version: int
    people: list[ContactPersonOut]
    contacts: list[EmployerContactOut]
    opportunities: list[OpportunityOut]
    adjustments: list[AdjustmentOut]


class EmployerSearchIn(Schema):
    q: str = ""
    sector: str = ""
    municipality: str = ""
    page: int = 1


def _employer_summary(e: Employer) -> EmployerSummaryOut:
    return EmployerSummaryOut(
        id=e.pk,
        name=e.name,
        business_id=e.business_id,
        sector=e.sector,
        municipality_code=e.municipality.code,
    )


def _employer_out(request: HttpRequest, employer_id: uuid.UUID) -> EmployerOut:
    e = selectors.employer_get_for(actor=acting_user(request), employer_id=employer_id)
    return EmployerOut(
        **_employer_summary(e).dict(),
        address=e.address, notes=e.notes, version=e.version,
        people=[
            ContactPersonOut(name=p.name, title=p.title, phone=p.phone, email=p.email)
            for p in e.people.all()
        ],
        contacts=[
            EmployerContactOut(on=c.on, kind=c.kind, coach_id=c.coach_id, notes=c.notes)
            for c in e.contacts.all()
        ],
        opportunities=[
            OpportunityOut(
                id=o.pk, title=o.title, hours_per_week=o.hours_per_week, status=o.status,
                noted_on=o.noted_on, description=o.description,
            )
            for o in e.opportunities.all()
        ],
        adjustments=[
            AdjustmentOut(kind=a.kind, agreed_on=a.agreed_on, description=a.description)
            for a in e.adjustments.all()
        ],
    )  # fmt: skip


@router.get(
    "/ips/employers", response={200: EmployerPageOut} | E, operation_id="ips_employers_list"
)
def ips_employers_list(request: HttpRequest, filters: Query[EmployerSearchIn]) -> EmployerPageOut:
    """Employers by name or business ID, sector and municipality (no client data)."""
    _require(request, Perm.IPS_VIEW)
    page = selectors.employer_search_for(
        actor=acting_user(request),
        search=selectors.EmployerSearch(
            text=filters.q,
            sector=filters.sector,
            municipality_code=filters.municipality,
            page=max(min(filters.page, 100_000), 1),
        ),
    )
    return EmployerPageOut(
        items=[_employer_summary(e) for e in page.object_list],
        page=page.number,
        pages=page.paginator.num_pages,
        count=page.paginator.count,
    )


@router.get(
    "/ips/employers/{employer_id}",
    response={200: EmployerOut} | E,
    operation_id="ips_employers_get",
)
def ips_employers_get(request: HttpRequest, employer_id: uuid.UUID) -> EmployerOut:
    _require(request, Perm.IPS_VIEW)
    return _employer_out(request, employer_id)


class EmployerIn(Schema):
    name: str
    business_id: str
    sector: str
    municipality_code: str
    address: str = ""
    notes: str = ""


@router.post("/ips/employers", response={201: EmployerOut} | E, operation_id="ips_employers_create")
def ips_employers_create(request: HttpRequest, payload: EmployerIn) -> tuple[int, EmployerOut]:
    """Register an employer; an invalid or taken business ID answers 400."""
    _require(request, Perm.IPS_COACH)
    data = payload.dict()
    municipality = Municipality.objects.filter(code=data.pop("municipality_code")).first()
    if municipality is None:
        raise ValidationError(
            {
                "municipality_code": ValidationError(
                    "Unknown municipality code.", code=IpsError.REQUIRED
                )
            }
        )
    employer = services.employer_create(
        actor=acting_user(request), municipality=municipality, **data
    )
    return 201, _employer_out(request, employer.pk)


# --- results -------------------------------------------------------------------------


class ResultsLineOut(Schema):
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


class ResultsOut(Schema):
    year: int | None
    as_of: dt.date
    coaches: list[ResultsLineOut]
    region: ResultsLineOut


class ResultsIn(Schema):
    year: int | None = None
    as_of: dt.date | None = None


@router.get("/ips/results", response={200: ResultsOut} | E, operation_id="ips_results")
def ips_results(request: HttpRequest, filters: Query[ResultsIn]) -> ResultsOut:
    """The IPS results per coach and for the region (the year coaching started, or all
    years), suppressed: ``null`` is a hidden figure."""
    _require(request, Perm.IPS_RESULTS)
    report = selectors.results_for(
        actor=acting_user(request), year=filters.year, as_of=filters.as_of
    )
    return ResultsOut(
        year=report.year,
        as_of=report.as_of,
        coaches=[ResultsLineOut(**line.__dict__) for line in report.coaches],
        region=ResultsLineOut(**report.region.__dict__),
    )
