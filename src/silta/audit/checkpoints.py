"""Signed checkpoints of the audit chains, written outside the database.

One JSON object per line, appended to ``checkpoints.jsonl`` in
``SILTA_AUDIT_CHECKPOINT_DIR``; never rewritten. Two kinds:

- ``head``: what a verification found intact — the chain's first and last row id, the
  last row's hash, the number of rows and the anchor (where the chain starts);
- ``segment``: rows removed by retention — first and last id, count, the hash the
  segment started from and its last row's hash, so the chain after the cut still
  joins a signed record.

Each line is signed with HMAC-SHA256 under the current audit key and names the key id,
so an insider who can edit the database (and even this file) cannot make a checkpoint
that agrees with a rewritten chain without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from silta.audit.keys import KeyRing, keyring
from silta.core import dates

FILE_NAME = "checkpoints.jsonl"


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


def checkpoint_path(directory: str | Path | None = None) -> Path:
    return Path(directory or settings.SILTA_AUDIT_CHECKPOINT_DIR) / FILE_NAME


def _signature(key: bytes, record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "sig"}
    return hmac.new(key, canonical(body), hashlib.sha256).hexdigest()


def append(records: list[dict[str, Any]], ring: KeyRing | None = None) -> list[dict[str, Any]]:
    """Sign and append records; flushed to disk before returning (an error propagates,
    so a caller inside a transaction rolls back)."""
    ring = ring or keyring()
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    signed = []
    for record in records:
        full = {**record, "key_id": ring.current_id}
        full["sig"] = _signature(ring.current, full)
        signed.append(full)
    with path.open("a", encoding="utf-8") as handle:
        for full in signed:
            handle.write(json.dumps(full, sort_keys=True, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return signed


@dataclass(frozen=True)
class Checkpoint:
    line: int
    data: dict[str, Any]
    problem: str = ""

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def chain(self) -> str:
        return str(self.data.get("chain", ""))

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def read(directory: str | Path | None = None, ring: KeyRing | None = None) -> list[Checkpoint]:
    """Every line of the checkpoint file, each with its signature checked (``problem``
    says what is wrong with a line). No file: an empty list."""
    path = checkpoint_path(directory)
    if not path.exists():
        return []
    ring = ring or keyring()
    result = []
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            text = text.strip()
            if not text:
                continue
            try:
                data = json.loads(text)
                if not isinstance(data, dict):
                    raise ValueError
            except ValueError:
                problem = f"line {number} of {path} is not a checkpoint"
                result.append(Checkpoint(number, {}, problem))
                continue
            key = ring.get(str(data.get("key_id", "")))
            if key is None:
                problem = (
                    f"checkpoint line {number} is signed with key id {data.get('key_id')!r}, "
                    "which is not in the audit key ring (a wrong or missing key)"
                )
            elif not hmac.compare_digest(_signature(key, data), str(data.get("sig", ""))):
                problem = f"checkpoint line {number} was altered or signed with another key"
            else:
                problem = ""
            result.append(Checkpoint(number, data, problem))
    return result


def now_text() -> str:
    return dates.now().astimezone(dt.UTC).isoformat(timespec="seconds")
