"""Council initiatives API: the same selectors, services and authorization as the
pages. Coded errors: an illegal move answers 400 with its code, a stale answer 409."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from silta.accounts.decorators import acting_user
from silta.accounts.models import Organisation, User
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.core.schemas import Schema
from silta.initiatives import selectors, services
from silta.initiatives.errors import InitiativeError
from silta.initiatives.models import Initiative

router = Router(tags=["initiatives"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class PreparerOut(Schema):
    user_id: uuid.UUID
    name: str
    title: str


class FigureOut(Schema):
    key: str
    label: str
    value: str


class InitiativeSummaryOut(Schema):
    id: uuid.UUID
    title: str
    council_group: str
    submitted_on: dt.date
    status: str
    deadline: dt.date | None
    age_days: int
    overdue: bool


class InitiativeOut(InitiativeSummaryOut):
    organisation_id: uuid.UUID
    submitters: str
    text: str
    questions: str
    record_number: str
    preparers: list[PreparerOut]
    answer: str
    figures_year: int | None
    figures: list[FigureOut]
    board_meeting: str
    board_meeting_on: dt.date | None
    board_section: int | None
    board_decision: str
    council_meeting: str
    council_meeting_on: dt.date | None
    council_section: int | None
    version: int


def _out(actor: User, initiative_id: uuid.UUID) -> InitiativeOut:
    view = selectors.initiative_get_for(actor=actor, initiative_id=initiative_id)
    i = view.initiative
    return InitiativeOut(
        id=i.pk, title=i.title, council_group=i.council_group, submitted_on=i.submitted_on,
        status=i.status, deadline=i.deadline, age_days=view.age_days, overdue=view.overdue,
        organisation_id=i.organisation_id, submitters=i.submitters, text=i.text,
        questions=i.questions, record_number=i.record_number,
        preparers=[
            PreparerOut(user_id=p.user_id, name=p.user.get_full_name(), title=p.title)
            for p in i.preparers.all()
        ],
        answer=i.answer, figures_year=i.figures_year,
        figures=[FigureOut(key=k, label=label, value=v) for k, label, v in view.figures],
        board_meeting=i.board_meeting, board_meeting_on=i.board_meeting_on,
        board_section=i.board_section, board_decision=i.board_decision,
        council_meeting=i.council_meeting, council_meeting_on=i.council_meeting_on,
        council_section=i.council_section, version=i.version,
    )  # fmt: skip


def _get(actor: User, initiative_id: uuid.UUID) -> Initiative:
    return selectors.initiative_for_action(actor=actor, initiative_id=initiative_id)


@router.get(
    "/initiatives",
    response={200: list[InitiativeSummaryOut]} | E,
    operation_id="initiatives_list",
)
def initiatives_list(request: HttpRequest, all: bool = False) -> list[InitiativeSummaryOut]:
    """Council initiatives (open ones unless ``all``), oldest first, with their age."""
    _require(request, Perm.INITIATIVE_VIEW)
    rows = selectors.initiative_list_for(actor=acting_user(request), open_only=not all)
    return [
        InitiativeSummaryOut(
            id=r.initiative.pk,
            title=r.initiative.title,
            council_group=r.initiative.council_group,
            submitted_on=r.initiative.submitted_on,
            status=r.initiative.status,
            deadline=r.initiative.deadline,
            age_days=r.age_days,
            overdue=r.overdue,
        )
        for r in rows
    ]


@router.get(
    "/initiatives/{initiative_id}",
    response={200: InitiativeOut} | E,
    operation_id="initiatives_get",
)
def initiatives_get(request: HttpRequest, initiative_id: uuid.UUID) -> InitiativeOut:
    _require(request, Perm.INITIATIVE_VIEW)
    return _out(acting_user(request), initiative_id)


class InitiativeIn(Schema):
    organisation_id: uuid.UUID
    title: str
    submitted_on: dt.date
    council_group: str
    submitters: str = ""
    text: str
    questions: str = ""
    record_number: str = ""


@router.post("/initiatives", response={201: InitiativeOut} | E, operation_id="initiatives_submit")
def initiatives_submit(request: HttpRequest, payload: InitiativeIn) -> tuple[int, InitiativeOut]:
    _require(request, Perm.INITIATIVE_MANAGE)
    actor = acting_user(request)
    data = payload.dict()
    organisation = get_object_or_404(Organisation, pk=data.pop("organisation_id"))
    initiative = services.initiative_submit(actor=actor, organisation=organisation, **data)
    return 201, _out(actor, initiative.pk)


class PreparerIn(Schema):
    user_id: uuid.UUID
    title: str = ""


class PreparationIn(Schema):
    preparers: list[PreparerIn]
    deadline: dt.date
    on: dt.date | None = None


@router.post(
    "/initiatives/{initiative_id}/preparation",
    response={200: InitiativeOut} | E,
    operation_id="initiatives_send_to_preparation",
)
def initiatives_preparation(
    request: HttpRequest, initiative_id: uuid.UUID, payload: PreparationIn
) -> InitiativeOut:
    _require(request, Perm.INITIATIVE_MANAGE)
    actor = acting_user(request)
    users = {u.pk: u for u in User.objects.filter(pk__in=[p.user_id for p in payload.preparers])}
    if len(users) != len({p.user_id for p in payload.preparers}):
        raise ValidationError(
            {"preparers": ValidationError("Unknown user.", code=InitiativeError.PREPARER_INVALID)}
        )
    services.initiative_send_to_preparation(
        actor=actor,
        initiative=_get(actor, initiative_id),
        preparers=[(users[p.user_id], p.title) for p in payload.preparers],
        deadline=payload.deadline,
        on=payload.on,
    )
    return _out(actor, initiative_id)


class AnswerIn(Schema):
    answer: str
    version: int


@router.put(
    "/initiatives/{initiative_id}/answer",
    response={200: InitiativeOut} | E,
    operation_id="initiatives_answer_write",
)
def initiatives_answer(
    request: HttpRequest, initiative_id: uuid.UUID, payload: AnswerIn
) -> InitiativeOut:
    """A preparer writes the answer (``version`` from the last read; 409 when stale)."""
    _require(request, Perm.INITIATIVE_VIEW)
    actor = acting_user(request)
    services.initiative_answer_write(
        actor=actor,
        initiative=_get(actor, initiative_id),
        answer=payload.answer,
        version=payload.version,
    )
    return _out(actor, initiative_id)


class FiguresIn(Schema):
    year: int


@router.post(
    "/initiatives/{initiative_id}/figures",
    response={200: InitiativeOut} | E,
    operation_id="initiatives_figures_pull",
)
def initiatives_figures(
    request: HttpRequest, initiative_id: uuid.UUID, payload: FiguresIn
) -> InitiativeOut:
    """Pull the region's yearly figures (the council answer report) into the answer."""
    _require(request, Perm.INITIATIVE_VIEW)
    actor = acting_user(request)
    services.initiative_figures_pull(
        actor=actor, initiative=_get(actor, initiative_id), year=payload.year
    )
    return _out(actor, initiative_id)


class DecisionIn(Schema):
    meeting: str
    meeting_on: dt.date
    section: int
    decision: str = ""


@router.post(
    "/initiatives/{initiative_id}/board-answer",
    response={200: InitiativeOut} | E,
    operation_id="initiatives_board_answer",
)
def initiatives_board(
    request: HttpRequest, initiative_id: uuid.UUID, payload: DecisionIn
) -> InitiativeOut:
    _require(request, Perm.INITIATIVE_MANAGE)
    actor = acting_user(request)
    services.initiative_board_answer(
        actor=actor, initiative=_get(actor, initiative_id), **payload.dict()
    )
    return _out(actor, initiative_id)


@router.post(
    "/initiatives/{initiative_id}/council-noting",
    response={200: InitiativeOut} | E,
    operation_id="initiatives_council_note",
)
def initiatives_council(
    request: HttpRequest, initiative_id: uuid.UUID, payload: DecisionIn
) -> InitiativeOut:
    _require(request, Perm.INITIATIVE_MANAGE)
    actor = acting_user(request)
    services.initiative_council_note(
        actor=actor, initiative=_get(actor, initiative_id), **payload.dict()
    )
    return _out(actor, initiative_id)
