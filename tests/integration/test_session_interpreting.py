"""Interpreting of group sessions (issue 17 item 2, ADR 0031): a coming session of a
group with a participant who needs an interpreter is listed until one is booked; only
those who run the group record it; bad input and a stale page write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.audit.models import AccessLog, ChangeLog
from silta.core import dates
from silta.groups.services import participant_add, session_add
from silta.integration import services
from silta.integration.models import SessionInterpreting
from silta.integration.selectors import session_interpreter_gaps_for


@pytest.fixture
def world(region):
    world = factories.group_world(region["272"])
    client = world["clients"][0]
    today = dates.today()
    participant_add(
        actor=world["organiser"], group=world["group"], client=client,
        joined_on=today, intake_met_on=today, intake_in_person=True,
    )  # fmt: skip
    soon = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
    world["session"] = session_add(actor=world["leader"], group=world["group"], date=soon)
    services.language_profile_save(
        actor=world["organiser"], client=client, mother_tongue="ar",
        interpreter_needed=True, interpreter_language="ar",
    )  # fmt: skip
    return world


@pytest.mark.django_db
def test_a_participant_who_needs_an_interpreter_lists_the_session_until_booked(world) -> None:
    session = world["session"]
    gaps = session_interpreter_gaps_for(actor=world["leader"])
    assert [(g.session, g.language) for g in gaps] == [(session, "ar")]
    assert AccessLog.objects.filter(section="integration:session_interpreter_gaps").exists()
    http = HttpClient()
    http.force_login(world["leader"])
    assert f"/groups/sessions/{session.pk}/interpreting/" in http.get("/groups/").content.decode()
    url = f"/groups/sessions/{session.pk}/interpreting/"
    assert http.get(url).status_code == 200
    # bad input writes nothing
    assert http.post(url, {"language": "qq", "version": "0"}).status_code == 400
    assert not SessionInterpreting.objects.exists()
    # booked with a reference: off the list
    response = http.post(
        url, {"language": "ar", "booked": "on", "booking_reference": "Tulkki-7", "version": "0"}
    )
    assert response.status_code == 302
    assert SessionInterpreting.objects.get().booking_reference == "Tulkki-7"
    assert session_interpreter_gaps_for(actor=world["leader"]) == []
    assert ChangeLog.objects.filter(event="integration.session_interpreting_recorded").exists()
    # a stale page answers 409 and writes nothing
    assert http.post(url, {"language": "fa", "version": "0"}).status_code == 409
    assert SessionInterpreting.objects.get().language == "ar"


@pytest.mark.django_db
def test_others_neither_see_nor_record_a_sessions_interpreting(world) -> None:
    session = world["session"]
    url = f"/groups/sessions/{session.pk}/interpreting/"
    for who in ("colleague", "outsider"):
        assert session_interpreter_gaps_for(actor=world[who]) == []
        http = HttpClient()
        http.force_login(world[who])
        assert http.get(url).status_code in (403, 404)
        assert http.post(url, {"language": "ar", "booked": "on", "version": "0"}).status_code in (
            403,
            404,
        )
    assert not SessionInterpreting.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_session_gets_no_interpreter(world) -> None:
    from django.core.exceptions import ValidationError

    session = world["session"]
    session.status = "cancelled"
    session.save()
    with pytest.raises(ValidationError):
        services.session_interpreting_save(
            actor=world["leader"], session=session, language="ar", booked=True
        )
    assert not SessionInterpreting.objects.exists()
    assert session_interpreter_gaps_for(actor=world["leader"]) == []
