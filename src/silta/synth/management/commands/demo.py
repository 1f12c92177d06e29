from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.synth.management.commands.synth import _date


class Command(BaseCommand):
    help = (
        "Prepare the demo in one process: migrate the database, generate the synthetic "
        "region when the database has no clients, sign an audit checkpoint "
        " and print the demo logins. `make demo` runs this, then the server."
    )
    # The server started next runs the system checks; doing them here as well would
    # only import every URL module and API schema one more time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=_date,
            default=None,
            metavar="DATE",
            help="the demo's day (YYYY-MM-DD; default today)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo is never prepared in production mode.")
        steps: list[tuple[str, float]] = []
        t = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        steps.append(("migrate", time.perf_counter() - t))
        t = time.perf_counter()
        synth: dict[str, Any] = {"if_empty": True, "stdout": self.stdout}
        if opts["as_of"] is not None:
            synth["as_of"] = opts["as_of"]
        call_command("synth", **synth)
        steps.append(("synth", time.perf_counter() - t))
        t = time.perf_counter()
        call_command("audit", "checkpoint", stdout=self.stdout)
        call_command("demo_logins", stdout=self.stdout)
        steps.append(("checkpoint and logins", time.perf_counter() - t))
        if opts["verbosity"] > 1:
            for name, seconds in steps:
                self.stdout.write(f"  {name}: {seconds:.1f} s")
