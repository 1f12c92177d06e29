"""A small funding world: two municipalities, their finance analysts, a manager, an
employment case worker, and clients with benefit histories in the payment store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.engine.testing import fortnights, payments_frame
from silta.funding import figures, results
from silta.funding.services import payments_import


@pytest.fixture(autouse=True)
def _fresh_results() -> None:
    results.forget_cached()
    with figures._LOCK:
        figures._MEMO.clear()


def history(person: str, municipality: str, fortnights_paid: int, **kw: Any) -> list[dict]:
    """Fortnightly LMS payments of 10 days ending on the last fortnight of Feb 2026."""
    first = dt.date(2026, 2, 16) - dt.timedelta(days=14 * (fortnights_paid - 1))
    first -= dt.timedelta(days=first.weekday())
    return fortnights(first, [10] * fortnights_paid, person=person, municipality=municipality, **kw)


@pytest.fixture
def world(region) -> dict[str, Any]:
    kokkola = factories.OrganisationFactory(
        kind=OrganisationKind.MUNICIPALITY, municipality=region["272"]
    )
    kannus = factories.OrganisationFactory(
        kind=OrganisationKind.MUNICIPALITY, municipality=region["217"]
    )
    employment = factories.OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES, municipality=region["272"]
    )
    long_term = factories.client(region["272"], last_name="Pitkänen", first_names="Pekka")
    recent = factories.client(region["272"], last_name="Lyhyt", first_names="Liisa")
    kannus_client = factories.client(region["217"], last_name="Kannuslainen", first_names="Kalle")
    rows = (
        # since spring 2024: 500 days, past day 400 by March 2026 (days before 2025
        # carry over)
        history(long_term.personal_id, "272", 50)
        # since autumn 2025: days 1-100, state paid
        + history(recent.personal_id, "272", 8)
        + history(kannus_client.personal_id, "217", 40)
    )
    payments_import(actor=None, payments=payments_frame(rows), source="fixture")
    return {
        "region": region,
        "analyst": factories.staff(
            Role.FINANCE_ANALYST, kokkola, username="analyytikko", language="en"
        ),
        "kannus_analyst": factories.staff(Role.FINANCE_ANALYST, kannus, language="en"),
        "manager": factories.staff(Role.MANAGER, employment, language="en"),
        "case_worker": factories.staff(Role.CASE_WORKER, employment, language="en"),
        "long_term": long_term,
        "recent": recent,
        "kannus_client": kannus_client,
        "rows": rows,
    }
