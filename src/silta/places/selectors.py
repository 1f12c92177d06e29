from __future__ import annotations

from django.db.models import QuerySet

from silta.places.models import Municipality


def municipality_list() -> QuerySet[Municipality]:
    """Municipalities are public reference data; no access log."""
    return Municipality.objects.all()
