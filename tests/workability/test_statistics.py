"""The path in figures: small cells hidden, figures counted from the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from silta.core import dates
from silta.workability import services
from silta.workability.figures import YEARLY_FIGURES
from silta.workability.models import Identification
from silta.workability.selectors import path_statistics

pytestmark = pytest.mark.django_db


def test_one_person_is_never_shown(path_world, assessment) -> None:
    w = path_world
    services.identification_record(
        actor=w["worker"], client=w["client"], reasons=["long_benefit_history"]
    )
    today = dates.today()
    stats = path_statistics(today - dt.timedelta(days=30), today)
    assert all(c is None or c == 0 for row in stats.counts for c in row)
    assert stats.totals[0] is None  # one identified person: hidden


def test_identification_on_the_page_keeps_the_reasons(client, path_world) -> None:
    client.force_login(path_world["worker"])
    url = reverse("workability-identify", args=[path_world["client"].pk])
    assert client.post(url, {}).status_code == 400
    assert not Identification.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Identification.objects.get().identified_by == path_world["worker"]
    client.force_login(path_world["stranger"])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert Identification.objects.count() == 1


def test_the_year_figures_count_the_records(path_world, assessment) -> None:
    w = path_world
    result = services.result_record(
        actor=w["social_worker"],
        referral=assessment,
        assessed_on=dates.today(),
        work_ability="none",
        duration="permanent",
        recommendations=["pension_application"],
    )
    services.application_record(
        actor=w["social_worker"],
        client=w["client"],
        kind="disability_pension",
        receiver=w["elo"],
        applied_on=dates.today(),
        result=result,
    )
    figures = {f.key: f.compute_period(dates.today(), dates.today()) for f in YEARLY_FIGURES}
    assert figures["work_ability_results"] == 1
    assert figures["pension_applications"] == 1
    assert figures["rehabilitation_applications"] == 0
    assert figures["rehabilitation_or_pension_granted"] == 0
