"""Indicators linked to a named statistic update themselves from the records; an
unknown statistic is refused with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.casework.services import referral_move, referral_send
from silta.core import dates
from silta.governance.models import Goal, Indicator
from silta.governance.selectors import indicator_value_of
from silta.governance.services import goal_add, indicator_add


def _health_check_done(cast) -> None:
    referral = referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Pitkä työttömyys",
    )
    referral = referral_move(
        actor=cast["nurse"], referral=referral, to_status="accepted", version=1
    )
    referral = referral_move(
        actor=cast["nurse"], referral=referral, to_status="scheduled", version=2,
        appointment_at=dates.now() + dt.timedelta(hours=1), place="Terveysasema",
    )  # fmt: skip
    referral_move(actor=cast["nurse"], referral=referral, to_status="completed", version=3)


@pytest.fixture
def goal(world, agreement) -> Goal:
    return goal_add(
        actor=world["manager"],
        version=agreement.versions.get(),
        title="Työttömien terveystarkastukset koko alueella",
        description="",
        responsible=world["soite"],
    )


@pytest.mark.django_db
def test_indicator_linked_to_a_statistic_updates_when_events_are_added(world, goal) -> None:
    # given an indicator on health checks done this year
    year = dates.today().year
    indicator = indicator_add(
        actor=world["manager"], goal=goal, title="Tehdyt terveystarkastukset", target=2,
        period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
        statistic="health_checks_done",
    )  # fmt: skip
    assert indicator_value_of(indicator).value == 0
    assert indicator_value_of(indicator).met is False
    # when two health checks are completed in the region
    cast = factories.two_organisations(world["region"]["217"])
    _health_check_done(cast)
    assert indicator_value_of(indicator).value == 1
    _health_check_done(cast)
    # then the indicator's value follows, and the target is met
    value = indicator_value_of(indicator)
    assert (value.value, value.met, value.as_of) == (2, True, dates.today())
    # and the API reads the same value
    http = HttpClient()
    http.force_login(world["worker"])
    body = http.get(f"/api/v1/governance/indicators/{indicator.pk}").json()
    assert (body["value"], body["met"]) == ("2", True)


@pytest.mark.django_db
def test_unknown_statistic_is_refused_and_nothing_saved(world, goal) -> None:
    with pytest.raises(ValidationError) as exc:
        indicator_add(
            actor=world["manager"], goal=goal, title="Kaava", target=1,
            period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
            statistic="health_checks_done_twice",
        )  # fmt: skip
    error = exc.value.error_dict["statistic"][0]
    assert error.code == "indicator.unknown_statistic"
    assert "health_checks_done_twice" in error.messages[0]
    assert "health_checks_done" in error.messages[0]  # the known names are listed
    assert not Indicator.objects.exists()
    # the API answers 400 with the code
    http = HttpClient()
    http.force_login(world["manager"])
    response = http.post(
        f"/api/v1/governance/goals/{goal.pk}/indicators",
        {"title": "X", "target": 1, "period_start": "2026-01-01", "period_end": "2026-12-31",
         "statistic": "nope"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "indicator.unknown_statistic"


@pytest.mark.django_db
def test_period_ending_before_it_starts_and_value_with_statistic_are_refused(world, goal):
    with pytest.raises(ValidationError) as exc:
        indicator_add(
            actor=world["manager"], goal=goal, title="X", target=1,
            period_start=dt.date(2026, 12, 31), period_end=dt.date(2026, 1, 1),
            statistic="network_clients", manual_value=3,
        )  # fmt: skip
    assert exc.value.error_dict["period_end"][0].code == "governance.dates_in_wrong_order"
    assert exc.value.error_dict["manual_value"][0].code == "indicator.value_or_statistic"
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_indicator_recorded_by_hand_keeps_its_value(world, goal) -> None:
    indicator = indicator_add(
        actor=world["manager"], goal=goal, title="Kotoutumissuunnitelmat", target=60,
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        manual_value=41, manual_value_on=dt.date(2026, 9, 30),
    )  # fmt: skip
    value = indicator_value_of(indicator)
    assert (value.value, value.met, value.as_of) == (41, False, dt.date(2026, 9, 30))
