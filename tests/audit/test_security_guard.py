"""Refused reads of a client leave a trace; person-level responses are never cached."""

from __future__ import annotations

import uuid

import pytest
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.django_db


def test_refused_client_page_writes_a_security_event(client, region):
    user = factories.staff(Role.CASE_WORKER)
    client.force_login(user)
    target = uuid.uuid4()
    response = client.get(f"/clients/{target}/")
    assert response.status_code == 404
    event = SecurityEvent.objects.get(kind=SecurityEventKind.CLIENT_ACCESS_REFUSED)
    assert event.actor_id == user.pk
    assert event.target_id == str(target)
    assert event.detail["status"] == 404


def test_signed_in_responses_are_not_stored(client, region):
    client.force_login(factories.staff(Role.CASE_WORKER))
    response = client.get("/")
    assert "no-store" in response.headers["Cache-Control"]


def test_api_responses_are_not_stored(client, db):
    response = client.get("/api/v1/clients/")
    assert "no-store" in response.headers["Cache-Control"]
