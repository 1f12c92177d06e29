from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silta.places.services import places_load_reference


class Command(BaseCommand):
    help = "Reference data of the region: municipalities, employment area, wellbeing county."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="create or update the reference data (idempotent)")

    def handle(self, *args: Any, **opts: Any) -> None:
        n = places_load_reference()
        self.stdout.write(
            f"Loaded the wellbeing county, the employment area and {n} municipalities."
        )
