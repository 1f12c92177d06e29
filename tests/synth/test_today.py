"""The demo lives on the day it is made (issue 18, item 6): `silta synth` generates the
region as of today unless `--as-of` pins it; the history up to that day, and so the
2023 calibration figures, do not depend on the day; and any day looks like a working
day: referrals waiting for an answer, appointments in the coming weeks, attendance
recorded up to yesterday and no "no attendance" alarm on a placement that is simply
running."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from silta.clients.models import Client
from silta.rehab.rates import default_rates
from silta.synth.activity import HELSINKI, Activity, generate_activity, year_counts
from silta.synth.region import HORIZON, PINNED_AS_OF, Region, generate_region, horizon
from silta.synth.rehab import _last_day, generate_rehab

MONDAY = dt.date(2027, 3, 15)
DOMAIN_2023 = {
    "joint_service_clients": 448,
    "activation_clients": 519,
    "social_guidance_clients": 81,
    "social_rehabilitation_clients": 90,
    "health_checks": 250,
    "work_ability_assessments": 120,
}


@pytest.fixture(scope="module")
def pinned() -> Region:
    return generate_region(end=PINNED_AS_OF)


@pytest.fixture(scope="module")
def monday() -> Region:
    return generate_region(end=MONDAY)


@pytest.fixture(scope="module")
def monday_activity(monday: Region) -> Activity:
    return generate_activity(monday)


def test_the_history_is_the_same_whatever_the_generation_day() -> None:
    # given the region made on two days
    early = generate_region(scale=0.1, end=dt.date(2026, 10, 31))
    late = generate_region(scale=0.1, end=MONDAY)
    # then everything paid by the earlier day is the same, row for row
    cut = early.generated_on
    assert [p for p in late.payments if p.payment_date <= cut] == early.payments
    # the earlier day's clients are the later day's first clients, with the same ids
    assert [c.personal_id for c in late.clients[: len(early.clients)]] == [
        c.personal_id for c in early.clients
    ]
    assert len(late.clients) > len(early.clients)
    # spells closed before the earlier day are the same; the later day knows more
    assert [s for s in late.spells if s.end is not None and s.end < cut] == [
        s for s in early.spells if s.end is not None
    ]
    # and nothing after a day is known on that day
    for region in (early, late):
        day = region.generated_on
        assert max(p.payment_date for p in region.payments) <= day
        assert all(s.start <= day and (s.end is None or s.end < day) for s in region.spells)
        assert all(p.start <= day for p in region.service_periods)
        assert all(
            since <= day for c in region.clients for _code, since, _to in c.municipality_history
        )
        assert all(c.municipality_history[-1][2] is None for c in region.clients)


def test_the_2023_figures_are_exact_on_any_day(pinned: Region, monday_activity: Activity) -> None:
    # given the demo region made on the pinned day and on a later Monday
    # then the 2023 figures of DOMAIN.md §4 come out exactly on both
    assert year_counts(generate_activity(pinned), 2023) == DOMAIN_2023
    assert year_counts(monday_activity, 2023) == DOMAIN_2023


def test_a_day_after_the_horizon_still_gives_a_region() -> None:
    # given a day after the simulated horizon
    day = dt.date(2029, 6, 4)
    assert horizon(day) > HORIZON
    # when the region is made on it
    region = generate_region(scale=0.05, end=day)
    # then people are still unemployed and paid that year
    assert any(s.end is None for s in region.spells)
    assert max(p.payment_date for p in region.payments) >= dt.date(2029, 5, 1)


def test_a_monday_looks_like_a_working_day(monday: Region, monday_activity: Activity) -> None:
    end_at = dt.datetime.combine(MONDAY, dt.time(23, 59), tzinfo=HELSINKI)
    # referrals sent in the last days wait for the receiver's answer
    waiting = [r for r in monday_activity.referrals if r.status == "sent"]
    assert waiting
    assert all(r.moves[-1].at <= end_at for r in monday_activity.referrals)
    # appointments are booked for the coming weeks
    coming = [
        a
        for a in monday_activity.appointments
        if end_at < a.starts_at <= end_at + dt.timedelta(days=28)
    ]
    assert len(coming) >= 20
    # including the demo case worker's joint-service team meetings in the next two weeks
    assert any(
        a.created_by == "caseworker" and a.starts_at <= end_at + dt.timedelta(days=14)
        for a in coming
    )
    # attendance is recorded up to the last working day before today, not today
    rehab = generate_rehab(monday)
    days = {row[1] for row in rehab.attendance}
    assert max(days) == MONDAY - dt.timedelta(days=3)  # Friday
    # and no running placement is flagged for missing attendance
    limit = default_rates().no_attendance_days
    last_present: dict[int, dt.date] = {}
    for index, day, present, _hours, _reason in rehab.attendance:
        if present:
            last_present[index] = max(day, last_present.get(index, day))
    running = [
        (i, p)
        for i, p in enumerate(rehab.placements)
        if p.start <= MONDAY and p.ended is None and _last_day(p) >= MONDAY
    ]
    assert running
    flagged = [
        p
        for i, p in running
        if (MONDAY - last_present.get(i, p.start)).days >= limit
        and (MONDAY - p.start).days >= limit
    ]
    assert flagged == []


@pytest.mark.django_db
def test_synth_generates_as_of_today_by_default(tmp_path) -> None:
    # given a day in 2027 (Helsinki time)
    out = tmp_path / "payments.csv"
    stdout = StringIO()
    with time_machine.travel(dt.datetime(2027, 2, 10, 12, tzinfo=HELSINKI), tick=False):
        # when synth runs without --as-of
        call_command(
            "synth", "--scale", "0.02", "--payments-csv", str(out), "--no-db", stdout=stdout
        )
    # then the region is as of that day: its last payments are from the last days
    assert "as of 2027-02-10" in stdout.getvalue()
    paid = [line.split(",")[-1] for line in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert "2027-01-25" <= max(paid) <= "2027-02-10"
    assert Client.objects.count() == 0


@pytest.mark.django_db
def test_synth_as_of_and_its_old_name_pin_the_day(tmp_path) -> None:
    for flag in ("--as-of", "--end"):
        stdout = StringIO()
        call_command(
            "synth",
            "--scale",
            "0.02",
            flag,
            "2025-06-30",
            "--payments-csv",
            str(tmp_path / "p.csv"),
            "--no-db",
            stdout=stdout,
        )
        assert "as of 2025-06-30" in stdout.getvalue()
