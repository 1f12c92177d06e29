"""The "who sees what" page renders the policy table in Finnish, Swedish and English
for every signed-in user, and nobody else."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.privacy.policy import RULES, RecordKind


@pytest.mark.parametrize(
    ("language", "heading", "word", "service"),
    [("fi", "Kuka näkee mitä", "Mielenterveystiedot", "Paikka ryhmässä"),
     ("sv", "Vem ser vad", "Uppgifter om psykisk hälsa", "Plats i en grupp"),
     ("en", "Who sees what", "Mental health data", "Place in a group")],
)  # fmt: skip
@pytest.mark.django_db
def test_the_page_shows_the_table_in_each_language(language, heading, word, service) -> None:
    user = factories.staff(Role.ADMINISTRATOR)
    user.language = language
    user.save()
    http = HttpClient()
    http.force_login(user)
    response = http.get("/help/who-sees-what/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 200
    assert heading in body and word in body and service in body
    # every record kind of the table has its section
    assert body.count("<section") >= len(RecordKind)
    # linked from the navigation
    assert 'href="/help/who-sees-what/"' in body
    if language != "en":
        assert "Mental health data" not in body and "controller_ended" not in body
        assert "Place in a group" not in body and "ips_episode" not in body


@pytest.mark.django_db
def test_the_page_needs_a_signed_in_user() -> None:
    response = HttpClient().get("/help/who-sees-what/")
    assert response.status_code in (302, 403)


def test_every_record_kind_has_a_rule() -> None:
    assert {r.kind for r in RULES} == set(RecordKind.values)


@pytest.mark.django_db
def test_the_page_lists_the_law_with_what_is_unconfirmed() -> None:
    """Law is dated data with sources: each source of the table is shown with whether
    it was confirmed at the source (381/2023's disclosure sections are not, ADR 0028)."""
    from silta.privacy.policy import LAW_SOURCES, Relation

    user = factories.staff(Role.CASE_WORKER, language="en")
    http = HttpClient()
    http.force_login(user)
    body = http.get("/help/who-sees-what/").content.decode()
    assert "The law the table rests on" in body
    by_key = {s.key: s for s in LAW_SOURCES}
    assert by_key["381/2023"].verified is False
    assert by_key["1369/2014-9"].verified is True
    for source in LAW_SOURCES:
        assert source.title_fi in body
        assert source.relations, source.key
    # every relation that opens another controller's data cites a source
    cited = {r for s in LAW_SOURCES for r in s.relations}
    assert {Relation.TEAM, Relation.CONSENT, Relation.SUPERVISOR} <= cited
