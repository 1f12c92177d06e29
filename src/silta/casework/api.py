"""Case work API: the same selectors, services, authorization and access log as the
pages. Edits carry ``version``; a stale one answers 409 and nothing is written."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router

from silta.accounts.decorators import acting_user
from silta.accounts.models import Organisation
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.casework import selectors, services
from silta.casework.models import (
    Appointment,
    Assessment,
    AssessmentRating,
    Consent,
    Outcome,
    Plan,
    Referral,
)
from silta.casework.policies import SharingContext
from silta.catalogue.selectors import service_get
from silta.core.schemas import Schema
from silta.privacy.policy import Action

router = Router(tags=["casework"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


def _client(request: HttpRequest, client_id: uuid.UUID, section: str):  # type: ignore[no-untyped-def]
    """The client and the viewer's sharing context for one section (access-logged)."""
    _require(request, Perm.CASEWORK_VIEW)
    client, grant = selectors.client_records_for(
        actor=acting_user(request), client_id=client_id, section=section, path=request.path
    )
    return client, SharingContext.of(grant.membership, client.pk)


def _writable(request: HttpRequest, client_id: uuid.UUID):  # type: ignore[no-untyped-def]
    _require(request, Perm.CASEWORK_WRITE)
    client, _grant = selectors.casework_client_for(actor=acting_user(request), client_id=client_id)
    return client


# --- consents ----------------------------------------------------------------------


class ConsentOut(Schema):
    id: uuid.UUID
    controller_id: uuid.UUID
    recipient_id: uuid.UUID
    data_classes: list[str]
    purpose: str
    valid_from: dt.date
    valid_to: dt.date | None
    given_how: str
    given_reference: str
    recorded_by: str
    withdrawn_at: dt.datetime | None
    version: int


class ConsentIn(Schema):
    recipient_id: uuid.UUID
    data_classes: list[str]
    purpose: str
    given_how: str
    given_reference: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def _consent(c: Consent) -> ConsentOut:
    return ConsentOut(
        id=c.pk,
        controller_id=c.controller_id,
        recipient_id=c.recipient_id,
        data_classes=list(c.data_classes),
        purpose=c.purpose,
        valid_from=c.valid_from,
        valid_to=c.valid_to,
        given_how=c.given_how,
        given_reference=c.given_reference,
        recorded_by=c.recorded_by.username if c.recorded_by else "",
        withdrawn_at=c.withdrawn_at,
        version=c.version,
    )


@router.get(
    "/clients/{client_id}/consents",
    response={200: list[ConsentOut]} | E,
    operation_id="consents_list",
)
def consents_list(request: HttpRequest, client_id: uuid.UUID) -> list[ConsentOut]:
    client, sharing = _client(request, client_id, "consents")
    qs = Consent.objects.filter(client=client).select_related("recorded_by")
    return [_consent(c) for c in selectors.readable(sharing, qs)]


@router.post(
    "/clients/{client_id}/consents", response={201: ConsentOut} | E, operation_id="consents_create"
)
def consents_create(
    request: HttpRequest, client_id: uuid.UUID, body: ConsentIn
) -> tuple[int, ConsentOut]:
    """Record the client's consent to disclose data of the user's own organisation to
    another organisation; it is valid from today."""
    client = _writable(request, client_id)
    consent = services.consent_record(
        actor=acting_user(request),
        client=client,
        recipient=Organisation.objects.filter(pk=body.recipient_id, is_active=True).first(),
        data_classes=body.data_classes,
        purpose=body.purpose,
        given_how=body.given_how,
        given_reference=body.given_reference,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )
    return 201, _consent(consent)


@router.post(
    "/consents/{consent_id}/withdraw",
    response={200: ConsentOut} | E,
    operation_id="consents_withdraw",
)
def consents_withdraw(
    request: HttpRequest, consent_id: uuid.UUID, version: int | None = None
) -> ConsentOut:
    """Withdraw a consent at once (its discloser's staff); twice answers 400, a stale
    ``version`` (query parameter, the version read) 409."""
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    consent = selectors.record_for(
        actor=actor, model=Consent, record_id=consent_id, action=Action.END
    )
    return _consent(services.consent_withdraw(actor=actor, consent=consent, version=version))


# --- notes -------------------------------------------------------------------------


class NoteOut(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID
    visibility: str
    text: str
    written_at: dt.datetime
    access_basis: str


class NoteIn(Schema):
    visibility: str
    text: str


@router.get(
    "/clients/{client_id}/notes", response={200: list[NoteOut]} | E, operation_id="notes_list"
)
def notes_list(request: HttpRequest, client_id: uuid.UUID) -> list[NoteOut]:
    """The notes the user may read, each with its basis (logged once)."""
    _require(request, Perm.CASEWORK_VIEW)
    notes = selectors.notes_for(actor=acting_user(request), client_id=client_id, path=request.path)
    return [
        NoteOut(
            id=v.note.pk,
            organisation_id=v.note.organisation_id,
            visibility=v.note.visibility,
            text=v.note.text,
            written_at=v.note.written_at,
            access_basis=v.basis,
        )
        for v in notes
    ]


@router.post("/clients/{client_id}/notes", response={201: NoteOut} | E, operation_id="notes_create")
def notes_create(request: HttpRequest, client_id: uuid.UUID, body: NoteIn) -> tuple[int, NoteOut]:
    client = _writable(request, client_id)
    n = services.note_write(
        actor=acting_user(request), client=client, visibility=body.visibility, text=body.text
    )
    return 201, NoteOut(
        id=n.pk,
        organisation_id=n.organisation_id,
        visibility=n.visibility,
        text=n.text,
        written_at=n.written_at,
        access_basis="own_organisation",
    )


# --- appointments ------------------------------------------------------------------


class AppointmentOut(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID
    referral_id: uuid.UUID | None
    starts_at: dt.datetime
    place: str
    participants: str


class AppointmentIn(Schema):
    starts_at: dt.datetime
    place: str
    participants: str = ""


def _appointment(a: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=a.pk,
        organisation_id=a.organisation_id,
        referral_id=a.referral_id,
        starts_at=a.starts_at,
        place=a.place,
        participants=a.participants,
    )


@router.get(
    "/clients/{client_id}/appointments",
    response={200: list[AppointmentOut]} | E,
    operation_id="appointments_list",
)
def appointments_list(request: HttpRequest, client_id: uuid.UUID) -> list[AppointmentOut]:
    client, sharing = _client(request, client_id, "appointments")
    qs = Appointment.objects.filter(client=client)
    return [_appointment(a) for a in selectors.readable(sharing, qs)]


@router.post(
    "/clients/{client_id}/appointments",
    response={201: AppointmentOut} | E,
    operation_id="appointments_create",
)
def appointments_create(
    request: HttpRequest, client_id: uuid.UUID, body: AppointmentIn
) -> tuple[int, AppointmentOut]:
    client = _writable(request, client_id)
    a = services.appointment_create(actor=acting_user(request), client=client, **body.dict())
    return 201, _appointment(a)


# --- referrals ---------------------------------------------------------------------


class ReferralOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    service_id: uuid.UUID
    service_code: str
    from_organisation_id: uuid.UUID
    to_organisation_id: uuid.UUID
    status: str
    sent_at: dt.datetime
    reason: str
    shares: str
    sharing_basis: str
    waiting_days: int | None
    not_completed_reason: str
    version: int


class ReferralIn(Schema):
    service_id: uuid.UUID
    to_organisation_id: uuid.UUID
    reason: str
    shares: str = "none"


class ReferralMoveIn(Schema):
    to_status: str
    version: int
    reason: str = ""
    not_completed_reason: str = ""
    appointment_at: dt.datetime | None = None
    place: str = ""
    participants: str = ""
    work_ability_concern: bool = False


def _referral(r: Referral) -> ReferralOut:
    return ReferralOut(
        id=r.pk,
        client_id=r.client_id,
        service_id=r.service_id,
        service_code=r.service.code,
        from_organisation_id=r.from_organisation_id,
        to_organisation_id=r.to_organisation_id,
        status=r.status,
        sent_at=r.sent_at,
        reason=r.reason,
        shares=r.shares,
        sharing_basis=r.sharing_basis,
        waiting_days=r.waiting_days,
        not_completed_reason=r.not_completed_reason,
        version=r.version,
    )


@router.get(
    "/clients/{client_id}/referrals",
    response={200: list[ReferralOut]} | E,
    operation_id="referrals_list",
)
def referrals_list(request: HttpRequest, client_id: uuid.UUID) -> list[ReferralOut]:
    client, sharing = _client(request, client_id, "referrals")
    qs = Referral.objects.filter(client=client).select_related("service")
    return [_referral(r) for r in selectors.readable(sharing, qs)]


@router.post(
    "/clients/{client_id}/referrals",
    response={201: ReferralOut} | E,
    operation_id="referrals_create",
)
def referrals_create(
    request: HttpRequest, client_id: uuid.UUID, body: ReferralIn
) -> tuple[int, ReferralOut]:
    client = _writable(request, client_id)
    service = service_get(service_id=body.service_id)
    to_org = Organisation.objects.filter(pk=body.to_organisation_id).first()
    if to_org is None:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {
                "to_organisation_id": ValidationError(
                    "Unknown organisation.", code="referral.service_not_offered"
                )
            }
        )
    r = services.referral_send(
        actor=acting_user(request),
        client=client,
        service=service,
        to_organisation=to_org,
        reason=body.reason,
        shares=body.shares,
    )
    return 201, _referral(r)


@router.get(
    "/referrals/inbox", response={200: list[ReferralOut]} | E, operation_id="referrals_inbox"
)
def referrals_inbox(request: HttpRequest, status: str = "open") -> list[ReferralOut]:
    """Referrals received by the user's organisations."""
    _require(request, Perm.REFERRAL_INBOX)
    rows = selectors.referral_inbox_for(
        actor=acting_user(request), status=status, path=request.get_full_path()
    )
    return [_referral(row.referral) for row in rows]


@router.post(
    "/referrals/{referral_id}/moves", response={200: ReferralOut} | E, operation_id="referrals_move"
)
def referrals_move(
    request: HttpRequest, referral_id: uuid.UUID, body: ReferralMoveIn
) -> ReferralOut:
    """Move a referral along its workflow; a stale ``version`` answers 409."""
    _require(request, Perm.CASEWORK_VIEW)
    actor = acting_user(request)
    referral = selectors.referral_for_action(actor=actor, referral_id=referral_id)
    data = body.dict()
    moved = services.referral_move(
        actor=actor,
        referral=referral,
        to_status=data.pop("to_status"),
        version=data.pop("version"),
        **data,
    )
    return _referral(moved)


# --- assessments -------------------------------------------------------------------


class RatingIO(Schema):
    rating: int
    text: str = ""


class AssessmentOut(Schema):
    id: uuid.UUID
    assessed_on: dt.date
    organisation_id: uuid.UUID
    signed_by: str
    ratings: dict[str, RatingIO]


class AssessmentIn(Schema):
    assessed_on: dt.date
    ratings: dict[str, RatingIO]


def _assessment(a: Assessment, ratings: list[AssessmentRating] | None = None) -> AssessmentOut:
    """An assessment with the ratings the viewer may read (health domains only on a
    basis the policy table allows); ``ratings`` None: the signer's own view."""
    ratings = list(a.ratings.all()) if ratings is None else ratings
    return AssessmentOut(
        id=a.pk,
        assessed_on=a.assessed_on,
        organisation_id=a.organisation_id,
        signed_by=a.signed_by.username if a.signed_by else "",
        ratings={r.domain: RatingIO(rating=r.rating, text=r.text) for r in ratings},
    )


@router.get(
    "/clients/{client_id}/assessments",
    response={200: list[AssessmentOut]} | E,
    operation_id="assessments_list",
)
def assessments_list(request: HttpRequest, client_id: uuid.UUID) -> list[AssessmentOut]:
    _require(request, Perm.CASEWORK_VIEW)
    rows = selectors.assessments_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )
    return [_assessment(a, ratings) for a, ratings in rows]


@router.post(
    "/clients/{client_id}/assessments",
    response={201: AssessmentOut} | E,
    operation_id="assessments_create",
)
def assessments_create(
    request: HttpRequest, client_id: uuid.UUID, body: AssessmentIn
) -> tuple[int, AssessmentOut]:
    client = _writable(request, client_id)
    a = services.assessment_sign(
        actor=acting_user(request),
        client=client,
        assessed_on=body.assessed_on,
        ratings={d: (r.rating, r.text) for d, r in body.ratings.items()},
    )
    return 201, _assessment(a)


# --- plans -------------------------------------------------------------------------


class PlanVersionOut(Schema):
    number: int
    status: str
    goals: str
    actions: str
    next_review_on: dt.date | None
    referral_ids: list[uuid.UUID]
    saved_at: dt.datetime


class PlanOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    kind: str
    status: str
    next_review_on: dt.date | None
    version: int
    versions: list[PlanVersionOut]


class PlanIn(Schema):
    kind: str
    goals: str
    actions: str = ""
    next_review_on: dt.date | None
    referral_ids: list[uuid.UUID] = Field(default_factory=list)


class PlanReviseIn(Schema):
    version: int
    goals: str
    actions: str = ""
    next_review_on: dt.date | None
    referral_ids: list[uuid.UUID] = Field(default_factory=list)


class PlanStatusIn(Schema):
    version: int
    to_status: str


def _plan(p: Plan) -> PlanOut:
    return PlanOut(
        id=p.pk,
        client_id=p.client_id,
        kind=p.kind,
        status=p.status,
        next_review_on=p.next_review_on,
        version=p.version,
        versions=[
            PlanVersionOut(
                number=v.number,
                status=v.status,
                goals=v.goals,
                actions=v.actions,
                next_review_on=v.next_review_on,
                referral_ids=[r.pk for r in v.referrals.all()],
                saved_at=v.saved_at,
            )
            for v in p.versions.prefetch_related("referrals").order_by("-number")
        ],
    )


@router.get(
    "/clients/{client_id}/plans", response={200: list[PlanOut]} | E, operation_id="plans_list"
)
def plans_list(request: HttpRequest, client_id: uuid.UUID) -> list[PlanOut]:
    client, sharing = _client(request, client_id, "plans")
    return [_plan(p) for p in selectors.readable(sharing, Plan.objects.filter(client=client))]


@router.post("/clients/{client_id}/plans", response={201: PlanOut} | E, operation_id="plans_create")
def plans_create(request: HttpRequest, client_id: uuid.UUID, body: PlanIn) -> tuple[int, PlanOut]:
    client = _writable(request, client_id)
    p = services.plan_create(actor=acting_user(request), client=client, **body.dict())
    return 201, _plan(p)


@router.get("/plans/{plan_id}", response={200: PlanOut} | E, operation_id="plans_get")
def plans_get(request: HttpRequest, plan_id: uuid.UUID) -> PlanOut:
    _require(request, Perm.CASEWORK_VIEW)
    plan, _versions = selectors.plan_get_for(
        actor=acting_user(request), plan_id=plan_id, path=request.path
    )
    return _plan(plan)


@router.put("/plans/{plan_id}", response={200: PlanOut} | E, operation_id="plans_revise")
def plans_revise(request: HttpRequest, plan_id: uuid.UUID, body: PlanReviseIn) -> PlanOut:
    """Save a new version; a stale ``version`` answers 409 and nothing is written."""
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    plan = selectors.plan_for_action(actor=actor, plan_id=plan_id)
    return _plan(services.plan_revise(actor=actor, plan=plan, **body.dict()))


@router.post("/plans/{plan_id}/status", response={200: PlanOut} | E, operation_id="plans_move")
def plans_move(request: HttpRequest, plan_id: uuid.UUID, body: PlanStatusIn) -> PlanOut:
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    plan = selectors.plan_for_action(actor=actor, plan_id=plan_id, action=Action.END)
    return _plan(
        services.plan_move(actor=actor, plan=plan, version=body.version, to_status=body.to_status)
    )


# --- outcomes ----------------------------------------------------------------------


class OutcomeOut(Schema):
    id: uuid.UUID
    kind: str
    occurred_on: dt.date
    note: str
    follow_up_3: str
    follow_up_6: str
    follow_up_12: str
    version: int


class OutcomeIn(Schema):
    kind: str
    occurred_on: dt.date
    note: str = ""


class FollowUpIn(Schema):
    months: int
    status: str
    version: int


def _outcome(o: Outcome) -> OutcomeOut:
    return OutcomeOut(
        id=o.pk,
        kind=o.kind,
        occurred_on=o.occurred_on,
        note=o.note,
        follow_up_3=o.follow_up_3,
        follow_up_6=o.follow_up_6,
        follow_up_12=o.follow_up_12,
        version=o.version,
    )


@router.get(
    "/clients/{client_id}/outcomes",
    response={200: list[OutcomeOut]} | E,
    operation_id="outcomes_list",
)
def outcomes_list(request: HttpRequest, client_id: uuid.UUID) -> list[OutcomeOut]:
    client, sharing = _client(request, client_id, "outcomes")
    qs = Outcome.objects.filter(client=client)
    return [_outcome(o) for o in selectors.readable(sharing, qs)]


@router.post(
    "/clients/{client_id}/outcomes", response={201: OutcomeOut} | E, operation_id="outcomes_create"
)
def outcomes_create(
    request: HttpRequest, client_id: uuid.UUID, body: OutcomeIn
) -> tuple[int, OutcomeOut]:
    client = _writable(request, client_id)
    return 201, _outcome(
        services.outcome_record(actor=acting_user(request), client=client, **body.dict())
    )


@router.post(
    "/outcomes/{outcome_id}/follow-ups",
    response={200: OutcomeOut} | E,
    operation_id="outcomes_follow_up",
)
def outcomes_follow_up(request: HttpRequest, outcome_id: uuid.UUID, body: FollowUpIn) -> OutcomeOut:
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    outcome = selectors.record_for(actor=actor, model=Outcome, record_id=outcome_id)
    return _outcome(services.outcome_follow_up(actor=actor, outcome=outcome, **body.dict()))


# --- work ability ------------------------------------------------------------------


class ReasonOut(Schema):
    rule: str
    weight: int
    detail: str


class CandidateOut(Schema):
    client_id: uuid.UUID
    last_name: str
    first_names: str
    score: int
    reasons: list[ReasonOut]


@router.get(
    "/work-ability/candidates",
    response={200: list[CandidateOut]} | E,
    operation_id="work_ability_candidates",
)
def work_ability_candidates(
    request: HttpRequest, scope: str = "organisation", sort: str = "score"
) -> list[CandidateOut]:
    """Clients who likely need a work ability assessment, with the reasons (it
    suggests; a person decides)."""
    _require(request, Perm.WORK_ABILITY_LIST)
    rows = selectors.work_ability_candidates_for(
        actor=acting_user(request), scope=scope, sort=sort, path=request.get_full_path()
    )
    return [
        CandidateOut(
            client_id=c.client.pk,
            last_name=c.client.last_name,
            first_names=c.client.first_names,
            score=c.score,
            reasons=[ReasonOut(rule=r.key, weight=r.weight, detail=r.detail) for r in c.reasons],
        )
        for c in rows
    ]
