"""The supervisor of an IPS unit (issue 13: "a coach's relationship is the coach's and
the unit's supervisor's"; ADR 0028). Attacks first: a supervisor of another unit, an
ended coaching, the API instead of the page, a coach trying to move a colleague's
client; then the move itself with its errors next to the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from tests import factories
from tests.ips.conftest import take_in

from silta.accounts.models import Membership
from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import AccessLog, ChangeLog
from silta.clients.models import ServiceRelationship
from silta.core import dates
from silta.ips import services
from silta.ips.models import CoachingEpisode, EpisodeOutcome


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def unit(cast, episode):  # type: ignore[no-untyped-def]
    other_unit = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    return {
        **cast,
        "episode": episode,
        "supervisor": factories.staff(
            Role.IPS_SUPERVISOR, cast["ips"], last_name="Esihenkilo", language="en"
        ),
        "other_supervisor": factories.staff(Role.IPS_SUPERVISOR, other_unit),
        "foreign_coach": factories.staff(Role.IPS_COACH, other_unit, last_name="Vieras"),
    }


def _move_body(unit, to_coach, version=None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "to_coach": str(to_coach.pk),
        "reason": "Työnjako tasataan.",
        "confirm": "on",
        "version": unit["episode"].version if version is None else version,
    }


def _unchanged(unit) -> None:  # type: ignore[no-untyped-def]
    e = CoachingEpisode.objects.get(pk=unit["episode"].pk)
    assert e.coach_id == unit["coach"].pk and e.version == unit["episode"].version
    assert not ChangeLog.objects.filter(event="ips.episode_reassigned_by_supervisor").exists()


# --- attacks -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_supervisor_of_another_unit_sees_and_moves_nothing(unit) -> None:
    e, http = unit["episode"], _http(unit["other_supervisor"])
    unit_page = http.get("/ips/unit/")
    assert unit_page.status_code == 200 and "Valmennettava" not in unit_page.content.decode()
    assert http.get(f"/ips/episodes/{e.pk}/").status_code == 404
    assert http.get(f"/ips/unit/ips/episodes/{e.pk}/move/").status_code == 404
    assert (
        http.post(
            f"/ips/unit/ips/episodes/{e.pk}/move/", _move_body(unit, unit["other_coach"])
        ).status_code
        == 404
    )
    assert http.get(f"/clients/{e.client_id}/").status_code == 404
    # the API instead of the page
    assert http.get(f"/api/v1/ips/episodes/{e.pk}").status_code == 404
    assert http.get("/api/v1/ips/unit/episodes").json() == []
    api = http.post(
        f"/api/v1/ips/episodes/{e.pk}/reassign",
        {"to_coach_id": str(unit["other_coach"].pk), "reason": "x", "version": e.version},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert http.get(f"/api/v1/clients/{e.client_id}").status_code == 404
    _unchanged(unit)


@pytest.mark.django_db
def test_an_ended_coaching_is_the_coachs_alone(unit) -> None:
    e = unit["episode"]
    # the unit's relationships began with the referral, before today (one opened today
    # counts to the end of today, for the coach as for the supervisor)
    ServiceRelationship.objects.filter(client_id=e.client_id, organisation=unit["ips"]).update(
        valid_from=dates.today() - dt.timedelta(days=60)
    )
    services.episode_end(
        actor=unit["coach"], episode=e, ended_on=dates.today() - dt.timedelta(days=1),
        outcome=EpisodeOutcome.CLIENT_ENDED, version=e.version,
    )  # fmt: skip
    http = _http(unit["supervisor"])
    assert "Valmennettava" not in http.get("/ips/unit/").content.decode()
    assert http.get(f"/ips/episodes/{e.pk}/").status_code == 404
    assert http.get(f"/ips/unit/ips/episodes/{e.pk}/move/").status_code == 404
    assert http.get(f"/api/v1/ips/episodes/{e.pk}").status_code == 404
    assert http.get(f"/clients/{e.client_id}/").status_code == 404
    api = http.post(
        f"/api/v1/ips/episodes/{e.pk}/reassign",
        {"to_coach_id": str(unit["other_coach"].pk), "reason": "x", "version": e.version + 1},
        content_type="application/json",
    )
    assert api.status_code == 404


@pytest.mark.django_db
def test_a_supervisor_whose_role_has_ended_sees_nothing(unit) -> None:
    Membership.objects.filter(user=unit["supervisor"]).update(
        valid_to=dates.today() - dt.timedelta(days=1)
    )
    http = _http(unit["supervisor"])
    e = unit["episode"]
    assert http.get("/ips/unit/").status_code == 403
    assert http.get(f"/ips/episodes/{e.pk}/").status_code in (403, 404)
    assert http.get(f"/clients/{e.client_id}/").status_code in (403, 404)


@pytest.mark.django_db
def test_a_coach_cannot_move_a_colleagues_client(unit) -> None:
    e, http = unit["episode"], _http(unit["other_coach"])
    assert http.get("/ips/unit/").status_code == 403
    assert http.get(f"/ips/unit/ips/episodes/{e.pk}/move/").status_code == 403
    assert (
        http.post(
            f"/ips/unit/ips/episodes/{e.pk}/move/", _move_body(unit, unit["other_coach"])
        ).status_code
        == 403
    )
    api = http.post(
        f"/api/v1/ips/episodes/{e.pk}/reassign",
        {"to_coach_id": str(unit["other_coach"].pk), "reason": "x", "version": e.version},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert http.get("/api/v1/ips/unit/episodes").status_code == 403
    _unchanged(unit)


@pytest.mark.django_db
def test_the_supervisor_records_nothing_in_the_episode(unit, employer) -> None:
    e, http = unit["episode"], _http(unit["supervisor"])
    assert http.get(f"/ips/episodes/{e.pk}/steps/new/").status_code == 403
    job = http.post(
        f"/api/v1/ips/episodes/{e.pk}/jobs",
        {"employer_id": str(employer.pk), "job_title": "Varasto",
         "start_on": dates.today().isoformat(), "hours_per_week": "20"},
        content_type="application/json",
    )  # fmt: skip
    assert job.status_code in (403, 404)


# --- what the supervisor does --------------------------------------------------------


@pytest.mark.django_db
def test_the_supervisor_sees_the_units_coaching_and_the_client_logged(unit) -> None:
    e, http = unit["episode"], _http(unit["supervisor"])
    page = http.get("/ips/unit/")
    assert page.status_code == 200 and "Valmennettava" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    log = AccessLog.objects.get(section="ips:unit")
    assert log.basis == "ips_supervisor:unit"
    detail = http.get(f"/ips/episodes/{e.pk}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert f"/ips/unit/ips/episodes/{e.pk}/move/" in body
    assert f"/ips/episodes/{e.pk}/steps/new/" not in body
    client_page = http.get(f"/clients/{e.client_id}/")
    assert client_page.status_code == 200
    assert AccessLog.objects.filter(basis__startswith="unit_supervisor:").exists()
    assert http.get(f"/api/v1/ips/episodes/{e.pk}").status_code == 200
    assert [x["client_id"] for x in http.get("/api/v1/ips/unit/episodes").json()] == [
        str(e.client_id)
    ]


@pytest.mark.django_db
def test_the_supervisor_moves_the_coaching_with_a_confirmation(unit) -> None:
    e, http = unit["episode"], _http(unit["supervisor"])
    form = http.get(f"/ips/unit/ips/episodes/{e.pk}/move/")
    assert form.status_code == 200
    body = form.content.decode()
    assert "Toinen" in body and "Vieras" not in body  # only the unit's coaches offered
    no_confirm = _move_body(unit, unit["other_coach"])
    del no_confirm["confirm"]
    assert http.post(f"/ips/unit/ips/episodes/{e.pk}/move/", no_confirm).status_code == 400
    _unchanged(unit)
    done = http.post(f"/ips/unit/ips/episodes/{e.pk}/move/", _move_body(unit, unit["other_coach"]))
    assert done.status_code == 302
    moved = CoachingEpisode.objects.get(pk=e.pk)
    assert moved.coach_id == unit["other_coach"].pk
    log = ChangeLog.objects.get(event="ips.episode_reassigned_by_supervisor")
    assert log.actor_id == unit["supervisor"].pk
    # the coach's personal relationship moved too: the former coach no longer sees the
    # client, the new one does, and the supervisor still does
    rels = ServiceRelationship.objects.filter(client_id=e.client_id, organisation=unit["ips"])
    assert not rels.filter(staff_user=unit["coach"]).exclude(valid_to__lt=dates.today()).exists()
    assert _http(unit["coach"]).get(f"/clients/{e.client_id}/").status_code == 404
    assert _http(unit["other_coach"]).get(f"/clients/{e.client_id}/").status_code == 200
    assert http.get(f"/clients/{e.client_id}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["another_unit", "inactive", "same", "stale"])
def test_a_bad_move_is_refused_next_to_the_coach_field(unit, case, settings) -> None:
    e, http = unit["episode"], _http(unit["supervisor"])
    to, version, status = unit["other_coach"], e.version, 400
    if case == "another_unit":
        to, text = unit["foreign_coach"], "not a coach of this unit"
    elif case == "inactive":
        unit["other_coach"].is_active = False
        unit["other_coach"].save(update_fields=["is_active"])
        text = "does not coach now"
    elif case == "same":
        to, text = unit["coach"], "another coach than the current one"
    else:
        version, text, status = e.version - 1, "Reload the page", 409
    response = http.post(
        f"/ips/unit/ips/episodes/{e.pk}/move/",
        _move_body(unit, to, version),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == status
    assert text in response.content.decode()
    form = response.context["form"]
    assert form.errors.get("to_coach"), form.errors
    _unchanged(unit)
    # the same through the API, with the code
    api = http.post(
        f"/api/v1/ips/episodes/{e.pk}/reassign",
        {"to_coach_id": str(to.pk), "reason": "x", "version": version},
        content_type="application/json",
    )
    assert api.status_code == status
    codes = {
        "another_unit": "ips.coach_of_another_unit",
        "inactive": "ips.coach_not_active",
        "same": "ips.same_coach",
        "stale": "ips.stale_version",
    }
    assert api.json()["fields"]["to_coach"][0]["code"] == codes[case]
    _unchanged(unit)


@pytest.mark.django_db
def test_the_coach_hands_over_through_the_api_and_then_sees_nothing(unit) -> None:
    e, http = unit["episode"], _http(unit["coach"])
    api = http.post(
        f"/api/v1/ips/episodes/{e.pk}/reassign",
        {"to_coach_id": str(unit["other_coach"].pk), "reason": "Loma", "version": e.version},
        content_type="application/json",
    )
    assert api.status_code == 200 and "Valmennettava" not in api.content.decode()
    assert api.json()["coach_id"] == str(unit["other_coach"].pk)
    assert http.get(f"/ips/episodes/{e.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_coach_taken_over_elsewhere_does_not_open_the_client_to_a_supervisor(unit) -> None:
    """A coach of another unit with a client of their own: the supervisor of this unit
    does not see that client (the relationship is in the other unit)."""
    other = factories.client(unit["kokkola"], last_name="Muualla", organisation=unit["ips"])
    cast = {**unit, "ips": unit["foreign_coach"].memberships.get().organisation}
    cast.pop("ips_service", None)
    take_in(cast, other, coach=unit["foreign_coach"])
    http = _http(unit["supervisor"])
    assert "Muualla" not in http.get("/ips/unit/").content.decode()
