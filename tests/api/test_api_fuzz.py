"""API fuzzing (issue #7): schemathesis generates requests from the OpenAPI
description; signed in as a case worker, no request may cause a server error or a
response that contradicts the description."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client as HttpClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.api import api
from silta.config.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application
CSRF = "a" * 32  # an unmasked CSRF secret, sent as cookie and header


@pytest.fixture
def _keep_connection() -> Iterator[None]:
    """The WSGI app runs in the test's transaction: keep Django from closing the
    connection at the end of each request (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def case_worker_cookies(region, _keep_connection) -> dict[str, str]:
    org = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    worker = factories.staff(Role.CASE_WORKER, org)
    for i in range(3):
        factories.client(region["272"], last_name=f"Fuzz{i}", organisation=org)
    http = HttpClient()
    http.force_login(worker)
    return {"sessionid": http.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,  # the same examples on every run: CI does not flake
)
def test_no_server_error_and_no_schema_violation(case, case_worker_cookies) -> None:
    response = case.call(cookies=case_worker_cookies, headers={"X-CSRFToken": CSRF})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
