"""Optimistic locking of the governance edits: the agreement, its sections and goals,
the cooperation bodies and their members carry an edit version. A save with the
version the page was opened with succeeds and bumps it (change-logged); a save with a
version somebody else has already used is refused with ``StaleEdit`` (409 on the
page, the message next to the form) and writes nothing."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client as HttpClient

from silta.audit.models import ChangeLog
from silta.catalogue.errors import StaleEdit
from silta.governance.errors import GovernanceError as E
from silta.governance.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    Body,
    BodyMember,
    Goal,
)
from silta.governance.services import (
    agreement_update,
    agreement_version_create,
    body_create,
    body_member_add,
    body_member_update,
    body_update,
    goal_add,
    goal_update,
    section_update,
)

pytestmark = pytest.mark.django_db


def http_as(user) -> HttpClient:
    user.language = "en"
    user.save(update_fields=["language"])
    http = HttpClient()
    http.force_login(user)
    return http


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def logged(event: str) -> int:
    return ChangeLog.objects.filter(event=event).count()


@pytest.fixture
def manager(world) -> HttpClient:
    return http_as(world["manager"])


@pytest.fixture
def draft(world, agreement) -> AgreementVersion:
    return agreement_version_create(
        actor=world["manager"], agreement=agreement, summary="Perhon muutosehdotus"
    )


@pytest.fixture
def section(draft) -> AgreementSection:
    return draft.sections.get(number=1)


@pytest.fixture
def goal(world, agreement) -> Goal:
    return goal_add(
        actor=world["manager"],
        version=agreement.versions.get(number=1),
        title="Terveystarkastukset",
        description="",
        responsible=world["soite"],
    )


@pytest.fixture
def body(world) -> Body:
    return body_create(
        actor=None,
        key="",
        kind="joint_team",
        name_fi="Yhteinen TYP-tiimi",
        name_sv="Gemensamt team",
        name_en="",
        convener=world["employment"],
    )


@pytest.fixture
def member(world, body) -> BodyMember:
    return body_member_add(
        actor=None,
        body=body,
        organisation=world["employment"],
        valid_from=dt.date(2026, 1, 1),
        user=world["worker"],
        role="secretary",
    )


def _agreement(world, agreement, *, version: int, name_fi: str) -> Agreement:
    return agreement_update(
        actor=world["manager"],
        agreement=agreement,
        version=version,
        name_fi=name_fi,
        name_sv="Strategiskt samarbetsavtal",
        name_en="",
        municipalities=list(agreement.municipalities.all()),
    )


def _section(world, section, *, version: int, heading: str) -> AgreementSection:
    return section_update(
        actor=world["manager"],
        section=section,
        version=version,
        number=section.number,
        heading=heading,
        text="Yhteistyön periaatteet.",
    )


def _goal(world, goal, *, version: int, title: str) -> Goal:
    return goal_update(
        actor=world["manager"],
        goal=goal,
        version=version,
        title=title,
        description="",
        responsible=world["employment"],
    )


def _body(world, body, *, version: int, name_fi: str) -> Body:
    return body_update(
        actor=world["manager"],
        body=body,
        version=version,
        kind="joint_team",
        name_fi=name_fi,
        name_sv="Gemensamt team",
        name_en="",
        purpose="",
        is_active=True,
    )


def _member(world, member, *, version: int, title: str) -> BodyMember:
    return body_member_update(
        actor=world["manager"],
        member=member,
        version=version,
        organisation=world["employment"],
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
        user=world["worker"],
        title=title,
        role="secretary",
    )


# --- the services ------------------------------------------------------------------------


def test_agreement_update_bumps_the_version_and_refuses_a_stale_one(world, agreement) -> None:
    assert agreement.version == 1
    saved = _agreement(world, agreement, version=1, name_fi="Uusi nimi")
    assert saved.version == 2
    agreement.refresh_from_db()
    assert agreement.name_fi == "Uusi nimi" and agreement.version == 2
    assert ChangeLog.objects.get(event="agreement.updated").changes["version"] == [1, 2]
    # a page opened before that save: refused, nothing written
    with pytest.raises(StaleEdit) as caught:
        _agreement(world, agreement, version=1, name_fi="Vanha sivu")
    assert caught.value.code == E.STALE_AGREEMENT == "agreement.stale_version"
    assert caught.value.http_status == 409
    assert "Somebody else changed this agreement meanwhile" in caught.value.messages[0]
    agreement.refresh_from_db()
    assert agreement.name_fi == "Uusi nimi" and agreement.version == 2
    assert logged("agreement.updated") == 1
    # a version from the future is stale as well
    with pytest.raises(StaleEdit):
        _agreement(world, agreement, version=3, name_fi="Tuleva")
    assert _agreement(world, agreement, version=2, name_fi="Kolmas").version == 3


def test_section_update_bumps_the_edit_version_and_refuses_a_stale_one(
    world, draft, section
) -> None:
    assert section.edit_version == 1
    saved = _section(world, section, version=1, heading="Tarkoitus ja periaatteet")
    assert saved.edit_version == 2 and saved.version_id == draft.pk  # the agreement version
    section.refresh_from_db()
    assert section.heading == "Tarkoitus ja periaatteet" and section.edit_version == 2
    log = ChangeLog.objects.get(event="agreement.section_updated")
    assert log.changes["edit_version"] == [1, 2]
    with pytest.raises(StaleEdit) as caught:
        _section(world, section, version=1, heading="Vanha sivu")
    assert caught.value.code == E.STALE_SECTION == "section.stale_version"
    assert "Somebody else changed this section meanwhile" in caught.value.messages[0]
    section.refresh_from_db()
    assert section.heading == "Tarkoitus ja periaatteet" and section.edit_version == 2
    assert logged("agreement.section_updated") == 1


def test_goal_update_bumps_the_edit_version_and_refuses_a_stale_one(world, goal) -> None:
    assert goal.edit_version == 1
    saved = _goal(world, goal, version=1, title="Työkyvyn tuki")
    assert saved.edit_version == 2
    goal.refresh_from_db()
    assert goal.title == "Työkyvyn tuki" and goal.responsible == world["employment"]
    assert ChangeLog.objects.get(event="goal.updated").changes["edit_version"] == [1, 2]
    with pytest.raises(StaleEdit) as caught:
        _goal(world, goal, version=1, title="Vanha sivu")
    assert caught.value.code == E.STALE_GOAL == "goal.stale_version"
    assert "Somebody else changed this goal meanwhile" in caught.value.messages[0]
    goal.refresh_from_db()
    assert goal.title == "Työkyvyn tuki" and goal.edit_version == 2
    assert logged("goal.updated") == 1


def test_body_update_bumps_the_version_and_refuses_a_stale_one(world, body) -> None:
    assert body.version == 1
    saved = _body(world, body, version=1, name_fi="TYP-tiimi")
    assert saved.version == 2
    body.refresh_from_db()
    assert body.name_fi == "TYP-tiimi" and body.version == 2
    assert ChangeLog.objects.get(event="body.updated").changes["version"] == [1, 2]
    with pytest.raises(StaleEdit) as caught:
        _body(world, body, version=1, name_fi="Vanha sivu")
    assert caught.value.code == E.STALE_BODY == "body.stale_version"
    assert "Somebody else changed this body meanwhile" in caught.value.messages[0]
    body.refresh_from_db()
    assert body.name_fi == "TYP-tiimi" and body.version == 2
    assert logged("body.updated") == 1


def test_body_member_update_bumps_the_version_and_refuses_a_stale_one(world, member) -> None:
    assert member.version == 1
    saved = _member(world, member, version=1, title="Työvalmentaja")
    assert saved.version == 2
    member.refresh_from_db()
    assert member.title == "Työvalmentaja" and member.version == 2
    assert ChangeLog.objects.get(event="body.member_updated").changes["version"] == [1, 2]
    with pytest.raises(StaleEdit) as caught:
        _member(world, member, version=1, title="Vanha sivu")
    assert caught.value.code == E.STALE_MEMBER == "member.stale_version"
    assert "Somebody else changed this member meanwhile" in caught.value.messages[0]
    member.refresh_from_db()
    assert member.title == "Työvalmentaja" and member.version == 2
    assert logged("body.member_updated") == 1


# --- the pages ---------------------------------------------------------------------------------


def _hidden_version(response, value: int) -> bool:
    return f'name="version" value="{value}"' in page_text(response)


def test_a_stale_agreement_form_answers_409_with_the_message(world, agreement, manager) -> None:
    url = f"/governance/agreements/{agreement.pk}/edit/"
    opened = manager.get(url)
    assert opened.status_code == 200 and _hidden_version(opened, 1)
    # somebody else saves after the page was opened
    _agreement(world, agreement, version=1, name_fi="Toisen nimi")
    stale = manager.post(
        url,
        {
            "name_fi": "Vanhan sivun nimi",
            "name_sv": "Nytt namn",
            "municipalities": [str(m.pk) for m in agreement.municipalities.all()],
            "version": "1",
        },
    )
    assert stale.status_code == 409
    assert "Somebody else changed this agreement meanwhile. Reload the page." in page_text(stale)
    agreement.refresh_from_db()
    assert agreement.name_fi == "Toisen nimi" and agreement.version == 2
    assert logged("agreement.updated") == 1
    # the reloaded page carries the new version and saves
    assert _hidden_version(manager.get(url), 2)
    saved = manager.post(
        url,
        {
            "name_fi": "Uusi nimi",
            "name_sv": "Nytt namn",
            "municipalities": [str(m.pk) for m in agreement.municipalities.all()],
            "version": "2",
        },
    )
    assert saved.status_code == 302
    agreement.refresh_from_db()
    assert agreement.name_fi == "Uusi nimi" and agreement.version == 3


def test_a_stale_section_form_answers_409_with_the_message(world, section, manager) -> None:
    url = f"/governance/sections/{section.pk}/edit/"
    assert _hidden_version(manager.get(url), 1)
    _section(world, section, version=1, heading="Toisen otsikko")
    stale = manager.post(url, {"number": "1", "heading": "Vanha", "text": "X", "version": "1"})
    assert stale.status_code == 409
    assert "Somebody else changed this section meanwhile. Reload the page." in page_text(stale)
    section.refresh_from_db()
    assert section.heading == "Toisen otsikko" and section.edit_version == 2


def test_a_stale_goal_form_answers_409_with_the_message(world, goal, manager) -> None:
    url = f"/governance/goals/{goal.pk}/edit/"
    assert _hidden_version(manager.get(url), 1)
    _goal(world, goal, version=1, title="Toisen tavoite")
    stale = manager.post(
        url,
        {"title": "Vanha", "description": "", "responsible": str(world["soite"].pk),
         "version": "1"},
    )  # fmt: skip
    assert stale.status_code == 409
    assert "Somebody else changed this goal meanwhile. Reload the page." in page_text(stale)
    goal.refresh_from_db()
    assert goal.title == "Toisen tavoite" and goal.edit_version == 2


def test_a_stale_body_form_answers_409_with_the_message(world, body, manager) -> None:
    url = f"/governance/bodies/{body.pk}/edit/"
    opened = manager.get(url)
    assert opened.status_code == 200 and _hidden_version(opened, 1)
    _body(world, body, version=1, name_fi="Toisen nimi")
    stale = manager.post(
        url,
        {"kind": "joint_team", "name_fi": "Vanha", "name_sv": "Grupp", "name_en": "",
         "purpose": "", "is_active": "on", "version": "1"},
    )  # fmt: skip
    assert stale.status_code == 409
    assert "Somebody else changed this body meanwhile. Reload the page." in page_text(stale)
    body.refresh_from_db()
    assert body.name_fi == "Toisen nimi" and body.version == 2
    assert logged("body.updated") == 1


def test_a_stale_member_form_answers_409_with_the_message(world, member, manager) -> None:
    url = f"/governance/members/{member.pk}/edit/"
    assert _hidden_version(manager.get(url), 1)
    _member(world, member, version=1, title="Toisen titteli")
    stale = manager.post(
        url,
        {"user": str(world["worker"].pk), "organisation": str(world["employment"].pk),
         "role": "member", "valid_from": "2026-01-01", "valid_to": "2026-06-30",
         "version": "1"},
    )  # fmt: skip
    assert stale.status_code == 409
    assert "Somebody else changed this member meanwhile. Reload the page." in page_text(stale)
    member.refresh_from_db()
    assert member.title == "Toisen titteli" and member.valid_to is None and member.version == 2


def test_a_form_without_the_version_is_refused_and_writes_nothing(world, body, manager) -> None:
    response = manager.post(
        f"/governance/bodies/{body.pk}/edit/",
        {"kind": "joint_team", "name_fi": "Ilman versiota", "name_sv": "Grupp"},
    )
    assert response.status_code == 400
    body.refresh_from_db()
    assert body.name_fi == "Yhteinen TYP-tiimi" and body.version == 1
