"""The demo region's rehabilitative work activity: deterministic, calibrated to the
2023 participant count (DOMAIN.md §4: 345, ±5 %), consistent with the attendance
rules, and loaded with the region."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from silta.audit.models import ChangeLog
from silta.rehab.figures import YEARLY_FIGURES
from silta.rehab.models import Attendance, OutcomeFee, Placement, Provider
from silta.rehab.selectors import rehab_participants
from silta.synth.loader import region_load
from silta.synth.region import generate_region
from silta.synth.rehab import generate_rehab, participants


@pytest.fixture(scope="module")
def full_region():
    return generate_region()


def test_participants_match_the_2023_figure_and_generation_is_deterministic(full_region) -> None:
    data = generate_rehab(full_region)
    assert abs(participants(data, 2023) - 345) <= 345 * 0.05
    assert abs(participants(data, 2022) - 339) <= 339 * 0.05
    again = generate_rehab(full_region)
    assert again.placements == data.placements
    assert again.attendance[:1000] == data.attendance[:1000]
    # some positive transitions with fees, not all
    fees = [p for p in data.placements if p.fee]
    assert 0 < len(fees) < len(data.placements) / 5


def test_generated_attendance_keeps_the_rules(full_region) -> None:
    data = generate_rehab(full_region)
    per_week: dict[tuple[int, dt.date], int] = defaultdict(int)
    for index, day, present, hours, reason in data.attendance:
        p = data.placements[index]
        assert p.start <= day <= (p.ended or p.planned_end) and day <= full_region.generated_on
        if present:
            assert 40 <= hours <= 80 and not reason
            per_week[(index, day - dt.timedelta(days=day.weekday()))] += 1
        else:
            assert reason
    assert max(per_week.values()) <= 4


@pytest.mark.django_db
def test_region_load_brings_placements_attendance_and_fees() -> None:
    region = generate_region(seed=11, scale=0.05)
    region_load(region)
    assert Provider.objects.count() == 5
    assert Placement.objects.exists() and Attendance.objects.exists()
    assert ChangeLog.objects.filter(event="synth.rehab_loaded").count() == 1
    for fee in OutcomeFee.objects.select_related("placement__outcome"):
        assert fee.placement.outcome is not None
        assert fee.facts["transition"] == fee.placement.outcome.kind
    year = 2023
    figure = next(f for f in YEARLY_FIGURES if f.key == "rehab_participants")
    assert figure.compute(year) == rehab_participants(year) > 0
