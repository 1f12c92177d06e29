"""The audit key: from a file or the environment, never from the database; a missing
or malformed key stops audit writes with a clear message."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from silta.audit import keys
from silta.audit.checks import audit_key_check
from silta.audit.keys import AuditKeyError, keyring
from silta.audit.models import ChangeLog
from silta.audit.services import change_log_write


def _write() -> ChangeLog:
    return change_log_write(actor=None, event="t", target_type="x", target_id="1", changes={})


@pytest.mark.django_db
def test_production_without_a_key_writes_nothing_and_the_deploy_check_says_why(
    settings, tmp_path
) -> None:
    settings.PRODUCTION = True
    settings.SILTA_AUDIT_KEYS = ""
    settings.SILTA_AUDIT_KEY_FILE = str(tmp_path / "no-such-file")
    with pytest.raises(AuditKeyError, match="No audit key"):
        _write()
    assert ChangeLog.objects.count() == 0
    assert [e.id for e in audit_key_check()] == ["silta.audit.E001"]
    assert not (tmp_path / "no-such-file").exists()
    # the operator makes the first key; then writes work and the check passes
    call_command("audit", "rotate-key")
    assert os.stat(tmp_path / "no-such-file").st_mode & 0o077 == 0
    assert _write().key_id == keyring().current_id
    assert audit_key_check() == []


def test_keys_from_the_environment_last_is_current(settings) -> None:
    settings.SILTA_AUDIT_KEYS = "old:" + "11" * 32 + ", new:" + "22" * 32
    ring = keyring()
    assert ring.current_id == "new" and set(ring.keys) == {"old", "new"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nokey", "must be ID:HEX"),
        ("a:" + "11" * 8, "shorter than 32 bytes"),
        ("a:zz" + "11" * 32, "not hexadecimal"),
        ("bad id:" + "11" * 32, "is not 1-40 letters"),
        ("a:" + "11" * 32 + ",a:" + "22" * 32, "listed twice"),
    ],
)
def test_malformed_keys_are_named(settings, value: str, message: str) -> None:
    settings.SILTA_AUDIT_KEYS = value
    with pytest.raises(AuditKeyError, match=message):
        keyring()


def test_a_key_file_line_must_have_an_id_and_a_key(settings, tmp_path) -> None:
    path = tmp_path / "keys"
    path.write_text("# comment\nonlyone\n")
    settings.SILTA_AUDIT_KEYS = ""
    settings.SILTA_AUDIT_KEY_FILE = str(path)
    with pytest.raises(AuditKeyError, match="KEY_ID HEX_KEY"):
        keys.keyring()


def test_a_key_file_others_can_read_is_refused_by_the_deploy_check(settings, tmp_path) -> None:
    path = tmp_path / "keys"
    path.write_text("k1 " + "33" * 32 + "\n")
    path.chmod(0o644)
    settings.PRODUCTION = True
    settings.SILTA_AUDIT_KEYS = ""
    settings.SILTA_AUDIT_KEY_FILE = str(path)
    assert [e.id for e in audit_key_check()] == ["silta.audit.E003"]
    path.chmod(0o600)
    assert audit_key_check() == []
