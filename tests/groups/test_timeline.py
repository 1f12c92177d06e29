"""A participant's group history is on their case timeline (issue 8): joined, the
attendance so far, and left."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.casework.selectors import case_file_for
from silta.core import dates, timeline
from silta.core.timeline import TimelineEvent, TimelineScope
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


def test_a_registered_contributor_gets_the_readers_scope_and_its_events_are_shown(world) -> None:
    # given another app's contributor in the registry (as an AppConfig.ready registers it)
    seen: list[TimelineScope] = []

    def contributor(scope: TimelineScope) -> list[TimelineEvent]:
        seen.append(scope)
        return [TimelineEvent(timeline.at_day(world["start"]), "test.event", "Test event")]

    timeline.register("zz_test", contributor)
    try:
        case = case_file_for(actor=world["organiser"], client_id=world["clients"][0].pk)
    finally:
        timeline.unregister("zz_test")
    # then its events are on the timeline, and it was told whose and for which organisation
    assert [e.title for e in case.timeline if e.kind == "test.event"] == ["Test event"]
    organisation = world["organiser"].memberships.get().organisation_id
    assert seen == [TimelineScope(world["clients"][0].pk, organisation, True)]
    assert "zz_test" not in timeline.registered() and "groups" in timeline.registered()


def test_group_history_is_not_given_to_an_organisation_whose_relationship_ended(world) -> None:
    from silta.groups.selectors import group_timeline_events

    client = world["clients"][0]
    participant_add(
        actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True,
        group=world["group"], client=client, joined_on=world["start"],
    )  # fmt: skip
    organisation = world["organiser"].memberships.get().organisation_id
    assert group_timeline_events(TimelineScope(client.pk, organisation, True))
    assert group_timeline_events(TimelineScope(client.pk, organisation, False)) == []
