"""Reads of the catalogue (reference data: no person-level data, no access log)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from silta.catalogue.models import Service


def service_list(*, active_only: bool = False) -> QuerySet[Service]:
    qs = Service.objects.select_related("provider").order_by("code", "provider__name_fi")
    return qs.filter(is_active=True) if active_only else qs


def service_get(*, service_id: uuid.UUID) -> Service:
    service = Service.objects.select_related("provider").filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service.")
    return service
