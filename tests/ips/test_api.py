"""The IPS API: the coach's own episodes only, coded errors for bad input (nothing
saved), employers readable by coaches, refused to everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from silta.audit.models import AccessLog
from silta.ips.errors import IpsError
from silta.ips.models import Employer, WorkPlacement

pytestmark = pytest.mark.django_db


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_episodes_list_and_detail(cast, episode) -> None:
    coach = _as(cast["coach"])
    body = coach.get("/api/v1/ips/episodes").json()
    assert body["count"] == 1
    assert body["items"][0]["client_name"].startswith("Valmennettava")
    logged = AccessLog.objects.filter(section="ips:episode").count()
    detail = coach.get(f"/api/v1/ips/episodes/{episode.pk}")
    assert detail.status_code == 200
    assert detail.json()["referring_unit"] == "Psykiatrian poliklinikka, Kokkola"
    assert AccessLog.objects.filter(section="ips:episode").count() == logged + 1
    # another coach: nothing in the list, 404 for the episode
    other = _as(cast["other_coach"])
    assert other.get("/api/v1/ips/episodes").json()["count"] == 0
    r = other.get(f"/api/v1/ips/episodes/{episode.pk}")
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    # a manager and a case worker are refused; anonymous is not signed in
    for user in (cast["manager"], cast["worker"]):
        r = _as(user).get("/api/v1/ips/episodes")
        assert (r.status_code, r.json()["code"]) == (403, "access.not_permitted")
    assert HttpClient().get("/api/v1/ips/episodes").status_code == 401


def test_job_before_the_episode_is_a_coded_error(cast, episode, employer) -> None:
    r = _as(cast["coach"]).post(
        f"/api/v1/ips/episodes/{episode.pk}/jobs",
        {
            "employer_id": str(employer.pk),
            "job_title": "Varastotyöntekijä",
            "start_on": (episode.started_on - dt.timedelta(days=3)).isoformat(),
            "hours_per_week": "20",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == IpsError.BEFORE_EPISODE
    assert not WorkPlacement.objects.exists()
    r = _as(cast["coach"]).post(
        f"/api/v1/ips/episodes/{episode.pk}/jobs",
        {
            "employer_id": str(employer.pk),
            "job_title": "Varastotyöntekijä",
            "start_on": episode.started_on.isoformat(),
            "hours_per_week": "20",
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    assert r.json()["jobs"][0]["open_market"] is True


def test_employers_api(cast, employer) -> None:
    coach = _as(cast["coach"])
    body = coach.get("/api/v1/ips/employers", {"q": "kone"}).json()
    assert [e["business_id"] for e in body["items"]] == [employer.business_id]
    assert coach.get(f"/api/v1/ips/employers/{employer.pk}").json()["name"] == "Kokkolan Kone Oy"
    # an invalid business ID: 400 with the code, nothing saved
    payload = {
        "name": "Huono Oy",
        "business_id": "1234567-8",
        "sector": "retail",
        "municipality_code": "272",
    }
    r = coach.post("/api/v1/ips/employers", payload, content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (400, IpsError.BUSINESS_ID)
    # the same business ID twice
    payload["business_id"] = employer.business_id
    r = coach.post("/api/v1/ips/employers", payload, content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (400, IpsError.BUSINESS_ID_TAKEN)
    assert Employer.objects.count() == 1
    payload["business_id"] = "0112038-9"
    r = coach.post("/api/v1/ips/employers", payload, content_type="application/json")
    assert r.status_code == 201 and Employer.objects.count() == 2
    # a manager sees no employer records
    assert _as(cast["manager"]).get("/api/v1/ips/employers").status_code == 403


def test_job_before_the_clients_birth_is_refused_on_its_field(cast, episode, employer) -> None:
    # issue 19, item 7: the recorded birth is after the coaching started (50 days
    # ago); a job from 45 days ago is within the episode but before the birth
    from silta.clients.models import Client
    from silta.core import dates
    from silta.core.validation import InputError

    Client.objects.filter(pk=cast["client"].pk).update(
        birth_date=dates.today() - dt.timedelta(days=40)
    )
    r = _as(cast["coach"]).post(
        f"/api/v1/ips/episodes/{episode.pk}/jobs",
        {
            "employer_id": str(employer.pk),
            "job_title": "Varastotyöntekijä",
            "start_on": (dates.today() - dt.timedelta(days=45)).isoformat(),
            "hours_per_week": "20",
        },
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert r.json()["fields"]["start_on"][0]["code"] == InputError.BEFORE_BIRTH
    assert not WorkPlacement.objects.exists()
