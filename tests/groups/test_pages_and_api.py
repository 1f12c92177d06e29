"""The group pages and API (issue 8): list with search and pagination, creating and
editing a group with errors next to the fields, adding and removing participants (with
a confirmation), sessions from the schedule, and the attendance page saving all rows
in one transaction."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client as HttpClient
from tests.groups.conftest import last_tuesday

from silta.core import dates
from silta.groups.models import Attendance, Group, GroupSession, Participant
from silta.groups.services import participant_add

pytestmark = pytest.mark.django_db


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


def _group_post(world, region, **over: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "organiser": str(world["soite"].pk),
        "name": "Uusi ryhmä",
        "kind": "social_rehabilitation",
        "description": "",
        "leader_organisation": str(world["association"].pk),
        "leaders": [str(world["leader"].pk)],
        "municipality": str(region["272"].pk),
        "place": "Kirjasto",
        "weekdays": ["0", "3"],
        "start_time": "09:30",
        "duration_minutes": "120",
        "period_start": dates.today().isoformat(),
        "period_end": "",
        "capacity": "8",
        "is_active": "on",
    }
    data.update(over)
    return data


def test_list_searches_and_pages(world, region) -> None:
    http = _http(world["organiser"])
    from silta.groups.services import GroupData, group_create

    for i in range(30):
        group_create(
            actor=world["organiser"], organiser=world["soite"],
            data=GroupData(
                name=f"Sarjaryhmä {i:02d}", kind="low_threshold_activity",
                leader_organisation=world["soite"], municipality=region["217"],
                place="Kannus", weekdays=[2], start_time=dt.time(9),
                duration_minutes=60, period_start=world["start"], period_end=None, capacity=5,
            ),
        )  # fmt: skip
    first = http.get("/groups/", {"q": "Sarjaryhmä"}).content.decode()
    assert "30 groups" in first or "30 ryhmää" in first
    assert "Sarjaryhmä 00" in first and "Sarjaryhmä 29" not in first
    second = http.get("/groups/", {"q": "Sarjaryhmä", "page": "2"}).content.decode()
    assert "Sarjaryhmä 29" in second
    # searching by municipality name finds the Kokkola groups only
    kokkola = http.get("/groups/", {"q": "Kokkola"}).content.decode()
    assert "Olohuoneryhmä" in kokkola and "Sarjaryhmä" not in kokkola


def test_creating_a_group_with_bad_input_shows_errors_and_saves_nothing(world, region) -> None:
    http = _http(world["organiser"])
    before = Group.objects.count()
    bad = _group_post(
        world, region, name="", weekdays=[], capacity="0", leaders=[str(world["outsider"].pk)],
        period_end=(dates.today() - dt.timedelta(days=1)).isoformat(),
    )  # fmt: skip
    response = http.post("/groups/new/", bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_name-error"' in body and 'id="id_capacity-error"' in body
    assert Group.objects.count() == before
    # the service's own checks (period order) also land next to the field
    response = http.post(
        "/groups/new/",
        _group_post(world, region, period_end=(dates.today() - dt.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400
    assert 'id="id_period_end-error"' in response.content.decode()
    assert Group.objects.count() == before
    # and a good form creates the group
    response = http.post("/groups/new/", _group_post(world, region))
    assert response.status_code == 302
    group = Group.objects.get(name="Uusi ryhmä")
    assert group.weekdays == [0, 3] and list(group.leaders.all()) == [world["leader"]]


def test_editing_a_group_checks_the_version(world, region) -> None:
    http = _http(world["organiser"])
    group = world["group"]
    data = _group_post(world, region, name="Uusi nimi", version="1")
    data.pop("organiser")
    assert http.post(f"/groups/{group.pk}/edit/", data).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.version) == ("Uusi nimi", 2)
    stale = http.post(f"/groups/{group.pk}/edit/", {**data, "name": "Toinen"})
    assert stale.status_code == 409
    group.refresh_from_db()
    assert group.name == "Uusi nimi"


def test_adding_and_removing_a_participant(world) -> None:
    http = _http(world["organiser"])
    group = world["group"]
    client = world["clients"][0]
    # an unknown identity code is refused next to the field
    response = http.post(
        f"/groups/{group.pk}/participants/new/",
        {
            "personal_id": "010101-999X",
            "joined_on": dates.today().isoformat(),
            "intake_met_on": dates.today().isoformat(),
            "intake_in_person": "on",
        },
    )
    assert response.status_code == 400 and 'id="id_personal_id-error"' in response.content.decode()
    response = http.post(
        f"/groups/{group.pk}/participants/new/",
        {
            "personal_id": client.personal_id,
            "joined_on": dates.today().isoformat(),
            "intake_met_on": dates.today().isoformat(),
            "intake_in_person": "on",
        },
    )
    assert response.status_code == 302
    p = Participant.objects.get(group=group, client=client)
    # removing asks for confirmation first and changes nothing
    url = f"/groups/participants/{p.pk}/leave/"
    confirm = http.get(url)
    assert confirm.status_code == 200
    assert "Aalto" in confirm.content.decode()
    p.refresh_from_db()
    assert p.left_on is None
    # then the confirmed removal ends the participation
    response = http.post(
        url, {"left_on": dates.today().isoformat(), "reason": "period_completed", "version": "1"}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.left_on == dates.today()


def test_capacity_over_the_page_and_the_api(world) -> None:
    group = world["group"]
    for c in world["clients"][:3]:
        participant_add(
            actor=world["organiser"],
            intake_met_on=dates.today(),
            intake_in_person=True,
            group=group,
            client=c,
            joined_on=world["start"],
        )
    http = _http(world["organiser"])
    response = http.post(
        f"/groups/{group.pk}/participants/new/",
        {
            "personal_id": world["clients"][3].personal_id,
            "joined_on": dates.today().isoformat(),
            "intake_met_on": dates.today().isoformat(),
            "intake_in_person": "on",
        },
    )
    assert response.status_code == 400
    assert "full" in response.content.decode() or "täynnä" in response.content.decode()
    api = http.post(
        f"/api/v1/groups/{group.pk}/participants",
        json.dumps(
            {
                "client_id": str(world["clients"][3].pk),
                "joined_on": str(dates.today()),
                "intake_met_on": str(dates.today()),
                "intake_in_person": True,
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["code"] == "groups.capacity_full"
    assert Participant.objects.filter(group=group).count() == 3


def test_generating_sessions_and_recording_attendance_on_the_page(world) -> None:
    group = world["group"]
    a, b = (
        participant_add(
            actor=world["organiser"],
            intake_met_on=dates.today(),
            intake_in_person=True,
            group=group,
            client=c,
            joined_on=world["start"],
        )
        for c in world["clients"][:2]
    )
    http = _http(world["leader"])
    start = last_tuesday(3)
    response = http.post(
        f"/groups/{group.pk}/sessions/generate/",
        {"start": start.isoformat(), "end": last_tuesday(1).isoformat()},
    )
    assert response.status_code == 302
    assert GroupSession.objects.filter(group=group).count() == 3
    session = GroupSession.objects.get(group=group, date=last_tuesday(1))
    url = f"/groups/sessions/{session.pk}/"
    page = http.get(url)
    assert page.status_code == 200 and "Björk" in page.content.decode()
    # an absence without a reason: the error is next to the row, nothing saved
    bad = http.post(url, {f"status_{a.pk}": "present", f"status_{b.pk}": "absent"})
    assert bad.status_code == 400
    assert Attendance.objects.count() == 0
    ok = http.post(
        url, {f"status_{a.pk}": "present", f"status_{b.pk}": "absent", f"reason_{b.pk}": "ill"}
    )
    assert ok.status_code == 302
    assert {(r.participant_id, r.present) for r in Attendance.objects.all()} == {
        (a.pk, True),
        (b.pk, False),
    }
    # a stale form (from before the save) answers 409 and changes nothing
    stale = http.post(url, {f"status_{a.pk}": "absent", f"reason_{a.pk}": "ill"})
    assert stale.status_code == 409
    assert Attendance.objects.get(participant=a).present is True


def test_api_attendance_round_trip_and_stale_409(world, session) -> None:
    p = participant_add(
        actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True, group=world["group"], client=world["clients"][0],
        joined_on=world["start"],
    )  # fmt: skip
    http = _http(world["leader"])
    url = f"/api/v1/groups/sessions/{session.pk}/attendance"
    sheet = http.get(url).json()
    assert [r["version"] for r in sheet["rows"]] == [None]
    body = {"entries": [{"participant_id": str(p.pk), "present": True}]}
    saved = http.put(url, json.dumps(body), content_type="application/json")
    assert saved.status_code == 200 and saved.json()["present"] == 1
    stale = http.put(url, json.dumps(body), content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "groups.stale_version"
    body["entries"][0].update(present=False, absence_reason="agreed", version=1)
    fixed = http.put(url, json.dumps(body), content_type="application/json")
    assert fixed.status_code == 200 and fixed.json()["rows"][0]["version"] == 2


def test_api_creates_a_group_and_refuses_bad_input(world, region) -> None:
    http = _http(world["organiser"])
    body = {
        "organiser_id": str(world["soite"].pk), "name": "API-ryhmä",
        "kind": "low_threshold_activity", "leader_organisation_id": str(world["soite"].pk),
        "municipality_code": "272", "place": "Kirjasto", "weekdays": [1],
        "start_time": "10:00", "duration_minutes": 90, "period_start": str(dates.today()),
        "capacity": 6,
    }  # fmt: skip
    created = http.post("/api/v1/groups", json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["name"] == "API-ryhmä"
    bad = http.post(
        "/api/v1/groups",
        json.dumps({**body, "weekdays": [9], "capacity": 100000}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"weekdays", "capacity"}
    assert Group.objects.filter(name="API-ryhmä").count() == 1


def test_the_list_page_takes_the_same_queries_whatever_the_number_of_groups(world, region) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from silta.groups.services import GroupData, group_create

    def add(n: int) -> None:
        for i in range(n):
            group_create(
                actor=world["organiser"], organiser=world["soite"],
                data=GroupData(
                    name=f"Lisäryhmä {i}", kind="social_rehabilitation",
                    leader_organisation=world["soite"], municipality=region["272"],
                    place="Kokkola", weekdays=[1], start_time=dt.time(9), duration_minutes=60,
                    period_start=world["start"], period_end=None, capacity=5,
                ),
            )  # fmt: skip

    http = _http(world["organiser"])
    http.get("/groups/")  # warm up (session, memberships)
    with CaptureQueriesContext(connection) as few:
        assert http.get("/groups/").status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        assert http.get("/groups/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_place_before_the_clients_birth_is_refused_on_its_field(world) -> None:
    # issue 19, item 7: a client whose recorded birth is three days ago cannot have
    # joined the group ten days ago (page and API share the service)
    from silta.clients.models import Client
    from silta.core.validation import InputError

    group = world["group"]
    client = world["clients"][0]
    Client.objects.filter(pk=client.pk).update(birth_date=dates.today() - dt.timedelta(days=3))
    response = _http(world["organiser"]).post(
        f"/api/v1/groups/{group.pk}/participants",
        {
            "client_id": str(client.pk),
            "joined_on": (dates.today() - dt.timedelta(days=10)).isoformat(),
            "intake_met_on": dates.today().isoformat(),
            "intake_in_person": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["joined_on"][0]["code"] == InputError.BEFORE_BIRTH
    assert not Participant.objects.filter(client=client).exists()
