from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.audit.keys import AuditKeyError, rotate_key_file
from silta.audit.retention import RetentionRefused, audit_retention_apply
from silta.audit.services import audit_verify_run


class Command(BaseCommand):
    help = (
        "Audit logs: verify the keyed chains against the signed checkpoints, write a "
        "checkpoint, apply the retention period, rotate the audit key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="check the three chains and the latest checkpoint; exit 1 naming the "
            "failed check; a checkpoint is written when all are intact",
        )
        verify.add_argument(
            "--checkpoints",
            metavar="DIR",
            help="compare with the checkpoints in DIR (e.g. the copy kept off the server)",
        )
        verify.add_argument(
            "--no-checkpoint", action="store_true", help="do not write a new checkpoint"
        )
        sub.add_parser(
            "checkpoint",
            help="verify, then sign a checkpoint of each chain head (run at least nightly)",
        )
        sub.add_parser(
            "maintenance",
            help="nightly: verify and checkpoint (result on the admin page), then retention",
        )
        retention = sub.add_parser("retention", help="remove rows older than the retention period")
        retention.add_argument("--dry-run", action="store_true")
        sub.add_parser(
            "rotate-key", help="append a new audit key to SILTA_AUDIT_KEY_FILE (old keys stay)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        try:
            if action == "rotate-key":
                key_id = rotate_key_file()
                self.stdout.write(f"New audit key {key_id}; new rows are keyed with it.")
                action = "checkpoint"
            if action in {"verify", "checkpoint", "maintenance"}:
                self._verify(action, opts)
                if action != "maintenance":
                    return
            self._retention(bool(opts.get("dry_run")))
        except (AuditKeyError, RetentionRefused) as exc:
            raise CommandError(str(exc)) from None

    def _verify(self, action: str, opts: dict[str, Any]) -> None:
        run, reports = audit_verify_run(
            started_by=f"command:{action}",
            checkpoint_dir=opts.get("checkpoints"),
            write_checkpoint=not opts.get("no_checkpoint") and not opts.get("checkpoints"),
        )
        for report in reports:
            self.stdout.write(str(report))
        if not run.ok:
            raise CommandError(
                "The audit log has been tampered with: "
                + "; ".join(str(r) for r in reports if not r.ok)
            )
        self.stdout.write("All three chains intact.")
        if action != "verify" or not (opts.get("no_checkpoint") or opts.get("checkpoints")):
            self.stdout.write("A signed checkpoint of each chain was written.")

    def _retention(self, dry_run: bool) -> None:
        results = audit_retention_apply(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for r in results:
            self.stdout.write(
                f"{r.chain}: {verb} {r.removed} rows older than {r.cutoff.date().isoformat()}"
            )
