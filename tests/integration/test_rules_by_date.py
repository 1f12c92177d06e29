"""The integration act by date (ADR 0031): 1386/2010 for work until 31.12.2024, 681/2023
from 1.1.2025. The law in force when the assessment's time limit starts sets the
deadline; the law in force on a plan's first day sets its period and its citation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests import factories

from silta.governance import indicators as gi
from silta.integration import rules, services
from silta.integration.models import InitialAssessment
from silta.reporting import statistics as st

D = dt.date


def test_the_law_changes_on_the_first_of_january_2025() -> None:
    assert rules.law_on(D(2024, 12, 31)).law == "1386/2010"
    assert rules.law_on(D(2025, 1, 1)).law == "681/2023"
    assert rules.cite("initial_assessment", D(2025, 3, 1)) == "681/2023 14 §"
    assert rules.cite("plan", D(2025, 3, 1)) == "681/2023 16 §"
    assert rules.cite("plan_period", D(2024, 6, 1)) == "1386/2010 12 §"
    # the sections confirmed from the sources carry no [verify] mark
    assert rules.LAW_2023.sections["initial_assessment"].verified
    assert rules.LAW_2023.sections["plan"].verified
    assert not rules.LAW_2023.assessment_deadline_verified


def test_the_deadline_is_the_law_in_force_when_the_time_limit_starts() -> None:
    old, new = rules.LAW_2010.assessment_deadline_days, rules.LAW_2023.assessment_deadline_days
    assert rules.assessment_due(D(2024, 12, 1)) == D(2024, 12, 1) + dt.timedelta(days=old)
    assert rules.assessment_due(D(2025, 1, 1)) == D(2025, 1, 1) + dt.timedelta(days=new)
    assert old != new


def _assessment(cast, since: dt.date, on: dt.date) -> None:  # type: ignore[no-untyped-def]
    InitialAssessment.objects.create(
        client=factories.client(cast["client"].home_municipality, organisation=cast["employment"]),
        organisation=cast["employment"],
        client_since=since,
        assessed_on=on,
        finnish_level="A1",
        swedish_level="none",
        english_level="none",
        education="basic",
        service_need="Kieliopinnot",
    )


@pytest.mark.django_db
def test_the_in_time_figures_use_the_law_of_each_assessment(region) -> None:
    cast = factories.two_organisations(region["272"])
    gap = (rules.LAW_2010.assessment_deadline_days + rules.LAW_2023.assessment_deadline_days) // 2
    # given one assessment started under each law, both made ``gap`` days after the start
    _assessment(cast, D(2024, 10, 1), D(2024, 10, 1) + dt.timedelta(days=gap))
    _assessment(cast, D(2025, 3, 1), D(2025, 3, 1) + dt.timedelta(days=gap))
    period = gi.Period(D(2024, 1, 1), D(2025, 12, 31))
    # then the 2024 one is in time under 1386/2010, the 2025 one late under 681/2023
    assert gi.STATISTICS["initial_assessments_made"].compute(period) == 2
    assert gi.STATISTICS["initial_assessments_in_time"].compute(period) == 1
    units = st.initial_assessments(st.Period.between(D(2024, 1, 1), D(2025, 12, 31)))
    assert sorted((u.on.year, u.category) for u in units) == [(2024, "in_time"), (2025, "late")]


@pytest.mark.django_db
def test_a_too_long_plan_cites_the_law_of_its_first_day(region) -> None:
    cast = factories.two_organisations(region["272"])
    with pytest.raises(ValidationError) as exc:
        services.integration_plan_create(
            actor=cast["worker"],
            client=cast["client"],
            starts_on=D(2025, 2, 1),
            ends_on=D(2026, 6, 1),
            goals="Suomen kieli",
        )
    assert "681/2023" in exc.value.error_dict["ends_on"][0].messages[0]
