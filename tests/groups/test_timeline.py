"""A participant's group history is on their case timeline (issue 8): joined, the
attendance so far, and left."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.casework.selectors import case_file_for
from silta.core import dates
from silta.groups.services import (
    AttendanceEntry,
    attendance_record,
    participant_add,
    participant_leave,
)

pytestmark = pytest.mark.django_db


def test_the_timeline_shows_joining_attendance_and_leaving(world, session) -> None:
    # given a client who joined, attended last week's session and then left
    client = world["clients"][0]
    p = participant_add(
        actor=world["organiser"],
        intake_met_on=dates.today(),
        intake_in_person=True,
        group=world["group"],
        client=client,
        joined_on=world["start"],
    )
    attendance_record(
        actor=world["leader"], session=session, entries=[AttendanceEntry(p.pk, present=True)]
    )
    participant_leave(
        actor=world["organiser"], participant=p, left_on=session.date + dt.timedelta(days=1),
        reason="moved_on", version=1,
    )  # fmt: skip
    # when the social worker opens the client's case file
    case = case_file_for(actor=world["organiser"], client_id=client.pk)
    # then the group history is on the timeline, newest first
    group_events = [e for e in case.timeline if e.kind.startswith("group.")]
    assert [e.kind for e in group_events] == ["group.left", "group.attendance", "group.joined"]
    titles = [e.title for e in group_events]
    assert "Olohuoneryhmä" in titles[2]
    assert "1" in titles[1]
    assert group_events[0].at.date() == session.date + dt.timedelta(days=1)
    assert group_events[2].at.date() == world["start"]


def test_a_client_without_groups_has_no_group_events(world) -> None:
    case = case_file_for(actor=world["organiser"], client_id=world["clients"][1].pk)
    assert not [e for e in case.timeline if e.kind.startswith("group.")]
