"""The audit key ring: the secret that keys the hash chains and signs the checkpoints.

The keys live outside the database, so that someone who can edit the database cannot
recompute a chain. They come from, in this order:

- ``SILTA_AUDIT_KEYS``: ``ID:HEX[,ID:HEX...]`` in the environment (a secret store);
- ``SILTA_AUDIT_KEY_FILE``: a file of ``ID HEX`` lines (``#`` starts a comment).

The last key listed is the current one: new rows and checkpoints are keyed with it,
and every row stores its key id so that verification still knows the old keys after
a rotation (``silta audit rotate-key`` appends a new key to the file). Outside
production a key file is created under ``var/audit/`` the first time it is needed;
in production a missing key stops every audit write with a clear error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from silta.core import dates

KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
MIN_KEY_BYTES = 32


class AuditKeyError(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    current_id: str
    source: str

    def get(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def _parse(pairs: list[tuple[str, str]], source: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    current = ""
    for key_id, hex_value in pairs:
        if not KEY_ID.match(key_id):
            raise AuditKeyError(f"{source}: the key id {key_id!r} is not 1-40 letters or digits.")
        try:
            value = bytes.fromhex(hex_value)
        except ValueError:
            raise AuditKeyError(f"{source}: the key {key_id!r} is not hexadecimal.") from None
        if len(value) < MIN_KEY_BYTES:
            raise AuditKeyError(
                f"{source}: the key {key_id!r} is shorter than {MIN_KEY_BYTES} bytes."
            )
        if key_id in keys and keys[key_id] != value:
            raise AuditKeyError(f"{source}: the key id {key_id!r} is listed twice.")
        keys[key_id] = value
        current = key_id
    if not keys:
        raise AuditKeyError(f"{source}: no audit key found.")
    return KeyRing(keys, current, source)


def _read_file(path: Path) -> KeyRing:
    pairs = []
    for line in path.read_text(encoding="ascii").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            parts = line.split()
            if len(parts) != 2:
                raise AuditKeyError(f"{path}: each line must be 'KEY_ID HEX_KEY'.")
            pairs.append((parts[0], parts[1]))
    return _parse(pairs, str(path))


def new_key_line(now: dt.datetime | None = None) -> str:
    stamp = (now or dates.now()).strftime("%Y%m%d")
    return f"k{stamp}-{secrets.token_hex(3)} {secrets.token_hex(32)}\n"


def _create_file(path: Path) -> None:
    """Write a first key, atomically: another process sees no file or a whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write("# Silta audit keys: KEY_ID HEX_KEY; the last line is the current key.\n")
            handle.write(new_key_line())
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def key_file_path() -> Path:
    return Path(settings.SILTA_AUDIT_KEY_FILE)


_cache: dict[tuple[str, str, int], KeyRing] = {}


def keyring() -> KeyRing:
    """The configured key ring (the file is read again when it changes: rotation needs
    no restart)."""
    env = (getattr(settings, "SILTA_AUDIT_KEYS", "") or "").strip()
    path = key_file_path()
    try:
        stat = path.stat()
        stamp = 0 if env else stat.st_mtime_ns * 1000003 + stat.st_size
    except FileNotFoundError:
        stamp = -1
    cache_key = (env, str(path), stamp)
    if stamp != -1 and cache_key in _cache:
        return _cache[cache_key]
    ring = _load(env, path)
    if stamp != -1:
        _cache.clear()
        _cache[cache_key] = ring
    return ring


def _load(env: str, path: Path) -> KeyRing:
    if env:
        pairs = []
        for item in env.split(","):
            key_id, sep, value = item.strip().partition(":")
            if not sep:
                raise AuditKeyError("SILTA_AUDIT_KEYS must be ID:HEX[,ID:HEX...].")
            pairs.append((key_id.strip(), value.strip()))
        return _parse(pairs, "SILTA_AUDIT_KEYS")
    if not path.exists():
        if settings.PRODUCTION:
            raise AuditKeyError(
                f"No audit key: set SILTA_AUDIT_KEY_FILE (now {path}) or SILTA_AUDIT_KEYS "
                "(see docs/OPERATIONS.md, 'The audit key')."
            )
        _create_file(path)
    return _read_file(path)


def rotate_key_file() -> str:
    """Append a new key to the key file (or create the file with a first key); it
    becomes the current key. Returns its id."""
    if (getattr(settings, "SILTA_AUDIT_KEYS", "") or "").strip():
        raise AuditKeyError(
            "The keys come from SILTA_AUDIT_KEYS: add ',NEW_ID:NEW_HEX' at its end in "
            "your secret store and restart Silta."
        )
    path = key_file_path()
    if not path.exists():  # the operator's first key
        _create_file(path)
        return keyring().current_id
    keyring()  # refuses a damaged file rather than appending to it
    line = new_key_line()
    with path.open("a", encoding="ascii") as handle:
        handle.write(line)
    return line.split()[0]
