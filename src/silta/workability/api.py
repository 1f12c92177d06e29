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
from silta.workability.models import BenefitApplication

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


class PathOut(Schema):
    client_id: uuid.UUID
    steps: list[PathStepOut]
    results: list[PathResultOut]
    applications: list[PathApplicationOut]
    hidden_results: int
    hidden_applications: int


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


def _application(a: BenefitApplication, overdue: bool = False) -> PathApplicationOut:
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
        applications=[_application(v.application, v.overdue) for v in p.applications],
        hidden_results=p.hidden_results,
        hidden_applications=p.hidden_applications,
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
