"""Cooperation bodies' meetings: agenda, minutes, decisions, action items; overdue
action items on the dashboard list and on their owner's front page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient

from silta.audit.models import ChangeLog
from silta.core import dates
from silta.governance.models import Meeting
from silta.governance.selectors import overdue_actions_for
from silta.governance.services import (
    action_item_add,
    action_item_move,
    agenda_item_add,
    body_create,
    decision_record,
    meeting_record_minutes,
)


@pytest.fixture
def meeting(world):
    body = body_create(
        actor=None, key="tym-johtoryhma", kind="tym_leadership_group", name_fi="TYM-johtoryhmä",
        name_sv="TYM-ledningsgruppen", name_en="TYM leadership group",
        convener=world["employment"],
    )  # fmt: skip
    return Meeting.objects.create(body=body, held_on=dates.today() - dt.timedelta(days=40))


@pytest.mark.django_db
def test_overdue_action_items_show_for_the_dashboard_and_the_owner(world, meeting) -> None:
    manager, worker = world["manager"], world["worker"]
    item = agenda_item_add(actor=manager, meeting=meeting, title="Terveystarkastukset")
    decision = decision_record(
        actor=manager, meeting=meeting, section_number=12, text="Yhtenäistetään ohjaus.",
        agenda_item=item,
    )  # fmt: skip
    meeting_record_minutes(
        actor=manager, meeting=meeting, version=1, minutes="Pöytäkirja", status="held"
    )
    late = action_item_add(
        actor=manager, meeting=meeting, title="Laaditaan ohje", owner=worker,
        due_on=dates.today() - dt.timedelta(days=3), decision=decision,
    )  # fmt: skip
    action_item_add(
        actor=manager, meeting=meeting, title="Tulevaisuudessa", owner=worker,
        due_on=dates.today() + dt.timedelta(days=3),
    )  # fmt: skip
    # then the overdue list has the late one only, for the dashboard and for its owner
    assert overdue_actions_for(actor=manager) == [late]
    assert overdue_actions_for(actor=worker, own_only=True) == [late]
    assert overdue_actions_for(actor=manager, own_only=True) == []
    http = HttpClient()
    http.force_login(worker)
    home = http.get("/").content.decode()
    assert "Laaditaan ohje" in home and "Tulevaisuudessa" not in home
    assert "Laaditaan ohje" in http.get("/governance/actions/overdue/").content.decode()
    # when the owner marks it done, it leaves the lists
    response = http.post(
        f"/governance/actions/{late.pk}/status/", {"to_status": "done", "version": 1}
    )
    assert response.status_code == 302
    assert overdue_actions_for(actor=manager) == []
    assert ChangeLog.objects.filter(event="action.done").count() == 1


@pytest.mark.django_db
def test_meeting_input_is_validated_and_writes_need_the_body(world, meeting) -> None:
    decision_record(actor=world["manager"], meeting=meeting, section_number=1, text="A")
    with pytest.raises(ValidationError) as exc:
        decision_record(actor=world["manager"], meeting=meeting, section_number=1, text="B")
    assert exc.value.error_dict["section_number"][0].code == "meeting.section_number_taken"
    with pytest.raises(ValidationError) as exc:
        action_item_add(
            actor=world["manager"], meeting=meeting, title="X", owner=world["worker"],
            due_on=meeting.held_on - dt.timedelta(days=1),
        )  # fmt: skip
    assert exc.value.error_dict["due_on"][0].code == "governance.dates_in_wrong_order"
    # the coordinator of Soite is not in this body convened by the employment area
    with pytest.raises(PermissionDenied):
        agenda_item_add(actor=world["coordinator"], meeting=meeting, title="X")
    late = action_item_add(
        actor=world["manager"], meeting=meeting, title="X", owner=world["worker"],
        due_on=dates.today(),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        action_item_move(actor=world["coordinator"], action=late, to_status="done", version=1)
