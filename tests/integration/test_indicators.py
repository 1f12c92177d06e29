"""The integration figures are computed from the records and feed the agreement's
integration goal; by municipality small cells are hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories

from silta.core import dates
from silta.governance import indicators as gi
from silta.integration import services


@pytest.mark.django_db
def test_the_integration_plan_indicator_moves_when_a_plan_is_made(region) -> None:
    cast = factories.two_organisations(region["272"])
    today = dates.today()
    period = gi.Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    stat = gi.STATISTICS["integration_plans_made"]
    in_time = gi.STATISTICS["initial_assessments_in_time"]
    before = stat.compute(period)
    # given an initial assessment 10 days after the client became an integration client
    services.initial_assessment_sign(
        actor=cast["worker"],
        client=cast["client"],
        client_since=today - dt.timedelta(days=10),
        assessed_on=today,
        finnish_level="A1",
        swedish_level="none",
        english_level="none",
        education="basic",
        service_need="Kieliopinnot",
    )
    # when the plan is made
    services.integration_plan_create(
        actor=cast["worker"],
        client=cast["client"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=200),
        goals="Suomen kieli",
        language_training=True,
    )
    # then the figures move by one person
    assert stat.compute(period) == before + 1
    assert in_time.compute(period) == 1
    assert gi.STATISTICS["integration_language_training"].compute(period) == 1
    # and by municipality the one person is hidden (1–4 people), the region too
    split = stat.by_municipality(period)  # type: ignore[misc]
    assert all(v is None or v == 0 for _c, _n, v in split.rows)
    assert split.region is None


@pytest.mark.django_db
def test_a_late_assessment_is_not_within_the_time_limit(region) -> None:
    cast = factories.two_organisations(region["272"])
    today = dates.today()
    services.initial_assessment_sign(
        actor=cast["worker"],
        client=cast["client"],
        client_since=today - dt.timedelta(days=90),
        assessed_on=today,
        finnish_level="A1",
        swedish_level="none",
        english_level="none",
        education="basic",
        service_need="Kieliopinnot",
    )
    period = gi.Period(today, today)
    assert gi.STATISTICS["initial_assessments_made"].compute(period) == 1
    assert gi.STATISTICS["initial_assessments_in_time"].compute(period) == 0


@pytest.mark.django_db
def test_report_year_has_the_integration_and_youth_keys(region) -> None:
    from silta.reporting.yearly import year_figures

    cast = factories.two_organisations(region["272"])
    today = dates.today()
    services.initial_assessment_sign(
        actor=cast["worker"],
        client=cast["client"],
        client_since=today,
        assessed_on=today,
        finnish_level="A1",
        swedish_level="none",
        english_level="none",
        education="basic",
        service_need="Kieliopinnot",
    )
    figures = year_figures(today.year)
    assert figures["initial_assessments"] == 1
    assert figures["integration_plans"] == 0
    assert figures["youth_joint_service_clients"] == 0


@pytest.mark.django_db
def test_silta_report_year_prints_the_integration_and_youth_keys(region) -> None:
    """`silta report year` (DESIGN.md) adds initial_assessments, integration_plans and
    youth_joint_service_clients, counted from the records."""
    import io
    import json

    from django.core.management import call_command

    cast = factories.two_organisations(region["272"])
    today = dates.today()
    services.initial_assessment_sign(
        actor=cast["worker"],
        client=cast["client"],
        client_since=today,
        assessed_on=today,
        finnish_level="A1",
        swedish_level="none",
        english_level="none",
        education="basic",
        service_need="Kieliopinnot",
    )
    services.integration_plan_create(
        actor=cast["worker"],
        client=cast["client"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=100),
        goals="Suomen kieli",
    )
    out = io.StringIO()
    call_command("report", "year", str(today.year), "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["initial_assessments"] == 1
    assert figures["integration_plans"] == 1
    assert figures["youth_joint_service_clients"] == 0
