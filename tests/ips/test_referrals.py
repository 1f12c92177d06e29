"""Case-work referrals to the IPS unit: the coach handles them in the referral inbox
and takes an accepted one into coaching; the episode answers the referral."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLogSubject
from silta.casework.models import Referral
from silta.casework.services import referral_send
from silta.core import dates
from silta.ips import services
from silta.ips.models import CoachingEpisode


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def sent(cast):
    ips_service = factories.service(cast["ips"], "ips_job_coaching", data_class="none")
    return referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=ips_service,
        to_organisation=cast["ips"],
        reason="Haluaa avoimille työmarkkinoille.",
    )


@pytest.mark.django_db
def test_coach_accepts_in_the_inbox_and_takes_the_client_in(cast, sent) -> None:
    http = _as(cast["coach"])
    # the referral waits in the inbox; not yet on the IPS list (not accepted)
    assert "Valmennettava" in http.get("/referrals/").content.decode()
    assert f"/ips/referrals/{sent.pk}/take/" not in http.get("/ips/").content.decode()
    assert http.get(f"/ips/referrals/{sent.pk}/take/").status_code == 404
    assert http.get(f"/referrals/{sent.pk}/").status_code == 200
    moved = http.post(f"/referrals/{sent.pk}/accepted/", {"accepted-version": sent.version})
    assert moved.status_code == 302
    assert Referral.objects.get(pk=sent.pk).status == "accepted"
    # accepted: waiting for a coach on the IPS list, the form filled from the referral
    assert f"/ips/referrals/{sent.pk}/take/" in http.get("/ips/").content.decode()
    form = http.get(f"/ips/referrals/{sent.pk}/take/").content.decode()
    assert cast["worker"].memberships.get().organisation.name in form
    assert sent.sent_at.astimezone(dates.HELSINKI).date().isoformat() in form
    done = http.post(
        f"/ips/referrals/{sent.pk}/take/",
        {
            "referred_on": dates.today().isoformat(),
            "referring_unit": "Työllisyysalue",
            "job_interests": "Varasto",
        },
    )
    assert done.status_code == 302
    episode = CoachingEpisode.objects.get(referral=sent)
    assert episode.coach == cast["coach"] and episode.client == cast["client"]
    assert episode.relationship is not None  # the coach's own (issue 13)
    assert episode.relationship.staff_user == cast["coach"]
    assert f"/ips/referrals/{sent.pk}/take/" not in http.get("/ips/").content.decode()
    page = http.get(f"/ips/episodes/{episode.pk}/").content.decode()
    assert f"/referrals/{sent.pk}/" in page
    # the reads were logged
    assert AccessLogSubject.objects.filter(
        log__section="ips:referral_to_take", client_id=cast["client"].pk
    ).exists()


@pytest.mark.django_db
def test_taking_a_referral_is_refused_when_it_is_not_the_coachs(cast, sent) -> None:
    # not accepted yet
    with pytest.raises(ValidationError) as caught:
        services.episode_refer(
            actor=cast["coach"], client=cast["client"], referred_on=dates.today(),
            referring_unit="x", referral=sent,
        )  # fmt: skip
    assert caught.value.error_dict["__all__"][0].code == "ips.referral_not_accepted"
    # another unit's coach, and a client that is not the referral's
    elsewhere = factories.staff(Role.IPS_COACH, factories.OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.episode_refer(
            actor=elsewhere, client=cast["client"], referred_on=dates.today(),
            referring_unit="x", referral=sent,
        )  # fmt: skip
    other_client = factories.client(cast["kokkola"])
    with pytest.raises(PermissionDenied):
        services.episode_refer(
            actor=cast["coach"], client=other_client, referred_on=dates.today(),
            referring_unit="x", referral=sent,
        )  # fmt: skip
    assert _as(elsewhere).get(f"/ips/referrals/{sent.pk}/take/").status_code == 404
    assert _as(elsewhere).get(f"/referrals/{sent.pk}/").status_code == 404
    assert not CoachingEpisode.objects.exists()


@pytest.mark.django_db
def test_a_referral_is_taken_in_once(cast, sent) -> None:
    _as(cast["coach"]).post(f"/referrals/{sent.pk}/accepted/", {"accepted-version": sent.version})
    sent.refresh_from_db()
    services.episode_refer(
        actor=cast["coach"], client=cast["client"], referred_on=dates.today(),
        referring_unit="x", referral=sent,
    )  # fmt: skip
    second = _as(cast["other_coach"])
    assert second.get(f"/ips/referrals/{sent.pk}/take/").status_code == 404
    with pytest.raises(ValidationError):
        services.episode_refer(
            actor=cast["other_coach"], client=cast["client"], referred_on=dates.today(),
            referring_unit="x", referral=sent,
        )  # fmt: skip
    assert CoachingEpisode.objects.count() == 1
