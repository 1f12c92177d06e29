"""The demo's IPS data: deterministic, valid business IDs, results in the national
evaluation's range, and a working demo login for a coach."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client as HttpClient
from stdnum.fi import ytunnus

from silta.ips import figures
from silta.ips.models import CoachingEpisode, Employer
from silta.synth.ips import EPISODES_PER_YEAR, FIRST_REFERRAL, generate_ips
from silta.synth.loader import DEMO_PASSWORD, region_load
from silta.synth.region import generate_region


@pytest.fixture(scope="module")
def small_region():
    return generate_region(seed=7, scale=0.05)


def expected_episodes(region) -> float:
    """About EPISODES_PER_YEAR referrals a year, up to two weeks before the demo's day."""
    days = (region.generated_on - FIRST_REFERRAL).days - 14
    return EPISODES_PER_YEAR * days / 365


def test_generator_is_deterministic_and_valid(small_region) -> None:
    data = generate_ips(small_region)
    assert data == generate_ips(small_region)
    assert len(data.coaches) == 3
    assert len(data.employers) == 40
    assert all(ytunnus.is_valid(e.business_id) for e in data.employers)
    assert len({e.business_id for e in data.employers}) == 40
    assert abs(len(data.episodes) - expected_episodes(small_region)) <= 3
    assert len({e.client_key for e in data.episodes}) == len(data.episodes)
    for e in data.episodes:
        for job in e.jobs:
            assert e.started_on is not None and job.start_on >= e.started_on
            assert job.end_on is None or job.end_on >= job.start_on
        assert e.ended_on is None or e.ended_on >= (e.started_on or e.referred_on)


def test_referrals_reach_the_demo_day() -> None:
    """A demo made on any day has last month's referrals (not only those up to 2025)."""
    region = generate_region(seed=7, scale=0.05, end=dt.date(2027, 3, 10))
    data = generate_ips(region)
    latest = max(e.referred_on for e in data.episodes)
    assert dt.date(2027, 1, 1) <= latest <= dt.date(2027, 2, 24)
    assert abs(len(data.episodes) - expected_episodes(region)) <= 3


def test_region_share_is_in_the_evaluation_range(small_region) -> None:
    data = generate_ips(small_region)
    facts = [
        figures.EpisodeFact(
            coach_id=uuid.uuid5(uuid.NAMESPACE_DNS, e.coach),
            coach_name=e.coach,
            started_on=e.started_on,
            jobs=tuple(figures.JobFact(j.start_on, j.end_on, j.open_market) for j in e.jobs),
        )
        for e in data.episodes
    ]
    r = figures.results_of(facts, year=None, as_of=small_region.generated_on)
    assert r.share_12 is not None and 40 <= r.share_12 <= 49


@pytest.mark.django_db
def test_loaded_demo_and_coach_login(small_region) -> None:
    region_load(small_region)
    assert Employer.objects.count() == 40
    assert abs(CoachingEpisode.objects.count() - expected_episodes(small_region)) <= 3
    http = HttpClient()
    assert (
        http.post("/login/", {"username": "ipscoach", "password": DEMO_PASSWORD}).status_code == 302
    )
    page = http.get("/ips/")
    assert page.status_code == 200
    episode = CoachingEpisode.objects.filter(coach__username="ipscoach").first()
    assert episode is not None
    assert http.get(f"/ips/episodes/{episode.pk}/").status_code == 200
    # the coach sees the client's basic page while the referral relationship is open
    open_episode = CoachingEpisode.objects.filter(
        coach__username="ipscoach", status="active"
    ).first()
    assert open_episode is not None
    assert http.get(f"/clients/{open_episode.client_id}/").status_code == 200
    assert http.get("/ips/results/").status_code == 200
    # the unit's supervisor (demo login ipssupervisor, ADR 0028) sees the unit's open
    # coaching and the client, and no ended episode
    boss = HttpClient()
    assert (
        boss.post("/login/", {"username": "ipssupervisor", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    unit = boss.get("/ips/unit/")
    assert unit.status_code == 200
    assert open_episode.client.last_name in unit.content.decode()
    assert boss.get(f"/ips/episodes/{open_episode.pk}/").status_code == 200
    assert boss.get(f"/ips/unit/ips/episodes/{open_episode.pk}/move/").status_code == 200
    ended = CoachingEpisode.objects.filter(status="ended").first()
    assert ended is not None
    assert boss.get(f"/ips/episodes/{ended.pk}/").status_code == 404
