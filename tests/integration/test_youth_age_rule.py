"""The youth joint service is for clients under 30: a youth plan or an Ohjaamo
referral for a client who is 30 on the day it is recorded is refused, on the page and
in the API, with a message naming that day; nothing is written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind
from silta.casework.models import Plan, Referral
from silta.clients.models import Client

TODAY = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def cast(region):
    cast = factories.two_organisations(region["272"])
    client: Client = cast["client"]
    # the client turned 30 yesterday
    client.birth_date = dt.date(1996, 12, 5)
    client.save(update_fields=["birth_date"])
    ohjaamo = factories.OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Ohjaamo"
    )
    cast["ohjaamo"] = factories.service(ohjaamo, "youth_guidance", data_class="none")
    return cast


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_youth_plan_for_a_30_year_old_is_refused_on_the_page(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    response = http.post(
        f"/clients/{cast['client'].pk}/plans/new/",
        {"kind": "youth", "goals": "Opiskelupaikka", "next_review_on": "2027-03-01"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "30" in body and "06.12.2026" in body
    assert not Plan.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_youth_plan_for_a_30_year_old_is_refused_in_the_api(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    response = http.post(
        f"/api/v1/clients/{cast['client'].pk}/plans",
        json.dumps({"kind": "youth", "goals": "x", "actions": "", "next_review_on": "2027-03-01"}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "casework.youth_service_age_limit"
    assert "06.12.2026" in response.json()["message"]
    assert not Plan.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_an_ohjaamo_referral_for_a_30_year_old_is_refused(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    response = http.post(
        f"/api/v1/clients/{cast['client'].pk}/referrals",
        json.dumps(
            {
                "service_id": str(cast["ohjaamo"].pk),
                "to_organisation_id": str(cast["ohjaamo"].provider_id),
                "reason": "Nuoren ohjaus",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "casework.youth_service_age_limit"
    assert not Referral.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_29_year_old_gets_the_youth_plan(cast) -> None:
    client: Client = cast["client"]
    client.birth_date = dt.date(1996, 12, 7)  # 30 tomorrow
    client.save(update_fields=["birth_date"])
    http = HttpClient()
    http.force_login(cast["worker"])
    response = http.post(
        f"/api/v1/clients/{client.pk}/plans",
        json.dumps({"kind": "youth", "goals": "x", "actions": "", "next_review_on": "2027-03-01"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_ohjaamo_records_anonymous_guidance_contacts_under_30_only(cast, region) -> None:
    from silta.accounts.roles import Role
    from silta.governance import indicators as gi
    from silta.integration.models import GuidanceContact

    guide = factories.staff(Role.SOCIAL_INSTRUCTOR, cast["ohjaamo"].provider)
    http = HttpClient()
    http.force_login(guide)
    url = "/integration/ohjaamo/contacts/new/"
    form = {
        "contacted_on": "2026-12-01",
        "channel": "walk_in",
        "municipality": str(region["272"].pk),
        "topic": "Opiskelupaikka",
    }
    assert http.post(url, {**form, "age": "30"}).status_code == 400
    assert not GuidanceContact.objects.exists()
    assert http.post(url, {**form, "age": "19"}).status_code == 302
    assert GuidanceContact.objects.count() == 1
    period = gi.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert gi.STATISTICS["ohjaamo_guidance_contacts"].compute(period) == 1
    # a case worker of the employment area is not an Ohjaamo guide
    other = HttpClient()
    other.force_login(cast["worker"])
    assert other.post(url, {**form, "age": "19"}).status_code == 403
    assert GuidanceContact.objects.count() == 1
