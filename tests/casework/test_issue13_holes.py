"""The holes of issue 13 that case work had, as the attacker tries them: a recipient
recording its own basis, a worker changing another controller's records, health
ratings leaking, an ended relationship still opening old referrals, form pages that
show a client without an access-log row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import AccessLog
from silta.casework.models import Consent
from silta.casework.services import (
    assessment_sign,
    consent_record,
    note_write,
    plan_create,
    referral_move,
    referral_send,
)
from silta.clients.models import ServiceRelationship
from silta.clients.services import relationship_open
from silta.core import dates

SECRET = "Selkävaivat rajoittavat työkykyä."


@pytest.fixture
def cast(region):
    cast = factories.two_organisations(region["272"])
    c = cast["client"]
    r = referral_send(
        actor=cast["worker"],
        client=c,
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus: selkä",
    )
    referral_move(actor=cast["nurse"], referral=r, to_status="accepted", version=1)
    note_write(actor=cast["nurse"], client=c, visibility="health_only", text=SECRET)
    social = factories.OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Aikuissosiaalityö"
    )
    relationship_open(
        actor=None, client=c, organisation=social, kind="social_work", valid_from=dates.today()
    )
    kela = factories.OrganisationFactory(kind=OrganisationKind.KELA, name_fi="Kela")
    relationship_open(
        actor=None, client=c, organisation=kela, kind="kela_benefits", valid_from=dates.today()
    )
    cast.update(
        referral=r,
        social=social,
        social_worker=factories.staff(Role.SOCIAL_WORKER, social),
        kela=kela,
        kela_expert=factories.staff(Role.KELA_EXPERT, kela),
    )
    return cast


def _http(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _notes(user, client) -> list[dict]:
    response = _http(user).get(f"/api/v1/clients/{client.pk}/notes")
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_a_case_worker_cannot_open_health_notes_with_a_consent_for_itself(cast) -> None:
    c = cast["client"]
    api = _http(cast["worker"]).post(
        f"/api/v1/clients/{c.pk}/consents",
        {
            "organisation_id": str(cast["employment"].pk),
            "recipient_id": str(cast["employment"].pk),
            "data_classes": ["health"],
            "scope": "health",
            "purpose": "Työkyky",
            "valid_from": "2000-01-01",
            "given_how": "in_writing",
            "given_reference": "lomake 1",
        },
        content_type="application/json",
    )
    assert api.status_code in (400, 403)
    page = _http(cast["worker"]).post(
        f"/clients/{c.pk}/consents/new/",
        {
            "recipient": str(cast["employment"].pk),
            "organisation": str(cast["employment"].pk),
            "data_classes": ["health"],
            "scope": "health",
            "purpose": "Työkyky",
            "valid_from": dates.today().isoformat(),
            "given_how": "in_writing",
            "given_reference": "lomake 1",
        },
    )
    assert page.status_code == 400
    assert not Consent.objects.exists()
    assert SECRET not in str(_notes(cast["worker"], c))


@pytest.mark.django_db
def test_a_case_worker_cannot_open_health_notes_to_kela(cast) -> None:
    c = cast["client"]
    api = _http(cast["worker"]).post(
        f"/api/v1/clients/{c.pk}/consents",
        {
            "organisation_id": str(cast["kela"].pk),
            "recipient_id": str(cast["kela"].pk),
            "data_classes": ["health"],
            "scope": "health",
            "purpose": "Etuus",
            "valid_from": dates.today().isoformat(),
            "given_how": "in_writing",
            "given_reference": "lomake 2",
        },
        content_type="application/json",
    )
    assert api.status_code in (400, 403)
    assert not Consent.objects.exists()
    assert SECRET not in str(_notes(cast["kela_expert"], c))


@pytest.mark.django_db
def test_kela_cannot_record_a_consent_for_itself_on_the_page(cast) -> None:
    c = cast["client"]
    page = _http(cast["kela_expert"]).post(
        f"/clients/{c.pk}/consents/new/",
        {
            "recipient": str(cast["kela"].pk),
            "organisation": str(cast["kela"].pk),
            "data_classes": ["health"],
            "scope": "health",
            "purpose": "Etuus",
            "valid_from": dates.today().isoformat(),
            "given_how": "orally",
            "given_reference": "tapaaminen",
        },
    )
    assert page.status_code == 400
    assert not Consent.objects.exists()
    assert SECRET not in str(_notes(cast["kela_expert"], c))


@pytest.mark.django_db
def test_a_case_worker_cannot_change_a_plan_of_soite(cast) -> None:
    c = cast["client"]
    plan = plan_create(
        actor=cast["social_worker"],
        client=c,
        kind="activation",
        goals="Sosiaalityön tavoite",
        actions="",
        next_review_on=dates.today() + dt.timedelta(days=30),
    )
    http = _http(cast["worker"])
    revised = http.put(
        f"/api/v1/plans/{plan.pk}",
        {
            "version": 1,
            "goals": "Muutettu",
            "next_review_on": (dates.today() + dt.timedelta(days=40)).isoformat(),
        },
        content_type="application/json",
    )
    assert revised.status_code in (403, 404)
    moved = http.post(
        f"/api/v1/plans/{plan.pk}/status",
        {"version": 1, "to_status": "agreed"},
        content_type="application/json",
    )
    assert moved.status_code in (403, 404)
    page = http.post(f"/plans/{plan.pk}/status/", {"version": 1, "to_status": "agreed"})
    assert page.status_code in (403, 404)
    plan.refresh_from_db()
    assert (plan.version, plan.status) == (1, "draft")


@pytest.mark.django_db
def test_a_case_worker_cannot_withdraw_a_consent_soite_recorded(cast) -> None:
    c = cast["client"]
    consent = consent_record(
        actor=cast["nurse"],
        client=c,
        recipient=cast["employment"],
        data_classes=["health"],
        purpose="Työkyvyn arviointi",
        given_how="in_writing",
        given_reference="Suostumuslomake 12/2026",
    )
    assert SECRET in str(_notes(cast["worker"], c))
    http = _http(cast["worker"])
    refused = http.post(f"/api/v1/consents/{consent.pk}/withdraw")
    assert refused.status_code in (403, 404), refused.content
    http.post(f"/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.django_db
def test_mental_health_ratings_do_not_reach_the_employment_area(cast) -> None:
    c = cast["client"]
    ratings = dict.fromkeys(("work_ability", "physical_health", "housing", "finances", "education", "social_network", "life_management"), (4, ""))  # fmt: skip
    ratings["mental_health"] = (1, "Vaikea masennus")
    ratings["substance_use"] = (2, "Alkoholin riskikäyttö")
    assessment_sign(
        actor=cast["social_worker"], client=c, assessed_on=dates.today(), ratings=ratings
    )
    http = _http(cast["worker"])
    api = http.get(f"/api/v1/clients/{c.pk}/assessments").json()
    assert len(api) == 1
    assert "mental_health" not in api[0]["ratings"]
    assert "substance_use" not in api[0]["ratings"]
    assert api[0]["ratings"]["housing"]["rating"] == 4
    page = http.get(f"/clients/{c.pk}/casework/").content.decode()
    assert "Vaikea masennus" not in page and "riskikäyttö" not in page
    # the social worker who made the assessment sees all of it
    own = _http(cast["social_worker"]).get(f"/api/v1/clients/{c.pk}/assessments").json()
    assert own[0]["ratings"]["mental_health"]["text"] == "Vaikea masennus"
    # Soite's consent for mental health data opens that class only, logged as the basis
    consent = consent_record(
        actor=cast["social_worker"],
        client=c,
        recipient=cast["employment"],
        data_classes=["mental_health"],
        purpose="Monialainen arvio",
        given_how="orally",
        given_reference="Tapaaminen",
    )
    opened = http.get(f"/api/v1/clients/{c.pk}/assessments").json()[0]["ratings"]
    assert opened["mental_health"]["text"] == "Vaikea masennus"
    assert "substance_use" not in opened
    log = AccessLog.objects.order_by("-id").first()
    assert log.section == "casework:assessments" and f"consent:{consent.pk}" in log.basis


@pytest.mark.django_db
def test_an_ended_relationship_no_longer_opens_old_referrals(cast) -> None:
    r = cast["referral"]
    ServiceRelationship.objects.filter(organisation=cast["health"]).update(
        valid_from=dates.today() - dt.timedelta(days=30),
        valid_to=dates.today() - dt.timedelta(days=1),
    )
    r.status = "completed"
    r.save(update_fields=["status"])
    http = _http(cast["nurse"])
    assert http.get(f"/referrals/{r.pk}/").status_code == 404
    inbox = http.get("/referrals/?status=all").content.decode()
    assert cast["client"].last_name not in inbox and "selkä" not in inbox
    api = http.get("/api/v1/referrals/inbox?status=all").json()
    assert api == []


@pytest.mark.parametrize(
    "form", ["referrals", "appointments", "notes", "consents", "joint-service",
             "assessments", "plans", "outcomes"],
)  # fmt: skip
@pytest.mark.django_db
def test_every_case_work_form_page_logs_the_read(cast, form) -> None:
    c = cast["client"]
    before = AccessLog.objects.count()
    response = _http(cast["worker"]).get(f"/clients/{c.pk}/{form}/new/")
    assert response.status_code == 200
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert len(rows) == 1
    assert [s.client_id for s in rows[0].subjects.all()] == [c.pk]
    assert rows[0].section.startswith("casework:form")
