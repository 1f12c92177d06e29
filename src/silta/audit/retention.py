"""Retention of the audit logs: the only code that deletes audit rows.

Rows older than the retention period (``SILTA_AUDIT_RETENTION_YEARS``, default 12) are
removed from the start of each chain. The period cannot be set below the legal minimum
(``LEGAL_MINIMUM_YEARS``): a shorter one is refused and nothing is removed. Retention
also refuses to run on a chain that does not verify, since removing rows would destroy
the evidence of the tampering.

What is removed is not forgotten: for each chain a *closed segment* (first and last
id, row count, the hash the segment started from and its last row's keyed hash) is
signed and appended to the checkpoint file outside the database before the rows are
deleted, so ``verify`` proves that the chain after the cut continues the signed one.
A change-log row records the same, and a new head checkpoint follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction

from silta.audit import checkpoints
from silta.audit.chain import head_record, verify_chain
from silta.audit.models import (
    AccessLog,
    AccessLogSubject,
    ChainedModel,
    ChainHead,
    ChangeLog,
    SecurityEvent,
)
from silta.core import dates

# The shortest period Silta keeps the access, change and security logs. Kanta practice
# for the logs of social welfare and health care client data is 12 years; see
# docs/adr/0016-audit-integrity.md for the sources and what is unconfirmed.
LEGAL_MINIMUM_YEARS = 12
CHAINED: tuple[type[ChainedModel], ...] = (AccessLog, ChangeLog, SecurityEvent)


class RetentionRefused(Exception):
    pass


@dataclass(frozen=True)
class RetentionResult:
    chain: str
    cutoff: dt.datetime
    removed: int
    first_id: int | None
    last_id: int | None


def retention_years() -> int:
    years = settings.SILTA_AUDIT_RETENTION_YEARS
    if years < LEGAL_MINIMUM_YEARS:
        raise RetentionRefused(
            f"SILTA_AUDIT_RETENTION_YEARS is {years}, but the audit logs must be kept at "
            f"least {LEGAL_MINIMUM_YEARS} years (the logs of social welfare and health "
            "care client data, laki 703/2023; Kanta practice). Nothing was removed."
        )
    return int(years)


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    now = now or dates.now()
    years = retention_years()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _doomed(model: type[ChainedModel], cutoff: dt.datetime) -> tuple[int, int | None, int | None]:
    base: models.QuerySet[Any] = models.QuerySet(model=model)
    first_kept = base.filter(at__gte=cutoff).order_by("pk").values_list("pk", flat=True).first()
    doomed = base.filter(pk__lt=first_kept) if first_kept is not None else base.all()
    count = doomed.count()
    if not count:
        return 0, None, None
    ids = doomed.order_by("pk").values_list("pk", flat=True)
    return count, ids.first(), ids.last()


def _remove(
    model: type[ChainedModel], first_id: int, last_id: int, count: int, cutoff: str
) -> None:
    base: models.QuerySet[ChainedModel] = models.QuerySet(model=model)
    first = base.get(pk=first_id)
    last = base.get(pk=last_id)
    checkpoints.append(
        [
            {
                "kind": "segment",
                "chain": model.CHAIN,
                "at": checkpoints.now_text(),
                "cutoff": cutoff,
                "first_id": first_id,
                "last_id": last_id,
                "rows": count,
                "first_prev_hash": first.prev_hash,
                "last_hash": last.row_hash,
            }
        ]
    )
    head = ChainHead.objects.select_for_update().get(name=model.CHAIN)
    if model is AccessLog:
        models.QuerySet(model=AccessLogSubject).filter(log_id__lte=last_id)._raw_delete(
            using="default"
        )
    base.filter(pk__lte=last_id)._raw_delete(using="default")
    head.anchor_hash = last.row_hash
    head.save(update_fields=["anchor_hash"])


@transaction.atomic
def audit_retention_apply(*, dry_run: bool = False) -> list[RetentionResult]:
    """Remove the rows older than the retention period from each chain. Refused (and
    nothing removed) below the legal minimum or when a chain does not verify."""
    cutoff = retention_cutoff()
    for model in CHAINED:
        report = verify_chain(model)
        if not report.ok:
            raise RetentionRefused(
                f"Retention refused: the {model.CHAIN} log does not verify ({report}). "
                "Removing rows now would destroy the evidence. Nothing was removed."
            )
    results = []
    for model in CHAINED:
        count, first_id, last_id = _doomed(model, cutoff)
        if count and not dry_run:
            assert first_id is not None and last_id is not None
            _remove(model, first_id, last_id, count, cutoff.isoformat())
        results.append(RetentionResult(model.CHAIN, cutoff, count, first_id, last_id))
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
        transaction.on_commit(write_head_checkpoints)
    return results


def write_head_checkpoints() -> list[str]:
    """Verify every chain and sign a checkpoint of each intact one. Returns the chains
    that did not verify (no checkpoint is written for them)."""
    reports = [verify_chain(m) for m in CHAINED]
    checkpoints.append([head_record(r) for r in reports if r.ok])
    return [str(r) for r in reports if not r.ok]
