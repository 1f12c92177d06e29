"""The synthetic region's integration clients (issue 17): deterministic, several mother
tongues and interpreter needs, dated against the region's end, and loaded so that the
integration figures count them."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.core import dates
from silta.integration.languages import is_language
from silta.integration.models import AppointmentInterpreting, IntegrationPlan, LanguageProfile
from silta.reporting.yearly import year_figures
from silta.synth.integration import generate_integration
from silta.synth.loader import region_load
from silta.synth.region import Region, generate_region


@pytest.fixture(scope="module")
def region() -> Region:
    return generate_region(seed=7, scale=0.2)


def test_same_region_gives_the_same_integration_clients(region) -> None:
    first, second = generate_integration(region), generate_integration(region)
    assert first.profiles == second.profiles and first.plans == second.plans


def test_several_mother_tongues_and_interpreter_needs(region) -> None:
    data = generate_integration(region)
    tongues = {p.mother_tongue for p in data.profiles}
    assert len(tongues) >= 6 and all(is_language(t) for t in tongues)
    assert sum(1 for p in data.profiles if p.interpreter_language) >= 5
    # nothing after the region's end; assessments and plans only under 681/2023
    end = region.generated_on
    assert all(p.arrived_on <= end for p in data.profiles)
    assert all(dt.date(2025, 1, 1) <= a.client_since <= a.assessed_on <= end
               for a in data.assessments)  # fmt: skip
    assert all(p.starts_on <= end and p.ends_on >= p.starts_on for p in data.plans)
    assert data.assessments and data.plans


@pytest.mark.django_db
def test_the_load_feeds_the_yearly_figures(region) -> None:
    region_load(region)
    data = generate_integration(region)
    assert LanguageProfile.objects.count() == len(data.profiles)
    assert IntegrationPlan.objects.count() == len(data.plans)
    assert AppointmentInterpreting.objects.filter(booked=False).exists() or not data.appointments
    year = region.generated_on.year
    figures = year_figures(year) if year <= dates.today().year else {}
    if figures:
        assert figures["integration_plans"] == sum(
            1 for p in data.plans if p.starts_on.year == year
        )


def test_the_mother_tongues_follow_the_regions_published_figures() -> None:
    """Central Ostrobothnia at the end of 2019 (Statistics Finland via
    kotouttaminen.fi): Russian, Estonian, Arabic, Vietnamese, Thai, Chinese and Persian
    in this order; Ukrainian raised for temporary protection (an assumption)."""
    from silta.synth.integration import FOREIGN_LANGUAGE_SPEAKERS_2019, MOTHER_TONGUES

    weights = dict(MOTHER_TONGUES)
    assert abs(sum(weights.values()) - 1) < 0.001
    assert all(is_language(code) for code in weights)
    order = [c for c, _n in FOREIGN_LANGUAGE_SPEAKERS_2019]
    assert [weights[c] for c in order] == sorted((weights[c] for c in order), reverse=True)
    assert weights["ru"] / weights["et"] == pytest.approx(269 / 182, rel=0.01)
