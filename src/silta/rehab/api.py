"""Rehabilitative work activity API: the same selectors, services, scoping and access
log as the pages. A placement outside the user's scope answers 404; an attendance
problem answers 400 with a field per day naming the rule."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.core.schemas import Schema
from silta.rehab import selectors, services
from silta.rehab.attendance import DayEntry
from silta.rehab.models import FeeClaim, Placement
from silta.rehab.statements import StatementData, parse_month

router = Router(tags=["rehab"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class PlacementOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    provider_id: uuid.UUID
    work_site: str
    start_on: dt.date
    planned_end_on: dt.date
    ended_on: dt.date | None
    days_per_week: int
    hours_per_day: Decimal


class PlacementDetailOut(PlacementOut):
    phone: str
    email: str
    plan_goals: str
    access_basis: str


def _placement(p: Placement) -> dict[str, object]:
    return {
        "id": p.pk,
        "client_id": p.client_id,
        "client_name": f"{p.client.last_name}, {p.client.first_names}",
        "provider_id": p.provider_id,
        "work_site": p.work_site.name,
        "start_on": p.start_on,
        "planned_end_on": p.planned_end_on,
        "ended_on": p.ended_on,
        "days_per_week": p.days_per_week,
        "hours_per_day": p.hours_per_day,
    }


@router.get(
    "/rehab/placements", response={200: list[PlacementOut]} | E, operation_id="rehab_placements"
)
def placements_list(request: HttpRequest, status: str = "active") -> list[PlacementOut]:
    """The placements the user may see (logged once)."""
    _require(request, Perm.REHAB_STATEMENT_VIEW)
    data = selectors.placements_for(
        actor=acting_user(request), status=status, path=request.get_full_path()
    )
    return [PlacementOut(**_placement(p)) for p in data.placements]  # type: ignore[arg-type]


@router.get(
    "/rehab/placements/{placement_id}",
    response={200: PlacementDetailOut} | E,
    operation_id="rehab_placement_get",
)
def placement_get(request: HttpRequest, placement_id: uuid.UUID) -> PlacementDetailOut:
    _require(request, Perm.REHAB_STATEMENT_VIEW)
    view = selectors.placement_get_for(
        actor=acting_user(request), placement_id=placement_id, path=request.path
    )
    p = view.placement
    return PlacementDetailOut(
        **_placement(p),  # type: ignore[arg-type]
        phone=p.client.phone,
        email=p.client.email,
        plan_goals=view.plan_goals,
        access_basis=view.grant.basis,
    )


class DayIn(Schema):
    day: dt.date
    status: str
    hours: Decimal | None = None
    absence_reason: str = ""


class RehabAttendanceIn(Schema):
    days: list[DayIn]


class DayOut(Schema):
    day: dt.date
    present: bool
    hours: Decimal | None
    absence_reason: str
    correction: bool
    billed: bool


@router.get(
    "/rehab/placements/{placement_id}/attendance",
    response={200: list[DayOut]} | E,
    operation_id="rehab_attendance_week",
)
def attendance_week(
    request: HttpRequest, placement_id: uuid.UUID, week: dt.date | None = None
) -> list[DayOut]:
    """One week (Monday to Sunday) of the placement's attendance (logged once)."""
    _require(request, Perm.REHAB_STATEMENT_VIEW)
    view = selectors.placement_get_for(
        actor=acting_user(request), placement_id=placement_id, week=week, path=request.path
    )
    return [
        DayOut(
            day=d.day,
            present=d.row.present,
            hours=d.row.hours,
            absence_reason=d.row.absence_reason,
            correction=d.row.corrects_id is not None,
            billed=d.billed,
        )
        for d in view.week
        if d.row is not None
    ]


class SavedOut(Schema):
    saved: int


@router.post(
    "/rehab/placements/{placement_id}/attendance",
    response={200: SavedOut} | E,
    operation_id="rehab_attendance_record",
)
def attendance_record(
    request: HttpRequest, placement_id: uuid.UUID, body: RehabAttendanceIn
) -> SavedOut:
    """Record days; every rule is checked first and nothing is saved on a problem."""
    _require(request, Perm.REHAB_ATTENDANCE)
    actor = acting_user(request)
    placement, _grant = selectors.placement_for_action(
        actor=actor, placement_id=placement_id, perm=Perm.REHAB_ATTENDANCE
    )
    entries = [
        DayEntry(
            d.day, d.status == "present", d.hours, d.absence_reason if d.status != "present" else ""
        )
        for d in body.days
    ]
    bad = [d for d in body.days if d.status not in {"present", "absent"}]
    if bad:
        raise ValidationError(
            {
                d.day.isoformat(): ValidationError(
                    "The status must be present or absent.", code="rehab.attendance.bad_line"
                )
                for d in bad
            }
        )
    rows = services.attendance_record(actor=actor, placement=placement, entries=entries)
    return SavedOut(saved=len(rows))


class ClaimIn(Schema):
    note: str = ""


class ClaimOut(Schema):
    id: uuid.UUID
    placement_id: uuid.UUID
    status: str
    version: int


def _claim(c: FeeClaim) -> ClaimOut:
    return ClaimOut(id=c.pk, placement_id=c.placement_id, status=c.status, version=c.version)


@router.post(
    "/rehab/placements/{placement_id}/fee-claims",
    response={201: ClaimOut} | E,
    operation_id="rehab_fee_claim",
)
def fee_claim(request: HttpRequest, placement_id: uuid.UUID, body: ClaimIn) -> tuple[int, ClaimOut]:
    _require(request, Perm.REHAB_FEE_CLAIM)
    actor = acting_user(request)
    placement, _grant = selectors.placement_for_action(
        actor=actor, placement_id=placement_id, perm=Perm.REHAB_FEE_CLAIM
    )
    return 201, _claim(services.fee_claim_create(actor=actor, placement=placement, note=body.note))


class FeeDecisionIn(Schema):
    to_status: str
    version: int
    reason: str = ""


@router.post(
    "/rehab/fee-claims/{claim_id}/decision",
    response={200: ClaimOut} | E,
    operation_id="rehab_fee_decide",
)
def fee_decide(request: HttpRequest, claim_id: uuid.UUID, body: FeeDecisionIn) -> ClaimOut:
    _require(request, Perm.REHAB_FEE_VERIFY)
    actor = acting_user(request)
    claim, grant = selectors.fee_claim_get_for(actor=actor, claim_id=claim_id, path=request.path)
    if grant.is_provider:
        raise Http404("No such claim.")
    return _claim(
        services.fee_claim_decide(
            actor=actor,
            claim=claim,
            version=body.version,
            to_status=body.to_status,
            reason=body.reason,
        )
    )


class LineOut(Schema):
    kind: str
    placement_id: uuid.UUID
    client_name: str
    contract_version: int
    days: int
    unit_price: Decimal
    amount: Decimal


class StatementOut(Schema):
    organiser_id: uuid.UUID
    month: str
    approved: bool
    status: str
    number: int | None
    version: int
    invoice_reference: str
    participant_days: int
    attendance_eur: Decimal
    fees_eur: Decimal
    corrections_eur: Decimal
    total_eur: Decimal
    lines: list[LineOut]


def _statement(data: StatementData) -> StatementOut:
    return StatementOut(
        organiser_id=data.organiser.pk,
        month=f"{data.month:%Y-%m}",
        approved=data.is_approved,
        status=data.status,
        number=data.statement.number if data.statement is not None else None,
        version=data.statement.version if data.statement is not None else 0,
        invoice_reference=data.statement.invoice_reference if data.statement is not None else "",
        participant_days=data.participant_days,
        attendance_eur=data.attendance_eur,
        fees_eur=data.fees_eur,
        corrections_eur=data.corrections_eur,
        total_eur=data.total_eur,
        lines=[
            LineOut(
                kind=line.kind,
                placement_id=line.placement_id,
                client_name=line.client_name,
                contract_version=line.contract_version.number,
                days=line.days,
                unit_price=line.unit_price,
                amount=line.amount,
            )
            for line in data.lines
        ],
    )


@router.get(
    "/rehab/providers/{provider_id}/statements/{month}",
    response={200: list[StatementOut]} | E,
    operation_id="rehab_statements",
)
def statements(request: HttpRequest, provider_id: uuid.UUID, month: str) -> list[StatementOut]:
    """The provider's statements of the month (approved, or a preview); logged once."""
    _require(request, Perm.REHAB_STATEMENT_VIEW)
    the_month = parse_month(month)
    if the_month is None:
        raise Http404("No such month.")
    _provider, items, _grant = selectors.statements_for(
        actor=acting_user(request), provider_id=provider_id, month=the_month, path=request.path
    )
    return [_statement(d) for d in items]


class StatementActionIn(Schema):
    action: Literal["check", "approve", "send"]
    version: int = Field(ge=0, le=1_000_000)
    expected_total: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    invoice_reference: str = Field(default="", max_length=100)


class StatementActionOut(Schema):
    month: str
    status: str
    number: int | None
    version: int
    total_eur: Decimal
    invoice_reference: str


@router.post(
    "/rehab/providers/{provider_id}/statements/{month}/actions",
    response={200: StatementActionOut} | E,
    operation_id="rehab_statement_action",
)
def statement_action(
    request: HttpRequest, provider_id: uuid.UUID, month: str, body: StatementActionIn
) -> StatementActionOut:
    """Check, approve or send the statement of the actor's organisation (same rules as
    the page: an approved statement is locked, a stale version or total answers 409,
    nothing is written on any error)."""
    perm = Perm.REHAB_MANAGE if body.action == "check" else Perm.REHAB_STATEMENT_APPROVE
    _require(request, perm)
    the_month = parse_month(month)
    if the_month is None:
        raise Http404("No such month.")
    actor = acting_user(request)
    provider, grant = selectors.provider_get_for(actor=actor, provider_id=provider_id, perm=perm)
    if grant.is_provider:
        raise Http404("No such provider.")
    if body.action == "send":
        stored = services.statement_send(
            actor=actor,
            provider=provider,
            month=the_month,
            version=body.version,
            invoice_reference=body.invoice_reference,
        )
    else:
        if body.expected_total is None:
            raise ValidationError(
                {
                    "expected_total": ValidationError(
                        _("Give the total of the preview."), code="required"
                    )
                }
            )
        call = services.statement_check if body.action == "check" else services.statement_approve
        stored = call(
            actor=actor,
            provider=provider,
            month=the_month,
            version=body.version,
            expected_total=body.expected_total,
        )
    return StatementActionOut(
        month=f"{stored.month:%Y-%m}",
        status=stored.status,
        number=stored.number,
        version=stored.version,
        total_eur=stored.total_eur,
        invoice_reference=stored.invoice_reference,
    )
