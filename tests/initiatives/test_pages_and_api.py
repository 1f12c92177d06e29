"""Pages and API of council initiatives: guarded, coded errors, figures pulled from the
yearly report into the answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from silta.core import dates
from silta.initiatives.models import Initiative, InitiativeStatus

pytestmark = pytest.mark.django_db


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_list_and_detail_pages(cast, initiative) -> None:
    http = _as(cast["reader"])
    page = http.get("/initiatives/")
    assert page.status_code == 200
    assert "Aloite pitkäaikaistyöttömiä" in page.content.decode()
    assert http.get(f"/initiatives/{initiative.pk}/").status_code == 200
    # a provider's staff may not read initiatives; the reader may not manage them
    assert _as(cast["provider"]).get("/initiatives/").status_code == 403
    assert http.get(f"/initiatives/{initiative.pk}/preparation/").status_code == 403


def test_manager_runs_the_path_on_the_pages(cast, initiative) -> None:
    manager, preparer = _as(cast["manager"]), _as(cast["preparer"])
    today = dates.today()
    r = manager.post(
        f"/initiatives/{initiative.pk}/board/",
        {"meeting": "Aluehallitus", "meeting_on": today.isoformat(), "section": "77"},
    )
    # the board cannot answer before preparation: the message is on the form
    assert r.status_code == 400
    assert "ei ole lähetetty valmisteltavaksi" in r.content.decode()
    r = manager.post(
        f"/initiatives/{initiative.pk}/preparation/",
        {
            "preparers": [str(cast["preparer"].pk)],
            "deadline": (today + dt.timedelta(days=20)).isoformat(),
            "on": today.isoformat(),
        },
    )
    assert r.status_code == 302
    initiative.refresh_from_db()
    r = preparer.post(
        f"/initiatives/{initiative.pk}/answer/",
        {"answer": "Vastaus.", "version": initiative.version},
    )
    assert r.status_code == 302
    r = manager.post(
        f"/initiatives/{initiative.pk}/board/",
        {"meeting": "Aluehallitus", "meeting_on": today.isoformat(), "section": "77",
         "decision": "Esitys hyväksyttiin."},
    )  # fmt: skip
    assert r.status_code == 302
    r = manager.post(
        f"/initiatives/{initiative.pk}/council/",
        {"meeting": "Aluevaltuusto", "meeting_on": today.isoformat(), "section": "13"},
    )
    assert r.status_code == 302
    assert Initiative.objects.get().status == InitiativeStatus.HANDLED
    assert _as(cast["reader"]).get("/initiatives/").content.decode().count("RKP") == 0


def test_api_flow_with_coded_errors_and_figures(cast, initiative) -> None:
    manager, preparer = _as(cast["manager"]), _as(cast["preparer"])
    base = f"/api/v1/initiatives/{initiative.pk}"
    year = dates.today().year - 1
    # no answer before preparation
    r = manager.post(
        f"{base}/board-answer",
        {"meeting": "Aluehallitus", "meeting_on": dates.today().isoformat(), "section": 77},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "initiative.not_in_preparation"
    r = manager.post(
        f"{base}/preparation",
        {"preparers": [{"user_id": str(cast["preparer"].pk), "title": "sosiaalijohtaja"}],
         "deadline": dates.today().isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 200, r.content
    # the preparer pulls the year's figures into the answer
    r = preparer.post(f"{base}/figures", {"year": year}, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["figures_year"] == year
    keys = {f["key"] for f in body["figures"]}
    assert {"joint_service_clients", "activation_clients"} <= keys
    # a year the report cannot compute is refused
    r = preparer.post(f"{base}/figures", {"year": 1990}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "initiative.figures_year_invalid"
    # a stale answer answers 409
    r = preparer.put(
        f"{base}/answer", {"answer": "Vastaus", "version": 1}, content_type="application/json"
    )
    assert r.status_code == 409
    r = preparer.put(
        f"{base}/answer",
        {"answer": "Vastaus", "version": body["version"]},
        content_type="application/json",
    )
    assert r.status_code == 200
    decision = {"meeting": "Aluehallitus", "meeting_on": dates.today().isoformat(),
                "section": 77, "decision": "Hyväksyttiin"}  # fmt: skip
    assert (
        manager.post(f"{base}/board-answer", decision, content_type="application/json").status_code
        == 200
    )
    r = manager.post(f"{base}/board-answer", decision, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "initiative.already_answered"
    # list: open ones with their age; readers yes, providers no
    r = _as(cast["reader"]).get("/api/v1/initiatives")
    assert r.status_code == 200 and r.json()[0]["age_days"] == 90
    assert _as(cast["provider"]).get("/api/v1/initiatives").status_code == 403
    # the other organisation's manager cannot record decisions
    r = _as(cast["other_manager"]).post(
        f"{base}/council-noting", decision, content_type="application/json"
    )
    assert r.status_code == 403


def test_submission_through_the_api(cast) -> None:
    r = _as(cast["manager"]).post(
        "/api/v1/initiatives",
        {"organisation_id": str(cast["soite"].pk), "title": "Aloite", "council_group": "SDP",
         "submitted_on": dates.today().isoformat(), "text": "Teksti"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201 and r.json()["status"] == "submitted"
    r = _as(cast["manager"]).post(
        "/api/v1/initiatives",
        {"organisation_id": str(cast["soite"].pk), "title": "", "council_group": "SDP",
         "submitted_on": dates.today().isoformat(), "text": "Teksti"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 400 and r.json()["code"] == "initiative.required"
