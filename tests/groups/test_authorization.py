"""Who may run a group (issue 8): the organiser's social workers and the named
leaders; another organisation's leader, a colleague not named leader and anonymous
users are refused; a leader sees only their own groups' participants, and the read is
in the access log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLog
from silta.core import dates
from silta.groups.models import Attendance
from silta.groups.services import (
    AttendanceEntry,
    GroupData,
    attendance_record,
    group_create,
    participant_add,
    session_add,
)

pytestmark = pytest.mark.django_db


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def members(world):
    return [
        participant_add(
            actor=world["organiser"],
            intake_met_on=dates.today(),
            intake_in_person=True,
            group=world["group"],
            client=c,
            joined_on=world["start"],
        )
        for c in world["clients"][:2]
    ]


def test_another_organisations_leader_cannot_record_or_see_participants(
    world, session, members
) -> None:
    outsider = world["outsider"]
    # when the other association's leader records attendance through the service
    with pytest.raises(PermissionDenied):
        attendance_record(
            actor=outsider, session=session, entries=[AttendanceEntry(members[0].pk, True)]
        )
    # and through the page and the API
    http = _http(outsider)
    assert http.get(f"/groups/sessions/{session.pk}/").status_code == 404
    assert http.post(f"/groups/sessions/{session.pk}/", {}).status_code == 404
    response = http.put(
        f"/api/v1/groups/sessions/{session.pk}/attendance",
        json.dumps({"entries": [{"participant_id": str(members[0].pk), "present": True}]}),
        content_type="application/json",
    )
    assert response.status_code == 404
    # then nothing was saved, and the group page shows no participants
    assert not Attendance.objects.exists()
    page = http.get(f"/groups/{world['group'].pk}/")
    assert page.status_code == 200
    assert "Aalto" not in page.content.decode()
    api = http.get(f"/api/v1/groups/{world['group'].pk}").json()
    assert api["participants"] == [] and api["runs_it"] is False
    assert not AccessLog.objects.filter(actor_id=outsider.pk).exists()


def test_a_colleague_not_named_leader_is_refused(world, session, members) -> None:
    http = _http(world["colleague"])
    assert http.get(f"/groups/sessions/{session.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        session_add(actor=world["colleague"], group=world["group"], date=session.date)


def test_anonymous_users_are_refused(world, session) -> None:
    http = HttpClient()
    for url in (
        "/groups/",
        f"/groups/{world['group'].pk}/",
        f"/groups/sessions/{session.pk}/",
    ):
        response = http.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert http.get("/api/v1/groups").status_code == 401
    assert http.get(f"/api/v1/groups/sessions/{session.pk}/attendance").status_code == 401


def test_the_leader_sees_their_groups_participants_and_the_read_is_logged(
    world, session, members
) -> None:
    leader = world["leader"]
    http = _http(leader)
    page = http.get(f"/groups/{world['group'].pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Aalto" in body and "Björk" in body
    log = AccessLog.objects.get(actor_id=leader.pk, section="groups:participants")
    assert log.basis == "task:group_leader"
    assert {s.client_id for s in log.subjects.all()} == {m.client_id for m in members}
    # the attendance page is logged as well
    assert http.get(f"/groups/sessions/{session.pk}/").status_code == 200
    assert AccessLog.objects.filter(actor_id=leader.pk, section="groups:attendance").exists()
    # and the other group's participants are not theirs
    assert http.get(f"/api/v1/groups/{world['other_group'].pk}").json()["runs_it"] is False


def test_only_soite_social_work_may_create_groups(world, region) -> None:
    # provider staff and case workers may not set up groups
    for user in (world["leader"], factories.staff(Role.CASE_WORKER)):
        assert _http(user).get("/groups/new/").status_code == 403
    # a social worker may not set up a group in another organisation
    data = GroupData(
        name="Ryhmä", kind="social_rehabilitation", leader_organisation=world["soite"],
        municipality=region["272"], place="Paikka", weekdays=[0], start_time=dt.time(9),
        duration_minutes=60, period_start=world["start"], period_end=None, capacity=5,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        group_create(actor=world["organiser"], organiser=world["association"], data=data)


def test_the_case_worker_sees_the_groups_on_offer_without_participants(world, members) -> None:
    worker = factories.staff(Role.CASE_WORKER)
    http = _http(worker)
    listing = http.get("/groups/")
    assert listing.status_code == 200 and "Olohuoneryhmä" in listing.content.decode()
    detail = http.get(f"/groups/{world['group'].pk}/").content.decode()
    assert "Aalto" not in detail
    assert http.get(f"/groups/{world['group'].pk}/participants/new/").status_code == 403


def test_leaders_must_work_in_the_leader_organisation(world, region) -> None:
    from django.core.exceptions import ValidationError

    data = GroupData(
        name="Ryhmä", kind="low_threshold_activity", leader_organisation=world["association"],
        municipality=region["272"], place="Paikka", weekdays=[0], start_time=dt.time(9),
        duration_minutes=60, period_start=world["start"], period_end=None, capacity=5,
        leaders=[world["outsider"]],
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        group_create(actor=world["organiser"], organiser=world["soite"], data=data)
    assert "leaders" in exc.value.error_dict
