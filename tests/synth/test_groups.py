"""Group activities of the synthetic region (issue 8): deterministic, never over a
group's capacity, attendance only at held sessions of participants of the day, and the
social rehabilitation groups' participants of a year are exactly the year's social
rehabilitation clients (in the generator and after loading, as the reports count)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from silta.groups import figures
from silta.groups.models import Attendance, Group, GroupSession, Participant
from silta.reporting.yearly import year_figures
from silta.synth.activity import HELSINKI, Activity, generate_activity, year_counts
from silta.synth.groups import LOW_THRESHOLD, GroupData, generate_groups, participants
from silta.synth.loader import region_load
from silta.synth.region import Region, generate_region


@pytest.fixture(scope="module")
def region() -> Region:
    return generate_region(seed=7, scale=0.2)


@pytest.fixture(scope="module")
def activity(region: Region) -> Activity:
    return generate_activity(region)


def _periods(activity: Activity) -> list[tuple[int, dt.date, dt.date | None]]:
    def day(moment: dt.datetime | None) -> dt.date | None:
        return moment.astimezone(HELSINKI).date() if moment is not None else None

    return [
        (r.client_key, day(r.first_appointment_at), day(r.closed_at))  # type: ignore[misc]
        for r in activity.referrals
        if r.service_code == "social_rehabilitation"
        and r.status in ("scheduled", "completed")
        and r.first_appointment_at is not None
    ]


@pytest.fixture(scope="module")
def groups(region: Region, activity: Activity) -> GroupData:
    return generate_groups(region, social_rehabilitation=_periods(activity))


def test_same_input_gives_the_same_groups(region, activity, groups) -> None:
    again = generate_groups(region, social_rehabilitation=_periods(activity))
    assert again == groups


def test_yearly_participants_are_the_social_rehabilitation_clients(activity, groups) -> None:
    for year in (2022, 2023, 2024, 2025):
        assert (
            participants(groups, year)
            == year_counts(activity, year)["social_rehabilitation_clients"]
        ), year
    assert participants(groups, 2023, LOW_THRESHOLD) > 0


def test_no_group_is_ever_over_its_capacity(groups) -> None:
    by_group: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for p in groups.participations:
        by_group[p.group].append((p.joined_on, p.left_on))
    for gi, spans in by_group.items():
        days = {a for a, _b in spans}
        for day in days:
            running = sum(1 for a, b in spans if a <= day and (b is None or b >= day))
            assert running <= groups.groups[gi].capacity, (groups.groups[gi].name, day)


def test_attendance_only_at_held_sessions_for_participants_of_the_day(region, groups) -> None:
    assert groups.attendance
    for si, pi, present, reason in groups.attendance:
        s, p = groups.sessions[si], groups.participations[pi]
        assert s.status == "held" and s.date <= region.generated_on
        assert s.group == p.group
        assert p.joined_on <= s.date and (p.left_on is None or s.date <= p.left_on)
        assert present == (reason == "")


@pytest.mark.django_db
def test_loaded_groups_agree_with_the_yearly_social_rehabilitation_figure() -> None:
    small = generate_region(seed=7, scale=0.05)
    region_load(small)
    assert Group.objects.count() >= 9
    assert Attendance.objects.exists() and GroupSession.objects.filter(status="held").exists()
    for year in (2022, 2023):
        values = year_figures(year)
        assert (
            values["social_rehabilitation_group_participants"]
            == values["social_rehabilitation_clients"]
        )
        assert figures.participants(year) == values["social_rehabilitation_clients"]
    assert Participant.objects.filter(group__kind="low_threshold_activity").exists()
