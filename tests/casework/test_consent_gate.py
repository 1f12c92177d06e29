"""Consent gate: a health-only note is invisible to the employment case worker
without consent, visible with it, invisible again after withdrawal; each read is
logged with its basis."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.audit.models import AccessLog
from silta.casework.services import (
    consent_record,
    consent_withdraw,
    note_write,
    referral_move,
    referral_send,
)


@pytest.fixture
def cast(region):
    cast = factories.two_organisations(region["272"])
    # the nurse works with the client through an accepted referral
    r = referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus",
    )
    referral_move(actor=cast["nurse"], referral=r, to_status="accepted", version=1)
    note_write(
        actor=cast["nurse"],
        client=cast["client"],
        visibility="health_only",
        text="Selkävaivat rajoittavat työkykyä.",
    )
    return cast


def _page(user, client) -> tuple[str, AccessLog]:
    http = HttpClient()
    http.force_login(user)
    response = http.get(f"/clients/{client.pk}/casework/")
    assert response.status_code == 200
    return response.content.decode(), AccessLog.objects.order_by("-id").first()


@pytest.mark.django_db
def test_health_note_follows_the_consent(cast) -> None:
    worker, client = cast["worker"], cast["client"]
    secret = "Selkävaivat rajoittavat työkykyä."
    # given no consent: the case worker does not see the health note
    body, log = _page(worker, client)
    assert secret not in body
    assert log.basis == "client_relationship:jobseeker"
    # when the client consents to share health data with the employment services
    # (the nurse's unit, the controller of the note, records it)
    consent = consent_record(
        actor=cast["nurse"],
        client=client,
        recipient=cast["employment"],
        data_classes=["health"],
        purpose="Työkyvyn arviointi",
        given_how="in_writing",
        given_reference="Suostumuslomake",
    )
    # then the note shows, and the read is logged with the consent as its basis
    body, log = _page(worker, client)
    assert secret in body
    assert log.basis == f"client_relationship:jobseeker;consent:{consent.pk}"
    assert [s.client_id for s in log.subjects.all()] == [client.pk]
    # when the consent is withdrawn, then the note is hidden again
    consent_withdraw(actor=cast["nurse"], consent=consent)
    body, log = _page(worker, client)
    assert secret not in body
    assert log.basis == "client_relationship:jobseeker"
    # and each page view wrote exactly one row
    assert AccessLog.objects.filter(section__startswith="casework:").count() == 3


@pytest.mark.django_db
def test_the_nurse_sees_her_health_note_on_her_own_basis(cast) -> None:
    body, log = _page(cast["nurse"], cast["client"])
    assert "Selkävaivat" in body
    assert log.basis == "client_relationship:referral;own_organisation:health_role"


@pytest.mark.django_db
def test_api_notes_follow_the_same_gate(cast) -> None:
    http = HttpClient()
    http.force_login(cast["worker"])
    assert http.get(f"/api/v1/clients/{cast['client'].pk}/notes").json() == []
    consent = consent_record(
        actor=cast["nurse"],
        client=cast["client"],
        recipient=cast["employment"],
        data_classes=["health"],
        purpose="Työkyky",
        given_how="orally",
        given_reference="Terveystarkastus",
    )
    notes = http.get(f"/api/v1/clients/{cast['client'].pk}/notes").json()
    assert [n["access_basis"] for n in notes] == [f"consent:{consent.pk}"]


@pytest.mark.django_db
def test_only_health_professionals_write_health_only_notes(cast) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        note_write(actor=cast["worker"], client=cast["client"], visibility="health_only", text="x")
    assert exc.value.error_dict["visibility"][0].code == "casework.no_access"


@pytest.mark.django_db
def test_a_referral_with_health_data_needs_a_consent(cast) -> None:
    from django.core.exceptions import ValidationError

    social = factories.OrganisationFactory(name_fi="Aikuissosiaalityö")
    wa = factories.service(social, "work_ability_assessment")
    args = {
        "actor": cast["nurse"],
        "client": cast["client"],
        "service": wa,
        "to_organisation": social,
        "reason": "Työkyvyn arvio",
        "shares": "health",
    }
    with pytest.raises(ValidationError) as exc:
        referral_send(**args)
    assert exc.value.error_dict["shares"][0].code == "referral.no_consent_or_basis"
    consent = consent_record(
        actor=cast["nurse"],
        client=cast["client"],
        recipient=social,
        data_classes=["health"],
        purpose="Työkyvyn arvio",
        given_how="electronically",
        given_reference="Viesti OmaSoitessa",
    )
    referral = referral_send(**args)
    assert referral.sharing_basis == f"consent:{consent.pk}"
