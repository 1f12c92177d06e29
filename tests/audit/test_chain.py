"""The audit logs are hash-chained: edits, deletions and reordering are found."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from tests import factories

from silta.accounts.roles import Role
from silta.audit import checkpoints
from silta.audit.chain import verify_chain
from silta.audit.models import AccessLog, AccessLogSubject, ChainHead, ChangeLog
from silta.audit.retention import audit_retention_apply
from silta.audit.services import access_log_write, change_log_write


def _write_changes(n: int) -> list[ChangeLog]:
    target = factories.OrganisationFactory()
    return [
        change_log_write(actor=None, event="test.event", target=target, changes={"n": [i, i + 1]})
        for i in range(n)
    ]


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_an_untouched_chain_verifies() -> None:
    _write_changes(5)
    report = verify_chain(ChangeLog)
    assert report.ok and report.rows == 5
    call_command("audit", "verify")


@pytest.mark.django_db
def test_an_edited_row_is_named() -> None:
    rows = _write_changes(5)
    # when someone edits row 3 directly in the database
    _sql("UPDATE audit_changelog SET event = %s WHERE id = %s", ["forged", rows[2].pk])
    # then verification names exactly that row
    report = verify_chain(ChangeLog)
    assert not report.ok
    assert report.first_bad_id == rows[2].pk
    assert "edited" in report.problem
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_deleted_row_is_found_at_the_next_row() -> None:
    rows = _write_changes(5)
    _sql("DELETE FROM audit_changelog WHERE id = %s", [rows[1].pk])
    report = verify_chain(ChangeLog)
    assert report.first_bad_id == rows[2].pk
    assert "broken" in report.problem


@pytest.mark.django_db
def test_deleted_last_rows_are_found_by_the_head() -> None:
    rows = _write_changes(4)
    _sql("DELETE FROM audit_changelog WHERE id >= %s", [rows[2].pk])
    report = verify_chain(ChangeLog)
    assert not report.ok
    assert report.first_bad_id == rows[1].pk


@pytest.mark.django_db
def test_swapped_rows_are_found() -> None:
    rows = _write_changes(3)
    a, b = rows[0], rows[1]
    # swap the content of two rows (hashes travel with them)
    _sql(
        "UPDATE audit_changelog SET prev_hash = %s, row_hash = %s, changes = %s WHERE id = %s",
        [b.prev_hash, b.row_hash, '{"n": [1, 2]}', a.pk],
    )
    _sql(
        "UPDATE audit_changelog SET prev_hash = %s, row_hash = %s, changes = %s WHERE id = %s",
        [a.prev_hash, a.row_hash, '{"n": [0, 1]}', b.pk],
    )
    report = verify_chain(ChangeLog)
    assert report.first_bad_id == a.pk


@pytest.mark.django_db
def test_changing_the_clients_of_an_access_row_is_found() -> None:
    user = factories.UserFactory()
    log = access_log_write(
        actor=user, membership=None, section="client_page", basis="test", client_ids=[uuid.uuid4()]
    )
    assert verify_chain(AccessLog).ok
    _sql(
        "UPDATE audit_accesslogsubject SET client_id = %s WHERE log_id = %s",
        [uuid.uuid4().hex, log.pk],
    )
    if connection.vendor == "postgresql":
        pass  # the UUID column takes the hex form on both databases
    report = verify_chain(AccessLog)
    assert not report.ok and report.first_bad_id == log.pk


@pytest.mark.django_db
def test_retention_removes_old_rows_keeps_the_chain_valid_and_records_itself(settings) -> None:
    settings.SILTA_AUDIT_RETENTION_YEARS = 12
    user = factories.UserFactory()
    with time_machine.travel(dt.datetime(2010, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        _write_changes(3)
        access_log_write(
            actor=user, membership=None, section="s", basis="b", client_ids=[uuid.uuid4()]
        )
        call_command("audit", "checkpoint")
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        kept = _write_changes(2)
        results = audit_retention_apply()
    assert {r.chain: r.removed for r in results} == {"access": 1, "change": 3, "security": 0}
    assert ChangeLog.objects.filter(pk__in=[k.pk for k in kept]).count() == 2
    assert AccessLogSubject.objects.count() == 0
    record = ChangeLog.objects.get(event="audit.retention_applied")
    assert record.changes["change"]["removed"] == 3
    assert verify_chain(ChangeLog).ok
    assert verify_chain(AccessLog).ok
    assert ChainHead.objects.get(name="change").anchor_hash == kept[0].prev_hash
    # the removed rows are a signed closed segment outside the database; verify proves
    # that the kept rows continue it, and the checkpoint written before the cut still fits
    segments = [c for c in checkpoints.read() if c.kind == "segment"]
    assert {(s.chain, s["rows"]) for s in segments} == {("access", 1), ("change", 3)}
    change_segment = next(s for s in segments if s.chain == "change")
    assert change_segment["last_hash"] == kept[0].prev_hash
    call_command("audit", "verify")


@pytest.mark.django_db
def test_retention_refuses_a_tampered_chain_and_keeps_the_evidence(settings) -> None:
    with time_machine.travel(dt.datetime(2010, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        rows = _write_changes(3)
    _sql("UPDATE audit_changelog SET event = %s WHERE id = %s", ["forged", rows[0].pk])
    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit", "retention")
    assert ChangeLog.objects.count() == 3


@pytest.mark.django_db
def test_a_rotated_key_keeps_old_rows_verifiable(settings, tmp_path) -> None:
    key_file = tmp_path / "keys"
    settings.SILTA_AUDIT_KEY_FILE = str(key_file)
    first = _write_changes(2)
    call_command("audit", "rotate-key")
    second = _write_changes(2)
    first[0].refresh_from_db()
    second[0].refresh_from_db()
    assert first[0].key_id != second[0].key_id
    assert len([line for line in key_file.read_text().splitlines() if line[:1] != "#"]) == 2
    call_command("audit", "verify")
    # an environment key ring is rotated by the operator, not by the command
    settings.SILTA_AUDIT_KEYS = "env1:" + "cd" * 32
    with pytest.raises(CommandError, match="SILTA_AUDIT_KEYS"):
        call_command("audit", "rotate-key")


@pytest.mark.django_db
def test_an_altered_checkpoint_is_found() -> None:
    _write_changes(2)
    call_command("audit", "checkpoint")
    path = checkpoints.checkpoint_path()
    text = path.read_text().replace('"rows": 2', '"rows": 1')
    path.write_text(text)
    with pytest.raises(CommandError, match="altered or signed with another key"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_verify_against_the_copy_kept_off_the_server(tmp_path) -> None:
    rows = _write_changes(4)
    call_command("audit", "checkpoint")
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    offsite.joinpath("checkpoints.jsonl").write_text(checkpoints.checkpoint_path().read_text())
    # the insider deletes the tail and the checkpoint file on the server
    _sql("DELETE FROM audit_changelog WHERE id > %s", [rows[1].pk])
    _sql(
        "UPDATE audit_chainhead SET last_id = %s, last_hash = %s WHERE name = %s",
        [rows[1].pk, rows[1].row_hash, "change"],
    )
    checkpoints.checkpoint_path().unlink()
    out = io.StringIO()
    with pytest.raises(CommandError, match="rows were deleted"):
        call_command("audit", "verify", "--checkpoints", str(offsite), stdout=out)


@pytest.mark.django_db
def test_a_long_access_basis_is_kept_whole_and_verifies(region) -> None:
    """A read under many consents names every basis; nothing is cut off (a bounded
    column once truncated it, and PostgreSQL would refuse the row outright)."""
    actor = factories.staff(Role.CASE_WORKER, factories.OrganisationFactory())
    client = factories.client(region["272"])
    basis = ";".join(f"consent:{uuid.UUID(int=i)}" for i in range(8))
    section = "casework:" + ",".join(f"section_{i}" for i in range(20))
    assert len(basis) > 300 and len(section) > 150
    row = access_log_write(
        actor=actor, membership=None, section=section, basis=basis, client_ids=[client.pk]
    )
    row.refresh_from_db()
    assert row.basis == basis and row.section == section
    assert verify_chain(AccessLog).ok


@pytest.mark.django_db(transaction=True)
def test_the_retention_command_signs_the_cut_and_a_new_head(settings) -> None:
    with time_machine.travel(dt.datetime(2010, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        _write_changes(4)
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        kept = _write_changes(1)
        out = io.StringIO()
        call_command("audit", "retention", stdout=out)
    assert "change: removed 4 rows older than 2014-01-01" in out.getvalue()
    kinds = [(c.kind, c.chain) for c in checkpoints.read()]
    assert ("segment", "change") in kinds
    # after the commit, a head checkpoint of every chain follows the segment
    assert kinds[-3:] == [("head", "access"), ("head", "change"), ("head", "security")]
    assert all(not c.problem for c in checkpoints.read())
    assert ChangeLog.objects.filter(pk=kept[0].pk).exists()
    call_command("audit", "verify")
