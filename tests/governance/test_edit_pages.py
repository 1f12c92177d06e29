"""The page forms that create and edit the strategic agreement (agreements, versions,
sections, goals, indicators) and the cooperation bodies with their members: each
saves through its service (change-logged), bad input is answered next to the field and
saves nothing, deleting asks for confirmation first, and staff without
``governance.manage`` (or outside the agreement or body) are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from tests import factories
from tests.governance.conftest import http_as, page_text

from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import ChangeLog
from silta.core import dates
from silta.governance.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    Body,
    BodyMember,
    Goal,
    Indicator,
)
from silta.governance.services import (
    agreement_version_create,
    approval_record,
    goal_add,
    indicator_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(world) -> HttpClient:
    return http_as(world["manager"])


def logged(event: str) -> int:
    return ChangeLog.objects.filter(event=event).count()


@pytest.fixture
def draft(world, agreement) -> AgreementVersion:
    """Version 2 of the agreement, a draft copied from version 1."""
    return agreement_version_create(
        actor=world["manager"], agreement=agreement, summary="Perhon muutosehdotus"
    )


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
def indicator(world, goal) -> Indicator:
    return indicator_add(
        actor=world["manager"],
        goal=goal,
        title="Tehdyt terveystarkastukset",
        target=Decimal(280),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        statistic="health_checks_done",
    )


# --- agreements ------------------------------------------------------------------------


def test_agreement_create_edit_and_delete(world, agreement, manager) -> None:
    region = world["region"]
    assert manager.get("/governance/agreements/new/").status_code == 200
    # bad input: no name, no parties, an owner the manager does not belong to
    before = Agreement.objects.count()
    bad = manager.post(
        "/governance/agreements/new/",
        {"name_fi": "", "name_sv": "Avtal", "owner": str(world["soite"].pk)},
    )
    assert bad.status_code == 400 and Agreement.objects.count() == before
    body = page_text(bad)
    assert "This field is required." in body and "Select a valid choice" in body
    # happy path
    created = manager.post(
        "/governance/agreements/new/",
        {
            "name_fi": "Kotoutumisen sopimus",
            "name_sv": "Integrationsavtal",
            "owner": str(world["employment"].pk),
            "municipalities": [str(region["272"].pk), str(region["217"].pk)],
            "summary": "Ensimmäinen luonnos",
        },
    )
    assert created.status_code == 302
    new = Agreement.objects.get(name_fi="Kotoutumisen sopimus")
    assert new.key == "kotoutumisen-sopimus" and new.versions.get().status == "draft"
    assert created["Location"] == f"/governance/agreements/{new.pk}/"
    assert ChangeLog.objects.filter(event="agreement.created", target_id=str(new.pk)).exists()
    # edit: a party that has recorded a decision stays a party
    approval_record(
        actor=world["manager"],
        version=agreement.versions.get(number=1),
        municipality=region["217"],
        body="Kaupunginhallitus",
        meeting_date=dates.today() - dt.timedelta(days=3),
        section_number=12,
        decision="approved",
        record_number=f"12/00.04.01/{dates.today().year}",
    )
    parties = [m for code, m in region.items() if code not in {"421", "217"}]
    url = f"/governance/agreements/{agreement.pk}/edit/"
    refused = manager.post(
        url,
        {
            "name_fi": "Uusi nimi",
            "name_sv": "Nytt namn",
            "municipalities": [str(m.pk) for m in parties],
            "version": "1",
        },
    )
    assert refused.status_code == 400
    assert "Kannus has already recorded a decision" in page_text(refused)
    agreement.refresh_from_db()
    assert agreement.name_fi == "Strateginen yhteistyösopimus"
    assert agreement.municipalities.count() == 7
    saved = manager.post(
        url,
        {
            "name_fi": "Uusi nimi",
            "name_sv": "Nytt namn",
            "municipalities": [str(m.pk) for m in [*parties, region["217"], region["421"]]],
            "version": "1",
        },
    )
    assert saved.status_code == 302
    agreement.refresh_from_db()
    assert agreement.name_fi == "Uusi nimi" and agreement.municipalities.count() == 8
    assert ChangeLog.objects.get(event="agreement.updated").changes["name_fi"] == [
        "Strateginen yhteistyösopimus",
        "Uusi nimi",
    ]
    # delete: asks first; one sent for approval stays; a draft one goes
    page = manager.get(f"/governance/agreements/{new.pk}/delete/")
    assert page.status_code == 200 and "Yes, delete" in page_text(page)
    assert Agreement.objects.filter(pk=new.pk).exists()
    kept = manager.post(f"/governance/agreements/{agreement.pk}/delete/")
    assert kept.status_code == 400 and "sent for approval" in page_text(kept)
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    gone = manager.post(f"/governance/agreements/{new.pk}/delete/")
    assert gone.status_code == 302 and not Agreement.objects.filter(pk=new.pk).exists()
    assert logged("agreement.deleted") == 1


def test_versions_are_made_as_copies_and_only_drafts_are_deleted(world, agreement, manager) -> None:
    url = f"/governance/agreements/{agreement.pk}/versions/new/"
    bad = manager.post(url, {"summary": "  "})
    assert bad.status_code == 400 and agreement.versions.count() == 1
    made = manager.post(url, {"summary": "Perhon muutosehdotus"})
    assert made.status_code == 302
    draft = agreement.versions.get(number=2)
    assert draft.status == "draft" and draft.sections.count() == 2
    assert made["Location"].endswith("?version=2")
    # version 1 was sent for approval: refused; the draft goes after confirmation
    first = agreement.versions.get(number=1)
    refused = manager.post(f"/governance/versions/{first.pk}/delete/")
    assert refused.status_code == 400 and "no longer a draft" in page_text(refused)
    assert manager.get(f"/governance/versions/{draft.pk}/delete/").status_code == 200
    assert manager.post(f"/governance/versions/{draft.pk}/delete/").status_code == 302
    assert agreement.versions.count() == 1 and logged("agreement.version_deleted") == 1


def test_sections_change_only_in_a_draft(world, agreement, draft, manager) -> None:
    url = f"/governance/versions/{draft.pk}/sections/new/"
    assert 'value="3"' in page_text(manager.get(url))  # the next number
    taken = manager.post(url, {"number": "2", "heading": "Työkyky", "text": "Uusi teksti."})
    assert taken.status_code == 400
    assert "Section 2 already exists in this version." in page_text(taken)
    empty = manager.post(url, {"number": "3", "heading": "", "text": ""})
    assert empty.status_code == 400 and draft.sections.count() == 2
    added = manager.post(url, {"number": "3", "heading": "Seuranta", "text": "Mittarit."})
    assert added.status_code == 302 and draft.sections.count() == 3
    section = draft.sections.get(number=3)
    edit = f"/governance/sections/{section.pk}/edit/"
    assert manager.post(edit, {"number": "3", "heading": "Seuranta ja arviointi",
                               "text": "Mittarit.", "version": "1"}).status_code == 302  # fmt: skip
    section.refresh_from_db()
    assert section.heading == "Seuranta ja arviointi"
    assert logged("agreement.section_updated") == 1
    assert manager.get(f"/governance/sections/{section.pk}/delete/").status_code == 200
    assert manager.post(f"/governance/sections/{section.pk}/delete/").status_code == 302
    assert not AgreementSection.objects.filter(pk=section.pk).exists()
    # version 1 was sent for approval: its text does not change
    circulated = agreement.versions.get(number=1)
    refused = manager.post(
        f"/governance/versions/{circulated.pk}/sections/new/",
        {"number": "9", "heading": "Lisäys", "text": "Teksti."},
    )
    assert refused.status_code == 400 and "no longer a draft" in page_text(refused)
    old = circulated.sections.get(number=1)
    refused = manager.post(
        f"/governance/sections/{old.pk}/edit/",
        {"number": "1", "heading": "X", "text": "Y", "version": "1"},
    )
    assert refused.status_code == 400
    old.refresh_from_db()
    assert old.heading == "Tarkoitus"


def test_goals_with_a_responsible_organisation(world, agreement, manager) -> None:
    version = agreement.versions.get(number=1)
    url = f"/governance/versions/{version.pk}/goals/new/"
    bad = manager.post(url, {"title": "Työkyky", "description": ""})
    assert bad.status_code == 400 and version.goals.count() == 0
    added = manager.post(
        url, {"title": "Työkyky", "description": "", "responsible": str(world["soite"].pk)}
    )
    assert added.status_code == 302
    goal = version.goals.get()
    assert goal.responsible == world["soite"] and goal.number == 1
    edited = manager.post(
        f"/governance/goals/{goal.pk}/edit/",
        {"title": "Työkyvyn tuki", "description": "Koko alue",
         "responsible": str(world["employment"].pk), "version": "1"},
    )  # fmt: skip
    assert edited.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Työkyvyn tuki" and goal.responsible == world["employment"]
    assert logged("goal.updated") == 1
    assert manager.get(f"/governance/goals/{goal.pk}/delete/").status_code == 200
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert manager.post(f"/governance/goals/{goal.pk}/delete/").status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists() and logged("goal.deleted") == 1


INDICATOR = {
    "title": "Tehdyt terveystarkastukset",
    "target": "300",
    "direction": "at_least",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "statistic": "health_checks_done",
    "manual_value": "",
    "manual_value_on": "",
}


def test_indicator_forms_validate_the_statistic_and_the_period(
    world, goal, indicator, manager
) -> None:
    # a new indicator naming an unknown statistic: a clear message, nothing saved
    unknown = manager.post(
        f"/governance/goals/{goal.pk}/indicators/new/",
        {**INDICATOR, "statistic": "healthchecks"},
    )
    assert unknown.status_code == 400
    assert "There is no statistic named “healthchecks”" in page_text(unknown)
    assert goal.indicators.count() == 1
    url = f"/governance/indicators/{indicator.pk}/edit/"
    assert manager.get(url).status_code == 200
    for bad, message in (
        ({"statistic": "no_such_statistic"}, "There is no statistic named"),
        ({"period_end": "2025-12-31"}, "The period ends before it starts."),
        ({"manual_value": "12"}, "takes its value from the statistic"),
    ):
        response = manager.post(url, {**INDICATOR, "version": "1", **bad})
        assert response.status_code == 400 and message in page_text(response)
    indicator.refresh_from_db()
    assert indicator.target == Decimal(280) and indicator.version == 1
    saved = manager.post(url, {**INDICATOR, "version": "1"})
    assert saved.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == Decimal(300) and indicator.version == 2
    assert logged("indicator.updated") == 1
    # a page opened before that save answers 409 and changes nothing
    stale = manager.post(url, {**INDICATOR, "target": "1", "version": "1"})
    assert stale.status_code == 409
    indicator.refresh_from_db()
    assert indicator.target == Decimal(300)
    assert manager.get(f"/governance/indicators/{indicator.pk}/delete/").status_code == 200
    assert manager.post(f"/governance/indicators/{indicator.pk}/delete/").status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


# --- bodies and members ------------------------------------------------------------------


def test_bodies_create_edit_and_delete(world, manager) -> None:
    before = Body.objects.count()
    bad = manager.post(
        "/governance/bodies/new/",
        {"kind": "", "name_fi": "", "name_sv": "", "convener": str(world["employment"].pk)},
    )
    assert bad.status_code == 400 and Body.objects.count() == before
    created = manager.post(
        "/governance/bodies/new/",
        {
            "kind": "managers_monitoring_group",
            "name_fi": "Kuntien työllisyysseurantaryhmä",
            "name_sv": "Kommunernas uppföljningsgrupp",
            "name_en": "",
            "purpose": "Seuranta",
            "convener": str(world["employment"].pk),
        },
    )
    assert created.status_code == 302
    body = Body.objects.get(name_fi="Kuntien työllisyysseurantaryhmä")
    assert created["Location"] == f"/governance/bodies/{body.pk}/"
    edit = f"/governance/bodies/{body.pk}/edit/"
    bad = manager.post(edit, {"kind": "", "name_fi": "X", "name_sv": "Y", "version": "1"})
    assert bad.status_code == 400
    saved = manager.post(
        edit,
        {"kind": "managers_monitoring_group", "name_fi": "Seurantaryhmä", "name_sv": "Grupp",
         "name_en": "", "purpose": "", "is_active": "", "version": "1"},
    )  # fmt: skip
    assert saved.status_code == 302
    body.refresh_from_db()
    assert body.name_fi == "Seurantaryhmä" and not body.is_active
    assert logged("body.updated") == 1
    # a body that has met stays; asks before deleting
    manager.post(f"/governance/bodies/{body.pk}/meetings/new/",
                 {"held_on": dates.today().isoformat(), "place": "", "kind": "regular"})  # fmt: skip
    kept = manager.post(f"/governance/bodies/{body.pk}/delete/")
    assert kept.status_code == 400 and "mark it inactive" in page_text(kept)
    assert Body.objects.filter(pk=body.pk).exists()
    other = manager.post(
        "/governance/bodies/new/",
        {"kind": "tym_network", "name_fi": "TYM-verkosto", "name_sv": "TYM-nätverket",
         "convener": str(world["employment"].pk)},
    )  # fmt: skip
    assert other.status_code == 302
    fresh = Body.objects.get(name_fi="TYM-verkosto")
    assert manager.get(f"/governance/bodies/{fresh.pk}/delete/").status_code == 200
    assert manager.post(f"/governance/bodies/{fresh.pk}/delete/").status_code == 302
    assert not Body.objects.filter(pk=fresh.pk).exists() and logged("body.deleted") == 1


def test_members_add_edit_and_remove(world, manager) -> None:
    from silta.governance.services import body_create

    body = body_create(
        actor=world["manager"],
        key="",
        kind="joint_team",
        name_fi="Yhteinen TYP-tiimi",
        name_sv="Gemensamt team",
        name_en="",
        convener=world["employment"],
    )
    url = f"/governance/bodies/{body.pk}/members/new/"
    assert manager.get(url).status_code == 200
    nobody = manager.post(
        url,
        {"user": "", "name": "", "title": "", "organisation": str(world["soite"].pk),
         "role": "member", "valid_from": "2026-01-01"},
    )  # fmt: skip
    assert nobody.status_code == 400
    assert "Choose a user or write the member's name or title." in page_text(nobody)
    assert body.members.count() == 0
    added = manager.post(
        url,
        {"user": str(world["worker"].pk), "name": "", "title": "Työvalmentaja",
         "organisation": str(world["employment"].pk), "role": "secretary",
         "valid_from": "2026-01-01"},
    )  # fmt: skip
    assert added.status_code == 302
    member = body.members.get()
    assert member.user == world["worker"] and member.role == "secretary"
    edit = f"/governance/members/{member.pk}/edit/"
    backwards = manager.post(
        edit,
        {"user": str(world["worker"].pk), "organisation": str(world["employment"].pk),
         "role": "member", "valid_from": "2026-01-01", "valid_to": "2025-12-31",
         "version": "1"},
    )  # fmt: skip
    assert backwards.status_code == 400
    assert "The membership ends before it starts." in page_text(backwards)
    member.refresh_from_db()
    assert member.role == "secretary" and member.valid_to is None
    ended = manager.post(
        edit,
        {"user": str(world["worker"].pk), "organisation": str(world["employment"].pk),
         "role": "member", "valid_from": "2026-01-01", "valid_to": "2026-06-30",
         "version": "1"},
    )  # fmt: skip
    assert ended.status_code == 302
    member.refresh_from_db()
    assert member.valid_to == dt.date(2026, 6, 30) and logged("body.member_updated") == 1
    assert manager.get(f"/governance/members/{member.pk}/delete/").status_code == 200
    assert BodyMember.objects.filter(pk=member.pk).exists()
    assert manager.post(f"/governance/members/{member.pk}/delete/").status_code == 302
    assert not BodyMember.objects.filter(pk=member.pk).exists()


# --- refused without the permission ----------------------------------------------------------


def test_staff_without_governance_manage_are_refused_and_nothing_changes(
    world, agreement, draft, goal, indicator
) -> None:
    section = draft.sections.get(number=1)
    member = BodyMember.objects.create(
        body=world["network"],
        organisation=world["soite"],
        name="Sihteeri",
        valid_from=dt.date(2026, 1, 1),
    )
    network = world["network"]
    urls = [
        "/governance/agreements/new/",
        f"/governance/agreements/{agreement.pk}/edit/",
        f"/governance/agreements/{agreement.pk}/delete/",
        f"/governance/agreements/{agreement.pk}/versions/new/",
        f"/governance/versions/{draft.pk}/delete/",
        f"/governance/versions/{draft.pk}/sections/new/",
        f"/governance/sections/{section.pk}/edit/",
        f"/governance/sections/{section.pk}/delete/",
        f"/governance/versions/{draft.pk}/goals/new/",
        f"/governance/goals/{goal.pk}/edit/",
        f"/governance/goals/{goal.pk}/delete/",
        f"/governance/indicators/{indicator.pk}/edit/",
        f"/governance/indicators/{indicator.pk}/delete/",
        "/governance/bodies/new/",
        f"/governance/bodies/{network.pk}/edit/",
        f"/governance/bodies/{network.pk}/delete/",
        f"/governance/bodies/{network.pk}/members/new/",
        f"/governance/members/{member.pk}/edit/",
        f"/governance/members/{member.pk}/delete/",
    ]
    counts = (
        Agreement.objects.count(),
        AgreementVersion.objects.count(),
        AgreementSection.objects.count(),
        Goal.objects.count(),
        Indicator.objects.count(),
        Body.objects.count(),
        BodyMember.objects.count(),
    )
    # a case worker sees governance but may not manage it: 403
    worker = http_as(world["worker"])
    for url in urls:
        assert worker.get(url).status_code == 403, url
        assert worker.post(url, {"name_fi": "X", "summary": "X"}).status_code == 403, url
    # a manager of an organisation outside the agreement and the bodies: 404
    stranger = http_as(
        factories.staff(
            Role.MANAGER, factories.OrganisationFactory(kind=OrganisationKind.SERVICE_PROVIDER)
        )
    )
    for url in urls:
        if url.endswith("/new/") and url.count("/") == 4:
            continue  # creating a new agreement or body of one's own is allowed
        assert stranger.get(url).status_code == 404, url
        assert stranger.post(url, {"name_fi": "X", "summary": "X"}).status_code == 404, url
    assert counts == (
        Agreement.objects.count(),
        AgreementVersion.objects.count(),
        AgreementSection.objects.count(),
        Goal.objects.count(),
        Indicator.objects.count(),
        Body.objects.count(),
        BodyMember.objects.count(),
    )
    assert not ChangeLog.objects.filter(event__endswith=("deleted")).exists()


def test_an_approval_for_a_municipality_outside_the_agreement_is_refused_on_the_page(
    world, agreement, manager
) -> None:
    from silta.governance.models import Approval

    version = agreement.versions.get(number=1)
    lestijarvi = world["region"]["421"]  # not a party here
    url = f"/governance/agreements/{agreement.pk}/approvals/new/"
    form = page_text(manager.get(url))
    assert "Kannus" in form and lestijarvi.name not in form  # only the parties offered
    data = {
        "version": str(version.pk),
        "municipality": str(lestijarvi.pk),
        "body": "Kunnanhallitus",
        "meeting_date": (dates.today() - dt.timedelta(days=2)).isoformat(),
        "section_number": "41",
        "decision": "approved",
        "record_number": f"49/00.04.01/{dates.today().year}",
        "decision_text": "",
    }
    refused = manager.post(url, data)
    assert refused.status_code == 400
    assert f"{lestijarvi.name} is not a party to this agreement." in page_text(refused)
    assert not Approval.objects.exists()
    saved = manager.post(url, {**data, "municipality": str(world["region"]["217"].pk)})
    assert saved.status_code == 302 and Approval.objects.count() == 1


def test_the_pages_offer_the_forms_to_managers_only(world, agreement, draft, goal) -> None:
    manager = http_as(world["manager"])
    home = page_text(manager.get("/governance/"))
    assert "New strategic agreement" in home and "New cooperation body" in home
    page = page_text(manager.get(f"/governance/agreements/{agreement.pk}/?version=2"))
    for link in ("Edit the agreement", "Make a new version", "Add a section", "Add a goal",
                 "Edit section 1", "Delete the draft version 2"):  # fmt: skip
        assert link in page, link
    sent = page_text(manager.get(f"/governance/agreements/{agreement.pk}/?version=1"))
    assert "Edit goal 1" in sent and "Add a section" not in sent
    assert "make a new version to change it" in sent
    worker = http_as(world["worker"])
    seen = page_text(worker.get(f"/governance/agreements/{agreement.pk}/?version=2"))
    assert "Edit the agreement" not in seen and "Add a goal" not in seen
    assert "New strategic agreement" not in page_text(worker.get("/governance/"))
