from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models, transaction

from silta.audit.chain import subjects_digest
from silta.audit.models import (
    AccessLog,
    AccessLogSubject,
    ChangeLog,
    SecurityEvent,
    VerificationRun,
)
from silta.core import dates

if TYPE_CHECKING:
    from django.http import HttpRequest

    from silta.audit.chain import ChainReport


class User(Protocol):
    """The acting user as the logs need it (the accounts app's user satisfies it; the
    audit app does not import the accounts app)."""

    @property
    def pk(self) -> Any: ...

    @property
    def username(self) -> str: ...


class Membership(Protocol):
    @property
    def organisation_id(self) -> Any: ...

    @property
    def role(self) -> str: ...


def _plain(value: Any) -> Any:
    """A JSON-safe snapshot of a field value."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def model_changes(
    before: dict[str, Any] | None, obj: models.Model, fields: Iterable[str]
) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that differ (all of them on create)."""
    changes: dict[str, list[Any]] = {}
    for field in fields:
        new = _plain(getattr(obj, field))
        old = None if before is None else _plain(before.get(field))
        if before is None or old != new:
            changes[field] = [old, new]
    return changes


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def change_log_write(
    *,
    actor: User | None,
    event: str,
    target: models.Model | None = None,
    changes: dict[str, Any],
    target_type: str = "",
    target_id: str = "",
) -> ChangeLog:
    """Append a change-log row. Call inside the service's transaction. The target is a
    model instance, or for bulk events a type and id of the caller's choosing."""
    if target is not None:
        meta = target._meta
        target_type = f"{meta.app_label}.{meta.model_name}"
        target_id = str(target.pk)
    if not target_type:
        raise ValueError("change_log_write needs a target or a target_type")
    return ChangeLog.objects.create(
        at=dates.now(),
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "system",
        event=event,
        target_type=target_type,
        target_id=target_id,
        changes=changes,
    )


def change_log_write_many(
    *, actor: User | None, event: str, targets: Sequence[tuple[str, str, dict[str, Any]]]
) -> int:
    """Bulk variant for imports and the generator: (target_type, target_id, changes)."""
    at = dates.now()
    with transaction.atomic():
        for t_type, t_id, changes in targets:
            ChangeLog.objects.create(
                at=at,
                actor_id=getattr(actor, "pk", None),
                actor_username=getattr(actor, "username", "") or "system",
                event=event,
                target_type=t_type,
                target_id=t_id,
                changes=changes,
            )
    return len(targets)


@transaction.atomic
def access_log_write(
    *,
    actor: User,
    membership: Membership | None,
    section: str,
    basis: str,
    client_ids: Sequence[uuid.UUID],
    path: str = "",
) -> AccessLog:
    """Record one read of person-level data concerning the given clients."""
    subjects = list(dict.fromkeys(client_ids))
    log = AccessLog.objects.create(
        subjects_digest=subjects_digest(subjects),
        at=dates.now(),
        actor_id=actor.pk,
        actor_username=actor.username,
        organisation_id=membership.organisation_id if membership else None,
        role=membership.role if membership else "",
        section=section,
        basis=basis,
        path=path[:500],
    )
    AccessLogSubject.objects.bulk_create(
        [AccessLogSubject(log=log, client_id=cid) for cid in subjects]
    )
    return log


def audit_verify_run(
    *, started_by: str, checkpoint_dir: str | None = None, write_checkpoint: bool = True
) -> tuple[VerificationRun, list[ChainReport]]:
    """Check the three chains against the key ring and the latest signed checkpoints,
    store the result for the administrator's page and, when every chain is intact,
    sign a new checkpoint of each chain head (outside the database)."""
    from silta.audit import checkpoints
    from silta.audit.chain import head_record, verify_chain

    reports = [
        verify_chain(model, checkpoint_dir=checkpoint_dir)
        for model in (AccessLog, ChangeLog, SecurityEvent)
    ]
    ok = all(r.ok for r in reports)
    if ok and write_checkpoint:
        checkpoints.append([head_record(r) for r in reports])
    run = VerificationRun.objects.create(
        at=dates.now(),
        ok=ok,
        access_rows=reports[0].rows,
        change_rows=reports[1].rows,
        security_rows=reports[2].rows,
        problem="; ".join(str(r) for r in reports if not r.ok),
        failures=[
            {"chain": r.chain, "row": r.first_bad_id, "intact_through": r.intact_through}
            for r in reports
            if not r.ok
        ],
        started_by=started_by,
    )
    return run, reports


def client_address(request: HttpRequest | None) -> str:
    """The client's IP address as Django sees it (REMOTE_ADDR; a proxy in front sets it
    with its own middleware)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def security_event_write(
    kind: str,
    *,
    request: HttpRequest | None = None,
    actor: User | None = None,
    username: str = "",
    target_type: str = "",
    target_id: str = "",
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one row to the security log. ``actor`` defaults to the request's user;
    ``username`` names an unknown or failed sign-in's user."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            actor = user
    return SecurityEvent.objects.create(
        at=dates.now(),
        kind=kind,
        actor_id=getattr(actor, "pk", None),
        actor_username=(getattr(actor, "username", "") or username)[:150],
        address=client_address(request),
        target_type=target_type,
        target_id=target_id[:64],
        path=(request.get_full_path() if request is not None else "")[:500],
        detail=detail or {},
    )
