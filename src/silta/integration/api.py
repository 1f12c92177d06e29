"""Integration services API: the same selectors, services, authorization and access
log as the pages. Edits carry ``version``; a stale one answers 409, bad input 400 with
the field's code, and nothing is written."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.core.schemas import Schema
from silta.integration import selectors, services
from silta.integration.models import InitialAssessment, IntegrationPlan, LanguageProfile

router = Router(tags=["integration"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class IntegrationLanguagesIn(Schema):
    mother_tongue: str = Field(max_length=3)
    other_languages: list[str] = Field(default_factory=list, max_length=20)
    interpreter_needed: bool = False
    interpreter_language: str = Field("", max_length=3)
    arrived_on: dt.date | None = None
    integration_client_since: dt.date | None = None
    in_programme: bool = False
    version: int | None = Field(None, ge=0, le=2_000_000_000)


class IntegrationLanguagesOut(Schema):
    mother_tongue: str
    other_languages: list[str]
    interpreter_needed: bool
    interpreter_language: str
    arrived_on: dt.date | None
    integration_client_since: dt.date | None
    in_programme: bool
    version: int


def _languages(p: LanguageProfile) -> IntegrationLanguagesOut:
    return IntegrationLanguagesOut(
        mother_tongue=p.mother_tongue,
        other_languages=list(p.other_languages),
        interpreter_needed=p.interpreter_needed,
        interpreter_language=p.interpreter_language,
        arrived_on=p.arrived_on,
        integration_client_since=p.integration_client_since,
        in_programme=p.in_programme,
        version=p.version,
    )


class InitialAssessmentIn(Schema):
    client_since: dt.date
    assessed_on: dt.date
    finnish_level: str = Field(max_length=10)
    swedish_level: str = Field(max_length=10)
    english_level: str = Field(max_length=10)
    education: str = Field(max_length=20)
    service_need: str = Field(max_length=5000)
    education_text: str = Field("", max_length=5000)
    work_history: str = Field("", max_length=5000)
    literacy_training_needed: bool = False
    interpreter_used: bool = False


class InitialAssessmentOut(Schema):
    id: uuid.UUID
    client_since: dt.date
    assessed_on: dt.date
    days_from_start: int
    finnish_level: str
    swedish_level: str
    english_level: str
    education: str
    interpreter_used: bool


def _assessment(a: InitialAssessment) -> InitialAssessmentOut:
    return InitialAssessmentOut(
        id=a.pk,
        client_since=a.client_since,
        assessed_on=a.assessed_on,
        days_from_start=a.days_from_start,
        finnish_level=a.finnish_level,
        swedish_level=a.swedish_level,
        english_level=a.english_level,
        education=a.education,
        interpreter_used=a.interpreter_used,
    )


class IntegrationPlanIn(Schema):
    starts_on: dt.date
    ends_on: dt.date
    goals: str = Field(max_length=5000)
    language_training: bool = False
    language_training_text: str = Field("", max_length=5000)
    other_services: str = Field("", max_length=5000)
    interpreter_used: bool = False


class IntegrationPlanOut(Schema):
    id: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date
    language_training: bool
    outcome: str
    closed_on: dt.date | None
    version: int


def _plan(p: IntegrationPlan) -> IntegrationPlanOut:
    return IntegrationPlanOut(
        id=p.pk,
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        language_training=p.language_training,
        outcome=p.outcome,
        closed_on=p.closed_on,
        version=p.version,
    )


class IntegrationFileOut(Schema):
    languages: IntegrationLanguagesOut | None
    state_funded_until: dt.date | None
    initial_assessments: list[InitialAssessmentOut]
    plans: list[IntegrationPlanOut]


@router.get(
    "/clients/{client_id}/integration",
    response={200: IntegrationFileOut} | E,
    operation_id="integration_get",
)
def integration_get(request: HttpRequest, client_id: uuid.UUID) -> IntegrationFileOut:
    _require(request, Perm.CASEWORK_VIEW)
    f = selectors.integration_file_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )
    return IntegrationFileOut(
        languages=_languages(f.profile) if f.profile else None,
        state_funded_until=f.state_funded_until,
        initial_assessments=[_assessment(a) for a in f.assessments],
        plans=[_plan(p) for p in f.plans],
    )


@router.put(
    "/clients/{client_id}/integration/languages",
    response={200: IntegrationLanguagesOut} | E,
    operation_id="integration_languages_save",
)
def integration_languages_save(
    request: HttpRequest, client_id: uuid.UUID, body: IntegrationLanguagesIn
) -> IntegrationLanguagesOut:
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    client = selectors.integration_client_for(actor=actor, client_id=client_id)
    return _languages(services.language_profile_save(actor=actor, client=client, **body.dict()))


@router.post(
    "/clients/{client_id}/integration/initial-assessments",
    response={201: InitialAssessmentOut} | E,
    operation_id="integration_assessments_create",
)
def integration_assessments_create(
    request: HttpRequest, client_id: uuid.UUID, body: InitialAssessmentIn
) -> tuple[int, InitialAssessmentOut]:
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    client = selectors.integration_client_for(actor=actor, client_id=client_id)
    a = services.initial_assessment_sign(actor=actor, client=client, **body.dict())
    return 201, _assessment(a)


@router.post(
    "/clients/{client_id}/integration/plans",
    response={201: IntegrationPlanOut} | E,
    operation_id="integration_plans_create",
)
def integration_plans_create(
    request: HttpRequest, client_id: uuid.UUID, body: IntegrationPlanIn
) -> tuple[int, IntegrationPlanOut]:
    _require(request, Perm.CASEWORK_WRITE)
    actor = acting_user(request)
    client = selectors.integration_client_for(actor=actor, client_id=client_id)
    return 201, _plan(services.integration_plan_create(actor=actor, client=client, **body.dict()))
