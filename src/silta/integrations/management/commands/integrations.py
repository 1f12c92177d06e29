"""``silta integrations ...``: register, list, rotate and revoke machine clients."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.accounts.models import Organisation
from silta.integrations import services
from silta.integrations.models import MachineClient


class Command(BaseCommand):
    help = "Register, list, rotate and revoke machine clients (OAuth2 client credentials)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="List the machine clients")
        reg = sub.add_parser("register", help="Register a client; prints its secret once")
        reg.add_argument("name")
        reg.add_argument("--organisation", required=True, help="Organisation key")
        reg.add_argument("--role", required=True)
        reg.add_argument(
            "--permission", action="append", default=[], help="A permission (repeatable)"
        )
        reg.add_argument("--description", default="")
        for action in ("rotate", "revoke"):
            p = sub.add_parser(action, help=f"{action.capitalize()} a client's secret/access")
            p.add_argument("name")

    def _client(self, name: str) -> MachineClient:
        try:
            return MachineClient.objects.select_related("organisation", "application").get(
                name=name
            )
        except MachineClient.DoesNotExist:
            raise CommandError(f"No machine client named {name!r}.") from None

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "list":
                for c in MachineClient.objects.select_related("organisation", "application"):
                    state = "active" if c.is_active else f"revoked {c.revoked_at:%Y-%m-%d}"
                    self.stdout.write(
                        f"{c.name}\t{c.application.client_id}\t{c.organisation.key}\t{c.role}\t"
                        f"{','.join(c.permissions)}\t{state}"
                    )
            elif action == "register":
                org = Organisation.objects.filter(key=options["organisation"]).first()
                if org is None:
                    raise CommandError(f"No organisation with key {options['organisation']!r}.")
                issued = services.client_register(
                    actor=None,
                    name=options["name"],
                    organisation=org,
                    role=options["role"],
                    permissions=options["permission"],
                    description=options["description"],
                )
                self._print_issued(issued)
            elif action == "rotate":
                issued = services.client_rotate_secret(
                    actor=None, client=self._client(options["name"])
                )
                self._print_issued(issued)
            elif action == "revoke":
                services.client_revoke(actor=None, client=self._client(options["name"]))
                self.stdout.write(f"Revoked {options['name']}; its tokens no longer work.")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                lines = [
                    f"{f}: {' '.join(m.messages[0] for m in e)}" for f, e in exc.error_dict.items()
                ]
                raise CommandError("; ".join(lines)) from None
            raise CommandError(" ".join(exc.messages)) from None

    def _print_issued(self, issued: services.Issued) -> None:
        self.stdout.write(f"client_id: {issued.client_id}")
        self.stdout.write(f"client_secret: {issued.secret}")
        self.stdout.write("The secret is shown only now; store it in the integration's vault.")
