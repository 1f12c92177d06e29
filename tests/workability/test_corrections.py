"""Correcting a result or a decision (the controller's staff only, with the change log)
and the appeal of a rejected application (issue 16): pages and API, bad input next to
the field, nothing written on a refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from silta.audit.models import ChangeLog
from silta.core import dates
from silta.workability import services
from silta.workability.models import BenefitApplication, DecisionAppeal, WorkAbilityResult

pytestmark = pytest.mark.django_db


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def result(path_world, assessment) -> WorkAbilityResult:
    return services.result_record(
        actor=path_world["social_worker"],
        referral=assessment,
        assessed_on=dates.today(),
        work_ability="partial",
        duration="temporary",
        recommendations=["job_search_partial"],
    )


@pytest.fixture
def rejected(path_world) -> BenefitApplication:
    w = path_world
    app = services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today() - dt.timedelta(days=40),
    )
    return services.decision_record(
        actor=w["worker"],
        application=app,
        version=app.version,
        status="rejected",
        decided_on=dates.today() - dt.timedelta(days=10),
    )


def _correction(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "assessed_on": dates.today().isoformat(),
        "work_ability": "none",
        "duration": "expected_to_last",
        "recommendations": ["pension_application"],
        "recommendation_text": "",
        "statement_kind": "",
        "statement_date": "",
        "statement_reference": "",
        "reason": "Lääkärin lausunto tarkentui",
        "version": 1,
    }
    data.update(over)
    return data


def test_the_assessor_corrects_a_result_with_the_change_log(path_world, result) -> None:
    http = _http(path_world["social_worker"])
    url = reverse("workability-result-correct", args=[result.pk])
    assert http.get(url).status_code == 200
    # no reason: refused next to the field, nothing written
    r = http.post(url, _correction(reason=""))
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    result.refresh_from_db()
    assert result.work_ability == "partial" and result.version == 1
    r = http.post(url, _correction())
    assert r.status_code == 302
    result.refresh_from_db()
    assert result.work_ability == "none" and result.version == 2
    log = ChangeLog.objects.get(event="workability.result_corrected")
    assert log.changes["work_ability"] == ["partial", "none"]
    assert log.changes["reason"][1] == "Lääkärin lausunto tarkentui"
    # the page opened before that save is stale: 409, nothing written
    r = http.post(url, _correction(work_ability="full", duration="", version=1))
    assert r.status_code == 409
    result.refresh_from_db()
    assert result.work_ability == "none"


def test_only_the_assessing_units_assessors_correct_a_result(path_world, result) -> None:
    w = path_world
    url = reverse("workability-result-correct", args=[result.pk])
    api = f"/api/v1/work-ability/results/{result.pk}"
    body = {
        "assessed_on": dates.today().isoformat(),
        "work_ability": "full",
        "recommendations": ["other"],
        "reason": "x",
        "version": 1,
    }
    for user in (w["worker"], w["instructor"], w["stranger"], w["nurse"]):
        http = _http(user)
        assert http.get(url).status_code == 404, user
        assert http.post(url, _correction()).status_code == 404, user
        assert http.put(api, body, content_type="application/json").status_code == 404, user
    result.refresh_from_db()
    assert result.version == 1
    r = _http(w["social_worker"]).put(api, body, content_type="application/json")
    assert r.status_code == 200 and r.json()["work_ability"] == "full"


def test_a_decision_is_corrected_and_a_rejection_appealed(path_world, rejected) -> None:
    w = path_world
    http = _http(w["worker"])
    # appeal of the rejection: to the Social Security Appeal Board (Kela's decision)
    url = reverse("workability-appeal-new", args=[rejected.pk])
    before = (rejected.decided_on - dt.timedelta(days=1)).isoformat()
    r = http.post(
        url,
        {"appealed_on": before, "body": "telk", "outcome": "pending", "version": 2},
    )
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert "appealed_on" in errors and "body" in errors
    assert not DecisionAppeal.objects.exists()
    r = http.post(
        url,
        {"appealed_on": dates.today().isoformat(), "body": "samu", "outcome": "pending",
         "version": 2},
    )  # fmt: skip
    assert r.status_code == 302
    appeal = DecisionAppeal.objects.get()
    page = http.get(reverse("workability-path", args=[w["client"].pk])).content.decode()
    assert f'data-appeal="{appeal.pk}"' in page
    data = http.get(f"/api/v1/work-ability/clients/{w['client'].pk}/path").json()
    assert [a["body"] for a in data["applications"][0]["appeals"]] == ["samu"]
    # the outcome: a decided outcome needs its date
    out = reverse("workability-appeal-outcome", args=[appeal.pk])
    r = http.post(out, {"outcome": "changed", "outcome_on": "", "version": 1})
    assert r.status_code == 400 and "outcome_on" in r.context["form"].errors
    r = http.post(
        out, {"outcome": "changed", "outcome_on": dates.today().isoformat(), "version": 1}
    )
    assert r.status_code == 302
    # then the decision is corrected to granted (with the reason in the change log)
    rejected.refresh_from_db()
    url = reverse("workability-decision-correct", args=[rejected.pk])
    r = http.post(
        url,
        {"status": "granted", "decided_on": dates.today().isoformat(), "benefit_from": "",
         "benefit_to": "", "decision_reference": "", "reason": "", "version": rejected.version},
    )  # fmt: skip
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = http.post(
        url,
        {"status": "granted", "decided_on": dates.today().isoformat(), "benefit_from": "",
         "benefit_to": "", "decision_reference": "", "reason": "x", "version": rejected.version},
    )  # fmt: skip
    assert r.status_code == 400 and "benefit_from" in r.context["form"].errors
    r = http.post(
        url,
        {"status": "granted", "decided_on": dates.today().isoformat(),
         "benefit_from": dates.today().isoformat(), "benefit_to": "",
         "decision_reference": "SAMU-1", "reason": "Muutoksenhakulautakunta muutti päätöksen",
         "version": rejected.version},
    )  # fmt: skip
    assert r.status_code == 302
    rejected.refresh_from_db()
    assert rejected.status == "granted"
    log = ChangeLog.objects.get(event="workability.decision_corrected")
    assert log.changes["status"] == ["rejected", "granted"]


def test_others_cannot_correct_or_appeal_the_application(path_world, rejected) -> None:
    w = path_world
    for user in (w["social_worker"], w["stranger"]):
        http = _http(user)
        assert http.get(reverse("workability-appeal-new", args=[rejected.pk])).status_code == 404
        r = http.post(
            f"/api/v1/work-ability/applications/{rejected.pk}/appeals",
            {"version": 2, "appealed_on": dates.today().isoformat(), "body": "samu"},
            content_type="application/json",
        )
        assert r.status_code == 404
        r = http.put(
            f"/api/v1/work-ability/applications/{rejected.pk}/decision",
            {"version": 2, "status": "granted", "decided_on": dates.today().isoformat(),
             "benefit_from": dates.today().isoformat(), "reason": "x"},
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == 404
    assert not DecisionAppeal.objects.exists()
    # an appeal of a pending application is refused (API: 400 with the code)
    app = services.application_record(
        actor=w["worker"],
        client=w["client"],
        kind="kela_rehabilitation",
        receiver=w["kela"],
        applied_on=dates.today(),
    )
    r = _http(w["worker"]).post(
        f"/api/v1/work-ability/applications/{app.pk}/appeals",
        {"version": 1, "appealed_on": dates.today().isoformat(), "body": "samu"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "appeal_not_rejected" in r.content.decode()
