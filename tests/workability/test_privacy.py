"""The policy table's rows for the work ability path (issue 16): a result is health
data of the assessing unit, an application health data of the organisation that
recorded it. Shown to exactly whom the table allows, through the page and the API."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from silta.accounts.roles import Role
from silta.casework.services import consent_record, consent_withdraw
from silta.core import dates
from silta.privacy.policy import RULES, Action, DataClass, RecordKind, Relation, allowed
from silta.workability import services

pytestmark = pytest.mark.django_db


def test_the_table_gates_results_to_the_assessors_and_a_consent() -> None:
    kind = RecordKind.WORK_ABILITY_RESULT
    own = [Relation.CONTROLLER]
    assert allowed(Role.SOCIAL_WORKER, kind, DataClass.HEALTH, own, Action.CREATE)
    assert allowed(Role.HEALTH_PROFESSIONAL, kind, DataClass.HEALTH, own, Action.READ)
    assert not allowed(Role.SOCIAL_INSTRUCTOR, kind, DataClass.HEALTH, own, Action.READ)
    assert not allowed(
        Role.CASE_WORKER,
        kind,
        DataClass.HEALTH,
        [Relation.RELATIONSHIP, Relation.TEAM],
        Action.READ,
    )
    assert allowed(Role.CASE_WORKER, kind, DataClass.HEALTH, [Relation.CONSENT], Action.READ)
    assert not allowed(Role.CASE_WORKER, kind, DataClass.HEALTH, [Relation.CONSENT], Action.CHANGE)
    # nobody outside the controller records or changes either record
    for rule in RULES:
        path_kind = rule.kind in (RecordKind.WORK_ABILITY_RESULT, RecordKind.BENEFIT_APPLICATION)
        if path_kind and rule.action != Action.READ:
            assert rule.relation == Relation.CONTROLLER


def _path_json(user, client_id) -> dict:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    r = http.get(f"/api/v1/work-ability/clients/{client_id}/path")
    assert r.status_code == 200
    return r.json()


def test_a_health_consent_of_the_assessing_unit_opens_the_result(path_world, assessment) -> None:
    w = path_world
    services.result_record(
        actor=w["social_worker"],
        referral=assessment,
        assessed_on=dates.today(),
        work_ability="partial",
        duration="temporary",
        recommendations=["job_search_partial"],
    )
    assert _path_json(w["worker"], w["client"].pk)["hidden_results"] == 1
    assert len(_path_json(w["social_worker"], w["client"].pk)["results"]) == 1
    # the instructor of the same unit: not an assessor
    assert _path_json(w["instructor"], w["client"].pk)["hidden_results"] == 1
    # the client consents to the unit disclosing health data to the employment area
    consent = consent_record(
        actor=w["social_worker"],
        client=w["client"],
        recipient=w["employment"],
        data_classes=["health"],
        purpose="Työkykypolku",
        given_how="in_writing",
        given_reference="SUOST-1",
    )
    data = _path_json(w["worker"], w["client"].pk)
    assert len(data["results"]) == 1 and data["hidden_results"] == 0
    consent_withdraw(actor=w["social_worker"], consent=consent, version=consent.version)
    assert _path_json(w["worker"], w["client"].pk)["hidden_results"] == 1


def test_an_application_is_the_recording_organisations_health_data(path_world) -> None:
    w = path_world
    services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today(),
    )
    assert len(_path_json(w["worker"], w["client"].pk)["applications"]) == 1
    # Kela decides it, but no Silta user of another organisation sees it on that ground
    http = HttpClient()
    http.force_login(w["stranger"])
    assert http.get(f"/api/v1/work-ability/clients/{w['client'].pk}/path").status_code == 404
