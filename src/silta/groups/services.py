"""Every write of group activities: keyword-only, validated, one transaction,
change-logged. Services check the actor's right themselves (``policies.py``).

Capacity is checked with the group's row locked (``SELECT ... FOR UPDATE``), so two
joins at the same time cannot both take the last place; attendance of a session is
written with the session's row locked, each row with a version check (a stale
correction answers 409 and nothing is saved)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from silta.accounts.models import Organisation, User
from silta.audit.services import change_log_write, snapshot
from silta.audit.services import model_changes as _model_changes
from silta.catalogue.errors import StaleEdit
from silta.clients.models import Client
from silta.clients.policies import can_view_client
from silta.core import dates
from silta.core.validation import validate_not_before_birth
from silta.groups.errors import GroupError as E
from silta.groups.models import (
    AbsenceReason,
    Attendance,
    Group,
    GroupKind,
    GroupSession,
    LeaveReason,
    Participant,
    SessionStatus,
)
from silta.groups.policies import can_be_leader, group_grant, organiser_membership
from silta.groups.schedule import MAX_GENERATED, peak_overlap, schedule_dates
from silta.places.models import Municipality
from silta.privacy.policy import Action

Errors = dict[str, list[ValidationError]]

GROUP_FIELDS = (
    "name", "kind", "description", "leader_organisation", "municipality", "place",
    "weekdays", "start_time", "duration_minutes", "period_start", "period_end", "capacity",
    "is_active",
)  # fmt: skip
MAX_DURATION = 8 * 60
MAX_CAPACITY = 200


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.time) else value


def model_changes(
    before: dict[str, Any] | None, obj: models.Model, fields: Iterable[str]
) -> dict[str, list[Any]]:
    """The audit's ``{field: [old, new]}``, with times as text (the audit's snapshot
    knows dates, not times of day)."""
    changes = _model_changes(before, obj, fields)
    return {k: [_json(v) for v in pair] for k, pair in changes.items()}


def _deny() -> PermissionDenied:
    return PermissionDenied(E.NO_ACCESS.value)


def day_label(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _locked_group(group: Group) -> Group:
    return Group.objects.select_for_update().get(pk=group.pk)


def _intervals(group: Group) -> list[tuple[dt.date, dt.date | None]]:
    return list(Participant.objects.filter(group=group).values_list("joined_on", "left_on"))


# --- groups ------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupData:
    """The editable fields of a group, as a form or the API gives them."""

    name: str
    kind: str
    leader_organisation: Organisation
    municipality: Municipality
    place: str
    weekdays: Sequence[int]
    start_time: dt.time
    duration_minutes: int
    period_start: dt.date
    period_end: dt.date | None
    capacity: int
    leaders: Sequence[User] = ()
    description: str = ""
    is_active: bool = True


def _group_errors(errors: Errors, data: GroupData) -> None:
    if not data.name.strip():
        _err(errors, "name", _("Give the group a name."), E.REQUIRED)
    elif len(data.name.strip()) > 200:
        _err(errors, "name", _("At most %(max)s characters.") % {"max": 200}, E.INVALID)
    if len(data.place.strip()) > 300:
        _err(errors, "place", _("At most %(max)s characters.") % {"max": 300}, E.INVALID)
    if data.kind not in GroupKind.values:
        _err(errors, "kind", _("Choose the kind of the group."), E.INVALID)
    if not data.place.strip():
        _err(errors, "place", _("Give the place where the group meets."), E.REQUIRED)
    if not data.weekdays:
        _err(errors, "weekdays", _("Choose at least one weekday."), E.REQUIRED)
    elif any(not isinstance(d, int) or not 0 <= d <= 6 for d in data.weekdays):
        _err(errors, "weekdays", _("Weekdays are numbers 0 (Monday) to 6 (Sunday)."), E.INVALID)
    if not 15 <= data.duration_minutes <= MAX_DURATION:
        _err(
            errors, "duration_minutes",
            _("A session lasts 15–%(max)s minutes.") % {"max": MAX_DURATION}, E.INVALID,
        )  # fmt: skip
    if not 1 <= data.capacity <= MAX_CAPACITY:
        _err(
            errors, "capacity",
            _("The capacity is 1–%(max)s participants.") % {"max": MAX_CAPACITY}, E.INVALID,
        )  # fmt: skip
    if data.period_end is not None and data.period_end < data.period_start:
        _err(
            errors, "period_end", _("The period cannot end before it starts."), E.DATES_ORDER
        )  # fmt: skip
    bad = [u for u in data.leaders if not can_be_leader(u, data.leader_organisation)]
    if bad:
        _err(
            errors, "leaders",
            _("A leader must work in the leader organisation in a role that leads groups: "
              "%(names)s.") % {"names": ", ".join(u.get_full_name() or u.username for u in bad)},
            E.LEADER_INVALID,
        )  # fmt: skip


@transaction.atomic
def group_create(*, actor: User, organiser: Organisation, data: GroupData) -> Group:
    """Set up a group. The actor manages groups in the organiser organisation."""
    if organiser_membership(actor, organiser) is None:
        raise _deny()
    errors: Errors = {}
    _group_errors(errors, data)
    _raise(errors)
    group = Group.objects.create(
        organiser=organiser, name=data.name.strip(), kind=data.kind,
        description=data.description.strip(), leader_organisation=data.leader_organisation,
        municipality=data.municipality, place=data.place.strip(),
        weekdays=sorted(set(data.weekdays)), start_time=data.start_time,
        duration_minutes=data.duration_minutes, period_start=data.period_start,
        period_end=data.period_end, capacity=data.capacity, is_active=data.is_active,
        created_by=actor,
    )  # fmt: skip
    group.leaders.set(data.leaders)
    changes = model_changes(None, group, GROUP_FIELDS)
    changes["leaders"] = [None, sorted(str(u.pk) for u in data.leaders)]
    change_log_write(actor=actor, event="group.created", target=group, changes=changes)
    return group


@transaction.atomic
def group_update(*, actor: User, group: Group, data: GroupData, version: int) -> Group:
    """Edit a group (version check). The capacity cannot go below the participants
    taking part from today on, nor the period leave out a participant."""
    group = _locked_group(group)
    if organiser_membership(actor, group.organiser, Action.CHANGE) is None:
        raise _deny()
    if version != group.version:
        raise StaleEdit(
            _("Somebody else saved the group meanwhile. Reload the page."), code=E.STALE
        )
    errors: Errors = {}
    _group_errors(errors, data)
    today = dates.today()
    peak = peak_overlap(_intervals(group), today, None)
    if "capacity" not in errors and data.capacity < peak:
        _err(
            errors, "capacity",
            _("The group has %(n)s participants at the same time: the capacity cannot be "
              "smaller.") % {"n": peak},
            E.CAPACITY_BELOW_PARTICIPANTS,
        )  # fmt: skip
    if "period_end" not in errors:
        outside = Participant.objects.filter(group=group, joined_on__lt=data.period_start)
        if data.period_end is not None:
            outside = outside | Participant.objects.filter(
                group=group, joined_on__gt=data.period_end
            )
        if outside.exists():
            _err(
                errors, "period_start",
                _("Some participants joined outside the new period."), E.OUTSIDE_PERIOD,
            )  # fmt: skip
    _raise(errors)
    before = snapshot(group, GROUP_FIELDS)
    old_leaders = sorted(str(pk) for pk in group.leaders.values_list("pk", flat=True))
    group.name = data.name.strip()
    group.kind = data.kind
    group.description = data.description.strip()
    group.leader_organisation = data.leader_organisation
    group.municipality = data.municipality
    group.place = data.place.strip()
    group.weekdays = sorted(set(data.weekdays))
    group.start_time = data.start_time
    group.duration_minutes = data.duration_minutes
    group.period_start = data.period_start
    group.period_end = data.period_end
    group.capacity = data.capacity
    group.is_active = data.is_active
    group.version += 1
    group.save()
    group.leaders.set(data.leaders)
    changes = model_changes(before, group, GROUP_FIELDS)
    new_leaders = sorted(str(u.pk) for u in data.leaders)
    if new_leaders != old_leaders:
        changes["leaders"] = [old_leaders, new_leaders]
    change_log_write(actor=actor, event="group.updated", target=group, changes=changes)
    return group


# --- participants --------------------------------------------------------------------


@transaction.atomic
def participant_add(
    *,
    actor: User,
    group: Group,
    client: Client,
    joined_on: dt.date,
    intake_met_on: dt.date | None,
    intake_in_person: bool,
    left_on: dt.date | None = None,
) -> Participant:
    """Add a client to the group from ``joined_on``. The way in is an intake the
    organiser records with the client present (``intake_met_on``, ``intake_in_person``)
    of a client the organiser's organisation already works with (issue 13). Refused
    when the group is full on any day of the participation (checked under the group's
    row lock), outside the group's period, or when the client already takes part at
    the same time."""
    group = _locked_group(group)
    if organiser_membership(actor, group.organiser) is None:
        raise _deny()
    errors: Errors = {}
    if not can_view_client(actor, client):
        _err(errors, "client", _("No client you may see was found."), E.CLIENT_UNKNOWN)
        _raise(errors)
    if intake_met_on is None:
        _err(errors, "intake_met_on", _("Give the day you met the client."), E.REQUIRED)
    elif intake_met_on > dates.today():
        _err(errors, "intake_met_on", _("The date cannot be in the future."), E.DATES_ORDER)
    if not intake_in_person:
        _err(
            errors,
            "intake_in_person",
            _("A group place starts from an intake with the client present: confirm that "
              "you met the client."),
            E.INTAKE_NOT_IN_PERSON,
        )  # fmt: skip
    if not group.is_active:
        _err(errors, "__all__", _("The group is not active."), E.OUTSIDE_PERIOD)
    if left_on is not None and left_on < joined_on:
        _err(errors, "left_on", _("The client cannot leave before joining."), E.DATES_ORDER)
    if not group.runs_on(joined_on):
        _err(
            errors, "joined_on", _("The date is outside the group's period."), E.OUTSIDE_PERIOD
        )  # fmt: skip
    _raise(errors)
    validate_not_before_birth(intake_met_on, client.birth_date, field="intake_met_on")
    validate_not_before_birth(joined_on, client.birth_date, field="joined_on")
    validate_not_before_birth(left_on, client.birth_date, field="left_on")
    mine = Participant.objects.filter(group=group, client=client)
    if peak_overlap(mine.values_list("joined_on", "left_on"), joined_on, left_on) > 0:
        _err(
            errors, "client", _("The client already takes part in the group at that time."),
            E.ALREADY_PARTICIPANT,
        )  # fmt: skip
    elif peak_overlap(_intervals(group), joined_on, left_on) >= group.capacity:
        _err(
            errors, "joined_on",
            _("The group is full: %(n)s participants is its capacity.") % {"n": group.capacity},
            E.CAPACITY,
        )  # fmt: skip
    _raise(errors)
    participant = Participant.objects.create(
        group=group, client=client, joined_on=joined_on, left_on=left_on, added_by=actor,
        intake_met_on=intake_met_on, intake_in_person=intake_in_person,
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="group.participant_added",
        target=participant,
        changes=model_changes(
            None,
            participant,
            ("group", "client", "joined_on", "left_on", "intake_met_on", "intake_in_person"),
        ),
    )
    return participant


@transaction.atomic
def participant_leave(
    *, actor: User, participant: Participant, left_on: dt.date, reason: str, version: int
) -> Participant:
    """End a participation on ``left_on`` (the last day). Not before the joining day
    nor before a session whose attendance has been recorded for the participant."""
    group = _locked_group(participant.group)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if organiser_membership(actor, group.organiser, Action.END) is None:
        raise _deny()
    if version != participant.version:
        raise StaleEdit(
            _("Somebody else changed the participation meanwhile. Reload the page."),
            code=E.STALE,
        )
    errors: Errors = {}
    if participant.left_on is not None:
        _err(errors, "__all__", _("The client has already left the group."), E.ALREADY_LEFT)
        _raise(errors)
    if reason not in LeaveReason.values:
        _err(errors, "reason", _("Choose the reason for leaving."), E.REQUIRED)
    if left_on < participant.joined_on:
        _err(errors, "left_on", _("The client cannot leave before joining."), E.DATES_ORDER)
    else:
        last = (
            Attendance.objects.filter(participant=participant, session__date__gt=left_on)
            .order_by("-session__date")
            .values_list("session__date", flat=True)
            .first()
        )
        if last is not None:
            _err(
                errors, "left_on",
                _("Attendance is recorded for the client on %(day)s: the leaving day cannot "
                  "be earlier.") % {"day": day_label(last)},
                E.LEAVE_BEFORE_ATTENDANCE,
            )  # fmt: skip
    _raise(errors)
    validate_not_before_birth(left_on, participant.client.birth_date, field="left_on")
    before = snapshot(participant, ("left_on", "leave_reason"))
    participant.left_on = left_on
    participant.leave_reason = reason
    participant.version += 1
    participant.save()
    change_log_write(
        actor=actor,
        event="group.participant_left",
        target=participant,
        changes=model_changes(before, participant, ("left_on", "leave_reason")),
    )
    return participant


# --- sessions ------------------------------------------------------------------------


def _require_runner(actor: User, group: Group) -> None:
    if group_grant(actor, group) is None:
        raise _deny()


@transaction.atomic
def session_add(
    *,
    actor: User,
    group: Group,
    date: dt.date,
    start_time: dt.time | None = None,
    duration_minutes: int | None = None,
    place: str = "",
) -> GroupSession:
    """One session (e.g. an extra meeting); the group's time and place by default."""
    _require_runner(actor, group)
    start = start_time or group.start_time
    minutes = duration_minutes if duration_minutes is not None else group.duration_minutes
    errors: Errors = {}
    if not group.runs_on(date):
        _err(errors, "date", _("The date is outside the group's period."), E.OUTSIDE_PERIOD)
    if not 15 <= minutes <= MAX_DURATION:
        _err(
            errors, "duration_minutes",
            _("A session lasts 15–%(max)s minutes.") % {"max": MAX_DURATION}, E.INVALID,
        )  # fmt: skip
    if len(place.strip()) > 300:
        _err(errors, "place", _("At most %(max)s characters.") % {"max": 300}, E.INVALID)
    if GroupSession.objects.filter(group=group, date=date, start_time=start).exists():
        _err(
            errors, "date", _("The group already has a session at that time."), E.SESSION_EXISTS
        )  # fmt: skip
    _raise(errors)
    session = GroupSession.objects.create(
        group=group, date=date, start_time=start, duration_minutes=minutes,
        place=place.strip() or group.place,
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="group.session_added",
        target=session,
        changes=model_changes(None, session, ("group", "date", "start_time", "duration_minutes")),
    )
    return session


@transaction.atomic
def sessions_generate(*, actor: User, group: Group, start: dt.date, end: dt.date) -> int:
    """Sessions on the group's weekdays from ``start`` to ``end`` within its period;
    dates that already have a session at the group's time are skipped. Returns how many
    were made."""
    _require_runner(actor, group)
    errors: Errors = {}
    if end < start:
        _err(errors, "end", _("The end cannot be before the start."), E.DATES_ORDER)
        _raise(errors)
    first = max(start, group.period_start)
    last = end if group.period_end is None else min(end, group.period_end)
    days = schedule_dates(group.weekdays, first, last) if first <= last else []
    if not days:
        _err(
            errors, "start",
            _("The group's schedule has no session days between these dates."),
            E.OUTSIDE_PERIOD,
        )  # fmt: skip
    elif len(days) > MAX_GENERATED:
        _err(
            errors, "end",
            _("At most %(max)s sessions at a time; choose a shorter span.")
            % {"max": MAX_GENERATED},
            E.TOO_MANY_SESSIONS,
        )  # fmt: skip
    _raise(errors)
    taken = set(
        GroupSession.objects.filter(
            group=group, date__in=days, start_time=group.start_time
        ).values_list("date", flat=True)
    )
    new = [
        GroupSession(
            group=group,
            date=d,
            start_time=group.start_time,
            duration_minutes=group.duration_minutes,
            place=group.place,
        )
        for d in days
        if d not in taken
    ]
    GroupSession.objects.bulk_create(new)
    change_log_write(
        actor=actor,
        event="group.sessions_generated",
        target=group,
        changes={
            "sessions": [None, len(new)],
            "from": [None, first.isoformat()],
            "to": [None, last.isoformat()],
        },
    )
    return len(new)


@transaction.atomic
def session_cancel(
    *, actor: User, session: GroupSession, reason: str, version: int
) -> GroupSession:
    """Cancel a session that has no attendance recorded."""
    session = GroupSession.objects.select_for_update().select_related("group").get(pk=session.pk)
    _require_runner(actor, session.group)
    if version != session.version:
        raise StaleEdit(
            _("Somebody else changed the session meanwhile. Reload the page."), code=E.STALE
        )
    errors: Errors = {}
    if session.status == SessionStatus.CANCELLED:
        _err(errors, "__all__", _("The session is already cancelled."), E.SESSION_CANCELLED)
    elif session.attendance.exists():
        _err(
            errors, "__all__",
            _("Attendance is recorded for the session: it cannot be cancelled."),
            E.SESSION_HAS_ATTENDANCE,
        )  # fmt: skip
    if not reason.strip():
        _err(errors, "reason", _("Give the reason for cancelling."), E.REQUIRED)
    elif len(reason.strip()) > 300:
        _err(errors, "reason", _("At most %(max)s characters.") % {"max": 300}, E.INVALID)
    _raise(errors)
    before = snapshot(session, ("status", "cancel_reason"))
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.version += 1
    session.save()
    change_log_write(
        actor=actor,
        event="group.session_cancelled",
        target=session,
        changes=model_changes(before, session, ("status", "cancel_reason")),
    )
    return session


# --- attendance ----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One participant at the session: present, or absent with a reason. ``version``
    is the version of the recorded row the edit began from (None: nothing recorded)."""

    participant_id: uuid.UUID
    present: bool
    absence_reason: str = ""
    version: int | None = None


def _name(p: Participant) -> str:
    return f"{p.client.last_name} {p.client.first_names}"


@transaction.atomic
def attendance_record(
    *, actor: User, session: GroupSession, entries: Iterable[AttendanceEntry]
) -> int:
    """Record or correct the attendance of a session in one go: all or nothing.

    Refused: a cancelled or future session, a person who was not a participant of the
    group on the session's day, a participant given twice, an absence without a
    reason, more present than the group's capacity, and a row somebody else saved
    after the edit began (409). A planned session becomes held. Returns the number of
    rows created or changed."""
    session = GroupSession.objects.select_for_update().select_related("group").get(pk=session.pk)
    group = session.group
    _require_runner(actor, group)
    entries = list(entries)
    errors: Errors = {}
    if session.status == SessionStatus.CANCELLED:
        _err(
            errors, "__all__",
            _("The session was cancelled: no attendance can be recorded."), E.SESSION_CANCELLED,
        )  # fmt: skip
    if session.date > dates.today():
        _err(
            errors, "__all__",
            _("The session is on %(day)s: attendance cannot be recorded in advance.")
            % {"day": day_label(session.date)},
            E.SESSION_IN_FUTURE,
        )  # fmt: skip
    _raise(errors)
    ids = [e.participant_id for e in entries]
    participants = {
        p.pk: p
        for p in Participant.objects.filter(pk__in=ids, group=group).select_related("client")
    }
    existing = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    seen: set[uuid.UUID] = set()
    stale = False
    for e in entries:
        key = str(e.participant_id)
        p = participants.get(e.participant_id)
        if e.participant_id in seen:
            _err(errors, key, _("The participant is given twice."), E.DUPLICATE)
            continue
        seen.add(e.participant_id)
        if p is None or not p.is_active_on(session.date):
            who = _name(p) if p is not None else _("The person")
            _err(
                errors, key,
                _("%(name)s was not a participant of the group on %(day)s.")
                % {"name": who, "day": day_label(session.date)},
                E.NOT_A_PARTICIPANT,
            )  # fmt: skip
            continue
        if not e.present and e.absence_reason not in AbsenceReason.values:
            _err(
                errors, key,
                _("%(name)s: give the reason for the absence.") % {"name": _name(p)},
                E.REASON_MISSING,
            )  # fmt: skip
        row = existing.get(e.participant_id)
        if (row.version if row is not None else None) != e.version:
            stale = True
    if stale and not errors:
        raise StaleEdit(
            _("Somebody else recorded attendance of the session meanwhile. Reload the page."),
            code=E.STALE,
        )
    present = {pid for pid, a in existing.items() if a.present}
    for e in entries:
        if e.participant_id not in participants:
            continue
        if e.present:
            present.add(e.participant_id)
        else:
            present.discard(e.participant_id)
    if len(present) > group.capacity:
        _err(
            errors, "__all__",
            _("%(n)s present is more than the group's capacity of %(max)s.")
            % {"n": len(present), "max": group.capacity},
            E.OVER_CAPACITY,
        )  # fmt: skip
    _raise(errors)

    now = dates.now()
    changed = 0
    for e in entries:
        reason = "" if e.present else e.absence_reason
        row = existing.get(e.participant_id)
        if row is None:
            row = Attendance.objects.create(
                session=session, participant_id=e.participant_id, present=e.present,
                absence_reason=reason, recorded_by=actor, recorded_at=now,
            )  # fmt: skip
            change_log_write(
                actor=actor,
                event="group.attendance_recorded",
                target=row,
                changes=model_changes(
                    None, row, ("session", "participant", "present", "absence_reason")
                ),
            )
            changed += 1
        elif row.present != e.present or row.absence_reason != reason:
            before = snapshot(row, ("present", "absence_reason"))
            row.present = e.present
            row.absence_reason = reason
            row.recorded_by = actor
            row.recorded_at = now
            row.version += 1
            row.save()
            change_log_write(
                actor=actor,
                event="group.attendance_corrected",
                target=row,
                changes=model_changes(before, row, ("present", "absence_reason")),
            )
            changed += 1
    if entries and session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.HELD
        session.version += 1
        session.save(update_fields=["status", "version", "updated_at"])
        change_log_write(
            actor=actor,
            event="group.session_held",
            target=session,
            changes={"status": [SessionStatus.PLANNED, SessionStatus.HELD]},
        )
    return changed
