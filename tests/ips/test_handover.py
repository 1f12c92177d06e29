"""A coach hands an episode over; an administrator moves a departing coach's open
episodes. Only the new coach sees them afterwards; the administrator never sees a
client; bad input saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client as HttpClient
from tests import factories
from tests.ips.conftest import take_in

from silta.accounts.models import Membership
from silta.accounts.roles import Role
from silta.audit.models import AccessLog, ChangeLog
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.ips import selectors, services
from silta.ips.models import CoachingEpisode


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _codes(exc: ValidationError) -> dict[str, list[str]]:
    return {k: [e.code for e in v] for k, v in exc.error_dict.items()}


@pytest.mark.django_db
def test_coach_hands_an_episode_over_to_a_colleague(cast, episode) -> None:
    coach, other = cast["coach"], cast["other_coach"]
    services.episode_hand_over(
        actor=coach,
        episode=episode,
        to_coach=other,
        reason="Vanhempainvapaa",
        version=episode.version,
    )
    moved = CoachingEpisode.objects.get(pk=episode.pk)
    assert moved.coach == other and moved.version == episode.version + 1
    log = ChangeLog.objects.filter(event="ips.episode_handed_over").get()
    assert log.changes["coach_id"] == [str(coach.pk), str(other.pk)]
    # only the new coach sees it now
    with pytest.raises(Http404):
        selectors.episode_get_for(actor=coach, episode_id=episode.pk)
    assert selectors.episode_get_for(actor=other, episode_id=episode.pk).episode == moved


@pytest.mark.django_db
def test_hand_over_refuses_bad_choices_and_saves_nothing(cast, episode) -> None:
    coach = cast["coach"]
    outsider = factories.staff(Role.IPS_COACH, factories.OrganisationFactory())
    case_worker = cast["worker"]
    for to_coach, reason, field, code in [
        (None, "syy", "to_coach", "ips.required"),
        (coach, "syy", "to_coach", "ips.same_coach"),
        (outsider, "syy", "to_coach", "ips.not_a_coach_of_the_organisation"),
        (case_worker, "syy", "to_coach", "ips.not_a_coach_of_the_organisation"),
        (cast["other_coach"], "  ", "reason", "ips.required"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.episode_hand_over(
                actor=coach,
                episode=episode,
                to_coach=to_coach,
                reason=reason,
                version=episode.version,
            )
        assert code in _codes(caught.value)[field]
    # a coach whose membership has ended is no longer a choice
    Membership.objects.filter(user=cast["other_coach"]).update(
        valid_to=dates.today() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.episode_hand_over(
            actor=coach,
            episode=episode,
            to_coach=cast["other_coach"],
            reason="x",
            version=episode.version,
        )
    # a stale page and someone else's episode
    with pytest.raises(StaleEdit):
        services.episode_hand_over(
            actor=coach, episode=episode, to_coach=cast["other_coach"], reason="x", version=0
        )
    with pytest.raises(PermissionDenied):
        services.episode_hand_over(
            actor=cast["other_coach"],
            episode=episode,
            to_coach=coach,
            reason="x",
            version=episode.version,
        )
    assert CoachingEpisode.objects.get(pk=episode.pk).coach == coach
    assert not ChangeLog.objects.filter(event="ips.episode_handed_over").exists()


@pytest.mark.django_db
def test_hand_over_page_offers_colleagues_only_and_shows_errors(cast, episode) -> None:
    url = f"/ips/episodes/{episode.pk}/hand-over/"
    http = _as(cast["coach"])
    page = http.get(url).content.decode()
    assert "Toinen" in page and "Iida Coach</option>" not in page
    bad = http.post(
        url, {"to_coach": str(cast["other_coach"].pk), "reason": "", "version": episode.version}
    )
    assert bad.status_code == 400
    done = http.post(
        url,
        {
            "to_coach": str(cast["other_coach"].pk),
            "reason": "Sairausloma",
            "version": episode.version,
        },
    )
    assert done.status_code == 302 and done["Location"] == "/ips/"
    assert CoachingEpisode.objects.get(pk=episode.pk).coach == cast["other_coach"]
    # the old coach's page for it is gone; another coach never had one
    assert http.get(f"/ips/episodes/{episode.pk}/").status_code == 404


@pytest.mark.django_db
def test_admin_moves_a_departed_coachs_open_episodes(cast, episode, region) -> None:
    coach, other, admin = cast["coach"], cast["other_coach"], cast["admin"]
    second = take_in(cast, factories.client(region["272"]))
    # the coach leaves: the account is closed
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    reads_before = AccessLog.objects.count()
    rows = {
        (r.coach.pk, r.open_episodes, r.coaching) for r in selectors.coach_overview_for(actor=admin)
    }
    assert rows == {(coach.pk, 2, False), (other.pk, 0, True)}
    http = _as(admin)
    page = http.get("/ips/coaches/").content.decode()
    assert "Valmennettava" not in page  # no client names for the administrator
    # without the confirmation nothing moves
    form = {"from_coach": str(coach.pk), "to_coach": str(other.pk), "reason": "Lopettanut"}
    assert http.post("/ips/coaches/", form).status_code == 400
    assert CoachingEpisode.objects.filter(coach=coach).count() == 2
    done = http.post("/ips/coaches/", form | {"confirm": "on"})
    assert done.status_code == 302
    assert set(CoachingEpisode.objects.values_list("coach", flat=True)) == {other.pk}
    assert ChangeLog.objects.filter(event="ips.episode_reassigned").count() == 2
    assert {e.pk for e in CoachingEpisode.objects.filter(coach=other)} == {episode.pk, second.pk}
    assert AccessLog.objects.count() == reads_before  # the admin read no client data
    # nothing left to move: a clear error next to the field
    again = http.post("/ips/coaches/", form | {"confirm": "on"})
    assert again.status_code == 400
    assert 'id="id_from_coach-error"' in again.content.decode()


@pytest.mark.django_db
def test_reassign_checks_the_new_coach_and_the_permission(cast, episode) -> None:
    outsider = factories.staff(Role.IPS_COACH, factories.OrganisationFactory())
    with pytest.raises(ValidationError) as caught:
        services.episodes_reassign(
            actor=cast["admin"], from_coach=cast["coach"], to_coach=outsider, reason="x"
        )
    assert _codes(caught.value)["to_coach"] == ["ips.not_a_coach_of_the_organisation"]
    for who in ("coach", "manager", "worker"):
        with pytest.raises(PermissionDenied):
            services.episodes_reassign(
                actor=cast[who], from_coach=cast["coach"], to_coach=cast["other_coach"], reason="x"
            )
        assert _as(cast[who]).get("/ips/coaches/").status_code == 403
    assert CoachingEpisode.objects.get(pk=episode.pk).coach == cast["coach"]
