"""Issue 19, items 4 and 5: an insider with database access cannot rewrite, truncate or
retention-wipe the audit logs unseen. Each test is an attack; ``silta audit verify``
must name it. They run on SQLite and PostgreSQL alike (raw SQL, no vendor features)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from tests import factories

from silta.audit.models import AccessLog, ChangeLog, SecurityEvent
from silta.audit.services import change_log_write, security_event_write


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _write_changes(n: int) -> list[ChangeLog]:
    target = factories.OrganisationFactory()
    return [
        change_log_write(actor=None, event="test.event", target=target, changes={"n": [i, i + 1]})
        for i in range(n)
    ]


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _verify_fails() -> str:
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", stdout=out, stderr=out)
    return out.getvalue() + str(exc.value)


def _sha256_rehash(prev: str, content: dict[str, object]) -> str:
    """What an insider who read the old source would compute."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


@pytest.mark.django_db
def test_edited_row_with_recomputed_hashes_and_head_is_found() -> None:
    rows = _write_changes(6)
    call_command("audit", "checkpoint")
    # the insider edits row 3 and recomputes every later hash and the chain head
    _sql("UPDATE audit_changelog SET event = %s WHERE id = %s", ["forged", rows[2].pk])
    prev = rows[1].row_hash
    for row in ChangeLog.objects.filter(pk__gte=rows[2].pk).order_by("pk"):
        new = _sha256_rehash(prev, row.chain_content())
        _sql(
            "UPDATE audit_changelog SET prev_hash = %s, row_hash = %s WHERE id = %s",
            [prev, new, row.pk],
        )
        prev = new
    _sql("UPDATE audit_chainhead SET last_hash = %s WHERE name = %s", [prev, "change"])
    report = _verify_fails()
    assert "change" in report
    assert f"row {rows[2].pk}" in report
    # it says since when the chain is intact: up to the row before
    assert f"intact up to row {rows[1].pk}" in report


@pytest.mark.django_db
def test_deleted_tail_and_moved_head_are_found_by_the_checkpoint() -> None:
    rows = _write_changes(30)
    call_command("audit", "checkpoint")
    # the insider deletes the newest 23 rows and moves the head back
    keep = rows[6]
    _sql("DELETE FROM audit_changelog WHERE id > %s", [keep.pk])
    _sql(
        "UPDATE audit_chainhead SET last_id = %s, last_hash = %s WHERE name = %s",
        [keep.pk, keep.row_hash, "change"],
    )
    report = _verify_fails()
    assert "checkpoint" in report
    assert str(rows[-1].pk) in report


@pytest.mark.django_db
def test_a_row_chained_with_another_key_is_found(settings, tmp_path) -> None:
    _write_changes(3)
    call_command("audit", "checkpoint")
    # an insider who cannot read the key makes up one of their own
    key_file = tmp_path / "forged-keys"
    key_file.write_text("forged " + "ab" * 32 + "\n")
    settings.SILTA_AUDIT_KEY_FILE = str(key_file)
    settings.SILTA_AUDIT_KEYS = ""
    change_log_write(actor=None, event="forged.event", target_type="x", target_id="1", changes={})
    settings.SILTA_AUDIT_KEY_FILE = str(tmp_path / "missing")
    report = _verify_fails()
    assert "key" in report


@pytest.mark.django_db
def test_all_three_chains_are_verified(rf) -> None:
    _write_changes(2)
    security_event_write("login_failed", username="someone")
    out = _verify()
    assert "access" in out and "change" in out and "security" in out
    _sql("UPDATE audit_securityevent SET actor_username = %s", ["nobody"])
    report = _verify_fails()
    assert "security" in report
    assert SecurityEvent.objects.count() == 1


@pytest.mark.django_db
def test_retention_of_zero_years_is_refused_and_removes_nothing(settings, region) -> None:
    factories.client(region["272"])
    _write_changes(3)
    settings.SILTA_AUDIT_RETENTION_YEARS = 0
    before = (AccessLog.objects.count(), ChangeLog.objects.count())
    with pytest.raises(CommandError) as exc:
        call_command("audit", "retention")
    assert "12" in str(exc.value)
    assert (AccessLog.objects.count(), ChangeLog.objects.count()) == before
    _verify()


@pytest.mark.django_db
def test_oldest_rows_deleted_by_hand_are_found() -> None:
    rows = _write_changes(5)
    call_command("audit", "checkpoint")
    # the insider removes the oldest rows and moves the chain's anchor, as retention would
    _sql("DELETE FROM audit_changelog WHERE id <= %s", [rows[1].pk])
    _sql(
        "UPDATE audit_chainhead SET anchor_hash = %s WHERE name = %s",
        [rows[2].prev_hash, "change"],
    )
    report = _verify_fails()
    assert "change" in report


@pytest.mark.django_db
def test_a_replaced_key_under_the_same_id_is_found(settings, tmp_path) -> None:
    from silta.audit.keys import keyring

    _write_changes(2)
    call_command("audit", "checkpoint")
    # the verifier is given another key under the same id (a wrong key restored)
    key_id = keyring().current_id
    wrong = tmp_path / "keys"
    wrong.write_text(f"{key_id} " + "ef" * 32 + "\n")
    settings.SILTA_AUDIT_KEY_FILE = str(wrong)
    report = _verify_fails()
    assert f"key with id {key_id!r}" in report
