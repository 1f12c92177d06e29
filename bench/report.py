"""Time the annual statistics report (DESIGN.md "Figures to reach": region <= 1 s,
100 000 clients <= 5 s).

Runs against the database the environment names (the demo's SQLite database by
default; for 100 000 clients the load test's PostgreSQL database, see bench/load.py):

    .venv/bin/python bench/report.py --year 2023
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silta_load \\
        .venv/bin/python bench/report.py --year 2023

It prints the time of each yearly figure and of the whole report (what
``silta report year`` computes), best of ``--repeats`` runs after Django has started,
and separately the first run of the funding share in this process: that one reads
the engine's result from ``SILTA_VAR_DIR/funding/`` or, right after an import,
computes it. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silta.config.settings")
    started = time.perf_counter()
    import django

    django.setup()
    from django.db import connection

    from silta.clients.models import Client
    from silta.funding.results import funding_data
    from silta.reporting import yearly

    print(
        f"database: {connection.vendor}, {Client.objects.count():,} clients; "
        f"Django started in {time.perf_counter() - started:.2f} s"
    )
    t = time.perf_counter()
    data = funding_data()
    print(
        f"funding share, first use in this process: {data.result.height:,} payment rows "
        f"in {time.perf_counter() - t:.2f} s (reads the kept result, or computes it)"
    )
    best: dict[str, float] = {}
    totals = []
    for _ in range(args.repeats):
        t_all = time.perf_counter()
        for figure in yearly.figures():
            t = time.perf_counter()
            figure.compute(args.year)
            elapsed = time.perf_counter() - t
            best[figure.key] = min(best.get(figure.key, elapsed), elapsed)
        totals.append(time.perf_counter() - t_all)
    for key, seconds in best.items():
        print(f"  {key:<34} {seconds * 1000:8.1f} ms")
    print(f"whole report for {args.year}: best {min(totals):.2f} s, worst {max(totals):.2f} s")


if __name__ == "__main__":
    main()
