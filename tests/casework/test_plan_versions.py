"""Plans: every change is a new version, the status machine is data, and two edits of
the same version keep the first and refuse the second (409 in the API and pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.audit.models import ChangeLog
from silta.casework.models import Plan, PlanVersion
from silta.casework.services import plan_create, plan_move, plan_revise
from silta.catalogue.errors import StaleEdit
from silta.core import dates


@pytest.fixture
def cast(region):
    cast = factories.two_organisations(region["272"])
    cast["plan"] = plan_create(
        actor=cast["worker"],
        client=cast["client"],
        kind="activation",
        goals="Kuntouttava työtoiminta kolme päivää viikossa",
        actions="Asiakas hakee, ohjaaja seuraa",
        next_review_on=dates.today() + dt.timedelta(days=60),
    )
    return cast


@pytest.mark.django_db
def test_two_edits_of_the_same_version_keep_the_first(cast) -> None:
    plan = cast["plan"]
    review = dates.today() + dt.timedelta(days=90)
    # given two workers opened version 1
    first = plan_revise(
        actor=cast["worker"],
        plan=plan,
        version=1,
        goals="Ensimmäinen",
        actions="",
        next_review_on=review,
    )
    # when the second saves on top of version 1
    with pytest.raises(StaleEdit):
        plan_revise(
            actor=cast["worker"],
            plan=plan,
            version=1,
            goals="Toinen",
            actions="",
            next_review_on=review,
        )
    # then the first is kept as version 2 and nothing else was written
    assert first.version == 2
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", "goals")) == [
        (2, "Ensimmäinen"),
        (1, "Kuntouttava työtoiminta kolme päivää viikossa"),
    ]
    assert ChangeLog.objects.filter(event="plan.revised").count() == 1


@pytest.mark.django_db
def test_api_answers_409_on_a_stale_version_and_writes_nothing(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    url = f"/api/v1/plans/{cast['plan'].pk}"
    body = {
        "version": 1,
        "goals": "A",
        "next_review_on": str(dates.today() + dt.timedelta(days=30)),
    }
    assert http.put(url, body, content_type="application/json").status_code == 200
    stale = http.put(url, body | {"goals": "B"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "plan.stale_version"
    assert Plan.objects.get().version == 2
    assert http.get(url).json()["versions"][0]["goals"] == "A"


@pytest.mark.django_db
def test_page_shows_a_conflict_message(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    data = {
        "version": 1,
        "goals": "A",
        "next_review_on": str(dates.today() + dt.timedelta(days=30)),
    }
    url = f"/plans/{cast['plan'].pk}/revise/"
    assert http.post(url, data).status_code == 302
    response = http.post(url, data | {"goals": "B"})
    assert response.status_code == 409
    assert "Joku muu tallensi suunnitelman" in response.content.decode()


@pytest.mark.django_db
def test_status_moves_make_versions_and_illegal_moves_are_refused(cast) -> None:
    plan = cast["plan"]
    plan = plan_move(actor=cast["worker"], plan=plan, version=1, to_status="agreed")
    plan = plan_move(actor=cast["worker"], plan=plan, version=2, to_status="under_review")
    with pytest.raises(ValidationError) as exc:
        plan_move(actor=cast["worker"], plan=plan, version=3, to_status="draft")
    assert exc.value.error_dict["to_status"][0].code == "plan.illegal_status_move"
    plan = plan_move(actor=cast["worker"], plan=plan, version=3, to_status="closed")
    assert plan.closed_on == dates.today()
    statuses = list(
        PlanVersion.objects.filter(plan=plan).order_by("number").values_list("status", flat=True)
    )
    assert statuses == ["draft", "agreed", "under_review", "closed"]


@pytest.mark.django_db
def test_bad_plan_input_is_refused_field_by_field(cast) -> None:
    base = {
        "actor": cast["worker"],
        "client": cast["client"],
        "kind": "activation",
        "goals": "Tavoite",
        "actions": "",
        "next_review_on": dates.today() + dt.timedelta(days=10),
    }
    other = factories.client(cast["client"].home_municipality, organisation=cast["employment"])
    from silta.casework.services import referral_send

    foreign = referral_send(
        actor=cast["worker"],
        client=other,
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="x",
    )
    cases = [
        ({"goals": "  "}, "goals", "casework.required"),
        (
            {"next_review_on": dates.today() - dt.timedelta(days=1)},
            "next_review_on",
            "casework.review_date_in_past",
        ),
        ({"kind": "holiday"}, "kind", "casework.required"),
        ({"referral_ids": [foreign.pk]}, "referrals", "plan.referral_of_another_client"),
    ]
    for change, field, code in cases:
        with pytest.raises(ValidationError) as exc:
            plan_create(**(base | change))
        assert exc.value.error_dict[field][0].code == code
    assert Plan.objects.count() == 1
