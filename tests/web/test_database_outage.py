"""A database outage is a clear 503 (issue 19, item 8): while the database cannot be
reached, pages and the API answer 503 with a short message in the user's language
and Retry-After; /healthz (liveness) still answers, /readyz (readiness) says why it
is not ready. The outage is made for this test's own connection only: on SQLite a
path that cannot be opened, on PostgreSQL a port nobody listens on or a terminated
backend of our own - never the shared server."""

from __future__ import annotations

import contextlib
import copy
import socket
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.core import health


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wrapper(settings_dict: dict) -> BaseDatabaseWrapper:  # type: ignore[type-arg]
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, "default")  # type: ignore[no-any-return]


def _unreachable() -> BaseDatabaseWrapper:
    real = connections["default"]
    settings_dict = copy.deepcopy(real.settings_dict)
    if real.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-silta-outage/silta.sqlite3"
    else:
        settings_dict["HOST"] = "127.0.0.1"
        settings_dict["PORT"] = str(_free_port())  # connection refused
    return _wrapper(settings_dict)


def _terminated() -> BaseDatabaseWrapper:
    """PostgreSQL: a connection of our own whose backend the server has terminated
    (what a restart does to every open connection)."""
    real = connections["default"]
    victim = _wrapper(copy.deepcopy(real.settings_dict))
    victim.ensure_connection()
    pid = victim.connection.info.backend_pid  # type: ignore[union-attr]
    with real.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    return victim


@pytest.fixture(params=["unreachable", "terminated"])
def outage(request) -> Iterator[None]:
    """Swap this thread's default connection for a broken one during the test."""
    real = connections["default"]
    if request.param == "terminated" and real.vendor != "postgresql":
        pytest.skip("terminating a backend is a PostgreSQL test")
    broken = _unreachable() if request.param == "unreachable" else _terminated()
    holder = connections._connections  # type: ignore[attr-defined]
    request.node.swap = lambda: setattr(holder, "default", broken)
    yield
    holder.default = real
    with contextlib.suppress(Exception):  # a broken connection may not close cleanly
        broken.close()


@pytest.fixture
def signed_in(region) -> HttpClient:
    org = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    worker = factories.staff(Role.CASE_WORKER, org)
    http = HttpClient(raise_request_exception=False)
    http.force_login(worker)
    return http


@pytest.fixture(autouse=True)
def _fresh_readiness() -> Iterator[None]:
    health._migrated.clear()
    yield
    health._migrated.clear()


@pytest.mark.django_db
def test_pages_and_api_answer_503_in_the_users_language(signed_in, outage, request) -> None:
    # given a signed-in user whose language cookie is Swedish
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    # when the database becomes unreachable
    request.node.swap()
    page = signed_in.get("/clients/", HTTP_ACCEPT_LANGUAGE="sv")
    api = signed_in.get("/api/v1/clients", HTTP_ACCEPT_LANGUAGE="sv")
    # then the page is a 503 in Swedish, rendered without the database
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    text = page.content.decode()
    assert 'lang="sv"' in text and "databas" in text and "database" not in text
    # and the API answers 503 with a coded JSON error
    assert api.status_code == 503 and api["Retry-After"] == "30"
    assert api.json()["code"] == "service.unavailable"
    assert "databas " in api.json()["message"]


@pytest.mark.django_db
def test_liveness_answers_and_readiness_names_the_database(outage, request) -> None:
    http = HttpClient(raise_request_exception=False)
    request.node.swap()
    assert http.get("/healthz").status_code == 200
    ready = http.get("/readyz")
    assert ready.status_code == 503 and ready["Retry-After"] == "30"
    assert ready.json() == {
        "status": "not_ready",
        "checks": {"database": False, "migrations": False},
    }


@pytest.mark.django_db
def test_readiness_when_all_is_well_and_with_an_unapplied_migration(region) -> None:
    http = HttpClient()
    assert http.get("/readyz").json() == {
        "status": "ready",
        "checks": {"database": True, "migrations": True},
    }
    # given the newest migration of an app is not recorded as applied (rolled back
    # with the test's transaction)
    health._migrated.clear()
    recorder = MigrationRecorder(connections["default"])
    app, name = max(k for k in recorder.applied_migrations() if k[0] == "casework")
    recorder.record_unapplied(app, name)
    response = http.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "migrations": False}


@pytest.mark.django_db
def test_a_view_that_loses_the_database_answers_503(signed_in, monkeypatch) -> None:
    """The middleware's own path: the session was read, then the view's query fails."""

    def lost(**kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("silta.web.views.client_search_for", lost)
    monkeypatch.setattr("silta.api.client_search_for", lost)
    page = signed_in.get("/clients/", {"q": "Virtanen"})
    assert page.status_code == 503 and page["Retry-After"] == "30"
    api = signed_in.get("/api/v1/clients", {"q": "Virtanen"})
    assert api.status_code == 503 and api.json()["code"] == "service.unavailable"


@pytest.mark.django_db
def test_other_database_errors_stay_500(signed_in, monkeypatch) -> None:
    from django.db import IntegrityError

    def broken(**kwargs: object) -> None:
        raise IntegrityError("duplicate key")

    monkeypatch.setattr("silta.web.views.client_search_for", broken)
    assert signed_in.get("/clients/", {"q": "Virtanen"}).status_code == 500
