"""Keyed hash chains over the audit logs, checked against signed checkpoints.

Each row's hash is HMAC-SHA256, under the audit key named by the row's ``key_id``,
over the key id, the previous row's hash and the row's content as canonical JSON. The
key is kept outside the database (``silta.audit.keys``), so someone who can edit the
database can neither change a row nor recompute the chain after it. Deleting or
reordering rows breaks the link from the next row. Deleting the newest rows and moving
the chain head back is found by the signed checkpoints outside the database
(``silta.audit.checkpoints``): the database must still hold the row a checkpoint
names, with the same hash, and as many rows. Rows removed by retention are accounted
for by signed closed segments, so the chain after the cut still joins.

``verify_chain`` names the first row or checkpoint where any of this shows, and since
when the chain is intact.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from silta.audit import checkpoints as cp
from silta.audit.keys import KeyRing, keyring


def _default(value: Any) -> str:
    return str(value)


def canonical_body(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=_default)


def row_mac(key: bytes, key_id: str, prev_hash: str, content: dict[str, Any]) -> str:
    message = f"{key_id}\n{prev_hash}\n{canonical_body(content)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


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
    last_id: int | None = None
    last_hash: str = ""
    first_id: int | None = None
    anchor_hash: str = ""
    intact_through: int | None = None
    checkpoint_at: str = ""
    checkpoint_row: int | None = None

    def _since(self) -> str:
        if self.checkpoint_at:
            return (
                f"; the last checkpoint that matches is of {self.checkpoint_at} "
                f"(row {self.checkpoint_row})"
            )
        return "; no checkpoint matches"

    def __str__(self) -> str:
        if self.ok:
            text = f"{self.chain}: {self.rows} rows, chain intact"
            if self.checkpoint_at:
                text += f", matches the checkpoint of {self.checkpoint_at}"
            return text
        where = f"row {self.first_bad_id}: " if self.first_bad_id else ""
        intact = (
            f"; intact up to row {self.intact_through}"
            if self.intact_through
            else "; no row is known intact"
        )
        return f"{self.chain}: {where}{self.problem}{intact}{self._since()}"


def _subject_digests(rows: list[Any]) -> dict[int, str]:
    from silta.audit.models import AccessLogSubject

    ids: dict[int, list[uuid.UUID]] = {r.pk: [] for r in rows}
    for log_id, client_id in AccessLogSubject.objects.filter(log_id__in=list(ids)).values_list(
        "log_id", "client_id"
    ):
        ids[log_id].append(client_id)
    return {k: subjects_digest(v) for k, v in ids.items()}


def verify_chain(
    model: type[Model],
    *,
    checkpoint_dir: str | None = None,
    ring: KeyRing | None = None,
    batch: int = 5000,
) -> ChainReport:
    """Walk one log in id order, check every key, link and keyed hash, then compare the
    result with the signed checkpoints of this chain."""
    from silta.audit.models import AccessLog, ChainedModel, ChainHead

    assert issubclass(model, ChainedModel)
    chain = model.CHAIN
    ring = ring or keyring()
    records = [c for c in cp.read(checkpoint_dir, ring) if c.chain in (chain, "")]
    bad_line = next((c for c in records if c.problem), None)
    records = [c for c in records if not c.problem]
    segments = [c for c in records if c.kind == "segment"]
    heads = [c for c in records if c.kind == "head"]
    watched = {int(c["last_id"]) for c in heads}
    seen: dict[int, tuple[str, int]] = {}  # watched row id -> (hash, rows up to it)

    def fail(bad_id: int | None, problem: str, intact: int | None, rows: int) -> ChainReport:
        match = next(
            (
                c
                for c in reversed(heads)
                if intact is not None
                and int(c["last_id"]) <= intact
                and seen.get(int(c["last_id"]), ("", 0))[0] == c["last_hash"]
            ),
            None,
        )
        return ChainReport(
            chain,
            rows,
            False,
            bad_id,
            problem,
            intact_through=intact,
            checkpoint_at=str(match["at"]) if match else "",
            checkpoint_row=int(match["last_id"]) if match else None,
        )

    head = ChainHead.objects.filter(name=chain).first()
    first_row = model.objects.order_by("pk").values_list("pk", flat=True).first()
    # Segments removed by retention must join one another and the first row kept.
    applied = [s for s in segments if first_row is None or int(s["last_id"]) < first_row]
    expected_prev = ""
    for s in applied:
        if s["first_prev_hash"] != expected_prev:
            return fail(
                int(s["first_id"]),
                f"the closed segment of {s['at']} (rows {s['first_id']}-{s['last_id']}) "
                "does not join the one before it",
                None,
                0,
            )
        expected_prev = str(s["last_hash"])
    anchor = expected_prev
    cut = int(applied[-1]["last_id"]) if applied else 0
    last_id = cut  # rows up to the cut were removed by retention
    last_hash = anchor
    rows = 0
    while True:
        chunk = list(model.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not chunk:
            break
        digests = _subject_digests(chunk) if model is AccessLog else {}
        for row in chunk:
            intact = last_id or None
            if row.prev_hash != last_hash:
                problem = (
                    "rows before it were removed without a signed retention record"
                    if rows == 0
                    else "the link to the previous row is broken (a row before it was "
                    "deleted, or rows were reordered)"
                )
                return fail(row.pk, problem, intact, rows)
            key = ring.get(row.key_id)
            if key is None:
                return fail(
                    row.pk,
                    f"the row is keyed with key id {row.key_id!r}, which is not in the "
                    "audit key ring (a wrong or missing key)",
                    intact,
                    rows,
                )
            if model is AccessLog and digests[row.pk] != row.subjects_digest:
                return fail(row.pk, "the clients named by the row were changed", intact, rows)
            if not hmac.compare_digest(
                row_mac(key, row.key_id, row.prev_hash, row.chain_content()), row.row_hash
            ):
                return fail(
                    row.pk,
                    "the row was edited (its keyed hash does not match; if no row matches, "
                    f"the key with id {row.key_id!r} is not the one the rows were written with)",
                    intact,
                    rows,
                )
            rows += 1
            last_hash = row.row_hash
            last_id = row.pk
            if last_id in watched:
                seen[last_id] = (last_hash, rows)
    if head is not None and (head.last_hash != last_hash or (rows and head.last_id != last_id)):
        return fail(
            last_id or None,
            "the chain head does not match the last row (rows after it were deleted)",
            last_id or None,
            rows,
        )
    if bad_line is not None:
        return fail(None, bad_line.problem, last_id or None, rows)
    if heads:
        latest = heads[-1]
        cp_last = int(latest["last_id"])
        at = latest["at"]
        if cp_last > last_id:
            return fail(
                None,
                f"the checkpoint of {at} saw {latest['rows']} rows up to row {cp_last}, but "
                f"the database ends at row {last_id or 'none'}: rows were deleted and the "
                "chain head moved back",
                last_id or None,
                rows,
            )
        if cp_last > cut:
            found = seen.get(cp_last)
            if found is None:
                return fail(
                    cp_last,
                    f"the row named by the checkpoint of {at} is missing",
                    last_id or None,
                    rows,
                )
            removed_since = sum(
                int(s["rows"]) for s in applied if int(s["first_id"]) >= int(latest["first_id"])
            )
            if found[0] != latest["last_hash"]:
                return fail(
                    cp_last,
                    f"the row differs from the checkpoint of {at} (the chain was rewritten)",
                    None,
                    rows,
                )
            if found[1] != int(latest["rows"]) - removed_since:
                return fail(
                    cp_last,
                    f"the checkpoint of {at} counted {latest['rows']} rows up to this row, "
                    f"the database has {found[1] + removed_since}",
                    None,
                    rows,
                )
    match = next(
        (
            c
            for c in reversed(heads)
            if int(c["last_id"]) <= cut or seen.get(int(c["last_id"]), ("", 0))[0] == c["last_hash"]
        ),
        None,
    )
    return ChainReport(
        chain,
        rows,
        True,
        last_id=last_id or None,
        last_hash=last_hash,
        first_id=first_row,
        anchor_hash=anchor,
        intact_through=last_id or None,
        checkpoint_at=str(match["at"]) if match else "",
        checkpoint_row=int(match["last_id"]) if match else None,
    )


def head_record(report: ChainReport) -> dict[str, Any]:
    """The checkpoint of what a verification found intact."""
    return {
        "kind": "head",
        "chain": report.chain,
        "at": cp.now_text(),
        "first_id": report.first_id or 0,
        "last_id": report.last_id or 0,
        "last_hash": report.last_hash,
        "rows": report.rows,
        "anchor_hash": report.anchor_hash,
    }
