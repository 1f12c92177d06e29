"""Attendance and capacity rules of groups (issue 8): capacity on joining and on
attendance, no attendance outside sessions (cancelled, future, not a participant on the
day), reasons for absences, and corrections with a version check (409 when stale)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests.groups.conftest import last_tuesday

from silta.audit.models import ChangeLog
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.groups.errors import GroupError
from silta.groups.models import Attendance, Group, GroupSession, Participant, SessionStatus
from silta.groups.services import (
    AttendanceEntry,
    attendance_record,
    participant_add,
    participant_leave,
    session_cancel,
    sessions_generate,
)

pytestmark = pytest.mark.django_db


def _codes(exc: ValidationError) -> set[str]:
    return {str(e.code) for errs in exc.error_dict.values() for e in errs}


def _join_all(world, count: int, on: dt.date | None = None) -> list[Participant]:
    return [
        participant_add(
            actor=world["organiser"],
            intake_met_on=dates.today(),
            intake_in_person=True,
            group=world["group"],
            client=c,
            joined_on=on or world["start"],
        )
        for c in world["clients"][:count]
    ]


def test_capacity_refuses_a_fourth_participant_and_saves_nothing(world) -> None:
    # given a group with capacity 3 and three participants
    _join_all(world, 3)
    # when a fourth client joins
    with pytest.raises(ValidationError) as exc:
        participant_add(
            actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True, group=world["group"], client=world["clients"][3],
            joined_on=dates.today(),
        )  # fmt: skip
    # then it is refused with the capacity code and nothing is saved
    assert _codes(exc.value) == {GroupError.CAPACITY}
    assert Participant.objects.filter(group=world["group"]).count() == 3
    assert ChangeLog.objects.filter(event="group.participant_added").count() == 3


def test_a_place_freed_by_leaving_can_be_taken_after_the_leaving_day(world) -> None:
    # given a full group where one participant leaves yesterday
    first, *_rest = _join_all(world, 3)
    yesterday = dates.today() - dt.timedelta(days=1)
    participant_leave(
        actor=world["organiser"], participant=first, left_on=yesterday,
        reason="period_completed", version=1,
    )  # fmt: skip
    newcomer = world["clients"][3]
    # when the newcomer would join on the leaving day itself, then the group is still full
    with pytest.raises(ValidationError) as exc:
        participant_add(
            actor=world["organiser"],
            intake_met_on=dates.today(),
            intake_in_person=True,
            group=world["group"],
            client=newcomer,
            joined_on=yesterday,
        )
    assert _codes(exc.value) == {GroupError.CAPACITY}
    # when they join today, then they are added
    p = participant_add(
        actor=world["organiser"],
        intake_met_on=dates.today(),
        intake_in_person=True,
        group=world["group"],
        client=newcomer,
        joined_on=dates.today(),
    )
    assert p.is_active_on(dates.today())


def test_a_client_cannot_take_part_twice_at_the_same_time(world) -> None:
    c = world["clients"][0]
    participant_add(
        actor=world["organiser"],
        intake_met_on=dates.today(),
        intake_in_person=True,
        group=world["group"],
        client=c,
        joined_on=world["start"],
    )
    with pytest.raises(ValidationError) as exc:
        participant_add(
            actor=world["organiser"],
            intake_met_on=dates.today(),
            intake_in_person=True,
            group=world["group"],
            client=c,
            joined_on=dates.today(),
        )
    assert _codes(exc.value) == {GroupError.ALREADY_PARTICIPANT}


def test_joining_outside_the_group_period_is_refused(world) -> None:
    with pytest.raises(ValidationError) as exc:
        participant_add(
            actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True, group=world["group"], client=world["clients"][0],
            joined_on=world["start"] - dt.timedelta(days=1),
        )  # fmt: skip
    assert _codes(exc.value) == {GroupError.OUTSIDE_PERIOD}


def test_attendance_is_recorded_and_the_session_becomes_held(world, session) -> None:
    a, b, _c = _join_all(world, 3)
    changed = attendance_record(
        actor=world["leader"],
        session=session,
        entries=[
            AttendanceEntry(a.pk, present=True),
            AttendanceEntry(b.pk, present=False, absence_reason="ill"),
        ],
    )
    assert changed == 2
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    rows = {r.participant_id: r for r in Attendance.objects.filter(session=session)}
    assert rows[a.pk].present and not rows[b.pk].present
    assert rows[b.pk].absence_reason == "ill"
    assert ChangeLog.objects.filter(event="group.attendance_recorded").count() == 2


def test_no_attendance_for_a_cancelled_session(world, session) -> None:
    (a,) = _join_all(world, 1)
    session_cancel(actor=world["leader"], session=session, reason="Ohjaaja sairas", version=1)
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=world["leader"], session=session, entries=[AttendanceEntry(a.pk, present=True)]
        )
    assert _codes(exc.value) == {GroupError.SESSION_CANCELLED}
    assert not Attendance.objects.exists()


def test_no_attendance_for_a_future_session(world) -> None:
    (a,) = _join_all(world, 1)
    future = GroupSession.objects.create(
        group=world["group"], date=dates.today() + dt.timedelta(days=7),
        start_time=dt.time(10, 0), duration_minutes=120,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=world["leader"], session=future, entries=[AttendanceEntry(a.pk, present=True)]
        )
    assert _codes(exc.value) == {GroupError.SESSION_IN_FUTURE}
    assert not Attendance.objects.exists()


def test_no_attendance_for_people_who_were_not_participants_on_the_day(world, session) -> None:
    # given one participant who joined after the session and one of another group
    late = participant_add(
        actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True, group=world["group"], client=world["clients"][0],
        joined_on=session.date + dt.timedelta(days=1),
    )  # fmt: skip
    elsewhere = participant_add(
        actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True, group=world["other_group"], client=world["clients"][1],
        joined_on=world["start"],
    )  # fmt: skip
    ok = participant_add(
        actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True, group=world["group"], client=world["clients"][2],
        joined_on=world["start"],
    )  # fmt: skip
    # when the leader records all three present
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=world["leader"],
            session=session,
            entries=[AttendanceEntry(p.pk, present=True) for p in (ok, late, elsewhere)],
        )
    # then the two are refused by name, and nothing is saved (not even the valid row)
    errors = exc.value.error_dict
    assert set(errors) == {str(late.pk), str(elsewhere.pk)}
    assert _codes(exc.value) == {GroupError.NOT_A_PARTICIPANT}
    assert "Aalto Testi" in " ".join(exc.value.messages)
    assert not Attendance.objects.exists()


def test_an_absence_needs_a_reason(world, session) -> None:
    (a,) = _join_all(world, 1)
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=world["leader"], session=session, entries=[AttendanceEntry(a.pk, present=False)]
        )
    assert _codes(exc.value) == {GroupError.REASON_MISSING}


def test_more_present_than_the_capacity_is_refused(world, session) -> None:
    # given three participants and the capacity later lowered to two (data from before)
    people = _join_all(world, 3)
    Group.objects.filter(pk=world["group"].pk).update(capacity=2)
    # when all three are marked present, then it is refused and nothing saved
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=world["leader"],
            session=session,
            entries=[AttendanceEntry(p.pk, present=True) for p in people],
        )
    assert _codes(exc.value) == {GroupError.OVER_CAPACITY}
    assert not Attendance.objects.exists()


def test_a_correction_is_versioned_and_a_stale_one_is_refused(world, session) -> None:
    (a,) = _join_all(world, 1)
    attendance_record(
        actor=world["leader"], session=session, entries=[AttendanceEntry(a.pk, present=True)]
    )
    # when somebody corrects from version 1, then the row is version 2 with a change-log row
    attendance_record(
        actor=world["organiser"],
        session=session,
        entries=[AttendanceEntry(a.pk, present=False, absence_reason="agreed", version=1)],
    )
    row = Attendance.objects.get(session=session, participant=a)
    assert (row.present, row.absence_reason, row.version) == (False, "agreed", 2)
    log = ChangeLog.objects.get(event="group.attendance_corrected", target_id=str(row.pk))
    assert log.changes["present"] == [True, False]
    assert log.changes["absence_reason"] == ["", "agreed"]
    # when another edit that began from version 1 (or from an empty sheet) is saved
    for stale in (1, None):
        with pytest.raises(StaleEdit) as exc:
            attendance_record(
                actor=world["leader"],
                session=session,
                entries=[AttendanceEntry(a.pk, present=True, version=stale)],
            )
        assert exc.value.code == GroupError.STALE
    # then nothing changed
    row.refresh_from_db()
    assert (row.present, row.version) == (False, 2)


def test_leaving_before_recorded_attendance_is_refused(world, session) -> None:
    (a,) = _join_all(world, 1)
    attendance_record(
        actor=world["leader"], session=session, entries=[AttendanceEntry(a.pk, present=True)]
    )
    with pytest.raises(ValidationError) as exc:
        participant_leave(
            actor=world["organiser"], participant=a, left_on=session.date - dt.timedelta(days=1),
            reason="health", version=1,
        )  # fmt: skip
    assert _codes(exc.value) == {GroupError.LEAVE_BEFORE_ATTENDANCE}


def test_sessions_come_from_the_schedule_once(world) -> None:
    # given a Tuesday group, when four weeks of sessions are generated twice
    start = last_tuesday(4)
    end = start + dt.timedelta(days=27)
    made = sessions_generate(actor=world["leader"], group=world["group"], start=start, end=end)
    again = sessions_generate(actor=world["leader"], group=world["group"], start=start, end=end)
    # then four Tuesdays were made, and none the second time
    assert (made, again) == (4, 0)
    days = list(GroupSession.objects.filter(group=world["group"]).values_list("date", flat=True))
    assert all(d.weekday() == 1 for d in days) and len(days) == 4


def test_generating_refuses_an_end_before_the_start(world) -> None:
    with pytest.raises(ValidationError) as exc:
        sessions_generate(
            actor=world["leader"], group=world["group"], start=dates.today(),
            end=dates.today() - dt.timedelta(days=1),
        )  # fmt: skip
    assert _codes(exc.value) == {GroupError.DATES_ORDER}
