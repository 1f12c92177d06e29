from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests import factories

from silta.audit.models import ChangeLog
from silta.clients.models import Client, HomeMunicipality
from silta.clients.services import client_create, client_move


@pytest.mark.django_db
def test_create_writes_the_client_history_and_change_log(region) -> None:
    c = factories.client(region["236"], last_name="Ström", first_names="Erik")
    assert c.birth_date.year == 1985
    assert HomeMunicipality.objects.get(client=c).municipality.code == "236"
    row = ChangeLog.objects.get(event="client.created", target_id=str(c.pk))
    assert row.changes["last_name"] == [None, "Ström"]


@pytest.mark.django_db
def test_create_refuses_bad_input_and_writes_nothing(region) -> None:
    with pytest.raises(ValidationError) as exc:
        client_create(
            actor=None,
            personal_id="131052-308U",
            last_name="",
            first_names="Matti",
            home_municipality=region["272"],
            home_since=dt.date(2020, 1, 1),
            email="not-an-email",
        )
    assert set(exc.value.message_dict) == {"personal_id", "last_name", "email"}
    assert Client.objects.count() == 0
    assert ChangeLog.objects.count() == 0


@pytest.mark.django_db
def test_move_closes_the_old_period_and_logs_old_and_new(region) -> None:
    c = factories.client(region["272"], since=dt.date(2020, 1, 1))
    client_move(actor=None, client=c, municipality=region["074"], moved_on=dt.date(2024, 6, 1))
    history = list(HomeMunicipality.objects.filter(client=c).order_by("valid_from"))
    assert [(h.municipality.code, h.valid_from, h.valid_to) for h in history] == [
        ("272", dt.date(2020, 1, 1), dt.date(2024, 5, 31)),
        ("074", dt.date(2024, 6, 1), None),
    ]
    assert ChangeLog.objects.filter(event="client.moved").count() == 1
    with pytest.raises(ValidationError):
        client_move(actor=None, client=c, municipality=region["074"], moved_on=dt.date(2025, 1, 1))


@pytest.mark.django_db
def test_audit_rows_are_append_only(region) -> None:
    from silta.audit.models import AppendOnlyError

    factories.client(region["272"])
    row = ChangeLog.objects.first()
    assert row is not None
    row.event = "tampered"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        ChangeLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ChangeLog.objects.update(event="x")
