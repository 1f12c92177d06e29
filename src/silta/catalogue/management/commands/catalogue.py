from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silta.catalogue.services import catalogue_load_reference


class Command(BaseCommand):
    help = "The service catalogue. 'load' creates or refreshes the region's reference services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])

    def handle(self, *args: Any, **opts: Any) -> None:
        result = catalogue_load_reference(actor=None)
        self.stdout.write(
            f"Catalogue: {result.created} services created, {result.updated} refreshed."
        )
        for key in result.missing_providers:
            self.stderr.write(
                f"No organisation with key {key!r}: its services were skipped "
                "(load the organisations first, e.g. with 'silta synth')."
            )
