"""Integration services (issue 17, 681/2023): languages from ISO 639, the initial
assessment, the integration plan with its period and reviews, interpreting of
appointments; bad input refused next to the field with nothing written; only the
organisations the act names record, and only the controller changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import AccessLog, ChangeLog
from silta.casework.services import appointment_create
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.integration import services
from silta.integration.languages import is_language, language_name
from silta.integration.models import InitialAssessment, IntegrationPlan, LanguageProfile
from silta.integration.selectors import interpreter_gaps_for


@pytest.fixture
def cast(region):
    cast = factories.two_organisations(region["272"])
    cast["other_employment"] = factories.OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES
    )
    cast["stranger"] = factories.staff(Role.CASE_WORKER, cast["other_employment"])
    return cast


def _assessment(cast, **kw):  # type: ignore[no-untyped-def]
    today = dates.today()
    values = {
        "client_since": today - dt.timedelta(days=20),
        "assessed_on": today - dt.timedelta(days=5),
        "finnish_level": "A1",
        "swedish_level": "none",
        "english_level": "B1",
        "education": "higher",
        "service_need": "Kotoutumiskoulutus ja työkokeilu",
        "interpreter_used": True,
    }
    values.update(kw)
    return services.initial_assessment_sign(actor=cast["worker"], client=cast["client"], **values)


def test_language_names_come_from_cldr_in_three_languages() -> None:
    assert language_name("ar", "fi") == "arabia"
    assert language_name("ar", "sv") == "arabiska"
    assert language_name("so", "en") == "Somali"
    assert is_language("uk") and not is_language("xx") and not is_language("en_US")


@pytest.mark.django_db
def test_a_worker_records_languages_assessment_and_plan(cast) -> None:
    today = dates.today()
    # given a jobseeker who arrived last year and needs an Arabic interpreter
    profile = services.language_profile_save(
        actor=cast["worker"],
        client=cast["client"],
        mother_tongue="ar",
        other_languages=["en", "fr"],
        interpreter_needed=True,
        interpreter_language="ar",
        arrived_on=today - dt.timedelta(days=300),
        integration_client_since=today - dt.timedelta(days=20),
    )
    # when the initial assessment and then the plan are made
    assessment = _assessment(cast)
    plan = services.integration_plan_create(
        actor=cast["worker"],
        client=cast["client"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=300),
        goals="Suomen kieli A2, työkokeilu",
        language_training=True,
        interpreter_used=True,
    )
    # then they are stored with the assessment the plan rests on, and change-logged
    assert profile.version == 1 and assessment.days_from_start == 15
    assert plan.assessment == assessment
    events = set(ChangeLog.objects.values_list("event", flat=True))
    assert {
        "integration.language_profile_recorded",
        "integration.initial_assessment_signed",
        "integration.plan_created",
    } <= events
    # and a review moves the version on
    services.integration_plan_review(
        actor=cast["worker"], plan=plan, version=1, reviewed_on=today, note="Jatketaan"
    )
    plan.refresh_from_db()
    assert plan.version == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "kwargs", "code"),
    [
        ("mother_tongue", {"mother_tongue": "xx"}, "integration.unknown_language"),
        ("other_languages", {"other_languages": ["klingon"]}, "integration.unknown_language"),
        (
            "arrived_on",
            {"arrived_on": dt.date(2100, 1, 1)},
            "integration.date_in_future",
        ),
        (
            "interpreter_language",
            {"interpreter_needed": True, "interpreter_language": ""},
            "integration.interpreter_language_missing",
        ),
    ],
)
def test_bad_language_input_is_refused_next_to_the_field(cast, field, kwargs, code) -> None:
    values = {"mother_tongue": "ar", **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.language_profile_save(actor=cast["worker"], client=cast["client"], **values)
    assert exc.value.error_dict[field][0].code == code
    assert not LanguageProfile.objects.exists()
    assert not ChangeLog.objects.filter(event__startswith="integration.").exists()


@pytest.mark.django_db
def test_a_plan_ending_before_it_starts_is_refused(cast) -> None:
    _assessment(cast)
    today = dates.today()
    with pytest.raises(ValidationError) as exc:
        services.integration_plan_create(
            actor=cast["worker"],
            client=cast["client"],
            starts_on=today,
            ends_on=today - dt.timedelta(days=1),
            goals="x",
        )
    assert exc.value.error_dict["ends_on"][0].code == "integration.dates_in_wrong_order"
    # a plan longer than a year is refused too (681/2023 18 §)
    with pytest.raises(ValidationError) as exc:
        services.integration_plan_create(
            actor=cast["worker"],
            client=cast["client"],
            starts_on=today,
            ends_on=today + dt.timedelta(days=400),
            goals="x",
        )
    assert exc.value.error_dict["ends_on"][0].code == "integration.plan_period_too_long"
    assert not IntegrationPlan.objects.exists()


@pytest.mark.django_db
def test_a_plan_needs_the_initial_assessment_first(cast) -> None:
    today = dates.today()
    with pytest.raises(ValidationError) as exc:
        services.integration_plan_create(
            actor=cast["worker"],
            client=cast["client"],
            starts_on=today,
            ends_on=today + dt.timedelta(days=30),
            goals="x",
        )
    assert "starts_on" in exc.value.error_dict


@pytest.mark.django_db
def test_a_stale_languages_page_is_refused_and_writes_nothing(cast) -> None:
    services.language_profile_save(actor=cast["worker"], client=cast["client"], mother_tongue="ar")
    services.language_profile_save(
        actor=cast["worker"], client=cast["client"], mother_tongue="fa", version=1
    )
    with pytest.raises(StaleEdit):
        services.language_profile_save(
            actor=cast["worker"], client=cast["client"], mother_tongue="so", version=1
        )
    assert LanguageProfile.objects.get().mother_tongue == "fa"


@pytest.mark.django_db
def test_the_stale_page_answers_409(cast) -> None:
    services.language_profile_save(actor=cast["worker"], client=cast["client"], mother_tongue="ar")
    services.language_profile_save(
        actor=cast["worker"], client=cast["client"], mother_tongue="fa", version=1
    )
    http = HttpClient()
    http.force_login(cast["worker"])
    url = f"/clients/{cast['client'].pk}/integration/languages/"
    response = http.post(url, {"mother_tongue": "so", "version": "1"})
    assert response.status_code == 409
    assert LanguageProfile.objects.get().mother_tongue == "fa"


@pytest.mark.django_db
def test_attackers_are_refused(cast) -> None:
    # another organisation's worker without a relationship: 404 on page and API
    http = HttpClient()
    http.force_login(cast["stranger"])
    page = f"/clients/{cast['client'].pk}/integration/"
    assert http.get(page).status_code == 404
    api = f"/api/v1/clients/{cast['client'].pk}/integration/initial-assessments"
    body = {
        "client_since": "2026-01-01",
        "assessed_on": "2026-01-02",
        "finnish_level": "A1",
        "swedish_level": "none",
        "english_level": "none",
        "education": "basic",
        "service_need": "x",
    }
    response = http.post(api, json.dumps(body), content_type="application/json")
    assert response.status_code == 404
    assert not InitialAssessment.objects.exists()
    # Soite's nurse works with the client but the act does not make Soite the organiser
    # of the initial assessment: refused (page 403 and service)
    from silta.clients.services import relationship_open

    relationship_open(
        actor=None,
        client=cast["client"],
        organisation=cast["health"],
        kind="health_services",
        valid_from=dt.date(2020, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        _assessment({"worker": cast["nurse"], "client": cast["client"]})
    nurse = HttpClient()
    nurse.force_login(cast["nurse"])
    assert nurse.post(api, json.dumps(body), content_type="application/json").status_code == 403
    assert not InitialAssessment.objects.exists()
    # but the nurse reads the integration page (basic case-work data) and it is logged
    assert nurse.get(page).status_code == 200
    assert AccessLog.objects.filter(section__startswith="integration:").exists()


@pytest.mark.django_db
def test_only_the_controller_reviews_the_plan(cast) -> None:
    _assessment(cast)
    today = dates.today()
    plan = services.integration_plan_create(
        actor=cast["worker"],
        client=cast["client"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=100),
        goals="x",
    )
    # a municipality's worker who also works with the client may not change the plan
    municipality = factories.OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    other = factories.staff(Role.CASE_WORKER, municipality)
    from silta.clients.services import relationship_open

    relationship_open(
        actor=None,
        client=cast["client"],
        organisation=municipality,
        kind="jobseeker",
        valid_from=dt.date(2020, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        services.integration_plan_review(
            actor=other, plan=plan, version=1, reviewed_on=today, note="x"
        )
    http = HttpClient()
    http.force_login(other)
    assert (
        http.post(
            f"/integration/plans/{plan.pk}/review/",
            {"reviewed_on": today.isoformat(), "note": "x", "version": "1"},
        ).status_code
        == 403
    )
    plan.refresh_from_db()
    assert plan.version == 1 and not plan.reviews.exists()


@pytest.mark.django_db
def test_the_caseload_lists_appointments_needing_an_interpreter(cast) -> None:
    services.language_profile_save(
        actor=cast["worker"],
        client=cast["client"],
        mother_tongue="so",
        interpreter_needed=True,
        interpreter_language="so",
    )
    appointment = appointment_create(
        actor=cast["worker"],
        client=cast["client"],
        starts_at=dates.now() + dt.timedelta(days=3),
        place="Kokkola",
    )
    # given the client needs an interpreter and none is booked: listed
    assert interpreter_gaps_for(actor=cast["worker"]) == [appointment]
    http = HttpClient()
    http.force_login(cast["worker"])
    assert "Korhonen" in http.get("/caseload/").content.decode()
    # when it is booked: no longer listed
    services.appointment_interpreting_save(
        actor=cast["worker"], appointment=appointment, language="so", booked=True
    )
    assert interpreter_gaps_for(actor=cast["worker"]) == []
    # another organisation's worker sees nothing and may not book it
    assert interpreter_gaps_for(actor=cast["stranger"]) == []
    with pytest.raises(PermissionDenied):
        services.appointment_interpreting_save(
            actor=cast["stranger"], appointment=appointment, language="so", booked=False
        )


@pytest.mark.django_db
def test_the_integration_caseload_lists_own_clients_only(cast) -> None:
    today = dates.today()
    services.language_profile_save(
        actor=cast["worker"],
        client=cast["client"],
        mother_tongue="ar",
        integration_client_since=today - dt.timedelta(days=40),
    )
    http = HttpClient()
    http.force_login(cast["worker"])
    body = http.get("/integration/").content.decode()
    # the assessment is late: due 30 days after the start
    assert "Korhonen" in body and "arabia" in body
    assert AccessLog.objects.filter(section="integration:caseload").exists()
    other = HttpClient()
    other.force_login(cast["stranger"])
    assert "Korhonen" not in other.get("/integration/").content.decode()


@pytest.mark.django_db
def test_a_meeting_records_its_interpreter_by_the_bodys_manager_only(cast) -> None:
    from silta.governance.models import Body, Meeting
    from silta.integration.models import MeetingInterpreting

    convener = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    manager = factories.staff(Role.MANAGER, convener)
    body = Body.objects.create(
        key="tkv", kind="work_ability_network", name_fi="Työkykyverkosto",
        name_sv="Arbetsförmågenätverket", convener=convener,
    )  # fmt: skip
    meeting = Meeting.objects.create(body=body, held_on=dates.today() + dt.timedelta(days=7))
    # an unknown language is refused next to the field, nothing written
    with pytest.raises(ValidationError) as exc:
        services.meeting_interpreting_save(
            actor=manager, meeting=meeting, language="zz", booked=True
        )
    assert exc.value.error_dict["language"][0].code == "integration.unknown_language"
    services.meeting_interpreting_save(actor=manager, meeting=meeting, language="so", booked=True)
    assert MeetingInterpreting.objects.get().booked
    # a case worker of another organisation may not change it
    with pytest.raises(PermissionDenied):
        services.meeting_interpreting_save(
            actor=cast["worker"], meeting=meeting, language="so", booked=False, version=1
        )
    # a stale version is refused
    with pytest.raises(StaleEdit):
        services.meeting_interpreting_save(
            actor=manager, meeting=meeting, language="ar", booked=False, version=0
        )
    assert MeetingInterpreting.objects.get().language == "so"
