"""Interpreting of meetings (issue 17 item 2, ADR 0031): a cooperation body's meeting
(a work ability network meeting with a client's case on the agenda, a TYM network
meeting) records the interpreter need, language and booking; coming meetings that need
one and have none booked are listed with the appointments. Only the body's managers see
or change them; bad input and a stale page write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.utils import translation
from django.utils.translation import gettext
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import AccessLog, ChangeLog
from silta.core import dates
from silta.governance.models import AgendaItem, Body, BodyKind, Meeting, NetworkCase
from silta.integration import services
from silta.integration.models import MeetingInterpreting
from silta.integration.selectors import meeting_interpreter_gaps_for


@pytest.fixture
def cast(region):
    cast = factories.two_organisations(region["272"])
    convener = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    cast["coordinator"] = factories.staff(Role.NETWORK_COORDINATOR, convener)
    cast["other_manager"] = factories.staff(Role.MANAGER, factories.OrganisationFactory())
    cast["network"] = Body.objects.create(
        key="tkv", kind=BodyKind.WORK_ABILITY_NETWORK, name_fi="Työkykyverkosto",
        name_sv="Arbetsförmågenätverket", convener=convener,
    )  # fmt: skip
    cast["tym"] = Body.objects.create(
        key="tym", kind=BodyKind.TYM_NETWORK, name_fi="TYM-verkosto",
        name_sv="TYM-nätverket", convener=convener,
    )  # fmt: skip
    cast["meeting"] = Meeting.objects.create(
        body=cast["network"], held_on=dates.today() + dt.timedelta(days=7)
    )
    case = NetworkCase.objects.create(
        client=cast["client"], network=cast["network"], from_organisation=cast["employment"],
        referred_at=dates.now(), reason="Työkyky selvitettävä",
    )  # fmt: skip
    AgendaItem.objects.create(meeting=cast["meeting"], number=1, title="Asiakas", network_case=case)
    services.language_profile_save(
        actor=cast["worker"], client=cast["client"], mother_tongue="so",
        interpreter_needed=True, interpreter_language="so",
    )  # fmt: skip
    return cast


@pytest.mark.django_db
def test_a_client_on_the_agenda_who_needs_an_interpreter_puts_the_meeting_on_the_list(
    cast,
) -> None:
    # given a coming network meeting with a Somali-speaking client's case: listed,
    # with the client's interpreting language, and the read is logged
    gaps = meeting_interpreter_gaps_for(actor=cast["coordinator"])
    assert [(g.meeting, g.language) for g in gaps] == [(cast["meeting"], "so")]
    assert AccessLog.objects.filter(section="integration:meeting_interpreter_gaps").count() == 1
    http = HttpClient()
    http.force_login(cast["coordinator"])
    home = http.get("/governance/").content.decode()
    assert f"/governance/meetings/{cast['meeting'].pk}/interpreting/" in home
    assert "somali" in home  # the language's name in Finnish
    # when interpreting is recorded but not booked: still listed
    services.meeting_interpreting_save(
        actor=cast["coordinator"], meeting=cast["meeting"], language="so", booked=False
    )
    assert len(meeting_interpreter_gaps_for(actor=cast["coordinator"])) == 1
    # when it is booked: gone
    services.meeting_interpreting_save(
        actor=cast["coordinator"], meeting=cast["meeting"], language="so", booked=True, version=1
    )
    assert meeting_interpreter_gaps_for(actor=cast["coordinator"]) == []
    # a manager of another organisation, and a case worker, see no meetings of this body
    assert meeting_interpreter_gaps_for(actor=cast["other_manager"]) == []
    assert meeting_interpreter_gaps_for(actor=cast["worker"]) == []


@pytest.mark.django_db
def test_a_tym_network_meeting_records_its_interpreter_on_the_page(cast) -> None:
    tym = Meeting.objects.create(body=cast["tym"], held_on=dates.today() + dt.timedelta(days=3))
    http = HttpClient()
    http.force_login(cast["coordinator"])
    url = f"/governance/meetings/{tym.pk}/interpreting/"
    assert http.get(url).status_code == 200
    # bad input: unknown language, a reference without a booking; nothing written
    response = http.post(url, {"language": "zz", "booking_reference": "T-1", "version": "0"})
    assert response.status_code == 400
    assert not MeetingInterpreting.objects.exists()
    response = http.post(url, {"language": "ar", "booking_reference": "T-1", "version": "0"})
    assert response.status_code == 400 and "booked" in response.context["form"].errors
    assert not MeetingInterpreting.objects.exists()
    # a need without a booking lists the meeting with its language
    assert http.post(url, {"language": "ar", "version": "0"}).status_code == 302
    gaps = {
        g.meeting.pk: g.language for g in meeting_interpreter_gaps_for(actor=cast["coordinator"])
    }
    assert gaps[tym.pk] == "ar"
    page = http.get(f"/governance/meetings/{tym.pk}/").content.decode()
    with translation.override("fi"):
        assert gettext("no interpreter booked yet") in page
    # booked with its reference
    response = http.post(
        url, {"language": "ar", "booked": "on", "booking_reference": "T-1", "version": "1"}
    )
    assert response.status_code == 302
    row = MeetingInterpreting.objects.get(meeting=tym)
    assert (row.booked, row.booking_reference, row.version) == (True, "T-1", 2)
    assert ChangeLog.objects.filter(event="integration.meeting_interpreting_recorded").count() == 2
    # a stale page answers 409 and writes nothing
    response = http.post(url, {"language": "fa", "version": "1"})
    assert response.status_code == 409
    assert MeetingInterpreting.objects.get(meeting=tym).language == "ar"


@pytest.mark.django_db
def test_attackers_cannot_see_or_record_a_meetings_interpreting(cast) -> None:
    url = f"/governance/meetings/{cast['meeting'].pk}/interpreting/"
    # a case worker has no right to manage meetings; a manager of another organisation
    # is not this body's manager: the meeting is not there for them
    worker = HttpClient()
    worker.force_login(cast["worker"])
    assert worker.get(url).status_code == 403
    assert worker.post(url, {"language": "so", "booked": "on", "version": "0"}).status_code == 403
    other = HttpClient()
    other.force_login(cast["other_manager"])
    assert other.get(url).status_code == 404
    assert other.post(url, {"language": "so", "booked": "on", "version": "0"}).status_code == 404
    assert not MeetingInterpreting.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_meeting_needs_no_interpreter(cast) -> None:
    from django.core.exceptions import ValidationError

    cast["meeting"].status = "cancelled"
    cast["meeting"].save()
    with pytest.raises(ValidationError) as exc:
        services.meeting_interpreting_save(
            actor=cast["coordinator"], meeting=cast["meeting"], language="so", booked=True
        )
    assert exc.value.error_dict["language"][0].code == "integration.meeting_cancelled"
    assert not MeetingInterpreting.objects.exists()
    assert meeting_interpreter_gaps_for(actor=cast["coordinator"]) == []
