"""Optimistic locking of the governance edits: the agreement, its sections and goals,
the cooperation bodies and their members carry an edit version. A save with the
version the page was opened with succeeds and bumps it (change-logged); a save with a
version somebody else has already used is refused with ``StaleEdit`` (409 on the
page, the message next to the form) and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.utils import translation
from tests.governance.conftest import http_as, page_text

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


# what each edit changes: its fixture, the call, the field it saves, the model's counter,
# the change-log event, the stale code and the noun in the message
EDITS = {
    "agreement": (_agreement, "name_fi", "version", "agreement.updated", E.STALE_AGREEMENT),
    "section": (_section, "heading", "edit_version", "agreement.section_updated", E.STALE_SECTION),
    "goal": (_goal, "title", "edit_version", "goal.updated", E.STALE_GOAL),
    "body": (_body, "name_fi", "version", "body.updated", E.STALE_BODY),
    "member": (_member, "title", "version", "body.member_updated", E.STALE_MEMBER),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_bumps_the_version_and_a_stale_one_writes_nothing(request, world, kind) -> None:
    edit, field, counter, event, code = EDITS[kind]
    row = request.getfixturevalue(kind)
    assert getattr(row, counter) == 1
    saved = edit(world, row, version=1, **{field: "Uusi teksti"})
    assert getattr(saved, counter) == 2
    row.refresh_from_db()
    assert getattr(row, field) == "Uusi teksti" and getattr(row, counter) == 2
    assert ChangeLog.objects.get(event=event).changes[counter] == [1, 2]
    # a page opened before that save: refused, nothing written
    with pytest.raises(StaleEdit) as caught, translation.override("en"):
        edit(world, row, version=1, **{field: "Vanha sivu"})
    assert caught.value.code == code == f"{kind}.stale_version"
    assert caught.value.http_status == 409
    assert f"Somebody else changed this {kind} meanwhile" in caught.value.messages[0]
    row.refresh_from_db()
    assert getattr(row, field) == "Uusi teksti" and getattr(row, counter) == 2
    assert logged(event) == 1


def test_a_version_from_the_future_is_stale_too(world, agreement) -> None:
    with pytest.raises(StaleEdit):
        _agreement(world, agreement, version=2, name_fi="Tuleva")
    assert _agreement(world, agreement, version=1, name_fi="Toinen").version == 2


def test_a_section_keeps_its_agreement_version(world, draft, section) -> None:
    saved = _section(world, section, version=1, heading="Tarkoitus ja periaatteet")
    assert saved.version_id == draft.pk and saved.edit_version == 2


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
