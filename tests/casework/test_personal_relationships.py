"""A coach's personal relationship opens the client to that coach only, in case work
too (issue 13 item 4): a colleague of the same unit, a health professional of the
IPS unit say, sees neither the case file nor the client in case-work lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.casework.policies import casework_clients_filter, casework_grant
from silta.clients.models import Client, ServiceRelationship

pytestmark = pytest.mark.django_db


def test_a_personal_relationship_opens_case_work_to_its_owner_only(region) -> None:
    unit = factories.OrganisationFactory()
    coach = factories.staff(Role.IPS_COACH, unit)
    colleague = factories.staff(Role.HEALTH_PROFESSIONAL, unit)
    client = factories.client(region["272"])
    # given the client is the coach's own (a personal relationship of the unit)
    ServiceRelationship.objects.create(
        client=client,
        organisation=unit,
        kind="ips_coaching",
        valid_from=dt.date(2026, 1, 1),
        staff_user=coach,
    )
    # then the unit's health professional gets no case-work grant, list or page
    assert casework_grant(colleague, client) is None
    query = casework_clients_filter(colleague)
    assert query is None or not Client.objects.filter(query).filter(pk=client.pk).exists()
    http = HttpClient()
    http.force_login(colleague)
    assert http.get(f"/clients/{client.pk}/casework/").status_code in (403, 404)
    assert http.get(f"/api/v1/clients/{client.pk}/notes").status_code in (403, 404)


def test_the_units_own_relationship_still_opens_case_work(region) -> None:
    unit = factories.OrganisationFactory()
    colleague = factories.staff(Role.HEALTH_PROFESSIONAL, unit)
    client = factories.client(region["272"], organisation=unit)
    assert casework_grant(colleague, client) is not None
    query = casework_clients_filter(colleague)
    assert query is not None and Client.objects.filter(query).filter(pk=client.pk).exists()
