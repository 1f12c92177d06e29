"""A client generated from Silta's OpenAPI document with openapi-python-client, at
test time (docs/adr/0018): a provider's attendance system pushes a week of attendance
and a reporting warehouse pulls a suppressed statistics table, each with its own
client credentials; provider B's token cannot touch provider A's placement."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client as HttpClient
from tests import factories
from tests.integrations.conftest import NOW

from silta.accounts.roles import Role
from silta.audit.models import AccessLog
from silta.integrations import services
from silta.rehab.models import Attendance
from silta.reporting import statistics as st

PACKAGE = "silta_api_client"


def _generate(tmp: Path, spec: dict[str, Any]) -> Any:
    (tmp / "openapi.json").write_text(json.dumps(spec))
    (tmp / "config.json").write_text(
        json.dumps({"package_name_override": PACKAGE, "post_hooks": []})
    )
    generator = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(tmp / "openapi.json"),
            "--config",
            str(tmp / "config.json"),
            "--output-path",
            str(tmp / PACKAGE),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(tmp))
    return importlib.import_module(PACKAGE)


@pytest.fixture
def spec(world) -> dict[str, Any]:
    """The OpenAPI document as Silta serves it to a signed-in user."""
    http = HttpClient()
    http.force_login(factories.staff(Role.ADMINISTRATOR))
    response = http.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


@pytest.fixture
def wsgi(spec) -> Iterator[httpx.WSGITransport]:
    """Silta's WSGI application in this thread and transaction (as Django's test
    client runs it: the connection is not closed around each request). After the
    test client's last request, which connects the closing handler again."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield httpx.WSGITransport(app=get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _token(transport: httpx.WSGITransport, issued: services.Issued) -> str:
    with httpx.Client(transport=transport, base_url="http://testserver") as http:
        response = http.post(
            "/oauth/token/",
            data={"grant_type": "client_credentials"},
            auth=(issued.client_id, issued.secret),
        )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.mark.django_db
def test_generated_client_pushes_attendance_and_pulls_statistics(
    world, spec, wsgi, tmp_path: Path
) -> None:
    pkg = _generate(tmp_path, spec)
    client_mod = importlib.import_module(f"{PACKAGE}.client")
    record = importlib.import_module(f"{PACKAGE}.api.rehab.integrations_attendance_push")
    week = importlib.import_module(f"{PACKAGE}.api.rehab.rehab_attendance_week")
    table_op = importlib.import_module(f"{PACKAGE}.api.statistics.statistics_table")
    models = importlib.import_module(f"{PACKAGE}.models")
    assert pkg is not None
    placement = world["placement"]

    def api(issued: services.Issued) -> Any:
        return client_mod.AuthenticatedClient(
            base_url="http://testserver",
            token=_token(wsgi, issued),
            httpx_args={"transport": wsgi},
        )

    monday = dt.date(2025, 3, 3)
    days = [
        models.AttendancePushDayIn(day=monday + dt.timedelta(days=i), status="present", hours="6")
        for i in range(3)
    ] + [
        models.AttendancePushDayIn(
            day=monday + dt.timedelta(days=3), status="absent", absence_reason="sick"
        )
    ]
    with time_machine.travel(NOW, tick=False):
        # provider B's attendance system cannot push to provider A's placement
        b = api(world["b_client"])
        refused = record.sync_detailed(
            placement.pk, client=b, body=models.AttendancePushIn(days=days)
        )
        assert refused.status_code == 404
        assert not Attendance.objects.filter(placement=placement).exists()
        # provider A's system pushes the week and reads it back
        a = api(world["a_client"])
        saved = record.sync(placement.pk, client=a, body=models.AttendancePushIn(days=days))
        assert saved is not None and saved.saved == 4
        rows = week.sync(placement.pk, client=a, week=monday)
        assert [(r.day, r.present) for r in rows] == [
            (monday, True),
            (monday + dt.timedelta(days=1), True),
            (monday + dt.timedelta(days=2), True),
            (monday + dt.timedelta(days=3), False),
        ]
        assert AccessLog.objects.latest("id").actor_username == "client:mello-attendance"
        # the municipal warehouse pulls the participants table: the same suppressed
        # table as the statistics page, one participant in Kokkola hidden
        w = api(world["warehouse"])
        table = table_op.sync("rehab_participants", client=w, year=2025)
        expected = st.table(st.statistic("rehab_participants"), st.Period.year(2025))
        assert table.columns == expected.columns
        kokkola = next(r for r in table.rows if r.municipality_code == "272")
        assert kokkola.total is None and table.total is None
        assert table.suppressed_cells == len(expected.published.hidden_cells) > 0
        # and a provider's client may not read statistics
        assert table_op.sync_detailed("rehab_participants", client=a, year=2025).status_code == 403
