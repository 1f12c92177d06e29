"""Every person-level read lands in the access log: exactly one row per client page
view and per search result page, naming the clients shown."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import AccessLog, AccessLogSubject


@pytest.fixture
def worker_and_clients(region):
    org = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    worker = factories.staff(Role.CASE_WORKER, org)
    mine = [
        factories.client(
            region["272"], last_name="Mäkinen", first_names=f"Anna {i}", organisation=org
        )
        for i in range(3)
    ]
    other = factories.client(region["272"], last_name="Mäkinen", first_names="Outsider")
    return worker, mine, other


@pytest.mark.django_db
def test_client_page_view_writes_one_row(worker_and_clients) -> None:
    worker, mine, _ = worker_and_clients
    http = HttpClient()
    http.force_login(worker)
    # when the worker opens a client's page
    response = http.get(f"/clients/{mine[0].pk}/")
    # then it shows and exactly one access row names that client, with the basis
    assert response.status_code == 200
    assert mine[0].personal_id in response.content.decode()
    # (the case-work and work ability path summaries on the page are reads of their
    # own, logged by their apps)
    rows = list(
        AccessLog.objects.exclude(section__startswith="casework:").exclude(
            section__startswith="workability:"
        )
    )
    assert len(rows) == 1
    assert AccessLog.objects.filter(section__startswith="casework:").count() <= 1
    assert AccessLog.objects.filter(section="workability:summary").count() <= 1
    assert rows[0].actor_id == worker.pk
    assert rows[0].basis == "client_relationship:jobseeker"
    assert rows[0].section.startswith("client_page")
    assert [s.client_id for s in rows[0].subjects.all()] == [mine[0].pk]


@pytest.mark.django_db
def test_search_page_writes_one_row_naming_the_clients_shown(worker_and_clients) -> None:
    worker, mine, other = worker_and_clients
    http = HttpClient()
    http.force_login(worker)
    # when the worker searches a surname shared with a client of another organisation
    response = http.get("/clients/", {"q": "mäkinen"})
    # then only their own clients are shown, and one row names exactly them
    body = response.content.decode()
    assert response.status_code == 200
    assert "Outsider" not in body
    assert AccessLog.objects.count() == 1
    shown = set(AccessLogSubject.objects.values_list("client_id", flat=True))
    assert shown == {c.pk for c in mine}
    assert other.pk not in shown


@pytest.mark.django_db
def test_client_of_another_organisation_is_not_found_and_not_logged(worker_and_clients) -> None:
    worker, _, other = worker_and_clients
    http = HttpClient()
    http.force_login(worker)
    assert http.get(f"/clients/{other.pk}/").status_code == 404
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_search_pages_are_paginated_and_each_page_is_logged(region, settings) -> None:
    settings.SILTA_PAGE_SIZE = 2
    org = factories.OrganisationFactory()
    worker = factories.staff(Role.CASE_WORKER, org)
    for i in range(5):
        factories.client(region["217"], last_name=f"Niemi{i}", organisation=org)
    http = HttpClient()
    http.force_login(worker)
    page3 = http.get("/clients/", {"q": "niemi", "page": 3})
    assert "Niemi4" in page3.content.decode()
    assert AccessLogSubject.objects.count() == 1
    assert AccessLog.objects.count() == 1


@pytest.mark.django_db
def test_invalid_identity_code_in_search_gives_a_message_next_to_the_field(
    worker_and_clients,
) -> None:
    worker, _, _ = worker_and_clients
    http = HttpClient()
    http.force_login(worker)
    response = http.post("/clients/", {"q": "131052-308U"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="q-error"' in body
    assert "Traceback" not in body
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_api_search_and_detail_are_logged(worker_and_clients) -> None:
    worker, mine, _ = worker_and_clients
    http = HttpClient()
    http.force_login(worker)
    listing = http.get("/api/v1/clients", {"q": "Anna"}).json()
    assert listing["count"] == 3
    detail = http.get(f"/api/v1/clients/{mine[1].pk}").json()
    assert detail["personal_id"] == mine[1].personal_id
    assert detail["access_basis"] == "client_relationship:jobseeker"
    assert AccessLog.objects.count() == 2
