"""The path's pages and API: bad input, stale pages, attackers (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from silta.audit.models import AccessLog
from silta.core import dates
from silta.workability import services
from silta.workability.models import BenefitApplication, WorkAbilityResult

pytestmark = pytest.mark.django_db


def _result_post(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "assessed_on": dates.today().isoformat(),
        "work_ability": "none",
        "duration": "expected_to_last",
        "recommendations": ["pension_application"],
        "recommendation_text": "",
        "statement_kind": "c_statement",
        "statement_date": dates.today().isoformat(),
        "statement_reference": "C-123",
    }
    data.update(over)
    return data


def test_the_assessor_records_a_result_on_the_page(client, path_world, assessment) -> None:
    client.force_login(path_world["social_worker"])
    url = reverse("workability-result-new", args=[assessment.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, _result_post())
    assert r.status_code == 302
    page = client.get(reverse("workability-path", args=[path_world["client"].pk]))
    assert "C-123" in page.content.decode()
    assert AccessLog.objects.filter(section__startswith="workability:path").exists()


def test_a_future_result_date_is_refused_next_to_the_field(client, path_world, assessment) -> None:
    client.force_login(path_world["social_worker"])
    url = reverse("workability-result-new", args=[assessment.pk])
    future = (dates.today() + dt.timedelta(days=3)).isoformat()
    r = client.post(url, _result_post(assessed_on=future))
    assert r.status_code == 400
    assert "assessed_on" in r.context["form"].errors
    assert not WorkAbilityResult.objects.exists()


def test_the_employment_worker_sees_the_step_but_not_the_health_result(
    client, path_world, assessment
) -> None:
    services.result_record(
        actor=path_world["social_worker"],
        referral=assessment,
        assessed_on=dates.today(),
        work_ability="none",
        duration="permanent",
        recommendations=["pension_application"],
        statement_reference="SECRET-REF",
    )
    client.force_login(path_world["worker"])
    body = client.get(reverse("workability-path", args=[path_world["client"].pk])).content.decode()
    assert "SECRET-REF" not in body
    assert 'data-step="result" data-hidden="1"' in body
    # nor through the API
    r = client.get(f"/api/v1/work-ability/clients/{path_world['client'].pk}/path")
    assert r.status_code == 200
    assert r.json()["results"] == [] and r.json()["hidden_results"] == 1


def test_another_organisation_gets_404_on_page_and_api(client, path_world, assessment) -> None:
    client.force_login(path_world["stranger"])
    cid = path_world["client"].pk
    assert client.get(reverse("workability-path", args=[cid])).status_code == 404
    assert client.get(reverse("workability-result-new", args=[assessment.pk])).status_code == 404
    assert client.get(f"/api/v1/work-ability/clients/{cid}/path").status_code == 404
    r = client.post(
        f"/api/v1/work-ability/assessments/{assessment.pk}/result",
        _result_post(),
        content_type="application/json",
    )
    assert r.status_code == 404
    assert not WorkAbilityResult.objects.exists()


def test_a_social_instructor_of_the_assessing_unit_may_not_record_the_result(
    client, path_world, assessment
) -> None:
    client.force_login(path_world["instructor"])
    r = client.post(
        f"/api/v1/work-ability/assessments/{assessment.pk}/result",
        _result_post(),
        content_type="application/json",
    )
    assert r.status_code == 404
    assert not WorkAbilityResult.objects.exists()


def test_decision_before_application_on_the_page_and_a_stale_page(client, path_world) -> None:
    w = path_world
    app = services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today() - dt.timedelta(days=2),
    )
    client.force_login(w["worker"])
    url = reverse("workability-decision-new", args=[app.pk])
    early = (dates.today() - dt.timedelta(days=5)).isoformat()
    r = client.post(
        url, {"status": "granted", "decided_on": early, "benefit_from": early, "version": 1}
    )
    assert r.status_code == 400
    assert "decided_on" in r.context["form"].errors
    app.refresh_from_db()
    assert app.status == "pending"
    today = dates.today().isoformat()
    ok = {"status": "rejected", "decided_on": today, "version": 1}
    assert client.post(url, ok).status_code == 302
    # the same page again: stale, nothing written
    r = client.post(
        url, {"status": "granted", "decided_on": today, "benefit_from": today, "version": 1}
    )
    assert r.status_code == 409
    assert BenefitApplication.objects.get(pk=app.pk).status == "rejected"


def test_api_decision_before_application_is_400(client, path_world) -> None:
    w = path_world
    client.force_login(w["worker"])
    r = client.post(
        f"/api/v1/work-ability/clients/{w['client'].pk}/applications",
        {
            "kind": "kela_rehabilitation",
            "receiver": "kela",
            "applied_on": dates.today().isoformat(),
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    app_id = r.json()["id"]
    r = client.post(
        f"/api/v1/work-ability/applications/{app_id}/decision",
        {
            "version": 1,
            "status": "granted",
            "decided_on": "2020-01-01",
            "benefit_from": "2020-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "workability.decision_before_application"
    client.force_login(w["stranger"])
    r = client.post(
        f"/api/v1/work-ability/applications/{app_id}/decision",
        {
            "version": 1,
            "status": "granted",
            "decided_on": dates.today().isoformat(),
            "benefit_from": dates.today().isoformat(),
        },
        content_type="application/json",
    )
    assert r.status_code == 404


def test_health_check_targets_and_statistics_pages(client, path_world) -> None:
    from silta.clients.models import UnemploymentSpell

    w = path_world
    UnemploymentSpell.objects.create(
        client=w["client"], start=dates.today() - dt.timedelta(days=800)
    )
    client.force_login(w["worker"])
    body = client.get(reverse("workability-targets")).content.decode()
    assert w["client"].last_name in body
    client.force_login(w["stranger"])
    body = client.get(reverse("workability-targets")).content.decode()
    assert w["client"].last_name not in body
    r = client.get(reverse("workability-statistics"))
    assert r.status_code == 200
    assert w["client"].last_name not in r.content.decode()
    r = client.get(reverse("workability-statistics"), {"first": "2025-02-01", "last": "2025-01-01"})
    assert r.status_code == 400


def test_a_granted_subsidy_leaves_the_funding_projection(path_world, assessment) -> None:
    from silta.funding.figures import path_exits

    w = path_world
    result = services.result_record(
        actor=w["social_worker"],
        referral=assessment,
        assessed_on=dates.today(),
        work_ability="none",
        duration="expected_to_last",
        recommendations=["pension_application"],
    )
    app = services.application_record(
        actor=w["social_worker"],
        client=w["client"],
        kind="rehabilitation_subsidy",
        receiver=w["elo"],
        applied_on=dates.today(),
        result=result,
    )
    assert w["client"].personal_id not in path_exits(dates.today())
    services.decision_record(
        actor=w["social_worker"],
        application=app,
        version=1,
        status="granted",
        decided_on=dates.today(),
        benefit_from=dates.today(),
    )
    assert w["client"].personal_id in path_exits(dates.today())
