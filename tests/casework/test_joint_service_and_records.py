"""Joint service with a team and an end reason; assessments (1-5, compared over time);
outcomes with follow-ups; bad API bodies get coded JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.casework.models import AssessmentDomain, JointService
from silta.casework.services import (
    assessment_sign,
    joint_service_end,
    joint_service_enrol,
    note_write,
)
from silta.clients.models import ServiceRelationship
from silta.core import dates

DOMAINS = list(AssessmentDomain.values)


@pytest.fixture
def cast(region):
    cast = factories.two_organisations(region["272"])
    cast["kela"] = factories.staff(Role.KELA_EXPERT, factories.OrganisationFactory(kind="kela"))
    return cast


@pytest.mark.django_db
def test_joint_service_team_shares_team_notes_only(cast) -> None:
    c = cast["client"]
    js = joint_service_enrol(
        actor=cast["worker"], client=c, started_on=dates.today(), member_ids=[cast["kela"].pk]
    )
    # the Kela expert now works with the client through the joint service
    assert (
        ServiceRelationship.objects.filter(kind="joint_service", valid_to__isnull=True).count() == 2
    )
    note_write(actor=cast["worker"], client=c, visibility="joint_team", text="Tiimille näkyvä")
    note_write(actor=cast["worker"], client=c, visibility="own_organisation", text="Vain meille")
    http = HttpClient()
    http.force_login(cast["kela"])
    body = http.get(f"/clients/{c.pk}/casework/").content.decode()
    assert "Tiimille näkyvä" in body and "Vain meille" not in body
    # ending needs a reason and a date not before the start
    with pytest.raises(ValidationError) as exc:
        joint_service_end(
            actor=cast["worker"],
            joint_service=js,
            ended_on=js.started_on - dt.timedelta(days=1),
            reason="",
        )
    assert set(exc.value.error_dict) == {"ended_on", "reason"}
    joint_service_end(
        actor=cast["worker"], joint_service=js, ended_on=dates.today(), reason="employed"
    )
    assert JointService.objects.get().end_reason == "employed"
    assert not ServiceRelationship.objects.filter(
        kind="joint_service", valid_to__isnull=True
    ).exists()


@pytest.mark.django_db
def test_a_team_needs_two_organisations(cast) -> None:
    with pytest.raises(ValidationError) as exc:
        joint_service_enrol(
            actor=cast["worker"], client=cast["client"], started_on=dates.today(), member_ids=[]
        )
    assert exc.value.error_dict["members"][0].code == "casework.team_too_small"


@pytest.mark.django_db
def test_assessment_ratings_are_1_to_5_and_compared_over_time(cast) -> None:
    c, worker = cast["client"], cast["worker"]
    bad = dict.fromkeys(DOMAINS, (3, "")) | {"housing": (6, "")}
    with pytest.raises(ValidationError) as exc:
        assessment_sign(actor=worker, client=c, assessed_on=dates.today(), ratings=bad)
    assert exc.value.error_dict["housing_rating"][0].code == "assessment.rating_out_of_range"
    assessment_sign(
        actor=worker,
        client=c,
        assessed_on=dates.today() - dt.timedelta(days=200),
        ratings=dict.fromkeys(DOMAINS, (2, "")),
    )
    assessment_sign(
        actor=worker, client=c, assessed_on=dates.today(), ratings=dict.fromkeys(DOMAINS, (4, ""))
    )
    http = HttpClient()
    http.force_login(worker)
    body = http.get(f"/clients/{c.pk}/casework/").content.decode()
    assert body.count("<strong>4</strong>") == 9 and body.count("<strong>2</strong>") == 9
    api = http.post(
        f"/api/v1/clients/{c.pk}/assessments",
        {"assessed_on": str(dates.today()), "ratings": {"work_ability": {"rating": 0}}},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert (
        api.json()["fields"]["work_ability_rating"][0]["code"] == "assessment.rating_out_of_range"
    )


@pytest.mark.django_db
def test_outcome_follow_up_only_when_due(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    c = cast["client"]
    created = http.post(
        f"/api/v1/clients/{c.pk}/outcomes",
        {"kind": "open_market_job", "occurred_on": str(dates.today() - dt.timedelta(days=100))},
        content_type="application/json",
    ).json()
    url = f"/api/v1/outcomes/{created['id']}/follow-ups"
    early = http.post(
        url, {"months": 6, "status": "continues", "version": 1}, content_type="application/json"
    )
    assert early.status_code == 400 and early.json()["code"] == "outcome.follow_up_not_due"
    ok = http.post(
        url, {"months": 3, "status": "continues", "version": 1}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["follow_up_3"] == "continues"


@pytest.mark.django_db
def test_wrong_shape_and_bad_dates_give_coded_errors(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    c = cast["client"]
    shape = http.post(f"/api/v1/clients/{c.pk}/notes", {"text": 5}, content_type="application/json")
    assert shape.status_code == 422 and shape.json()["code"] == "request.invalid"
    assert "visibility" in shape.json()["fields"]
    # (the consent's bad input: tests/casework/test_consent_rules.py)


@pytest.mark.django_db
def test_sharing_contexts_for_many_clients_equal_one_by_one(cast, region) -> None:
    """SharingContext.of_many (the work-ability list) gives each client exactly what
    SharingContext.of gives: team, and the earliest consent in force per scope."""
    from silta.casework.models import Consent
    from silta.casework.policies import SharingContext

    worker, kela, employment = cast["worker"], cast["kela"], cast["employment"]
    today = dates.today()
    clients = [cast["client"]] + [
        factories.client(region["272"], organisation=employment) for _ in range(4)
    ]
    joint_service_enrol(actor=worker, client=clients[0], started_on=today, member_ids=[kela.pk])
    ended = joint_service_enrol(
        actor=worker,
        client=clients[1],
        started_on=today - dt.timedelta(days=30),
        member_ids=[kela.pk],
    )
    joint_service_end(actor=worker, joint_service=ended, ended_on=today, reason="employed")
    soite = cast["health"]

    def consent(c, data_class, start, end=None):  # rows as the migration keeps old ones
        return Consent.objects.create(
            client=c,
            controller=soite,
            recipient=employment,
            data_classes=[data_class],
            purpose="Yhteistyö",
            valid_from=start,
            valid_to=end,
            given_how="not_recorded",
            recorded_by_organisation=soite,
        )

    for scope, start, end in [
        ("social", today - dt.timedelta(days=10), None),
        ("social", today - dt.timedelta(days=20), today + dt.timedelta(days=5)),
        ("health", today - dt.timedelta(days=100), today - dt.timedelta(days=1)),
        ("health", today + dt.timedelta(days=1), None),
    ]:
        for c in clients[1:3]:
            consent(c, scope, start, end)
    withdrawn = Consent.objects.filter(client=clients[2]).earliest("valid_from")
    withdrawn.withdrawn_at = dates.now()
    withdrawn.save()
    consent(clients[3], "health", today)
    membership = worker.memberships.get()
    many = SharingContext.of_many(membership, [c.pk for c in clients])
    assert set(many) == {c.pk for c in clients}
    for c in clients:
        assert many[c.pk] == SharingContext.of(membership, c.pk)
    # the cases above are not all alike
    assert len({(m.team_orgs, m.consents, m.relationship_active) for m in many.values()}) >= 4
