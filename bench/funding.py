"""Benchmark of the funding share at scale (issue 4; DESIGN.md "Figures to reach").

Generates N people (default 1 000 000, about 20 million payment rows; the frame
builder of bench/engine.py, which follows the synthetic generator's distributions:
2019-2026, fortnightly periods, service and other bases, recoveries, events), then,
each in a fresh process so that the peak memory is the step's own:

1. the full recompute ``silta.engine.funding.compute`` (wall time, rows per second,
   peak memory);
2. the per-row reference ``silta.engine.reference`` on a 1 % sample of the persons,
   extrapolated to all rows, and the speed ratio;
3. the outlook the web pages use (``silta.engine.forecast``: exit rates, current
   recipients, 12-month projection, radar ordering) over the full result.

It prints figures and asserts nothing. Run:

    PYTHONPATH=src .venv/bin/python bench/funding.py --people 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine import ROWS_PER_PERSON, peak_rss_mb, reset_peak_rss, synthetic_payments


def child(kind: str, payments_path: str, events_path: str) -> None:
    from silta.engine import forecast, funding, reference
    from silta.engine.rules import load_rules

    payments = pl.read_parquet(payments_path).rechunk()
    events = pl.read_parquet(events_path).rechunk()
    rules = load_rules()
    figures: dict[str, Any] = {"rows": payments.height}
    if kind == "outlook":
        result = funding.compute(payments, events, rules)
        del payments
    gc.collect()
    peak_reset = reset_peak_rss()
    started = time.perf_counter()
    if kind == "reference":
        persons = payments.get_column("person_id").unique()
        result = reference.compute(
            payments, events.filter(pl.col("person_id").is_in(persons.implode())), rules
        )
    elif kind == "engine":
        result = funding.compute(payments, events, rules)
    else:
        last = result.get_column("period_end").max()
        as_of = last if isinstance(last, dt.date) else dt.date(2026, 10, 31)
        rates = forecast.exit_rates(result, as_of=as_of)
        recipients = forecast.current_recipients(result, events, rules, as_of=as_of)
        projection = forecast.project(recipients, rates, rules, as_of=as_of)
        radar = forecast.radar(recipients, projection, rates, rules, as_of=as_of)
        figures["recipients"] = radar.height
    figures["seconds"] = time.perf_counter() - started
    figures["peak_mb"] = peak_rss_mb()
    figures["peak_reset"] = peak_reset
    figures["municipal_share_eur"] = str(result.get_column("municipal_share_eur").sum())
    print(json.dumps(figures))


def run_child(kind: str, payments: Path, events: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(payments), str(events)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--sample", type=float, default=0.01, help="reference sample share")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PAYMENTS", "EVENTS"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    started = time.perf_counter()
    payments, events = synthetic_payments(args.people * ROWS_PER_PERSON)
    rows = payments.height
    persons = payments.get_column("person_id").unique()
    print(
        f"built {rows:,} payment rows for {persons.len():,} persons and {events.height:,} "
        f"events in {time.perf_counter() - started:.1f} s; cores visible: {os.cpu_count()}, "
        f"polars threads: {pl.thread_pool_size()}"
    )
    sample = persons.sample(fraction=args.sample, seed=11)
    with tempfile.TemporaryDirectory(prefix="silta-bench-funding-") as folder:
        base = Path(folder)
        events_path, payments_path = base / "events.parquet", base / "payments.parquet"
        sample_path = base / "sample.parquet"
        events.write_parquet(events_path)
        payments.write_parquet(payments_path)
        payments.filter(pl.col("person_id").is_in(sample.implode())).write_parquet(sample_path)
        del payments
        full = run_child("engine", payments_path, events_path)
        ref = run_child("reference", sample_path, events_path)
        outlook = run_child("outlook", payments_path, events_path)

    ref_rate = ref["rows"] / ref["seconds"]
    engine_rate = rows / full["seconds"]
    print(
        f"full recompute: {rows:,} rows in {full['seconds']:.2f} s = {engine_rate:,.0f} rows/s; "
        f"peak memory {full['peak_mb']:,.0f} MB "
        f"({'from after loading' if full['peak_reset'] else 'whole process'}); "
        f"municipal share {full['municipal_share_eur']} EUR"
    )
    print(
        f"reference on a {args.sample:.0%} sample of persons: {ref['rows']:,} rows in "
        f"{ref['seconds']:.2f} s = {ref_rate:,.0f} rows/s; extrapolated to {rows:,} rows "
        f"{rows / ref_rate:,.0f} s"
    )
    print(f"speed ratio engine / reference: {engine_rate / ref_rate:,.0f}x")
    print(
        f"outlook (exit rates, recipients, projection, radar): {outlook['recipients']:,} "
        f"recipients in {outlook['seconds']:.2f} s; peak memory {outlook['peak_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    main()
