"""Every write of the catalogue: keyword-only, validated, one transaction, logged."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from silta.accounts.models import Organisation, User
from silta.audit.services import change_log_write, model_changes, snapshot
from silta.catalogue.errors import CatalogueError, StaleEdit
from silta.catalogue.models import Service
from silta.catalogue.reference import SERVICES

EDITABLE = [
    "name_fi",
    "name_sv",
    "name_en",
    "monthly_capacity",
    "target_wait_days",
    "is_active",
]


@dataclass(frozen=True)
class CatalogueLoad:
    created: int
    updated: int
    missing_providers: tuple[str, ...]


@transaction.atomic
def catalogue_load_reference(*, actor: User | None = None) -> CatalogueLoad:
    """Create or refresh the reference services for the organisations that exist.

    A service whose provider organisation is not in the database is skipped and
    named in the result. Existing services keep their administrators' edits of
    capacity, waiting time and active flag; only names and the data class are
    refreshed. One summary change-log row."""
    orgs = {
        o.key: o for o in Organisation.objects.filter(key__in={s.provider_key for s in SERVICES})
    }
    created = updated = 0
    missing: list[str] = []
    for row in SERVICES:
        org = orgs.get(row.provider_key)
        if org is None:
            missing.append(row.provider_key)
            continue
        existing = Service.objects.filter(code=row.code, provider=org).first()
        if existing is None:
            Service.objects.create(
                code=row.code,
                name_fi=row.name_fi,
                name_sv=row.name_sv,
                name_en=row.name_en,
                provider=org,
                data_class=row.data_class,
                monthly_capacity=row.monthly_capacity,
                target_wait_days=row.target_wait_days,
            )
            created += 1
        else:
            Service.objects.filter(pk=existing.pk).update(
                name_fi=row.name_fi,
                name_sv=row.name_sv,
                name_en=row.name_en,
                data_class=row.data_class,
            )
            updated += 1
    receivers_load()
    result = CatalogueLoad(created, updated, tuple(sorted(set(missing))))
    if created or updated:
        change_log_write(
            actor=actor,
            event="catalogue.loaded",
            target=Service.objects.order_by("code").first() or Service(),
            changes={"created": [None, created], "updated": [None, updated]},
        )
    return result


@transaction.atomic
def service_update(
    *,
    actor: User,
    service: Service,
    version: int,
    name_fi: str,
    name_sv: str,
    name_en: str,
    monthly_capacity: int,
    target_wait_days: int,
    is_active: bool,
) -> Service:
    """Edit a catalogue service. ``version`` is the one the editor saw; a newer saved
    version raises StaleEdit and nothing is written."""
    errors: dict[str, list[ValidationError]] = {}
    for field, value in (("name_fi", name_fi), ("name_sv", name_sv), ("name_en", name_en)):
        if not value.strip():
            errors[field] = [ValidationError(_("Required."), code=CatalogueError.REQUIRED)]
    if monthly_capacity < 0 or monthly_capacity > 100_000:
        errors["monthly_capacity"] = [
            ValidationError(
                _("The capacity must be between 0 and 100 000 a month."),
                code=CatalogueError.CAPACITY,
            )
        ]
    if target_wait_days < 0 or target_wait_days > 365:
        errors["target_wait_days"] = [
            ValidationError(
                _("The target waiting time must be between 0 and 365 days."),
                code=CatalogueError.WAIT_DAYS,
            )
        ]
    if errors:
        raise ValidationError(errors)
    before = snapshot(service, EDITABLE)
    bumped = Service.objects.filter(pk=service.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit(
            _("Somebody else changed this service while you were editing. Reload to see it."),
            code=CatalogueError.STALE,
        )
    service.name_fi = name_fi.strip()
    service.name_sv = name_sv.strip()
    service.name_en = name_en.strip()
    service.monthly_capacity = monthly_capacity
    service.target_wait_days = target_wait_days
    service.is_active = is_active
    service.version = version + 1
    service.save(update_fields=[*EDITABLE, "updated_at"])
    change_log_write(
        actor=actor,
        event="catalogue.service_updated",
        target=service,
        changes=model_changes(before, service, EDITABLE),
    )
    return service


def receivers_load() -> int:
    """Create or refresh the application receivers (Kela, the earnings-related pension
    providers; issue 16). Returns how many were created."""
    from silta.catalogue.models import ApplicationReceiver
    from silta.catalogue.reference import RECEIVERS

    created = 0
    for row in RECEIVERS:
        _obj, was_created = ApplicationReceiver.objects.update_or_create(
            key=row.key,
            defaults={
                "kind": row.kind,
                "name_fi": row.name_fi,
                "name_sv": row.name_sv,
                "name_en": row.name_en,
                "business_id": row.business_id,
                "application_kinds": list(row.application_kinds),
                "typical_decision_days": row.typical_decision_days,
                "source": row.source,
            },
        )
        created += was_created
    return created
