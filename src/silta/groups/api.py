"""Group activities API: the same selectors, services, scoping and access log as the
pages. A group the user does not run answers without participants (reads) or 404
(writes); an attendance problem answers 400 with a field per participant naming the
rule; a stale correction 409."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from silta.accounts.decorators import acting_user
from silta.accounts.models import Organisation, User
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.clients.models import Client
from silta.core.schemas import Schema
from silta.groups import selectors, services
from silta.groups.errors import GroupError
from silta.groups.models import Group, GroupSession, Participant
from silta.places.models import Municipality

router = Router(tags=["groups"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class GroupSummaryOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    municipality_code: str
    place: str
    weekdays: list[int]
    start_time: dt.time
    duration_minutes: int
    period_start: dt.date
    period_end: dt.date | None
    capacity: int
    participants_now: int
    is_active: bool
    leader_organisation_id: uuid.UUID


class GroupPageOut(Schema):
    items: list[GroupSummaryOut]
    page: int
    pages: int
    count: int


class ParticipantOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    name: str
    joined_on: dt.date
    left_on: dt.date | None
    leave_reason: str
    version: int


class SessionOut(Schema):
    id: uuid.UUID
    date: dt.date
    start_time: dt.time
    duration_minutes: int
    place: str
    status: str
    cancel_reason: str
    version: int


class GroupOut(GroupSummaryOut):
    description: str
    organiser_id: uuid.UUID
    leader_ids: list[uuid.UUID]
    version: int
    runs_it: bool
    participants: list[ParticipantOut]
    sessions: list[SessionOut]


def _summary(g: Group, now: int) -> dict[str, object]:
    return {
        "id": g.pk, "name": g.name, "kind": g.kind, "municipality_code": g.municipality.code,
        "place": g.place, "weekdays": list(g.weekdays), "start_time": g.start_time,
        "duration_minutes": g.duration_minutes, "period_start": g.period_start,
        "period_end": g.period_end, "capacity": g.capacity, "participants_now": now,
        "is_active": g.is_active, "leader_organisation_id": g.leader_organisation_id,
    }  # fmt: skip


def _participant(p: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=p.pk, client_id=p.client_id, name=f"{p.client.last_name}, {p.client.first_names}",
        joined_on=p.joined_on, left_on=p.left_on, leave_reason=p.leave_reason, version=p.version,
    )  # fmt: skip


def _session(s: GroupSession) -> SessionOut:
    return SessionOut(
        id=s.pk, date=s.date, start_time=s.start_time, duration_minutes=s.duration_minutes,
        place=s.place, status=s.status, cancel_reason=s.cancel_reason, version=s.version,
    )  # fmt: skip


def _out(request: HttpRequest, group_id: uuid.UUID) -> GroupOut:
    view = selectors.group_get_for(
        actor=acting_user(request), group_id=group_id, path=request.get_full_path()
    )
    g = view.group
    return GroupOut(
        **_summary(g, view.active_count),  # type: ignore[arg-type]
        description=g.description,
        organiser_id=g.organiser_id,
        leader_ids=[u.pk for u in g.leaders.all()],
        version=g.version,
        runs_it=view.can_run,
        participants=[_participant(r.participant) for r in view.participants],
        sessions=[_session(s) for s in view.sessions],
    )


class ListIn(Schema):
    q: str = ""
    page: int = 1
    mine: bool = False
    all: bool = False


@router.get("/groups", response={200: GroupPageOut} | E, operation_id="groups_list")
def groups_list(request: HttpRequest, filters: Query[ListIn]) -> GroupPageOut:
    """Groups (active ones unless ``all``) with their number of participants today."""
    _require(request, Perm.GROUPS_VIEW)
    page = selectors.group_list_for(
        actor=acting_user(request), text=filters.q[:100], page=max(min(filters.page, 10**6), 1),
        mine=filters.mine, active_only=not filters.all,
    )  # fmt: skip
    return GroupPageOut(
        items=[GroupSummaryOut(**_summary(r.group, r.participants_now)) for r in page.object_list],  # type: ignore[arg-type]
        page=page.number,
        pages=page.paginator.num_pages,
        count=page.paginator.count,
    )


@router.get("/groups/{group_id}", response={200: GroupOut} | E, operation_id="groups_get")
def groups_get(request: HttpRequest, group_id: uuid.UUID) -> GroupOut:
    """A group with its sessions; its participants for those who run it (logged)."""
    _require(request, Perm.GROUPS_VIEW)
    return _out(request, group_id)


class GroupIn(Schema):
    name: str
    kind: str
    description: str = ""
    leader_organisation_id: uuid.UUID
    leader_ids: list[uuid.UUID] = []
    municipality_code: str
    place: str
    weekdays: list[int]
    start_time: dt.time
    duration_minutes: int
    period_start: dt.date
    period_end: dt.date | None = None
    capacity: int
    is_active: bool = True


class GroupCreateIn(GroupIn):
    organiser_id: uuid.UUID


class GroupUpdateIn(GroupIn):
    version: int


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=GroupError.INVALID)})


def _data(payload: GroupIn) -> services.GroupData:
    org = Organisation.objects.filter(pk=payload.leader_organisation_id).first()
    if org is None:
        raise _invalid("leader_organisation_id", "Unknown organisation.")
    municipality = Municipality.objects.filter(code=payload.municipality_code).first()
    if municipality is None:
        raise _invalid("municipality_code", "Unknown municipality.")
    ids = set(payload.leader_ids)
    leaders = list(User.objects.filter(pk__in=ids))
    if len(leaders) != len(ids):
        raise _invalid("leader_ids", "Unknown user.")
    return services.GroupData(
        name=payload.name, kind=payload.kind, description=payload.description,
        leader_organisation=org, leaders=leaders, municipality=municipality,
        place=payload.place, weekdays=payload.weekdays, start_time=payload.start_time,
        duration_minutes=payload.duration_minutes, period_start=payload.period_start,
        period_end=payload.period_end, capacity=payload.capacity, is_active=payload.is_active,
    )  # fmt: skip


@router.post("/groups", response={201: GroupOut} | E, operation_id="groups_create")
def groups_create(request: HttpRequest, payload: GroupCreateIn) -> tuple[int, GroupOut]:
    _require(request, Perm.GROUPS_MANAGE)
    organiser = get_object_or_404(Organisation, pk=payload.organiser_id)
    group = services.group_create(
        actor=acting_user(request), organiser=organiser, data=_data(payload)
    )
    return 201, _out(request, group.pk)


@router.put("/groups/{group_id}", response={200: GroupOut} | E, operation_id="groups_update")
def groups_update(request: HttpRequest, group_id: uuid.UUID, payload: GroupUpdateIn) -> GroupOut:
    """Edit a group (``version`` from the last read; 409 when stale)."""
    _require(request, Perm.GROUPS_MANAGE)
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    services.group_update(actor=actor, group=group, data=_data(payload), version=payload.version)
    return _out(request, group_id)


class ParticipantIn(Schema):
    client_id: uuid.UUID
    joined_on: dt.date
    intake_met_on: dt.date | None = None
    intake_in_person: bool = False
    left_on: dt.date | None = None


@router.post(
    "/groups/{group_id}/participants",
    response={201: ParticipantOut} | E,
    operation_id="groups_participant_add",
)
def groups_participant_add(
    request: HttpRequest, group_id: uuid.UUID, payload: ParticipantIn
) -> tuple[int, ParticipantOut]:
    """Add a client the user may see; refused when the group is full."""
    _require(request, Perm.GROUPS_MANAGE)
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    client = Client.objects.filter(pk=payload.client_id).first()
    if client is None:
        raise ValidationError(
            # the service's answer for a client the user may not see, word for word
            {
                "client": ValidationError(
                    _("No client you may see was found."), code=GroupError.CLIENT_UNKNOWN
                )
            }
        )
    p = services.participant_add(
        actor=actor, group=group, client=client, joined_on=payload.joined_on,
        left_on=payload.left_on, intake_met_on=payload.intake_met_on,
        intake_in_person=payload.intake_in_person,
    )  # fmt: skip
    # the answer names the client: read back through the logged selector
    p = selectors.participant_for_action(actor=actor, participant_id=p.pk, path=request.path)
    return 201, _participant(p)


class LeaveIn(Schema):
    left_on: dt.date
    reason: str
    version: int


@router.post(
    "/groups/participants/{participant_id}/leave",
    response={200: ParticipantOut} | E,
    operation_id="groups_participant_leave",
)
def groups_participant_leave(
    request: HttpRequest, participant_id: uuid.UUID, payload: LeaveIn
) -> ParticipantOut:
    _require(request, Perm.GROUPS_MANAGE)
    actor = acting_user(request)
    p = selectors.participant_for_action(
        actor=actor, participant_id=participant_id, path=request.path
    )
    p = services.participant_leave(
        actor=actor, participant=p, left_on=payload.left_on, reason=payload.reason,
        version=payload.version,
    )  # fmt: skip
    return _participant(p)


class SessionIn(Schema):
    date: dt.date
    start_time: dt.time | None = None
    duration_minutes: int | None = None
    place: str = ""


@router.post(
    "/groups/{group_id}/sessions",
    response={201: SessionOut} | E,
    operation_id="groups_session_add",
)
def groups_session_add(
    request: HttpRequest, group_id: uuid.UUID, payload: SessionIn
) -> tuple[int, SessionOut]:
    _require(request, Perm.GROUPS_LEAD)
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    s = services.session_add(
        actor=actor, group=group, date=payload.date, start_time=payload.start_time,
        duration_minutes=payload.duration_minutes, place=payload.place,
    )  # fmt: skip
    return 201, _session(s)


class GenerateIn(Schema):
    start: dt.date
    end: dt.date


class GenerateOut(Schema):
    created: int


@router.post(
    "/groups/{group_id}/sessions/generate",
    response={200: GenerateOut} | E,
    operation_id="groups_sessions_generate",
)
def groups_sessions_generate(
    request: HttpRequest, group_id: uuid.UUID, payload: GenerateIn
) -> GenerateOut:
    """Sessions on the schedule's weekdays between the dates (existing ones kept)."""
    _require(request, Perm.GROUPS_LEAD)
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    n = services.sessions_generate(actor=actor, group=group, start=payload.start, end=payload.end)
    return GenerateOut(created=n)


class CancelIn(Schema):
    reason: str
    version: int


@router.post(
    "/groups/sessions/{session_id}/cancel",
    response={200: SessionOut} | E,
    operation_id="groups_session_cancel",
)
def groups_session_cancel(
    request: HttpRequest, session_id: uuid.UUID, payload: CancelIn
) -> SessionOut:
    _require(request, Perm.GROUPS_LEAD)
    actor = acting_user(request)
    s = selectors.session_for_action(actor=actor, session_id=session_id)
    return _session(
        services.session_cancel(
            actor=actor, session=s, reason=payload.reason, version=payload.version
        )
    )


class AttendanceRowOut(Schema):
    participant_id: uuid.UUID
    client_id: uuid.UUID
    name: str
    present: bool | None
    absence_reason: str
    version: int | None


class AttendanceSheetOut(Schema):
    session: SessionOut
    group_id: uuid.UUID
    capacity: int
    present: int
    rows: list[AttendanceRowOut]


def _sheet(request: HttpRequest, session_id: uuid.UUID) -> AttendanceSheetOut:
    sheet = selectors.attendance_sheet_for(
        actor=acting_user(request), session_id=session_id, path=request.get_full_path()
    )
    return AttendanceSheetOut(
        session=_session(sheet.session),
        group_id=sheet.group.pk,
        capacity=sheet.group.capacity,
        present=sheet.present,
        rows=[
            AttendanceRowOut(
                participant_id=r.participant.pk,
                client_id=r.participant.client_id,
                name=f"{r.participant.client.last_name}, {r.participant.client.first_names}",
                present=r.attendance.present if r.attendance else None,
                absence_reason=r.attendance.absence_reason if r.attendance else "",
                version=r.attendance.version if r.attendance else None,
            )
            for r in sheet.rows
        ],
    )


@router.get(
    "/groups/sessions/{session_id}/attendance",
    response={200: AttendanceSheetOut} | E,
    operation_id="groups_attendance_get",
)
def groups_attendance_get(request: HttpRequest, session_id: uuid.UUID) -> AttendanceSheetOut:
    """The session's participants with their attendance (logged)."""
    _require(request, Perm.GROUPS_LEAD)
    return _sheet(request, session_id)


class GroupAttendanceIn(Schema):
    participant_id: uuid.UUID
    present: bool
    absence_reason: str = ""
    version: int | None = None


class AttendanceRecordIn(Schema):
    entries: list[GroupAttendanceIn]


@router.put(
    "/groups/sessions/{session_id}/attendance",
    response={200: AttendanceSheetOut} | E,
    operation_id="groups_attendance_record",
)
def groups_attendance_record(
    request: HttpRequest, session_id: uuid.UUID, payload: AttendanceRecordIn
) -> AttendanceSheetOut:
    """Record or correct the session's attendance, all or nothing. ``version`` per row
    from the last read (empty for a row not yet recorded); 409 when stale."""
    _require(request, Perm.GROUPS_LEAD)
    actor = acting_user(request)
    s = selectors.session_for_action(actor=actor, session_id=session_id)
    services.attendance_record(
        actor=actor,
        session=s,
        entries=[
            services.AttendanceEntry(
                participant_id=e.participant_id,
                present=e.present,
                absence_reason=e.absence_reason,
                version=e.version,
            )
            for e in payload.entries
        ],
    )
    return _sheet(request, session_id)
