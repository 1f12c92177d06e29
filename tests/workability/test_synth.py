"""The synthetic region's work ability path (issue 16): the calibrated 2023
assessments get their results, later steps follow at the cited rates, nothing is
dated after the region's end, and `silta report year` gives the path's keys."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from tests.markers import whole_region_sqlite_only

from silta.synth.loader import region_load
from silta.synth.region import DEFAULT_SEED, generate_region
from silta.workability.models import BenefitApplication, Identification, WorkAbilityResult

PATH_KEYS = (
    "work_ability_results",
    "rehabilitation_applications",
    "pension_applications",
    "rehabilitation_or_pension_granted",
    "health_check_coverage_pct",
)


@whole_region_sqlite_only
@pytest.mark.django_db
def test_the_demo_region_walks_the_path() -> None:
    region = generate_region(seed=DEFAULT_SEED, scale=1.0)
    region_load(region)
    end = region.generated_on
    assert WorkAbilityResult.objects.filter(assessed_on__gt=end).count() == 0
    assert BenefitApplication.objects.filter(applied_on__gt=end).count() == 0
    assert BenefitApplication.objects.filter(decided_on__gt=end).count() == 0
    assert Identification.objects.filter(identified_on__gt=end).count() == 0
    out = StringIO()
    call_command("report", "year", "2023", "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())
    # the calibrated assessments are untouched, and each has its result
    assert figures["work_ability_assessments"] == 120
    assert figures["work_ability_results"] == 120
    for key in PATH_KEYS:
        assert key in figures
    # later steps: some, not all (rates in silta/synth/workability.py)
    assert 0 < figures["pension_applications"] < 120
    assert (
        0
        < figures["rehabilitation_or_pension_granted"]
        < figures["pension_applications"] + figures["rehabilitation_applications"]
    )
    assert 0 <= float(figures["health_check_coverage_pct"]) <= 100
    statuses = set(BenefitApplication.objects.values_list("status", flat=True))
    assert {"granted", "rejected"} <= statuses
    # the checking units' health checks follow the health-check referrals
    from silta.workability.models import HealthCheck

    done = HealthCheck.objects.filter(status="done", checked_on__year=2023).count()
    assert done == figures["health_checks"]
    assert HealthCheck.objects.filter(checked_on__gt=end).count() == 0
    assert HealthCheck.objects.filter(invited_on__gt=end).count() == 0
