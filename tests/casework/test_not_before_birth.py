"""No dated fact about a client before the client's birth (issue 19, item 7): the
case-work services refuse it on its field, in the user's language, through the API
and the page, and write nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.audit.models import ChangeLog
from silta.casework.models import Appointment, Assessment, AssessmentDomain, Plan
from silta.clients.models import Client
from silta.core import dates
from silta.core.validation import InputError


@pytest.fixture
def cast(region):
    return factories.two_organisations(region["272"])


@pytest.fixture
def http(cast) -> HttpClient:
    client = HttpClient()
    client.force_login(cast["worker"])
    return client


def _born(client: Client, day: dt.date) -> None:
    Client.objects.filter(pk=client.pk).update(birth_date=day)


def _refused(response, field: str, born: dt.date) -> None:  # type: ignore[no-untyped-def]
    # the user's language (Finnish here) names the birth date
    assert response.status_code == 400, response.content
    error = response.json()["fields"][field][0]
    assert error["code"] == InputError.BEFORE_BIRTH
    assert "syntymäpäivää" in error["message"]
    assert f"{born.day}.{born.month}.{born.year}" in error["message"]


@pytest.mark.django_db
def test_api_appointment_before_birth_is_refused(cast, http) -> None:
    # a client born five days ago; an appointment ten days ago is within the last
    # year (allowed) but before the birth
    c = cast["client"]
    _born(c, dates.today() - dt.timedelta(days=5))
    logs = ChangeLog.objects.count()
    starts_at = (dates.now() - dt.timedelta(days=10)).isoformat()
    response = http.post(
        f"/api/v1/clients/{c.pk}/appointments",
        json.dumps({"starts_at": starts_at, "place": "Kokkola"}),
        content_type="application/json",
    )
    _refused(response, "starts_at", dates.today() - dt.timedelta(days=5))
    assert not Appointment.objects.exists() and ChangeLog.objects.count() == logs


@pytest.mark.django_db
def test_api_assessment_before_birth_is_refused(cast, http) -> None:
    c = cast["client"]
    ratings = {d: {"rating": 3, "text": ""} for d in AssessmentDomain.values}
    day = c.birth_date - dt.timedelta(days=1)
    response = http.post(
        f"/api/v1/clients/{c.pk}/assessments",
        json.dumps({"assessed_on": day.isoformat(), "ratings": ratings}),
        content_type="application/json",
    )
    _refused(response, "assessed_on", c.birth_date)
    assert not Assessment.objects.exists()
    ok = http.post(
        f"/api/v1/clients/{c.pk}/assessments",
        json.dumps({"assessed_on": c.birth_date.isoformat(), "ratings": ratings}),
        content_type="application/json",
    )
    assert ok.status_code in {200, 201}, ok.content


@pytest.mark.django_db
def test_api_plan_review_before_birth_is_refused(cast, http) -> None:
    # a review date cannot be in the past, so only a client whose recorded birth is
    # ahead can reach the rule: the service still checks it
    c = cast["client"]
    _born(c, dates.today() + dt.timedelta(days=60))
    review = dates.today() + dt.timedelta(days=30)
    response = http.post(
        f"/api/v1/clients/{c.pk}/plans",
        json.dumps({"kind": "activation", "goals": "Työ", "next_review_on": review.isoformat()}),
        content_type="application/json",
    )
    _refused(response, "next_review_on", dates.today() + dt.timedelta(days=60))
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_page_appointment_before_birth_shows_the_error_in_swedish(cast, http) -> None:
    cast["worker"].language = "sv"
    cast["worker"].save(update_fields=["language"])
    c = cast["client"]
    _born(c, dates.today() - dt.timedelta(days=5))
    starts_at = (dates.now() - dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = http.post(
        f"/clients/{c.pk}/appointments/new/", {"starts_at": starts_at, "place": "Kokkola"}
    )
    assert response.status_code in {200, 400}
    errors = response.context["form"].errors
    assert errors.as_data()["starts_at"][0].code == InputError.BEFORE_BIRTH
    assert "date of birth" not in errors["starts_at"][0]
    assert "syntymä" not in errors["starts_at"][0]
    assert not Appointment.objects.exists()
