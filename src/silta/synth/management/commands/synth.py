from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import connection

from silta.core import dates
from silta.funding.results import funding_data
from silta.synth.region import (
    DEFAULT_SEED,
    Region,
    generate_region,
    write_events_csv,
    write_payments_csv,
)


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise CommandError(f"--scale must be a number, not {value!r}") from None
    if not 0 < scale <= 100:
        raise CommandError("--scale must be greater than 0 and at most 100")
    return scale


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be an ISO date (YYYY-MM-DD), not {value!r}") from None
    if not dt.date(2019, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise CommandError(f"--as-of must be between 2019-01-01 and 2100-12-31, not {value}")
    return day


class Command(BaseCommand):
    help = (
        "Generate the synthetic Central Ostrobothnia region (2019-2026) and load it into "
        "the database; optionally write its benefit payments as CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--scale", type=_scale, default=1.0)
        parser.add_argument(
            "--as-of",
            "--end",
            dest="as_of",
            type=_date,
            default=None,
            metavar="DATE",
            help=(
                "the day the region is generated on (YYYY-MM-DD): nothing later is paid, "
                "recorded or known, appointments are planned after it (default: today in "
                "Finland; tests and benchmarks pin it)"
            ),
        )
        parser.add_argument(
            "--payments-csv",
            metavar="FILE",
            help="also write the benefit payments in the payments format",
        )
        parser.add_argument(
            "--events-csv", metavar="FILE", help="also write the person events in the events format"
        )
        parser.add_argument(
            "--no-db",
            action="store_true",
            help="only write the CSV files; do not touch the database",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has clients",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from silta.synth.loader import region_is_loaded

        if opts["no_db"] and not (opts["payments_csv"] or opts["events_csv"]):
            raise CommandError("--no-db needs --payments-csv or --events-csv")
        to_db = not opts["no_db"]
        if to_db and settings.PRODUCTION:
            raise CommandError("Synthetic data are never loaded in production mode.")
        if to_db and opts["if_empty"] and region_is_loaded():
            self.stdout.write("The database already has clients; nothing generated.")
            return
        if to_db and region_is_loaded():
            raise CommandError(
                "The database already has clients. Use 'make demo-reset' (or a new "
                "database) to regenerate, or --if-empty to skip."
            )
        started = time.perf_counter()
        as_of = opts["as_of"] or dates.today()
        region = generate_region(seed=opts["seed"], scale=opts["scale"], end=as_of)
        self.stdout.write(
            f"Generated {len(region.clients)} clients, {len(region.payments)} payments "
            f"in {time.perf_counter() - started:.1f} s (seed {region.seed}, scale {region.scale}, "
            f"as of {as_of.isoformat()})."
        )
        if opts["payments_csv"]:
            n = write_payments_csv(region.payments, opts["payments_csv"])
            self.stdout.write(f"Wrote {n} payment rows to {opts['payments_csv']}.")
        if opts["events_csv"]:
            n = write_events_csv(region.events, opts["events_csv"])
            self.stdout.write(f"Wrote {n} event rows to {opts['events_csv']}.")
        if to_db:
            load_into_database(region, self.stdout)


def load_into_database(region: Region, stdout: OutputWrapper) -> None:
    """Load a generated region into the (migrated, empty) database (``silta synth``,
    ``silta demo``)."""
    from silta.synth.loader import region_load

    t = time.perf_counter()
    counts = region_load(region, progress=lambda m: stdout.write(f"  loading {m}…"))
    if connection.vendor == "postgresql":
        # Fresh planner statistics: without them PostgreSQL plans the first
        # queries after a bulk load as if the tables were empty (seen in the
        # load test: a 100 ms hash join instead of a 1 ms index lookup).
        stdout.write("  updating the planner's statistics…")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The funding shares of the new store, computed now and kept for every
    # process, so that the first manager to open a page does not wait for them.
    stdout.write("  computing the funding shares…")
    funding_data()
    stdout.write(
        f"Loaded {counts.clients} clients, {counts.payments} payments, "
        f"{counts.staff} staff in {time.perf_counter() - t:.1f} s."
    )
