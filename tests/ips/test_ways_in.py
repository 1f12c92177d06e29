"""Issue 13: finding a client is not a way in. A coach takes a client into coaching from
a referral the IPS unit accepted, or from an intake recorded with the client present of
a client the coach may already see — never by typing an identity code. The coaching
relationship is the coach's own; it moves with a hand-over and ends with the episode."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLog
from silta.casework.services import referral_send
from silta.clients.models import RelationshipKind, ServiceRelationship
from silta.clients.policies import can_view_client
from silta.clients.services import relationship_open
from silta.core import dates
from silta.ips import services
from silta.ips.models import CoachingEpisode

pytestmark = pytest.mark.django_db


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _intake_post(personal_id: str) -> dict[str, str]:
    today = dates.today().isoformat()
    return {
        "personal_id": personal_id,
        "referred_on": today,
        "referring_unit": "Psykiatrian poliklinikka",
        "intake_met_on": today,
        "intake_in_person": "on",
        "job_interests": "",
    }


def test_typing_an_identity_code_does_not_open_a_client(cast) -> None:
    # the attacker: a coach who does not work with the client types the client's code
    victim = cast["client"]
    assert not can_view_client(cast["coach"], victim)
    http = _as(cast["coach"])
    known = http.post("/ips/episodes/new/", _intake_post(victim.personal_id))
    unknown = http.post("/ips/episodes/new/", _intake_post(factories.synthetic_hetu()))
    # nothing is written and nothing opens
    assert known.status_code == 400
    assert not CoachingEpisode.objects.exists()
    assert not ServiceRelationship.objects.filter(organisation=cast["ips"]).exists()
    assert not can_view_client(cast["coach"], victim)
    assert http.get(f"/clients/{victim.pk}/").status_code == 404
    # and the answer does not tell whether the code belongs to anybody
    assert unknown.status_code == 400
    said = known.context["form"].errors["personal_id"]
    assert said == unknown.context["form"].errors["personal_id"]
    assert said.as_data()[0].code == "ips.client_unknown"
    assert victim.last_name not in known.content.decode()


def test_the_service_refuses_an_intake_of_a_client_the_coach_may_not_see(cast) -> None:
    with pytest.raises(ValidationError) as caught:
        services.episode_refer(
            actor=cast["coach"], client=cast["client"], referred_on=dates.today(),
            referring_unit="x", intake_met_on=dates.today(), intake_in_person=True,
        )  # fmt: skip
    assert caught.value.error_dict["client"][0].code == "ips.client_unknown"
    assert not CoachingEpisode.objects.exists()


def test_an_intake_needs_the_client_present(cast) -> None:
    # a client the IPS unit already works with (e.g. from Soite's own care)
    relationship_open(
        actor=None, client=cast["client"], organisation=cast["ips"],
        kind=RelationshipKind.HEALTH_SERVICES, valid_from=dates.today(),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.episode_refer(
            actor=cast["coach"], client=cast["client"], referred_on=dates.today(),
            referring_unit="x", intake_met_on=None, intake_in_person=False,
        )  # fmt: skip
    assert set(caught.value.error_dict) == {"intake_met_on", "intake_in_person"}
    future = dates.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.episode_refer(
            actor=cast["coach"], client=cast["client"], referred_on=dates.today(),
            referring_unit="x", intake_met_on=future, intake_in_person=True,
        )  # fmt: skip
    assert caught.value.error_dict["intake_met_on"][0].code == "ips.date_in_future"
    assert not CoachingEpisode.objects.exists()
    # present and recorded: the coaching starts, with the intake on the episode
    page = _as(cast["coach"]).post("/ips/episodes/new/", _intake_post(cast["client"].personal_id))
    assert page.status_code == 302
    episode = CoachingEpisode.objects.get()
    assert episode.intake_met_on == dates.today() and episode.intake_in_person
    assert episode.intake_by == cast["coach"] and episode.referral is None


def test_the_coaching_relationship_is_the_coachs_own(cast, episode) -> None:
    rel = episode.relationship
    assert rel is not None and rel.staff_user == cast["coach"]
    assert rel.kind == RelationshipKind.IPS_COACHING
    url = f"/clients/{cast['client'].pk}/"
    assert _as(cast["coach"]).get(url).status_code == 200
    # another coach of the same unit does not see the client
    assert _as(cast["other_coach"]).get(url).status_code == 404
    assert not can_view_client(cast["other_coach"], cast["client"])


def test_a_referral_taken_in_becomes_the_coachs(cast) -> None:
    ips_service = factories.service(cast["ips"], "ips_job_coaching", data_class="none")
    sent = referral_send(
        actor=cast["worker"], client=cast["client"], service=ips_service,
        to_organisation=cast["ips"], reason="Haluaa töihin.",
    )  # fmt: skip
    _as(cast["coach"]).post(f"/referrals/{sent.pk}/accepted/", {"accepted-version": sent.version})
    sent.refresh_from_db()
    # accepted by the unit: the unit's coaches see the referral to take it in
    assert can_view_client(cast["other_coach"], cast["client"])
    services.episode_refer(
        actor=cast["coach"], client=cast["client"], referred_on=dates.today(),
        referring_unit="x", referral=sent,
    )  # fmt: skip
    # taken in: the client is the coach's, not the whole unit's
    assert can_view_client(cast["coach"], cast["client"])
    assert not can_view_client(cast["other_coach"], cast["client"])


def test_a_hand_over_moves_the_relationship(cast, episode) -> None:
    services.episode_hand_over(
        actor=cast["coach"], episode=episode, to_coach=cast["other_coach"],
        reason="Vanhempainvapaa", version=episode.version,
    )  # fmt: skip
    assert can_view_client(cast["other_coach"], cast["client"])
    assert not can_view_client(cast["coach"], cast["client"])


def test_an_administrator_moving_a_leavers_episodes_moves_the_relationships(cast, episode) -> None:
    moved = services.episodes_reassign(
        actor=cast["admin"], from_coach=cast["coach"], to_coach=cast["other_coach"],
        reason="Lähti",
    )  # fmt: skip
    assert moved == 1
    assert can_view_client(cast["other_coach"], cast["client"])
    assert not can_view_client(cast["coach"], cast["client"])
    assert not can_view_client(cast["admin"], cast["client"])


def test_an_ended_episode_keeps_the_coachs_records_not_the_client(cast, episode) -> None:
    ended = services.episode_end(
        actor=cast["coach"], episode=episode, ended_on=dates.today() - dt.timedelta(days=1),
        outcome="client_ended", version=episode.version,
    )  # fmt: skip
    http = _as(cast["coach"])
    # the coach's own records stay readable (and the read is logged)
    before = AccessLog.objects.count()
    assert http.get(f"/ips/episodes/{ended.pk}/").status_code == 200
    assert AccessLog.objects.count() == before + 1
    # but the client's other data are closed (from the next day at the latest: a
    # relationship's last day counts whole)
    with time_machine.travel(dates.now() + dt.timedelta(days=1)):
        assert not can_view_client(cast["coach"], cast["client"])
        http = _as(cast["coach"])
        assert http.get(f"/clients/{cast['client'].pk}/").status_code == 404
        assert http.get(f"/ips/episodes/{ended.pk}/").status_code == 200


def test_an_other_coach_in_another_unit_cannot_use_the_form_to_probe(cast) -> None:
    elsewhere = factories.staff(Role.IPS_COACH, factories.OrganisationFactory())
    page = _as(elsewhere).post("/ips/episodes/new/", _intake_post(cast["client"].personal_id))
    assert page.status_code == 400
    assert page.context["form"].errors["personal_id"].as_data()[0].code == "ips.client_unknown"


def test_the_api_job_answer_writes_one_access_log_row(cast, episode, employer) -> None:
    before = AccessLog.objects.count()
    r = _as(cast["coach"]).post(
        f"/api/v1/ips/episodes/{episode.pk}/jobs",
        {
            "employer_id": str(employer.pk),
            "job_title": "Varastotyöntekijä",
            "start_on": episode.started_on.isoformat(),
            "hours_per_week": "20",
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    assert AccessLog.objects.count() == before + 1
