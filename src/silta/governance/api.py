"""Governance API: the same selectors, services, authorization and access log as the
pages. Coded errors; a stale version answers 409 and nothing is written."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.core.schemas import Schema
from silta.governance import selectors, services
from silta.governance.errors import GovernanceError as GE
from silta.governance.models import AgendaItem, AgreementVersion, Meeting
from silta.places.models import Municipality

router = Router(tags=["governance"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


# --- strategic agreement -------------------------------------------------------------


class VersionCountOut(Schema):
    version: int
    status: str
    approved: int
    parties: int


class DecisionOut(Schema):
    version: int
    decision: str
    body: str
    meeting_date: dt.date
    section_number: int
    record_number: str


class BoardRowOut(Schema):
    municipality_code: str
    decisions: list[DecisionOut]


class BoardOut(Schema):
    agreement_id: uuid.UUID
    versions: list[VersionCountOut]
    municipalities: list[BoardRowOut]


@router.get(
    "/governance/agreements/{agreement_id}/board",
    response={200: BoardOut} | E,
    operation_id="agreement_board",
)
def agreement_board(request: HttpRequest, agreement_id: uuid.UUID) -> BoardOut:
    """How many of the party municipalities have approved which version."""
    _require(request, Perm.GOVERNANCE_VIEW)
    view = selectors.agreement_get_for(actor=acting_user(request), agreement_id=agreement_id)
    return BoardOut(
        agreement_id=view.agreement.pk,
        versions=[
            VersionCountOut(
                version=c.version.number,
                status=c.version.status,
                approved=c.approved,
                parties=c.parties,
            )
            for c in view.counts
        ],
        municipalities=[
            BoardRowOut(
                municipality_code=row.municipality.code,
                decisions=[
                    DecisionOut(
                        version=d.version.number,
                        decision=d.decision,
                        body=d.body,
                        meeting_date=d.meeting_date,
                        section_number=d.section_number,
                        record_number=d.record_number,
                    )
                    for d in row.decisions
                    if d is not None
                ],
            )
            for row in view.board
        ],
    )


class ApprovalIn(Schema):
    version: int
    municipality_code: str
    body: str
    meeting_date: dt.date
    section_number: int
    decision: str
    record_number: str
    decision_text: str = ""


class ApprovalOut(Schema):
    id: uuid.UUID
    version: int
    municipality_code: str
    decision: str
    meeting_date: dt.date
    section_number: int
    record_number: str


@router.post(
    "/governance/agreements/{agreement_id}/approvals",
    response={201: ApprovalOut} | E,
    operation_id="approvals_create",
)
def approvals_create(
    request: HttpRequest, agreement_id: uuid.UUID, body: ApprovalIn
) -> tuple[int, ApprovalOut]:
    """Record a municipality's decision on a version (a municipality outside the
    agreement, a future or too early meeting date, a malformed record number: 400)."""
    _require(request, Perm.GOVERNANCE_MANAGE)
    actor = acting_user(request)
    agreement = selectors.agreement_get_or_404(actor=actor, agreement_id=agreement_id)
    version = AgreementVersion.objects.filter(agreement=agreement, number=body.version).first()
    if version is None:
        raise ValidationError(
            {"version": ValidationError("No such version.", code=GE.REQUIRED.value)}
        )
    municipality = Municipality.objects.filter(code=body.municipality_code).first()
    if municipality is None:
        raise ValidationError(
            {
                "municipality_code": ValidationError(
                    "Unknown municipality code.", code=GE.OUTSIDE_AGREEMENT.value
                )
            }
        )
    try:
        a = services.approval_record(
            actor=actor,
            version=version,
            municipality=municipality,
            body=body.body,
            meeting_date=body.meeting_date,
            section_number=body.section_number,
            decision=body.decision,
            record_number=body.record_number,
            decision_text=body.decision_text,
        )
    except services.NotTheMunicipalitys as exc:
        return 403, ErrorOut(code=exc.code.value, message=exc.message)  # type: ignore[return-value]
    return 201, ApprovalOut(
        id=a.pk,
        version=version.number,
        municipality_code=municipality.code,
        decision=a.decision,
        meeting_date=a.meeting_date,
        section_number=a.section_number,
        record_number=a.record_number,
    )


class IndicatorIn(Schema):
    title: str
    target: Decimal
    period_start: dt.date
    period_end: dt.date
    direction: str = "at_least"
    statistic: str = ""
    manual_value: Decimal | None = None
    manual_value_on: dt.date | None = None


class IndicatorOut(Schema):
    id: uuid.UUID
    title: str
    target: Decimal
    direction: str
    period_start: dt.date
    period_end: dt.date
    statistic: str
    value: Decimal | None
    as_of: dt.date | None
    met: bool | None


def _indicator(iv: selectors.IndicatorValue) -> IndicatorOut:
    i = iv.indicator
    return IndicatorOut(
        id=i.pk,
        title=i.title,
        target=i.target,
        direction=i.direction,
        period_start=i.period_start,
        period_end=i.period_end,
        statistic=i.statistic,
        value=Decimal(iv.value) if iv.value is not None else None,
        as_of=iv.as_of,
        met=iv.met,
    )


@router.post(
    "/governance/goals/{goal_id}/indicators",
    response={201: IndicatorOut} | E,
    operation_id="indicators_create",
)
def indicators_create(
    request: HttpRequest, goal_id: uuid.UUID, body: IndicatorIn
) -> tuple[int, IndicatorOut]:
    """An indicator linked to a named statistic (unknown names: 400
    ``indicator.unknown_statistic``) or with a value recorded by hand."""
    _require(request, Perm.GOVERNANCE_MANAGE)
    actor = acting_user(request)
    goal = selectors.goal_for_action(actor=actor, goal_id=goal_id)
    indicator = services.indicator_add(actor=actor, goal=goal, **body.dict())
    return 201, _indicator(selectors.indicator_value_of(indicator))


@router.get(
    "/governance/indicators/{indicator_id}",
    response={200: IndicatorOut} | E,
    operation_id="indicators_get",
)
def indicators_get(request: HttpRequest, indicator_id: uuid.UUID) -> IndicatorOut:
    _require(request, Perm.GOVERNANCE_VIEW)
    return _indicator(
        selectors.indicator_get_for(actor=acting_user(request), indicator_id=indicator_id)
    )


# --- action items ----------------------------------------------------------------------


class ActionOut(Schema):
    id: uuid.UUID
    title: str
    body: str
    meeting_id: uuid.UUID
    owner: str
    due_on: dt.date
    status: str


@router.get(
    "/governance/actions/overdue",
    response={200: list[ActionOut]} | E,
    operation_id="actions_overdue",
)
def actions_overdue(request: HttpRequest, mine: bool = False) -> list[ActionOut]:
    _require(request, Perm.GOVERNANCE_VIEW)
    rows = selectors.overdue_actions_for(actor=acting_user(request), own_only=mine)
    return [
        ActionOut(
            id=a.pk,
            title=a.title,
            body=a.meeting.body.name,
            meeting_id=a.meeting_id,
            owner=a.owner.username,
            due_on=a.due_on,
            status=a.status,
        )
        for a in rows
    ]


# --- the work ability network ----------------------------------------------------------


class NetworkReferralIn(Schema):
    reason: str
    questions: str = ""
    plan_id: uuid.UUID | None = None


class ConsultationOut(Schema):
    meeting_date: dt.date
    outcome: str
    recommendations: str
    plan_id: uuid.UUID | None
    plan_version: int | None


class CaseOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    status: str
    version: int
    referred_at: dt.datetime
    reason: str
    plan_id: uuid.UUID | None
    access_basis: str = ""
    consultations: list[ConsultationOut] = []


@router.post(
    "/clients/{client_id}/network-referrals",
    response={201: CaseOut} | E,
    operation_id="network_referrals_create",
)
def network_referrals_create(
    request: HttpRequest, client_id: uuid.UUID, body: NetworkReferralIn
) -> tuple[int, CaseOut]:
    """Refer a client to the work ability network (the referrer's organisation works
    with the client; otherwise 404)."""
    _require(request, Perm.NETWORK_REFER)
    actor = acting_user(request)
    ctx = selectors.network_referral_context_for(
        actor=actor, client_id=client_id, path=request.get_full_path()
    )
    if ctx.network is None:
        raise ValidationError(
            {"network": ValidationError("There is no work ability network.", code=GE.REQUIRED)}
        )
    case = services.network_refer(
        actor=actor,
        client=ctx.client,
        network=ctx.network,
        reason=body.reason,
        questions=body.questions,
        plan_id=body.plan_id,
    )
    return 201, CaseOut(
        id=case.pk,
        client_id=case.client_id,
        status=case.status,
        version=case.version,
        referred_at=case.referred_at,
        reason=case.reason,
        plan_id=case.plan_id,
    )


@router.get(
    "/governance/network/cases/{case_id}",
    response={200: CaseOut} | E,
    operation_id="network_cases_get",
)
def network_cases_get(request: HttpRequest, case_id: uuid.UUID) -> CaseOut:
    """A case for the network's coordinators and the referring organisation (logged)."""
    _require(request, Perm.NETWORK_REFER)
    view = selectors.network_case_get_for(
        actor=acting_user(request), case_id=case_id, path=request.path
    )
    c = view.case
    return CaseOut(
        id=c.pk,
        client_id=c.client_id,
        status=c.status,
        version=c.version,
        referred_at=c.referred_at,
        reason=c.reason,
        plan_id=c.plan_id,
        access_basis=view.grant.basis,
        consultations=[
            ConsultationOut(
                meeting_date=item.meeting.held_on,
                outcome=cons.outcome,
                recommendations=cons.recommendations,
                plan_id=cons.plan_id,
                plan_version=cons.plan_version,
            )
            for item, cons in view.items
            if cons is not None
        ],
    )


class ScheduleIn(Schema):
    meeting_id: uuid.UUID
    version: int


class AgendaItemOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    number: int


@router.post(
    "/governance/network/cases/{case_id}/schedule",
    response={201: AgendaItemOut} | E,
    operation_id="network_cases_schedule",
)
def network_cases_schedule(
    request: HttpRequest, case_id: uuid.UUID, body: ScheduleIn
) -> tuple[int, AgendaItemOut]:
    """Put a case on a planned meeting's agenda (a full agenda: 400
    ``network.agenda_full``; a stale version: 409)."""
    _require(request, Perm.NETWORK_MANAGE)
    actor = acting_user(request)
    case = selectors.network_case_for_action(actor=actor, case_id=case_id)
    meeting = Meeting.objects.filter(pk=body.meeting_id).first()
    if meeting is None:
        raise ValidationError(
            {"meeting_id": ValidationError("No such meeting.", code=GE.NOT_NETWORK_MEETING)}
        )
    item = services.network_case_schedule(
        actor=actor, case=case, meeting=meeting, version=body.version
    )
    return 201, AgendaItemOut(id=item.pk, meeting_id=meeting.pk, number=item.number)


class ConsultationIn(Schema):
    outcome: str
    recommendations: str
    plan_id: uuid.UUID
    plan_version: int
    next_review_on: dt.date | None = None


@router.post(
    "/governance/network/items/{item_id}/consultation",
    response={201: ConsultationOut} | E,
    operation_id="network_consultations_create",
)
def network_consultations_create(
    request: HttpRequest, item_id: uuid.UUID, body: ConsultationIn
) -> tuple[int, ConsultationOut]:
    """Record the network's outcome and recommendations and write them to the plan as a
    new version (a stale plan version: 409, nothing written)."""
    _require(request, Perm.NETWORK_MANAGE)
    ctx = selectors.consultation_context_for(actor=acting_user(request), item_id=item_id, log=False)
    item: AgendaItem = ctx.item
    c = services.consultation_record(
        actor=acting_user(request),
        agenda_item=item,
        outcome=body.outcome,
        recommendations=body.recommendations,
        plan_id=body.plan_id,
        plan_version=body.plan_version,
        next_review_on=body.next_review_on,
    )
    return 201, ConsultationOut(
        meeting_date=item.meeting.held_on,
        outcome=c.outcome,
        recommendations=c.recommendations,
        plan_id=c.plan_id,
        plan_version=c.plan_version,
    )


class NetworkYearOut(Schema):
    year: int
    meetings: int
    clients: int
    new_referrals: int


@router.get(
    "/governance/network/years",
    response={200: list[NetworkYearOut]} | E,
    operation_id="network_years",
)
def network_years(request: HttpRequest) -> list[NetworkYearOut]:
    """Yearly counts of the network (aggregates, no personal data)."""
    return [
        NetworkYearOut(year=y.year, meetings=y.meetings, clients=y.clients,
                       new_referrals=y.new_referrals)
        for y in selectors.network_years(actor=acting_user(request))
    ]  # fmt: skip
