"""Retention of the audit logs: the only code that deletes audit rows.

Rows older than the retention period (SILTA_AUDIT_RETENTION_YEARS, default 12) are
removed from the start of each chain; the chain's anchor moves to the first remaining
row, and a change-log row records what was removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction

from silta.audit.models import AccessLog, AccessLogSubject, ChainHead, ChangeLog
from silta.core import dates


@dataclass(frozen=True)
class RetentionResult:
    chain: str
    cutoff: dt.datetime
    removed: int
    first_id: int | None
    last_id: int | None


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    now = now or dates.now()
    years = settings.SILTA_AUDIT_RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _apply(
    model: type[AccessLog] | type[ChangeLog], cutoff: dt.datetime, *, dry_run: bool
) -> RetentionResult:
    base: models.QuerySet[AccessLog | ChangeLog] = models.QuerySet(model=model)
    first_kept = base.filter(at__gte=cutoff).order_by("pk").values_list("pk", flat=True).first()
    doomed = base.filter(pk__lt=first_kept) if first_kept is not None else base.all()
    ids = doomed.order_by("pk").values_list("pk", flat=True)
    count = doomed.count()
    first_id, last_id = (ids.first(), ids.last()) if count else (None, None)
    if count and not dry_run:
        head = ChainHead.objects.select_for_update().get(name=model.CHAIN)
        if model is AccessLog:
            models.QuerySet(model=AccessLogSubject).filter(log_id__lte=last_id)._raw_delete(
                using="default"
            )
        base.filter(pk__lte=last_id)._raw_delete(using="default")
        kept = base.order_by("pk").first()
        head.anchor_hash = kept.prev_hash if kept is not None else head.last_hash
        head.save(update_fields=["anchor_hash"])
    return RetentionResult(model.CHAIN, cutoff, count, first_id, last_id)


@transaction.atomic
def audit_retention_apply(*, dry_run: bool = False) -> list[RetentionResult]:
    cutoff = retention_cutoff()
    results = [_apply(m, cutoff, dry_run=dry_run) for m in (AccessLog, ChangeLog)]
    if not dry_run and any(r.removed for r in results):
        ChangeLog.objects.create(
            at=dates.now(),
            actor_id=None,
            actor_username="system:retention",
            event="audit.retention_applied",
            target_type="audit.log",
            target_id=cutoff.date().isoformat(),
            changes={
                r.chain: {"removed": r.removed, "first_id": r.first_id, "last_id": r.last_id}
                for r in results
            },
        )
    return results
