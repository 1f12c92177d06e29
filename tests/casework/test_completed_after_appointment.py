"""A referral is not completed before its appointment day (issue 15): refused by the
service, the page (the reason on the page, in the user's language) and the API (400 with
the field), nothing written; the day itself is fine. The no-show reason needs the day
to have come too, and a work ability result is not dated before its appointment."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse
from tests import factories

from silta.audit.models import ChangeLog
from silta.casework.models import Referral, ReferralStatus, ReferralStatusChange
from silta.casework.services import referral_move, referral_send
from silta.core import dates

S = ReferralStatus
TZ = dates.HELSINKI
TODAY = dt.datetime(2026, 11, 10, 10, 0, tzinfo=TZ)
APPOINTMENT = dt.datetime(2026, 11, 17, 9, 30, tzinfo=TZ)


@pytest.fixture
def cast(region):
    return factories.two_organisations(region["272"])


def _scheduled(cast, at: dt.datetime = APPOINTMENT) -> Referral:
    r = referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus",
    )
    r = referral_move(actor=cast["nurse"], referral=r, to_status=S.ACCEPTED, version=r.version)
    return referral_move(
        actor=cast["nurse"],
        referral=r,
        to_status=S.SCHEDULED,
        version=r.version,
        appointment_at=at,
        place="Terveysasema",
    )


def _unchanged(r: Referral, logs: int) -> None:
    fresh = Referral.objects.get(pk=r.pk)
    assert fresh.status == S.SCHEDULED and fresh.version == r.version and fresh.closed_at is None
    assert not ReferralStatusChange.objects.filter(
        referral=r, new_status__in=[S.COMPLETED, S.NOT_COMPLETED]
    ).exists()
    assert ChangeLog.objects.count() == logs


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_the_service_refuses_completing_before_the_appointment_day(cast) -> None:
    r = _scheduled(cast)
    logs = ChangeLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        referral_move(actor=cast["nurse"], referral=r, to_status=S.COMPLETED, version=r.version)
    error = exc.value.error_dict["to_status"][0]
    assert error.code == "referral.before_appointment"
    assert "17.11.2026" in error.messages[0]
    # a no-show cannot be recorded before the appointment either
    with pytest.raises(ValidationError) as exc:
        referral_move(
            actor=cast["nurse"],
            referral=r,
            to_status=S.NOT_COMPLETED,
            version=r.version,
            not_completed_reason="no_show",
        )
    assert exc.value.error_dict["to_status"][0].code == "referral.before_appointment"
    _unchanged(r, logs)
    # the day before is still too early; on the day it works
    with (
        time_machine.travel(dt.datetime(2026, 11, 16, 23, 50, tzinfo=TZ), tick=False),
        pytest.raises(ValidationError),
    ):
        referral_move(actor=cast["nurse"], referral=r, to_status=S.COMPLETED, version=r.version)
    with time_machine.travel(dt.datetime(2026, 11, 17, 0, 10, tzinfo=TZ), tick=False):
        done = referral_move(
            actor=cast["nurse"], referral=r, to_status=S.COMPLETED, version=r.version
        )
    assert done.status == S.COMPLETED


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_other_reasons_for_not_completing_are_allowed_before_the_day(cast) -> None:
    # the client moving away ends the referral before its appointment: that is a fact
    r = _scheduled(cast)
    moved = referral_move(
        actor=cast["nurse"],
        referral=r,
        to_status=S.NOT_COMPLETED,
        version=r.version,
        not_completed_reason="moved_away",
    )
    assert moved.status == S.NOT_COMPLETED


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_the_api_answers_400_on_the_field_and_writes_nothing(cast) -> None:
    r = _scheduled(cast)
    logs = ChangeLog.objects.count()
    http = HttpClient()
    http.force_login(cast["nurse"])
    response = http.post(
        f"/api/v1/referrals/{r.pk}/moves",
        json.dumps({"to_status": "completed", "version": r.version}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    error = response.json()["fields"]["to_status"][0]
    assert error["code"] == "referral.before_appointment"
    assert "17.11.2026" in error["message"]
    _unchanged(r, logs)


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_the_reason_in_the_users_language(cast) -> None:
    r = _scheduled(cast)
    logs = ChangeLog.objects.count()
    http = HttpClient()
    http.force_login(cast["nurse"])
    response = http.post(
        reverse("referral-move", args=[r.pk, S.COMPLETED]),
        {"completed-version": r.version},
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "17.11.2026" in text
    assert "Ajanvaraus on 17.11.2026" in text
    _unchanged(r, logs)
