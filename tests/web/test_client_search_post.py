"""An identity code is sent in a POST body, never in an address (issue 18 item 5):
client search and the client look-up of the access report. The search keeps its words
when the user comes back, and takes an identity code without its hyphen."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLog
from silta.web.forms import compact_personal_id

HETU = re.compile(r"\d{6}[-+A-FU-Y]?\d{3}[0-9A-Y]")


@pytest.fixture
def worker_and_client(region):
    org = factories.OrganisationFactory()
    worker = factories.staff(Role.CASE_WORKER, org)
    c = factories.client(region["272"], organisation=org, last_name="Hakunen")
    return worker, c


@pytest.mark.django_db
def test_an_identity_code_search_is_posted_and_kept_out_of_every_address(
    worker_and_client,
) -> None:
    worker, c = worker_and_client
    http = HttpClient()
    http.force_login(worker)
    # the search form posts
    form = http.get("/clients/").content.decode()
    assert re.search(r'<form method="post" action="/clients/"', form)
    # when the worker searches by identity code without the hyphen
    bare = c.personal_id.replace("-", "").replace("A", "")
    response = http.post("/clients/", {"q": bare})
    # then the answer is a redirect to an address without the code
    assert response.status_code == 302
    assert not _hetu_in(response["Location"])
    page = http.get(response["Location"])
    body = page.content.decode()
    assert "Hakunen" in body
    # the form keeps the code (in the page, not in an address) and no link carries it
    assert f'value="{c.personal_id}"' in body
    for href in re.findall(r'href="([^"]+)"', body):
        assert not _hetu_in(href), href
    # and "back" to the same address shows the same results
    assert "Hakunen" in http.get(response["Location"]).content.decode()
    assert AccessLog.objects.filter(section="client_search").count() == 2
    for log in AccessLog.objects.all():
        assert not _hetu_in(log.path)


@pytest.mark.django_db
def test_an_identity_code_in_an_address_is_not_searched(worker_and_client) -> None:
    worker, c = worker_and_client
    http = HttpClient()
    http.force_login(worker)
    response = http.get("/clients/", {"q": c.personal_id})
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert not AccessLog.objects.exists()
    # another worker's saved search is not this session's
    other = HttpClient()
    other.force_login(worker)
    assert "Hakunen" not in other.get("/clients/?saved=1").content.decode()


@pytest.mark.django_db
def test_a_name_search_keeps_its_words_in_the_address(worker_and_client) -> None:
    worker, _c = worker_and_client
    http = HttpClient()
    http.force_login(worker)
    response = http.post("/clients/", {"q": "hakunen"})
    assert response.status_code == 302 and "q=hakunen" in response["Location"]
    assert "Hakunen" in http.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_searcher_without_the_permission_is_refused(worker_and_client) -> None:
    _worker, c = worker_and_client
    analyst = factories.staff(Role.IPS_COACH)
    http = HttpClient()
    http.force_login(analyst)
    status = http.post("/clients/", {"q": c.personal_id}).status_code
    assert status in {302, 403}
    assert "Hakunen" not in http.get("/clients/?saved=1").content.decode()


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _hetu_in(text: str) -> re.Match[str] | None:
    """An identity code in an address, not counting the digits of a record's UUID."""
    return HETU.search(_UUID.sub("", text))


def test_a_code_without_its_sign_gets_the_sign_of_a_working_age_person() -> None:
    assert compact_personal_id("131052900W") == "131052-900W"
    assert compact_personal_id("010105 900S") == "010105A900S"  # born 2005
    assert compact_personal_id("131052900X") == "131052900X"  # wrong check character
    assert compact_personal_id("Virtanen") == "Virtanen"


@pytest.mark.django_db
def test_no_page_answers_an_identity_code_in_its_address(worker_and_client) -> None:
    worker, c = worker_and_client
    http = HttpClient()
    http.force_login(worker)
    for url, params in (
        ("/ips/", {"q": c.personal_id, "status": "open"}),
        ("/audit/clients/", {"personal_id": c.personal_id}),
        ("/referrals/", {"q": c.personal_id.replace("-", "")}),
    ):
        response = http.get(url, params)
        assert response.status_code == 302, url
        assert not _hetu_in(response["Location"]), response["Location"]
        assert response["Location"].startswith(url)
    assert "status=open" in http.get("/ips/", {"q": c.personal_id, "status": "open"})["Location"]
    # other numbers pass: a year, a UUID, a page
    assert http.get("/clients/", {"q": "hakunen", "page": "2"}).status_code != 302
    assert not AccessLog.objects.filter(path__regex=r"\d{6}[-+A]\d{3}").exists()
