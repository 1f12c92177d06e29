from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.accounts.models import Organisation, User
from silta.clients.importer import ImportRejected, clients_import
from silta.clients.models import Client, RelationshipKind
from silta.core.errors import AccessDenied


class Command(BaseCommand):
    help = (
        "Clients: import a CSV file (all rows or none); anonymise or erase a client "
        "whose records are past their retention period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import clients from a CSV file")
        imp.add_argument("file")
        imp.add_argument(
            "--organisation", metavar="KEY", help="the organisation that gets a client relationship"
        )
        imp.add_argument(
            "--relationship",
            choices=RelationshipKind.values,
            help="the kind of that relationship, e.g. jobseeker",
        )
        imp.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="the staff user recorded in the change log",
        )

        anon = sub.add_parser(
            "anonymise",
            help="erase or anonymise a client on request; refused while the law "
            "requires keeping a record",
        )
        anon.add_argument("client_id", metavar="CLIENT_ID")
        anon.add_argument("--dry-run", action="store_true", help="only show what would happen")
        anon.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="the administrator recorded in the change log",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "anonymise":
            self._anonymise(opts)
            return
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        organisation = None
        if opts["organisation"]:
            organisation = Organisation.objects.filter(key=opts["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Unknown organisation: {opts['organisation']}")
        actor = None
        if opts["username"]:
            actor = User.objects.filter(username=opts["username"]).first()
            if actor is None:
                raise CommandError(f"Unknown user: {opts['username']}")
        started = time.perf_counter()
        try:
            result = clients_import(
                actor=actor,
                raw=path.read_bytes(),
                organisation=organisation,
                relationship=opts["relationship"],
            )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{path}: {len(exc.errors)} error(s); nothing was imported."
            ) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Imported {result.clients} clients ({result.relationships} relationships) "
            f"in {time.perf_counter() - started:.1f} s."
        )

    def _anonymise(self, opts: dict[str, Any]) -> None:
        from silta.rights.erasure import ErasureRefused, client_erase

        try:
            client_id = uuid.UUID(opts["client_id"])
        except ValueError:
            raise CommandError(f"Not a client id: {opts['client_id']}") from None
        client = Client.objects.filter(pk=client_id).first()
        if client is None:
            raise CommandError(f"No such client: {client_id}")
        actor = None
        if opts["username"]:
            actor = User.objects.filter(username=opts["username"]).first()
            if actor is None:
                raise CommandError(f"Unknown user: {opts['username']}")
        try:
            plan = client_erase(actor=actor, client=client, dry_run=opts["dry_run"])
        except ErasureRefused as exc:
            for o in exc.plan.obligations:
                until = o.until.isoformat() if o.until else "no end date"
                self.stderr.write(f"{o.records} ({o.count}): kept until {until}. {o.basis}")
            raise CommandError(
                "Refused: the law still requires keeping the records above."
            ) from None
        except AccessDenied:
            raise CommandError(f"{opts['username']} may not erase or anonymise clients.") from None
        for label, count in plan.records.items():
            self.stdout.write(f"{label}: {count}")
        verb = {
            (True, "erase"): "Would erase",
            (True, "anonymise"): "Would anonymise",
            (False, "erase"): "Erased",
            (False, "anonymise"): "Anonymised",
        }[(bool(opts["dry_run"]), plan.action)]
        self.stdout.write(f"{verb} client {client_id}.")
