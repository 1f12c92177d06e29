"""Subject-access export: everything Silta holds about one client, as JSON.

Generic by design: it follows every relation that points at the client, and one level
further (a plan's versions, a referral's status changes), so a new app's records are
included without changes here. Audit rows are not part of it (the access report
gives those).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from silta.clients.models import Client

SKIP_APPS = {"audit", "sessions", "admin", "contenttypes", "auth"}


def _value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        data[name] = _value(getattr(obj, name))
    return data


def _reverse_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    return [
        rel
        for rel in model._meta.related_objects
        if isinstance(rel.related_model, type)
        and rel.related_model._meta.app_label not in SKIP_APPS
        and (rel.one_to_many or rel.one_to_one)
    ]


def client_data_export(client: Client) -> dict[str, Any]:
    """All rows that refer to the client (depth 2), grouped by model label."""
    out: dict[str, list[dict[str, Any]]] = {"clients.client": [_row(client)]}
    first_level: list[tuple[type[models.Model], list[models.Model]]] = []
    for rel in _reverse_relations(Client):
        related = rel.related_model
        assert isinstance(related, type)
        rows = list(related._default_manager.filter(**{rel.field.name: client}))
        if rows:
            label = related._meta.label_lower
            out.setdefault(label, []).extend(_row(r) for r in rows)
            first_level.append((related, rows))
    for model, parents in first_level:
        for rel in _reverse_relations(model):
            child = rel.related_model
            assert isinstance(child, type)
            label = child._meta.label_lower
            if label == "clients.client":
                continue
            rows = list(child._default_manager.filter(**{f"{rel.field.name}__in": parents}))
            seen = {r["id"] for r in out.get(label, []) if "id" in r}
            new = [_row(r) for r in rows if str(r.pk) not in seen]
            if new:
                out.setdefault(label, []).extend(new)
    return {"client_id": str(client.pk), "records": out}
