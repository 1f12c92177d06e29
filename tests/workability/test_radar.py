"""The funding radar and forecast leave out a person on a granted rehabilitation
subsidy, and show who waits for a decision (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.catalogue.models import ApplicationReceiver
from silta.catalogue.services import receivers_load
from silta.core import dates
from silta.engine.testing import fortnights, payments_frame
from silta.funding import figures, results
from silta.funding.services import payments_import
from silta.workability import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_results() -> None:
    results.forget_cached()
    with figures._LOCK:
        figures._MEMO.clear()


def _history(person: str, n: int) -> list[dict]:
    first = dt.date(2026, 2, 16) - dt.timedelta(days=14 * (n - 1))
    first -= dt.timedelta(days=first.weekday())
    return fortnights(first, [10] * n, person=person, municipality="272")


def test_a_granted_subsidy_leaves_the_radar_and_a_pending_one_is_shown(region) -> None:
    employment = factories.OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES, municipality=region["272"]
    )
    worker = factories.staff(Role.CASE_WORKER, employment, language="en")
    kept = factories.client(region["272"], last_name="Pitkänen", organisation=employment)
    leaving = factories.client(region["272"], last_name="Lähtevä", organisation=employment)
    payments_import(
        actor=None,
        payments=payments_frame(_history(kept.personal_id, 50) + _history(leaving.personal_id, 50)),
        source="fixture",
    )
    receivers_load()
    http = HttpClient()
    http.force_login(worker)
    body = http.get("/funding/radar/").content.decode()
    assert "Pitkänen" in body and "Lähtevä" in body
    app = services.application_record(
        actor=worker,
        client=leaving,
        kind="rehabilitation_subsidy",
        receiver=ApplicationReceiver.objects.get(key="kela"),
        applied_on=dates.today() - dt.timedelta(days=20),
    )
    body = http.get("/funding/radar/").content.decode()
    assert "Waiting for a decision on a benefit that would replace" in body
    services.decision_record(
        actor=worker,
        application=app,
        version=app.version,
        status="granted",
        decided_on=dates.today(),
        benefit_from=dates.today() - dt.timedelta(days=5),
    )
    body = http.get("/funding/radar/").content.decode()
    assert "Pitkänen" in body
    assert "Lähtevä" not in body
