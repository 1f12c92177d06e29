"""Hash chains over the audit logs.

Each row's hash is SHA-256 over the previous row's hash and the row's content as
canonical JSON. Editing a row changes its hash; deleting or reordering rows breaks the
link from the next row; deleting the last rows leaves the chain head pointing at a
hash no row has. ``verify_chain`` names the first row where any of these shows.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


def _default(value: Any) -> str:
    return str(value)


def row_hash(prev_hash: str, content: dict[str, Any]) -> str:
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_default)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def subjects_digest(client_ids: Iterable[uuid.UUID]) -> str:
    joined = ",".join(sorted(str(c) for c in client_ids))
    return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    chain: str
    rows: int
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"{self.chain}: {self.rows} rows, chain intact"
        return f"{self.chain}: row {self.first_bad_id}: {self.problem}"


def verify_chain(model: type[Model], batch: int = 5000) -> ChainReport:
    """Walk one log in id order and check every link and hash."""
    from silta.audit.models import AccessLog, AccessLogSubject, ChainedModel, ChainHead

    assert issubclass(model, ChainedModel)
    head = ChainHead.objects.filter(name=model.CHAIN).first()
    expected_prev = head.anchor_hash if head else ""
    last_id = 0
    rows = 0
    while True:
        chunk = list(model.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not chunk:
            break
        digests: dict[int, str] = {}
        if model is AccessLog:
            ids: dict[int, list[uuid.UUID]] = {r.pk: [] for r in chunk}
            for log_id, client_id in AccessLogSubject.objects.filter(
                log_id__in=list(ids)
            ).values_list("log_id", "client_id"):
                ids[log_id].append(client_id)
            digests = {k: subjects_digest(v) for k, v in ids.items()}
        for row in chunk:
            rows += 1
            if row.prev_hash != expected_prev:
                return ChainReport(
                    model.CHAIN,
                    rows,
                    False,
                    row.pk,
                    "the link to the previous row is broken (a row before it was "
                    "deleted, or rows were reordered)",
                )
            if model is AccessLog and digests[row.pk] != row.subjects_digest:
                return ChainReport(
                    model.CHAIN, rows, False, row.pk, "the clients named by the row were changed"
                )
            if row_hash(row.prev_hash, row.chain_content()) != row.row_hash:
                return ChainReport(model.CHAIN, rows, False, row.pk, "the row was edited")
            expected_prev = row.row_hash
            last_id = row.pk
    if head is not None and head.last_hash != expected_prev:
        return ChainReport(
            model.CHAIN,
            rows,
            False,
            last_id or None,
            "rows after this one were deleted (the chain head does not match)",
        )
    return ChainReport(model.CHAIN, rows, True)
