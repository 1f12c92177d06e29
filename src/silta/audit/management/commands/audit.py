from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.audit.retention import audit_retention_apply
from silta.audit.services import audit_verify_run


class Command(BaseCommand):
    help = "Audit logs: verify the hash chains, or apply the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check both hash chains; exit 1 on the first bad row")
        sub.add_parser(
            "maintenance",
            help="nightly: verify the chains (result on the admin page), then retention",
        )
        retention = sub.add_parser("retention", help="remove rows older than the retention period")
        retention.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] in {"verify", "maintenance"}:
            run = audit_verify_run(started_by=f"command:{opts['action']}")
            self.stdout.write(
                f"access log: {run.access_rows} rows; change log: {run.change_rows} rows; "
                + ("both chains intact" if run.ok else run.problem)
            )
            if not run.ok:
                raise CommandError("The audit log has been tampered with (see above).")
            if opts["action"] == "verify":
                return
        dry_run = bool(opts.get("dry_run"))
        results = audit_retention_apply(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for r in results:
            self.stdout.write(
                f"{r.chain}: {verb} {r.removed} rows older than {r.cutoff.date().isoformat()}"
            )
