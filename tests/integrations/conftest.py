from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import translation
from tests import factories

from silta.accounts.roles import OrganisationKind, Perm, Role
from silta.core import dates
from silta.integrations import services

NOW = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dates.HELSINKI)
PROVIDER_PERMS = [
    Perm.REHAB_PORTAL.value,
    Perm.REHAB_ATTENDANCE.value,
    Perm.REHAB_STATEMENT_VIEW.value,
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world(region):
    with time_machine.travel(NOW, tick=False):
        w = factories.rehab_world(region["272"])
        w["a_client"] = services.client_register(
            actor=None,
            name="mello-attendance",
            organisation=w["a"]["org"],
            role=Role.PROVIDER_STAFF,
            permissions=PROVIDER_PERMS,
        )
        w["b_client"] = services.client_register(
            actor=None,
            name="kotipesa-attendance",
            organisation=w["b"]["org"],
            role=Role.PROVIDER_STAFF,
            permissions=PROVIDER_PERMS,
        )
        municipality = factories.OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
        w["warehouse"] = services.client_register(
            actor=None,
            name="kokkola-warehouse",
            organisation=municipality,
            role=Role.MANAGER,
            permissions=[Perm.STATISTICS_VIEW.value],
        )
        yield w


def token_for(issued: services.Issued, secret: str | None = None) -> HttpClient | str:
    """A bearer token from the token endpoint (client credentials, HTTP Basic)."""
    basic = base64.b64encode(f"{issued.client_id}:{secret or issued.secret}".encode()).decode()
    response = HttpClient().post(
        "/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] <= 600
    return str(body["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
