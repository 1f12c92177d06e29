"""API fuzzing (issue #7): schemathesis generates requests from the OpenAPI
description; signed in as a case worker, no request may cause a server error or a
response that contradicts the description. Issue 19: hostile text and dates in
every operation (below) are refused without a server error."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client as HttpClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


# --- hostile values (issue 19, item 7) ----------------------------------------------
#
# Schemathesis draws well-formed values; an attacker sends lone surrogates, control
# characters and dates at the edges of time. For every operation, each text, date or
# date-time in the path, the query or the JSON body in turn (or all at once) gets such
# a value; no answer may be a server error. The hostile values are refused by the
# shared bounds in silta.core (forms and API schemas) with a 4xx.

HOSTILE_TEXT = [
    "\ud800",
    "a\udfffb",
    "\x1b[31m",
    "bell\x07",
    "c1\x85",
    "del\x7f",
    "line\nbreak",
    "\r\n",
    "\t=cmd",
    '=HYPERLINK("https://attacker.example")',
    "\u202eevil",
    "",
    "x" * 5000,
]
HOSTILE_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "1900-01-01"]
HOSTILE_DATETIMES = [
    "9999-12-31T23:00:00-12:00",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00",
    "2100-12-31T23:00:00-12:00",
    "1900-01-01T00:00:00+14:00",
]
SPEC = api.get_openapi_schema(path_prefix="/api/v1")
OPERATIONS = [
    (method.upper(), path, op)
    for path, ops in SPEC["paths"].items()
    for method, op in ops.items()
    if method in {"get", "post", "put", "patch", "delete"}
]


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SPEC["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [_resolve(o) for o in node[key] if o.get("type") != "null"]
            return options[0] if options else {"type": "null"}
    return node


def _kind(node: dict) -> str:
    node = _resolve(node)
    if node.get("type") == "string":
        return {"date": "date", "date-time": "datetime"}.get(node.get("format", ""), "text")
    return node.get("type", "text") or "text"


def _baseline(node: dict) -> object:
    node = _resolve(node)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        return {name: _baseline(prop) for name, prop in node.get("properties", {}).items()}
    if kind == "array":
        return [_baseline(node.get("items", {}))]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if kind == "string":
        return {
            "date": "2025-03-03",
            "date-time": "2025-03-03T10:00:00+02:00",
            "time": "10:00",
            "uuid": str(uuid.uuid4()),
        }.get(node.get("format", ""), "Kokkola")
    return None


def _leaves(node: dict, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Paths to the text, date and date-time values of a body."""
    node = _resolve(node)
    if node.get("type") == "object":
        found = []
        for name, prop in node.get("properties", {}).items():
            found += _leaves(prop, (*path, name))
        return found
    if node.get("type") == "array":
        return _leaves(node.get("items", {}), (*path, 0))
    kind = _kind(node)
    return [(path, kind)] if kind in {"text", "date", "datetime"} and "enum" not in node else []


def _set(body: object, path: tuple, value: object) -> None:
    for step in path[:-1]:
        body = body[step]  # type: ignore[index]
    body[path[-1]] = value  # type: ignore[index]


def _hostile(kind: str) -> st.SearchStrategy:
    if kind == "date":
        return st.sampled_from(HOSTILE_DATES)
    if kind == "datetime":
        return st.sampled_from(HOSTILE_DATETIMES)
    return st.sampled_from(HOSTILE_TEXT) | st.text(
        st.characters(categories=["Cc", "Cs"], codec=None), min_size=1, max_size=4
    )


def _url_value(value: str) -> str:
    """Percent-encoded; a lone surrogate goes as its (invalid) UTF-8 bytes, as an
    attacker would send it."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@pytest.fixture
def hostile_http(case_worker_cookies) -> HttpClient:
    http = HttpClient(enforce_csrf_checks=False)
    http.cookies["sessionid"] = case_worker_cookies["sessionid"]
    return http


def _targets(operation: dict) -> list[tuple[str, object, str]]:
    """(where, key, kind) of every text, date and date-time the operation takes."""
    found: list[tuple[str, object, str]] = []
    for p in operation.get("parameters", []):
        kind = _kind(p["schema"])
        if kind in {"text", "date", "datetime"} and p["schema"].get("format") != "uuid":
            found.append((p["in"], p["name"], kind))
    schema = _body_schema(operation)
    if schema:
        found += [("body", leaf, kind) for leaf, kind in _leaves(schema)]
    return found


def _body_schema(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")  # type: ignore[no-any-return]


def _call(
    http: HttpClient,
    method: str,
    path: str,
    operation: dict,
    values: dict[tuple[str, object], object],
    client_id: str | None,
) -> None:
    """Send the operation with ``values`` in place; assert no server error."""
    schema = _body_schema(operation)
    body = _baseline(schema) if schema else None
    url, query = path, []
    for p in operation.get("parameters", []):
        name, where = p["name"], p["in"]
        if where == "path":
            if (where, name) in values:
                filler = str(values[(where, name)])
            elif name == "client_id" and client_id:
                filler = client_id
            else:
                filler = str(_baseline(p["schema"]) or uuid.uuid4())
            url = url.replace("{" + name + "}", _url_value(filler) or "x")
        elif where == "query" and (where, name) in values:
            query.append(f"{name}={_url_value(str(values[(where, name)]))}")
    for (where, key), value in values.items():
        if where == "body":
            _set(body, key, value)  # type: ignore[arg-type]
    if query:
        url += "?" + "&".join(query)
    kwargs: dict[str, object] = {"HTTP_X_CSRFTOKEN": CSRF}
    if body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    response = http.generic(method, url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code < 500, (method, url, body, response.content[:500])


def _a_client_id() -> str | None:
    from silta.clients.models import Client

    pk = Client.objects.values_list("pk", flat=True).first()
    return str(pk) if pk else None


OPERATION_IDS = [f"{m} {p}" for m, p, _ in OPERATIONS]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=OPERATION_IDS)
def test_every_hostile_value_in_every_field_is_refused_without_a_server_error(
    hostile_http, method, path, operation
) -> None:
    """The sweep: each hostile value, in each field of its kind at once."""
    targets = _targets(operation)
    client_id = _a_client_id()
    rounds = max(len(HOSTILE_TEXT), len(HOSTILE_DATES), len(HOSTILE_DATETIMES))
    pools = {"text": HOSTILE_TEXT, "date": HOSTILE_DATES, "datetime": HOSTILE_DATETIMES}
    for i in range(rounds if targets else 0):
        values = {(where, key): pools[kind][i % len(pools[kind])] for where, key, kind in targets}
        _call(hostile_http, method, path, operation, values, client_id)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=OPERATION_IDS)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)
@given(data=st.data())
def test_hostile_values_one_field_at_a_time_without_a_server_error(
    hostile_http, method, path, operation, data
) -> None:
    """Hypothesis: one field (or every field) gets a hostile value, the others stay
    plausible, so the value can reach the service behind the schema."""
    targets = _targets(operation)
    if not targets:
        return
    chosen = (
        targets
        if data.draw(st.booleans(), label="all at once")
        else [data.draw(st.sampled_from(targets), label="target")]
    )
    values = {(w, k): data.draw(_hostile(kind), label=f"{w}:{k}") for w, k, kind in chosen}
    _call(hostile_http, method, path, operation, values, _a_client_id())
