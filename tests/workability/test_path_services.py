"""The work ability path's writes: results, applications, decisions (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests import factories

from silta.audit.models import ChangeLog
from silta.casework.models import Outcome
from silta.casework.services import referral_send
from silta.core import dates
from silta.workability import services
from silta.workability.models import BenefitApplication, WorkAbilityResult
from silta.workability.selectors import granted_exits, waiting_for_decision

pytestmark = pytest.mark.django_db


def _result(w, referral, **over):  # type: ignore[no-untyped-def]
    data = {
        "actor": w["social_worker"],
        "referral": referral,
        "assessed_on": dates.today(),
        "work_ability": "none",
        "duration": "expected_to_last",
        "recommendations": ["pension_application"],
        "statement_kind": "c_statement",
        "statement_date": dates.today(),
        "statement_reference": "LAUS-1",
    }
    data.update(over)
    return services.result_record(**data)


def test_the_whole_path_to_a_granted_subsidy(path_world, assessment) -> None:
    w = path_world
    result = _result(w, assessment)
    assert result.organisation_id == w["social"].pk
    assert result.made_by == w["social_worker"]
    app = services.application_record(
        actor=w["social_worker"],
        client=w["client"],
        kind="rehabilitation_subsidy",
        receiver=w["elo"],
        applied_on=dates.today(),
        result=result,
    )
    assert w["client"].personal_id in waiting_for_decision()
    assert w["client"].personal_id not in granted_exits(dates.today())
    done = services.decision_record(
        actor=w["social_worker"],
        application=app,
        version=app.version,
        status="granted",
        decided_on=dates.today(),
        benefit_from=dates.today(),
        benefit_to=dates.today() + dt.timedelta(days=365),
    )
    assert done.status == "granted"
    assert w["client"].personal_id in granted_exits(dates.today())
    assert w["client"].personal_id not in waiting_for_decision()
    assert Outcome.objects.filter(client=w["client"], kind="disability_pension").exists()
    assert ChangeLog.objects.filter(event="workability.decision_recorded").exists()


def test_a_decision_before_its_application_is_refused(path_world) -> None:
    w = path_world
    app = services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today() - dt.timedelta(days=10),
    )
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            actor=w["worker"],
            application=app,
            version=app.version,
            status="granted",
            decided_on=dates.today() - dt.timedelta(days=11),
            benefit_from=dates.today(),
        )
    assert exc.value.error_dict["decided_on"][0].code == "workability.decision_before_application"
    app.refresh_from_db()
    assert app.status == "pending" and app.decided_on is None


def test_a_stale_decision_is_refused(path_world) -> None:
    from silta.catalogue.errors import StaleEdit

    w = path_world
    app = services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today(),
    )
    with pytest.raises(StaleEdit):
        services.decision_record(
            actor=w["worker"],
            application=app,
            version=app.version + 1,
            status="rejected",
            decided_on=dates.today(),
        )


def test_a_result_without_an_assessment_is_refused(path_world) -> None:
    w = path_world
    other = factories.service(w["social"], "social_guidance", data_class="social")
    r = referral_send(
        actor=w["worker"],
        client=w["client"],
        service=other,
        to_organisation=w["social"],
        reason="Ohjaus",
    )
    from silta.casework.services import referral_move

    r = referral_move(actor=w["social_worker"], referral=r, to_status="accepted", version=1)
    with pytest.raises(ValidationError) as exc:
        _result(w, r)
    assert exc.value.error_dict["referral"][0].code == "workability.not_an_assessment"
    assert not WorkAbilityResult.objects.exists()


def test_a_result_of_an_assessment_not_yet_held_is_refused(path_world) -> None:
    w = path_world
    r = referral_send(
        actor=w["worker"],
        client=w["client"],
        service=w["wa"],
        to_organisation=w["social"],
        reason="Työkyky",
    )
    from silta.casework.services import referral_move

    r = referral_move(actor=w["social_worker"], referral=r, to_status="accepted", version=1)
    with pytest.raises(ValidationError) as exc:
        _result(w, r)
    assert exc.value.error_dict["referral"][0].code == "workability.assessment_not_done"


def test_partial_work_ability_needs_its_duration(path_world, assessment) -> None:
    with pytest.raises(ValidationError) as exc:
        _result(path_world, assessment, work_ability="partial", duration="")
    assert "duration" in exc.value.error_dict


def test_only_the_assessing_units_assessors_record_a_result(path_world, assessment) -> None:
    w = path_world
    for who in ("worker", "instructor", "stranger", "nurse"):
        with pytest.raises(PermissionDenied):
            _result(w, assessment, actor=w[who])
    assert not WorkAbilityResult.objects.exists()


def test_another_organisation_cannot_decide_an_application(path_world) -> None:
    w = path_world
    app = services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today(),
    )
    with pytest.raises(PermissionDenied):
        services.decision_record(
            actor=w["stranger"],
            application=app,
            version=app.version,
            status="granted",
            decided_on=dates.today(),
            benefit_from=dates.today(),
        )
    with pytest.raises(PermissionDenied):
        services.application_record(
            actor=w["stranger"],
            client=w["client"],
            kind="kela_rehabilitation",
            receiver=w["kela"],
            applied_on=dates.today(),
        )


def test_the_receiver_must_decide_the_kind(path_world) -> None:
    w = path_world
    with pytest.raises(ValidationError) as exc:
        services.application_record(
            actor=w["worker"],
            client=w["client"],
            kind="kela_rehabilitation",
            receiver=w["elo"],
            applied_on=dates.today(),
        )
    assert "receiver" in exc.value.error_dict
    assert not BenefitApplication.objects.exists()


def test_death_lapses_pending_applications(path_world) -> None:
    from silta.clients.registry import client_mark_deceased

    w = path_world
    app = services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today() - dt.timedelta(days=5),
    )
    c = w["client"]
    c.refresh_from_db()
    client_mark_deceased(actor=w["worker"], client=c, version=c.version, died_on=dates.today())
    app.refresh_from_db()
    assert app.status == "lapsed"


def test_a_result_is_not_dated_before_its_appointment(path_world) -> None:
    # issue 15: the assessment scheduled for next week has no result dated today
    from silta.casework.services import referral_move

    w = path_world
    r = referral_send(
        actor=w["worker"],
        client=w["client"],
        service=w["wa"],
        to_organisation=w["social"],
        reason="Työkyky epäselvä",
    )
    r = referral_move(actor=w["social_worker"], referral=r, to_status="accepted", version=1)
    r = referral_move(
        actor=w["social_worker"],
        referral=r,
        to_status="scheduled",
        version=r.version,
        appointment_at=dates.now() + dt.timedelta(days=7),
        place="Kokkola",
    )
    logs = ChangeLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        _result(w, r)
    error = exc.value.error_dict["assessed_on"][0]
    assert error.code == "workability.date_before"
    day = (dates.now() + dt.timedelta(days=7)).astimezone(dates.HELSINKI).date()
    assert f"{day.day}.{day.month}.{day.year}" in error.messages[0]
    assert not WorkAbilityResult.objects.exists() and ChangeLog.objects.count() == logs
