"""Bulk loads: the model's indexes are built again after the load, and a failed load
leaves them as they were."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction

from silta.core.bulk import bulk_insert_rows, indexes_built_after
from silta.funding.models import BenefitPayment

FIELDS = [
    "person_id",
    "municipality_code",
    "benefit",
    "basis",
    "period_start",
    "period_end",
    "paid_days",
    "amount_eur",
    "payment_date",
]


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, BenefitPayment._meta.db_table)
    return {name for name, c in found.items() if c["index"]}


def _row(n: int) -> tuple[object, ...]:
    start = dt.date(2026, 1, 1)
    return (f"P{n}", "272", "LMS", "unemployment", start, start, 1, Decimal("37.21"), start)


@pytest.mark.django_db
def test_indexes_are_built_again_after_the_load() -> None:
    own = {str(i.name) for i in BenefitPayment._meta.indexes}
    assert own and own <= _indexes()
    with indexes_built_after(BenefitPayment):
        assert not own & _indexes()
        bulk_insert_rows(BenefitPayment, FIELDS, [_row(n) for n in range(3)])
    assert own <= _indexes()
    assert BenefitPayment.objects.filter(municipality_code="272").count() == 3


@pytest.mark.django_db
def test_a_failed_load_leaves_the_indexes_and_no_rows() -> None:
    own = {str(i.name) for i in BenefitPayment._meta.indexes}
    with (
        pytest.raises(ValueError, match="broken"),
        transaction.atomic(),
        indexes_built_after(BenefitPayment),
    ):
        bulk_insert_rows(BenefitPayment, FIELDS, [_row(1)])
        raise ValueError("broken file")
    assert own <= _indexes()
    assert not BenefitPayment.objects.exists()
