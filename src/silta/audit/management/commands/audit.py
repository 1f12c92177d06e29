from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.audit.chain import verify_chain
from silta.audit.models import AccessLog, ChangeLog
from silta.audit.retention import audit_retention_apply


class Command(BaseCommand):
    help = "Audit logs: verify the hash chains, or apply the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check both hash chains; exit 1 on the first bad row")
        retention = sub.add_parser("retention", help="remove rows older than the retention period")
        retention.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "verify":
            reports = [verify_chain(AccessLog), verify_chain(ChangeLog)]
            for report in reports:
                self.stdout.write(str(report))
            if not all(r.ok for r in reports):
                raise CommandError("The audit log has been tampered with (see above).")
            return
        results = audit_retention_apply(dry_run=opts["dry_run"])
        verb = "would remove" if opts["dry_run"] else "removed"
        for r in results:
            self.stdout.write(
                f"{r.chain}: {verb} {r.removed} rows older than {r.cutoff.date().isoformat()}"
            )
