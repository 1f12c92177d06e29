"""The bulk loader (``silta.core.bulk``) stores every value exactly as the ORM would:
its cheap converters give the same database form as ``get_db_prep_save`` for each
kind of field the loads use, foreign keys included, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from silta.casework.models import Appointment, Consent, Referral
from silta.core.bulk import _converter
from silta.core.dates import HELSINKI
from silta.funding.models import BenefitPayment

SAMPLES = [
    (Referral, "client", uuid.uuid4()),
    (Referral, "sent_at", dt.datetime(2025, 3, 30, 2, 30, tzinfo=HELSINKI)),
    (Referral, "work_ability_concern", True),
    (Referral, "version", 3),
    (Referral, "reason", "Työkyvyn arvio"),
    (Appointment, "starts_at", dt.datetime(2025, 10, 26, 3, 15, tzinfo=dt.UTC)),
    (Consent, "valid_from", dt.date(2025, 1, 31)),
    (Consent, "purpose", "Yhteistyö\nrivi"),
    (BenefitPayment, "amount_eur", Decimal("1234.50")),
    (BenefitPayment, "paid_days", 21),
    (BenefitPayment, "client", uuid.uuid4()),
]


def _stored(value: object) -> object:
    """What the driver sends: Django registers ``str`` as SQLite's adapter for Decimal."""
    if connection.vendor == "sqlite" and isinstance(value, Decimal):
        return str(value)
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "name", "value"), SAMPLES)
def test_bulk_converter_matches_the_orm(model, name, value) -> None:
    field = model._meta.get_field(name)
    bulk = _converter(field, connection)(value)
    assert _stored(bulk) == _stored(field.get_db_prep_save(value, connection))
