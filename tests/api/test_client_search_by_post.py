"""An identity code is never sent in a URL (issue 18 item 5, issue 13): the API refuses
one in ``GET /api/v1/clients?q=`` and takes it in the body of
``POST /api/v1/clients/search``, which answers only with clients the user may see."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLog
from silta.web.forms import compact_personal_id


@pytest.fixture
def cast(region):
    org = factories.OrganisationFactory()
    other_org = factories.OrganisationFactory()
    worker = factories.staff(Role.CASE_WORKER, org)
    mine = factories.client(region["272"], organisation=org, last_name="Hakunen")
    theirs = factories.client(region["272"], organisation=other_org, last_name="Muukkonen")
    http = HttpClient()
    http.force_login(worker)
    return {"worker": worker, "mine": mine, "theirs": theirs, "http": http}


def _post(http: HttpClient, body: dict[str, object]):
    return http.post("/api/v1/clients/search", body, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["as_stored", "without_sign"])
def test_an_identity_code_in_the_query_string_is_refused_and_nothing_is_logged(cast, form) -> None:
    code = cast["mine"].personal_id
    if form == "without_sign":
        code = code.replace("-", "").replace("A", "")
        assert compact_personal_id(code) == cast["mine"].personal_id
    response = cast["http"].get("/api/v1/clients", {"q": code})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "clients.personal_id_in_url"
    assert "POST /api/v1/clients/search" in body["message"]
    assert "Hakunen" not in response.content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_a_name_search_in_the_query_string_still_works(cast) -> None:
    response = cast["http"].get("/api/v1/clients", {"q": "hakunen"})
    assert response.status_code == 200
    assert [c["last_name"] for c in response.json()["items"]] == ["Hakunen"]


@pytest.mark.django_db
def test_the_post_search_finds_an_own_client_by_code_and_logs_a_path_without_it(cast) -> None:
    for code in (cast["mine"].personal_id, cast["mine"].personal_id.replace("-", "")):
        response = _post(cast["http"], {"q": code})
        assert response.status_code == 200, response.content
        assert "no-store" in response["Cache-Control"]
        items = response.json()["items"]
        assert [c["id"] for c in items] == [str(cast["mine"].pk)]
    logs = list(AccessLog.objects.filter(section="client_search"))
    assert len(logs) == 2
    for log in logs:
        assert log.path == "/api/v1/clients/search"
        assert cast["mine"].personal_id not in log.path


@pytest.mark.django_db
def test_the_post_search_answers_alike_for_another_orgs_client_and_an_unused_code(cast) -> None:
    """No answer reveals whether a code the user may not see exists."""
    seen = _post(cast["http"], {"q": cast["theirs"].personal_id})
    unused = _post(cast["http"], {"q": "010190-900P"})
    assert seen.status_code == unused.status_code == 200
    assert seen.json() == unused.json() == {"items": [], "page": 1, "pages": 1, "count": 0}
    assert "Muukkonen" not in seen.content.decode()


@pytest.mark.django_db
def test_a_malformed_code_in_the_body_is_an_error_on_q(cast) -> None:
    response = _post(cast["http"], {"q": "010190-9001"})
    assert response.status_code == 400
    assert "q" in response.json()["fields"]
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_the_post_search_needs_the_search_permission(cast, region) -> None:
    coach = factories.staff(Role.IPS_COACH)
    http = HttpClient()
    http.force_login(coach)
    response = _post(http, {"q": cast["mine"].personal_id})
    assert response.status_code == 403
    assert "Hakunen" not in response.content.decode()


def test_the_openapi_document_describes_the_post_search() -> None:
    from silta.api import api

    spec = api.get_openapi_schema(path_prefix="/api/v1")
    post = spec["paths"]["/api/v1/clients/search"]["post"]
    assert post["operationId"] == "clients_search_post"
    assert "requestBody" in post
    get = spec["paths"]["/api/v1/clients"]["get"]
    assert "POST /clients/search" in get["description"]
