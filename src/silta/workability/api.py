"""The work ability path's API: the same selectors, services, authorization and
access log as the pages. A client not open to the caller answers 404; a stale
decision 409; bad input 400 with the field's code, nothing written."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.casework.models import Referral
from silta.casework.selectors import casework_client_for
from silta.catalogue.models import ApplicationReceiver
from silta.core.schemas import Schema
from silta.workability import selectors, services
from silta.workability.models import (
    BenefitApplication,
    DecisionAppeal,
    HealthCheck,
    WorkAbilityResult,
)

router = Router(tags=["work ability path"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class PathStepOut(Schema):
    key: str
    on: dt.date | None
    hidden: bool
    waiting_days: int | None


class PathResultOut(Schema):
    id: uuid.UUID
    referral_id: uuid.UUID
    assessed_on: dt.date
    work_ability: str
    duration: str
    recommendations: list[str]
    statement_kind: str
    statement_date: dt.date | None
    statement_reference: str


class PathApplicationOut(Schema):
    id: uuid.UUID
    version: int
    kind: str
    receiver: str
    applied_on: dt.date
    decision_due_on: dt.date
    status: str
    decided_on: dt.date | None
    benefit_from: dt.date | None
    benefit_to: dt.date | None
    overdue: bool
    appeals: list[AppealOut] = []


class AppealOut(Schema):
    id: uuid.UUID
    version: int
    appealed_on: dt.date
    body: str
    outcome: str
    outcome_on: dt.date | None


class HealthCheckContentOut(Schema):
    checked_on: dt.date | None
    health: str
    work_capacity: str
    functional_capacity: str
    rehabilitation_need: str
    onward: list[str]
    summary: str


class HealthCheckOut(Schema):
    id: uuid.UUID
    version: int
    invited_on: dt.date
    channel: str
    status: str
    booked_at: dt.datetime | None
    unit: str
    closed_on: dt.date | None
    content: HealthCheckContentOut | None
    """Only where the policy table opens the check's content (health data)."""
    content_hidden: bool


class PathOut(Schema):
    client_id: uuid.UUID
    steps: list[PathStepOut]
    results: list[PathResultOut]
    applications: list[PathApplicationOut]
    hidden_results: int
    hidden_applications: int
    health_checks: list[HealthCheckOut] = []


def _result(r) -> PathResultOut:  # type: ignore[no-untyped-def]
    return PathResultOut(
        id=r.pk,
        referral_id=r.referral_id,
        assessed_on=r.assessed_on,
        work_ability=r.work_ability,
        duration=r.duration,
        recommendations=list(r.recommendations),
        statement_kind=r.statement_kind,
        statement_date=r.statement_date,
        statement_reference=r.statement_reference,
    )


def _appeal(a: DecisionAppeal) -> AppealOut:
    return AppealOut(
        id=a.pk,
        version=a.version,
        appealed_on=a.appealed_on,
        body=a.body,
        outcome=a.outcome,
        outcome_on=a.outcome_on,
    )


def _check(c: HealthCheck, content_open: bool) -> HealthCheckOut:
    done = c.status == "done"
    return HealthCheckOut(
        id=c.pk,
        version=c.version,
        invited_on=c.invited_on,
        channel=c.channel,
        status=c.status,
        booked_at=c.booked_at,
        unit=c.unit,
        closed_on=c.closed_on,
        content=HealthCheckContentOut(
            checked_on=c.checked_on,
            health=c.health,
            work_capacity=c.work_capacity,
            functional_capacity=c.functional_capacity,
            rehabilitation_need=c.rehabilitation_need,
            onward=list(c.onward),
            summary=c.summary,
        )
        if done and content_open
        else None,
        content_hidden=done and not content_open,
    )


def _application(
    a: BenefitApplication, overdue: bool = False, appeals: tuple[DecisionAppeal, ...] = ()
) -> PathApplicationOut:
    return PathApplicationOut(
        id=a.pk,
        version=a.version,
        kind=a.kind,
        receiver=a.receiver.key,
        applied_on=a.applied_on,
        decision_due_on=a.decision_due_on,
        status=a.status,
        decided_on=a.decided_on,
        benefit_from=a.benefit_from,
        benefit_to=a.benefit_to,
        overdue=overdue,
        appeals=[_appeal(x) for x in appeals],
    )


@router.get(
    "/work-ability/clients/{client_id}/path",
    response={200: PathOut, **E},
    operation_id="workability_path",
)
def path(request: HttpRequest, client_id: uuid.UUID) -> PathOut:
    """One client's work ability path (health records as the policy table allows)."""
    _require(request, Perm.CASEWORK_VIEW)
    p = selectors.client_path_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )
    return PathOut(
        client_id=p.client.pk,
        steps=[
            PathStepOut(key=s.key, on=s.on, hidden=s.hidden, waiting_days=s.waiting_days)
            for s in p.steps
        ],
        results=[_result(v.result) for v in p.results],
        applications=[_application(v.application, v.overdue, v.appeals) for v in p.applications],
        hidden_results=p.hidden_results,
        hidden_applications=p.hidden_applications,
        health_checks=[_check(v.check, v.content_open) for v in p.checks],
    )


class PathResultIn(Schema):
    assessed_on: dt.date
    work_ability: str
    duration: str = ""
    recommendations: list[str]
    recommendation_text: str = ""
    statement_kind: str = ""
    statement_date: dt.date | None = None
    statement_reference: str = ""


@router.post(
    "/work-ability/assessments/{referral_id}/result",
    response={201: PathResultOut, **E},
    operation_id="workability_result_record",
)
def result_record(request: HttpRequest, referral_id: uuid.UUID, body: PathResultIn):  # type: ignore[no-untyped-def]
    """Record the structured result of a scheduled or completed work ability assessment."""
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such assessment.")
    casework_client_for(actor=actor, client_id=referral.client_id)
    try:
        result = services.result_record(actor=actor, referral=referral, **body.dict())
    except PermissionDenied:
        raise Http404("No such assessment.") from None
    return 201, _result(result)


class PathApplicationIn(Schema):
    kind: str
    receiver: str
    """The receiver's key: ``kela``, ``ilmarinen``, ``elo``, ``varma``, ``keva``, ``veritas``."""
    applied_on: dt.date
    result_id: uuid.UUID | None = None


@router.post(
    "/work-ability/clients/{client_id}/applications",
    response={201: PathApplicationOut, **E},
    operation_id="workability_application_record",
)
def application_record(request: HttpRequest, client_id: uuid.UUID, body: PathApplicationIn):  # type: ignore[no-untyped-def]
    """Record a rehabilitation or pension application sent to Kela or a pension provider."""
    from django.core.exceptions import ValidationError

    from silta.workability.models import WorkAbilityResult

    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    client, _grant = casework_client_for(actor=actor, client_id=client_id)
    receiver = ApplicationReceiver.objects.filter(key=body.receiver, is_active=True).first()
    if receiver is None:
        raise ValidationError(
            {"receiver": [ValidationError("Unknown receiver.", code="workability.receiver")]}
        )
    result = None
    if body.result_id is not None:
        p = selectors.client_path_for(actor=actor, client_id=client.pk)
        visible = {v.result.pk: v.result for v in p.results}
        result = visible.get(body.result_id)
        if result is None and not WorkAbilityResult.objects.filter(pk=body.result_id).exists():
            raise ValidationError(
                {"result_id": [ValidationError("Unknown result.", code="workability.result")]}
            )
        if result is None:
            raise Http404("No such result.")
    try:
        app = services.application_record(
            actor=actor,
            client=client,
            kind=body.kind,
            receiver=receiver,
            applied_on=body.applied_on,
            result=result,
        )
    except PermissionDenied:
        raise Http404("No such client.") from None
    return 201, _application(app)


class PathDecisionIn(Schema):
    version: int
    status: str
    decided_on: dt.date
    benefit_from: dt.date | None = None
    benefit_to: dt.date | None = None
    decision_reference: str = ""


@router.post(
    "/work-ability/applications/{application_id}/decision",
    response={200: PathApplicationOut, **E},
    operation_id="workability_decision_record",
)
def decision_record(
    request: HttpRequest, application_id: uuid.UUID, body: PathDecisionIn
) -> PathApplicationOut:
    """Record Kela's or the pension provider's decision (not before the application)."""
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    app = BenefitApplication.objects.select_related("receiver").filter(pk=application_id).first()
    if app is None:
        raise Http404("No such application.")
    casework_client_for(actor=actor, client_id=app.client_id)
    try:
        done = services.decision_record(actor=actor, application=app, **body.dict())
    except PermissionDenied:
        raise Http404("No such application.") from None
    return _application(done)


# --- corrections and appeals ---------------------------------------------------------


def _path_for(request: HttpRequest, client_id: uuid.UUID) -> selectors.ClientPath:
    return selectors.client_path_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )


def _client_id(model, pk: uuid.UUID, lookup: str = "client_id") -> uuid.UUID:  # type: ignore[no-untyped-def]
    found = model.objects.filter(pk=pk).values_list(lookup, flat=True).first()
    if found is None:
        raise Http404("No such record.")
    return found  # type: ignore[no-any-return]


class ResultCorrectionIn(PathResultIn):
    version: int
    reason: str


@router.put(
    "/work-ability/results/{result_id}",
    response={200: PathResultOut, **E},
    operation_id="workability_result_correct",
)
def result_correct(
    request: HttpRequest, result_id: uuid.UUID, body: ResultCorrectionIn
) -> PathResultOut:
    """Correct a result (the assessing unit's assessors only; the change log keeps the
    old values and the reason)."""
    _require(request, Perm.CASEWORK_WRITE)
    p = _path_for(request, _client_id(WorkAbilityResult, result_id))
    view = next((v for v in p.results if v.result.pk == result_id), None)
    if view is None or not view.can_correct:
        raise Http404("No such result.")
    try:
        done = services.result_correct(
            actor=acting_user(request), result=view.result, **body.dict()
        )
    except PermissionDenied:
        raise Http404("No such result.") from None
    return _result(done)


def _application_of(request: HttpRequest, application_id: uuid.UUID) -> BenefitApplication:
    p = _path_for(request, _client_id(BenefitApplication, application_id))
    view = next((v for v in p.applications if v.application.pk == application_id), None)
    if view is None or not view.can_decide:
        raise Http404("No such application.")
    return view.application


class DecisionCorrectionIn(PathDecisionIn):
    reason: str


@router.put(
    "/work-ability/applications/{application_id}/decision",
    response={200: PathApplicationOut, **E},
    operation_id="workability_decision_correct",
)
def decision_correct(
    request: HttpRequest, application_id: uuid.UUID, body: DecisionCorrectionIn
) -> PathApplicationOut:
    """Correct a recorded decision (the organisation that recorded the application)."""
    _require(request, Perm.CASEWORK_WRITE)
    app = _application_of(request, application_id)
    try:
        done = services.decision_correct(actor=acting_user(request), application=app, **body.dict())
    except PermissionDenied:
        raise Http404("No such application.") from None
    return _application(done)


class AppealIn(Schema):
    version: int
    """The application's version."""
    appealed_on: dt.date
    body: str
    """``samu``, ``telk`` or ``insurance_court``."""
    outcome: str = "pending"
    outcome_on: dt.date | None = None


@router.post(
    "/work-ability/applications/{application_id}/appeals",
    response={201: AppealOut, **E},
    operation_id="workability_appeal_record",
)
def appeal_record(request: HttpRequest, application_id: uuid.UUID, body: AppealIn):  # type: ignore[no-untyped-def]
    """Record an appeal of a rejected application."""
    _require(request, Perm.CASEWORK_WRITE)
    app = _application_of(request, application_id)
    try:
        done = services.appeal_record(actor=acting_user(request), application=app, **body.dict())
    except PermissionDenied:
        raise Http404("No such application.") from None
    return 201, _appeal(done)


class AppealOutcomeIn(Schema):
    version: int
    outcome: str
    outcome_on: dt.date | None = None


@router.post(
    "/work-ability/appeals/{appeal_id}/outcome",
    response={200: AppealOut, **E},
    operation_id="workability_appeal_outcome",
)
def appeal_outcome(request: HttpRequest, appeal_id: uuid.UUID, body: AppealOutcomeIn) -> AppealOut:
    """Record the appeal's outcome."""
    _require(request, Perm.CASEWORK_WRITE)
    app = _application_of(request, _client_id(DecisionAppeal, appeal_id, "application_id"))
    appeal = app.appeals.filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404("No such appeal.")
    try:
        done = services.appeal_outcome_record(
            actor=acting_user(request), appeal=appeal, **body.dict()
        )
    except PermissionDenied:
        raise Http404("No such appeal.") from None
    return _appeal(done)


# --- unemployed health checks ----------------------------------------------------


class InviteIn(Schema):
    invited_on: dt.date
    channel: str
    """``letter``, ``phone``, ``text_message``, ``online`` or ``in_person``."""


@router.post(
    "/work-ability/clients/{client_id}/health-checks",
    response={201: HealthCheckOut, **E},
    operation_id="workability_health_check_invite",
)
def health_check_invite(request: HttpRequest, client_id: uuid.UUID, body: InviteIn):  # type: ignore[no-untyped-def]
    """The checking unit invites a client to an unemployed health check."""
    _require(request, Perm.CASEWORK_WRITE)
    p = _path_for(request, client_id)
    if not p.can_invite:
        raise Http404("No such client.")
    try:
        done = services.health_check_invite(
            actor=acting_user(request), client=p.client, **body.dict()
        )
    except PermissionDenied:
        raise Http404("No such client.") from None
    return 201, _check(done, False)


def _check_of(request: HttpRequest, check_id: uuid.UUID, need: str) -> HealthCheck:
    p = _path_for(request, _client_id(HealthCheck, check_id))
    view = next((v for v in p.checks if v.check.pk == check_id), None)
    if view is None or not getattr(view, need):
        raise Http404("No such health check.")
    return view.check


class BookIn(Schema):
    version: int
    booked_at: dt.datetime
    unit: str


@router.post(
    "/work-ability/health-checks/{check_id}/booking",
    response={200: HealthCheckOut, **E},
    operation_id="workability_health_check_book",
)
def health_check_book(request: HttpRequest, check_id: uuid.UUID, body: BookIn) -> HealthCheckOut:
    """Book (or move) the time of a health check."""
    _require(request, Perm.CASEWORK_WRITE)
    check = _check_of(request, check_id, "can_handle")
    try:
        done = services.health_check_book(actor=acting_user(request), check=check, **body.dict())
    except PermissionDenied:
        raise Http404("No such health check.") from None
    return _check(done, False)


class EndIn(Schema):
    version: int
    status: str
    """``no_show`` or ``declined``."""
    on: dt.date


@router.post(
    "/work-ability/health-checks/{check_id}/ending",
    response={200: HealthCheckOut, **E},
    operation_id="workability_health_check_end",
)
def health_check_end(request: HttpRequest, check_id: uuid.UUID, body: EndIn) -> HealthCheckOut:
    """The client did not come, or declined the check."""
    _require(request, Perm.CASEWORK_WRITE)
    check = _check_of(request, check_id, "can_handle")
    try:
        done = services.health_check_end(actor=acting_user(request), check=check, **body.dict())
    except PermissionDenied:
        raise Http404("No such health check.") from None
    return _check(done, False)


class ContentIn(Schema):
    version: int
    checked_on: dt.date
    health: str
    work_capacity: str
    functional_capacity: str
    rehabilitation_need: str
    onward: list[str]
    summary: str = ""


@router.post(
    "/work-ability/health-checks/{check_id}/content",
    response={200: HealthCheckOut, **E},
    operation_id="workability_health_check_content",
)
def health_check_content(
    request: HttpRequest, check_id: uuid.UUID, body: ContentIn
) -> HealthCheckOut:
    """The check's content (the checking unit's health professionals)."""
    _require(request, Perm.CASEWORK_WRITE)
    check = _check_of(request, check_id, "can_record_content")
    try:
        done = services.health_check_content_record(
            actor=acting_user(request), check=check, **body.dict()
        )
    except PermissionDenied:
        raise Http404("No such health check.") from None
    return _check(done, True)
