"""No rehabilitative work activity before the client's birth (issue 19, item 7): a
placement's dates and an attendance day before it are refused on their field, through
the page and the API, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from tests import factories

from silta.clients.models import Client
from silta.core import dates
from silta.core.validation import InputError
from silta.rehab.models import Attendance, Placement

NOW = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dates.HELSINKI)
# the world's placement starts on 6 January 2025; the client's recorded birth is later
BORN = dt.date(2025, 2, 1)


@pytest.fixture
def world(region):
    with time_machine.travel(NOW, tick=False):
        w = factories.rehab_world(region["272"])
        Client.objects.filter(pk=w["client"].pk).update(birth_date=BORN)
        yield w


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.mark.django_db
def test_api_attendance_before_birth_is_refused_and_nothing_saved(world) -> None:
    placement = world["placement"]
    with time_machine.travel(NOW, tick=False):
        response = _http(world["a"]["staff"]).post(
            f"/api/v1/rehab/placements/{placement.pk}/attendance",
            {
                "days": [
                    {"day": "2025-02-03", "status": "present", "hours": "6"},
                    {"day": "2025-01-13", "status": "present", "hours": "6"},
                ]
            },
            content_type="application/json",
        )
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["2025-01-13"][0]["code"] == InputError.BEFORE_BIRTH
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_page_placement_end_before_birth_is_refused_on_the_field(world) -> None:
    placement = world["placement"]
    with time_machine.travel(NOW, tick=False):
        response = _http(world["worker"]).post(
            f"/rehab/placements/{placement.pk}/end/",
            {
                "ended_on": "2025-01-20",
                "reason": "other",
                "note": "",
                "version": str(placement.version),
            },
        )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors.as_data()["ended_on"][0].code == InputError.BEFORE_BIRTH
    placement.refresh_from_db()
    assert placement.ended_on is None


@pytest.mark.django_db
def test_page_placement_starting_before_birth_is_refused_on_the_field(world) -> None:
    w = world
    with time_machine.travel(NOW, tick=False):
        Placement.objects.filter(pk=w["placement"].pk).delete()
        data = {
            "work_site": str(w["a"]["site"].pk),
            "contract": str(w["a"]["contract"].pk),
            "plan": str(w["plan"].pk),
            "start_on": "2025-01-27",
            "planned_end_on": "2025-06-30",
            "days_per_week": "3",
            "hours_per_day": "6",
        }
        response = _http(w["worker"]).post(f"/rehab/clients/{w['client'].pk}/placements/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors.as_data()["start_on"][0].code == InputError.BEFORE_BIRTH
    assert not Placement.objects.exists()
