"""The usual governance cast: Soite's adult social work convenes the work ability
network (its coordinator), the employment area's case worker works with a client who
has an activation plan, a manager of the employment area, and the strategic agreement
of the eight municipalities."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.casework.services import plan_create
from silta.core import dates
from silta.governance.models import Meeting, MeetingStatus
from silta.governance.services import agreement_create, body_create, delegation_record


@pytest.fixture
def world(region):
    soite = factories.OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Soite – Aikuissosiaalityö"
    )
    employment = factories.OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES,
        name_fi="Keski-Pohjanmaan työllisyysalue",
        municipality=region["272"],
    )
    coordinator = factories.staff(Role.NETWORK_COORDINATOR, soite)
    worker = factories.staff(Role.CASE_WORKER, employment)
    manager = factories.staff(Role.MANAGER, employment)
    client = factories.client(region["272"], organisation=employment)
    plan = plan_create(
        actor=worker,
        client=client,
        kind="activation",
        goals="Työkyvyn selvittäminen ja kuntouttava työtoiminta",
        actions="Asiakas osallistuu työtoimintaan kaksi päivää viikossa.",
        next_review_on=dates.today() + dt.timedelta(days=60),
    )
    network = body_create(
        actor=None,
        key="tyokykyverkosto",
        kind="work_ability_network",
        name_fi="Työkykyverkosto",
        name_sv="Arbetsförmågenätverket",
        name_en="Work ability network",
        convener=soite,
    )
    coming = Meeting.objects.create(
        body=network, held_on=dates.today() + dt.timedelta(days=7), place="Soite, Kokkola"
    )
    today = Meeting.objects.create(body=network, held_on=dates.today(), place="Soite, Kokkola")
    return {
        "region": region,
        "soite": soite,
        "employment": employment,
        "coordinator": coordinator,
        "worker": worker,
        "manager": manager,
        "client": client,
        "plan": plan,
        "network": network,
        "coming": coming,
        "today": today,
        "held_status": MeetingStatus.HELD,
    }


@pytest.fixture
def agreement(world):
    """The strategic agreement of Soite and seven municipalities (Lestijärvi is not a
    party here), version 1 sent for approval on 4 May 2026's equivalent: 30 days ago."""
    from silta.governance.services import agreement_version_move

    region = world["region"]
    parties = [m for code, m in region.items() if code != "421"]
    a = agreement_create(
        actor=None,
        key="strateginen-sopimus",
        name_fi="Strateginen yhteistyösopimus",
        name_sv="Strategiskt samarbetsavtal",
        name_en="Strategic cooperation agreement",
        owner=world["soite"],
        municipalities=parties,
        sections=[("Tarkoitus", "Yhteistyön periaatteet."), ("Työkyky", "Työkyvyn arviointi.")],
    )
    version = a.versions.get()
    agreement_version_move(
        actor=None,
        version=version,
        to_status="circulated",
        on=dates.today() - dt.timedelta(days=30),
    )
    # every party municipality has authorised the employment area to record its
    # decisions (issue 13); each municipality's own manager recorded the delegation
    for m in parties:
        town = factories.OrganisationFactory(kind=OrganisationKind.MUNICIPALITY, municipality=m)
        own = factories.staff(Role.MANAGER, town)
        world.setdefault("municipal_staff", {})[m.code] = own
        delegation_record(
            actor=own, municipality=m, delegate_organisation=world["employment"],
            delegate_user=None, decision_reference=f"Kunnanhallitus 2.3.2026 § {m.code}",
            valid_from=dates.today() - dt.timedelta(days=60),
        )  # fmt: skip
    return a


def http_as(user) -> HttpClient:
    """A test client signed in as ``user``, who reads the pages in English."""
    user.language = "en"
    user.save(update_fields=["language"])
    http = HttpClient()
    http.force_login(user)
    return http


def page_text(response) -> str:
    return html.unescape(response.content.decode())
