"""Issue 13: a group place starts from an intake the organiser records with the client
present, of a client the organiser's organisation already works with; the form never
tells whether an identity code it may not see exists; the forms that show a client's
name log the read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.audit.models import AccessLog, AccessLogSubject
from silta.core import dates
from silta.groups.models import Participant
from silta.groups.services import participant_add

pytestmark = pytest.mark.django_db


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _post(world, personal_id: str, **extra: str) -> dict[str, str]:
    return {
        "personal_id": personal_id,
        "joined_on": dates.today().isoformat(),
        "intake_met_on": dates.today().isoformat(),
        "intake_in_person": "on",
    } | extra


def test_an_identity_code_the_organiser_may_not_see_answers_as_unknown(world, region) -> None:
    stranger = factories.client(region["272"], last_name="Vieras")  # nobody works with them
    http = _as(world["organiser"])
    url = f"/groups/{world['group'].pk}/participants/new/"
    known = http.post(url, _post(world, stranger.personal_id))
    unknown = http.post(url, _post(world, factories.synthetic_hetu()))
    assert known.status_code == unknown.status_code == 400
    assert (
        known.context["form"].errors["personal_id"] == unknown.context["form"].errors["personal_id"]
    )
    assert "Vieras" not in known.content.decode()
    assert not Participant.objects.exists()


def test_a_group_place_needs_an_intake_with_the_client_present(world) -> None:
    c = world["clients"][0]
    with pytest.raises(ValidationError) as caught:
        participant_add(
            actor=world["organiser"], group=world["group"], client=c, joined_on=dates.today(),
            intake_met_on=None, intake_in_person=False,
        )  # fmt: skip
    assert {"intake_met_on", "intake_in_person"} <= set(caught.value.error_dict)
    assert not Participant.objects.exists()
    http = _as(world["organiser"])
    url = f"/groups/{world['group'].pk}/participants/new/"
    refused = http.post(url, _post(world, c.personal_id, intake_in_person=""))
    assert refused.status_code == 400
    assert "intake_in_person" in refused.context["form"].errors
    assert not Participant.objects.exists()
    done = http.post(url, _post(world, c.personal_id))
    assert done.status_code == 302
    p = Participant.objects.get()
    assert p.intake_met_on == dates.today() and p.intake_in_person
    # the lookup of the client was logged
    assert AccessLogSubject.objects.filter(
        client_id=c.pk, log__section="groups:participant_form"
    ).exists()


def test_the_leave_form_logs_the_read(world) -> None:
    c = world["clients"][0]
    p = participant_add(
        actor=world["organiser"], group=world["group"], client=c, joined_on=world["start"],
        intake_met_on=world["start"], intake_in_person=True,
    )  # fmt: skip
    before = AccessLog.objects.count()
    page = _as(world["organiser"]).get(f"/groups/participants/{p.pk}/leave/")
    assert page.status_code == 200 and c.last_name in page.content.decode()
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.order_by("-at", "-id").first()
    assert log is not None and list(log.subjects.values_list("client_id", flat=True)) == [c.pk]


def test_the_api_answers_the_same_for_an_unknown_and_a_not_visible_client(world, region) -> None:
    import json
    import uuid

    stranger = factories.client(region["272"], last_name="Vieras")
    http = _as(world["organiser"])
    url = f"/api/v1/groups/{world['group'].pk}/participants"

    def post(client_id: str):
        body = {
            "client_id": client_id, "joined_on": str(dates.today()),
            "intake_met_on": str(dates.today()), "intake_in_person": True,
        }  # fmt: skip
        return http.post(url, json.dumps(body), content_type="application/json")

    known, unknown = post(str(stranger.pk)), post(str(uuid.uuid4()))
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()
    assert not Participant.objects.exists()
