from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.accounts.models import Organisation, User
from silta.clients.importer import ImportRejected, clients_import
from silta.clients.models import RelationshipKind


class Command(BaseCommand):
    help = "Clients: import a CSV file (all rows or none)."

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

    def handle(self, *args: Any, **opts: Any) -> None:
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
