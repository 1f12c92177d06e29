"""Coaching episodes: a coach sees and edits only their own clients' episodes; every
read is in the access log; the status machine and bad input save nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client as HttpClient
from tests.ips.conftest import take_in

from silta.audit.models import AccessLog, ChangeLog
from silta.clients.models import RelationshipKind, ServiceRelationship
from silta.clients.services import relationship_open
from silta.core import dates
from silta.ips import selectors, services
from silta.ips.errors import IpsError
from silta.ips.models import CoachingEpisode, EpisodeStatus, JobSearchStep, WorkPlacement

pytestmark = pytest.mark.django_db


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _codes(exc: ValidationError, field: str) -> set[str]:
    return {e.code for e in exc.error_dict[field]}  # type: ignore[misc]


def _job(cast, episode, employer, start: dt.date, **kw):
    return services.placement_add(
        actor=cast["coach"], episode=episode, employer=employer, job_title="Varastotyöntekijä",
        start_on=start, hours_per_week=Decimal(20), pay_subsidised=False, open_market=True, **kw,
    )  # fmt: skip


def test_referral_opens_a_relationship_for_the_client_page(cast, episode) -> None:
    # given a client referred to coaching, then the IPS unit works with the client
    rel = ServiceRelationship.objects.get(
        client=cast["client"], organisation=cast["ips"], kind=RelationshipKind.IPS_COACHING
    )
    assert rel.valid_to is None and rel.staff_user == cast["coach"]
    assert episode.relationship == rel
    assert episode.status == EpisodeStatus.ACTIVE
    # and the coach sees the client's basic page
    assert _as(cast["coach"]).get(f"/clients/{cast['client'].pk}/").status_code == 200
    assert ChangeLog.objects.filter(event="ips.episode_referred").count() == 1


def test_a_coach_sees_own_clients_only(cast, episode) -> None:
    url = f"/ips/episodes/{episode.pk}/"
    # the coach reads the episode: one access-log row with the client
    before = AccessLog.objects.count()
    page = _as(cast["coach"]).get(url)
    assert page.status_code == 200
    assert "Valmennettava" in page.content.decode()
    log = AccessLog.objects.order_by("-at", "-id").first()
    assert AccessLog.objects.count() == before + 1
    assert log is not None and log.section == "ips:episode"
    assert list(log.subjects.values_list("client_id", flat=True)) == [cast["client"].pk]
    # another coach of the same unit gets 404, also for the forms; the list shows nothing
    other = _as(cast["other_coach"])
    assert other.get(url).status_code == 404
    assert other.get(f"/ips/episodes/{episode.pk}/end/").status_code == 404
    assert "Valmennettava" not in other.get("/ips/", {"show": "all"}).content.decode()
    with pytest.raises(Http404):
        selectors.episode_get_for(actor=cast["other_coach"], episode_id=episode.pk)
    with pytest.raises(PermissionDenied):
        services.step_add(
            actor=cast["other_coach"], episode=episode, on=dates.today(), kind="application"
        )
    # managers, administrators and case workers are refused; anonymous users log in first
    for user in (cast["manager"], cast["admin"], cast["worker"]):
        assert _as(user).get(url).status_code == 403
        assert _as(user).get("/ips/").status_code == 403
    assert HttpClient().get(url).status_code == 302
    # the coach's own list finds the client by name
    mine = _as(cast["coach"]).get("/ips/", {"q": "valmennettava"})
    assert "Valmennettava" in mine.content.decode()


def test_placement_before_the_episode_saves_nothing(cast, episode, employer) -> None:
    # when a job is recorded to start before the coaching started
    with pytest.raises(ValidationError) as info:
        _job(cast, episode, employer, episode.started_on - dt.timedelta(days=1))
    # then the error is coded on the start date and nothing is saved
    assert _codes(info.value, "start_on") == {IpsError.BEFORE_EPISODE}
    assert not WorkPlacement.objects.exists()
    # and the same on the page: 400, the message next to the field
    r = _as(cast["coach"]).post(
        f"/ips/episodes/{episode.pk}/jobs/new/",
        {"employer": employer.pk, "job_title": "Kokoaja",
         "start_on": (episode.started_on - dt.timedelta(days=1)).isoformat(),
         "hours_per_week": "20", "open_market": "on"},
    )  # fmt: skip
    assert r.status_code == 400
    assert 'id="id_start_on-error"' in r.content.decode()
    assert not WorkPlacement.objects.exists()


def test_end_before_start_and_hours_are_refused(cast, episode, employer) -> None:
    start = episode.started_on + dt.timedelta(days=10)
    with pytest.raises(ValidationError) as info:
        _job(cast, episode, employer, start, end_on=start - dt.timedelta(days=1))
    assert _codes(info.value, "end_on") == {IpsError.DATES_ORDER}
    job = _job(cast, episode, employer, start)
    with pytest.raises(ValidationError) as info:
        services.placement_end(actor=cast["coach"], placement=job, end_on=start - dt.timedelta(1))
    assert _codes(info.value, "end_on") == {IpsError.DATES_ORDER}
    with pytest.raises(ValidationError) as info:
        services.episode_end(
            actor=cast["coach"], episode=episode, ended_on=episode.started_on - dt.timedelta(1),
            outcome="ended_other", version=episode.version,
        )  # fmt: skip
    assert _codes(info.value, "ended_on") == {IpsError.DATES_ORDER}
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ACTIVE
    assert WorkPlacement.objects.get().end_on is None


def test_status_machine(cast, employer) -> None:
    coach = cast["coach"]
    today = dates.today()
    episode = take_in(cast, cast["client"], referred_on=today - dt.timedelta(days=5))
    # a second open episode for the same client is refused
    with pytest.raises(ValidationError) as info:
        services.episode_refer(
            actor=coach, client=cast["client"], referred_on=today,
            referring_unit="Psykiatrian poliklinikka", intake_met_on=today,
            intake_in_person=True,
        )  # fmt: skip
    assert _codes(info.value, "__all__") == {IpsError.EPISODE_OPEN}
    # nothing is recorded before coaching starts
    with pytest.raises(ValidationError) as info:
        services.step_add(actor=coach, episode=episode, on=today, kind="application")
    assert info.value.code == IpsError.NOT_ACTIVE
    # coaching cannot start before the referral
    with pytest.raises(ValidationError) as info:
        services.episode_start(
            actor=coach, episode=episode, started_on=today - dt.timedelta(days=6), version=1
        )
    assert _codes(info.value, "started_on") == {IpsError.DATES_ORDER}
    episode = services.episode_start(actor=coach, episode=episode, started_on=today, version=1)
    with pytest.raises(ValidationError) as info:
        services.episode_start(actor=coach, episode=episode, started_on=today, version=2)
    assert info.value.code == IpsError.ILLEGAL_MOVE
    services.step_add(actor=coach, episode=episode, on=today, kind="interview", note="Kone Oy")
    # an open-market outcome needs an open-market job
    with pytest.raises(ValidationError) as info:
        services.episode_end(
            actor=coach, episode=episode, ended_on=today, outcome="employed_open_market",
            version=episode.version,
        )  # fmt: skip
    assert _codes(info.value, "outcome") == {IpsError.OUTCOME_WITHOUT_JOB}
    _job(cast, episode, employer, today)
    services.support_add(actor=coach, episode=episode, on=today, note="Työpaikkakäynti.")
    episode = services.episode_end(
        actor=coach, episode=episode, ended_on=today, outcome="employed_open_market",
        version=episode.version,
    )  # fmt: skip
    assert episode.status == EpisodeStatus.ENDED
    assert list(episode.moves.values_list("new_status", flat=True)) == [
        "referred", "active", "ended",
    ]  # fmt: skip
    # the coach's relationship ends with the episode (issue 13: no aftercare access)
    rel = ServiceRelationship.objects.get(pk=episode.relationship_id)
    assert rel.valid_to == today - dt.timedelta(days=1)
    # an ended episode takes no more steps
    with pytest.raises(ValidationError):
        services.step_add(actor=coach, episode=episode, on=today, kind="application")
    assert JobSearchStep.objects.count() == 1


def test_coach_runs_the_episode_on_the_pages(cast, employer) -> None:
    coach = _as(cast["coach"])
    today = dates.today().isoformat()
    # an unknown identity code: the error at the field, nothing saved
    intake = {"referred_on": today, "intake_met_on": today, "intake_in_person": "on"}
    r = coach.post(
        "/ips/episodes/new/",
        {"personal_id": "010101-123N", "referring_unit": "Psykiatria", **intake},
    )
    assert r.status_code == 400
    assert 'id="id_personal_id-error"' in r.content.decode()
    assert not CoachingEpisode.objects.exists()
    # an intake of a client the IPS unit already works with
    relationship_open(
        actor=None, client=cast["client"], organisation=cast["ips"],
        kind=RelationshipKind.HEALTH_SERVICES, valid_from=dates.today(),
    )  # fmt: skip
    r = coach.post(
        "/ips/episodes/new/",
        {"personal_id": cast["client"].personal_id,
         "referring_unit": "Psykiatrian poliklinikka", **intake},
    )  # fmt: skip
    assert r.status_code == 302
    episode = CoachingEpisode.objects.get()
    base = f"/ips/episodes/{episode.pk}"
    assert coach.post(f"{base}/start/", {"started_on": today, "version": 1}).status_code == 302
    r = coach.post(f"{base}/interests/", {"job_interests": "Puutyöt", "version": 2})
    assert r.status_code == 302
    r = coach.post(f"{base}/steps/new/", {"on": today, "kind": "application", "note": ""})
    assert r.status_code == 302
    r = coach.post(
        f"{base}/jobs/new/",
        {"employer": employer.pk, "job_title": "Puuseppä", "start_on": today,
         "hours_per_week": "25", "open_market": "on"},
    )  # fmt: skip
    assert r.status_code == 302
    job = WorkPlacement.objects.get()
    r = coach.post(f"{base}/support/new/", {"on": today, "placement": job.pk, "note": "Soitto"})
    assert r.status_code == 302
    assert coach.get(f"/ips/jobs/{job.pk}/end/").status_code == 200
    assert _as(cast["other_coach"]).get(f"/ips/jobs/{job.pk}/end/").status_code == 404
    page = coach.get(f"{base}/").content.decode()
    assert "Puuseppä" in page and "Puutyöt" in page
    r = coach.post(
        f"{base}/end/",
        {"ended_on": today, "outcome": "employed_open_market", "note": "", "version": 3},
    )
    assert r.status_code == 302
    episode.refresh_from_db()
    assert episode.outcome == "employed_open_market"
    # a stale version (the form opened before the end) answers 409
    r = coach.post(f"{base}/interests/", {"job_interests": "x", "version": 3})
    assert r.status_code == 409


def test_front_page_and_navigation_for_a_coach(cast, episode) -> None:
    page = _as(cast["coach"]).get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'href="/ips/"' in body and 'href="/ips/employers/"' in body
    assert "Omat IPS-asiakkaat" in body  # Finnish by default
    # a manager's navigation leads to the results only
    body = _as(cast["manager"]).get("/").content.decode()
    assert 'href="/ips/results/"' in body and 'href="/ips/"' not in body
