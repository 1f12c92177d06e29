"""Benchmark of the funding engine (DESIGN.md "Figures to reach").

Builds a synthetic payment frame in memory (default 20 million rows, about one
million persons, 2019-2026, with service and other bases, recoveries and events),
then, each in a fresh process so that the peak memory is the engine's:

- times ``silta.engine.funding.compute`` (best of 3, with the spread and the CPU
  time, as the VM's two cores are shared) on the rows in person/period order (how the
  payment store keeps them) and on the same rows shuffled, and measures the peak
  resident memory of the compute: the process's peak from the moment the loaded
  input has settled (the allocator keeps the parquet reader's freed memory for a few
  seconds), so it includes the input frame and the result;
- times the per-row reference (``silta.engine.reference``) on a 1 % sample of
  whole persons and extrapolates its speed to the full frame, for the speedup.

It prints rows, persons, both timings, the peak RSS, the reference speed and the
speedup, and asserts nothing. Run:

    PYTHONPATH=src .venv/bin/python bench/engine.py --rows 20000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

ROWS_PER_PERSON = 20
MUNICIPALITIES = ("272", "272", "272", "272", "272", "217", "236", "924", "849", "584")


def synthetic_payments(rows: int, seed: int = 2025) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Payments in (person, period) order and person events, built column-wise."""
    persons = max(1, rows // ROWS_PER_PERSON)
    first_monday = dt.date(2019, 1, 7)

    def draw(column: str, salt: int) -> pl.Expr:
        return pl.col(column).hash(seed + salt)

    frame = pl.DataFrame({"i": pl.int_range(rows, dtype=pl.Int64, eager=True)}).with_columns(
        p=pl.col("i") * persons // rows
    )
    # Row number within the person without a group-by: rows are grouped by p already.
    frame = frame.with_columns(
        k=pl.col("i")
        - pl.when(pl.col("p") != pl.col("p").shift(1, fill_value=-1))
        .then(pl.col("i"))
        .otherwise(None)
        .forward_fill()
    ).with_columns(
        person_week=(draw("p", 1) % 300).cast(pl.Int64),
        person_kind=(draw("p", 2) % 100).cast(pl.Int64),
        municipality=(draw("p", 3) % len(MUNICIPALITIES)).cast(pl.Int64),
        row_draw=(draw("i", 4) % 1000).cast(pl.Int64),
        basis_draw=(draw("i", 5) % 100).cast(pl.Int64),
    )
    correction = pl.col("row_draw") < 20  # 2 % of rows correct the previous period
    start = pl.lit(first_monday) + pl.duration(
        days=pl.col("person_week") * 7 + (pl.col("k") - correction.cast(pl.Int64)) * 14
    )
    paid_days = (
        pl.when(correction)
        .then(0)
        .when(pl.col("row_draw") < 150)
        .then(pl.col("row_draw") % 10)
        .otherwise(10)
    )
    full_cents = paid_days * 3721
    amount_cents = (
        pl.when(correction)
        .then(-(pl.col("row_draw") * 97 % 3721 + 1))
        .when(pl.col("row_draw") > 900)
        .then(full_cents * 7 // 10)
        .otherwise(full_cents)
    )
    payments = frame.select(
        person_id=pl.format("P{}", pl.col("p").cast(pl.String).str.zfill(7)),
        municipality_code=pl.lit(pl.Series(MUNICIPALITIES))
        .gather(pl.col("municipality"))
        .cast(pl.Categorical),
        benefit=pl.when(pl.col("person_kind") < 70)
        .then(pl.lit("LMS"))
        .when(pl.col("person_kind") < 85)
        .then(pl.lit("BASIC"))
        .otherwise(pl.lit("EARN_BASIC"))
        .cast(pl.Enum(["LMS", "BASIC", "EARN_BASIC"])),
        basis=pl.when(pl.col("basis_draw") < 85)
        .then(pl.lit("unemployment"))
        .when(pl.col("basis_draw") < 97)
        .then(pl.lit("service"))
        .otherwise(pl.lit("other"))
        .cast(pl.Enum(["unemployment", "service", "other"])),
        period_start=start,
        period_end=start + pl.duration(days=13),
        paid_days=paid_days.cast(pl.Int16),
        amount_eur=amount_cents.cast(pl.Decimal(18, 2)) / 100,
        payment_date=start + pl.duration(days=16),
    ).with_columns(pl.col("amount_eur").cast(pl.Decimal(18, 2)))

    people = pl.DataFrame({"p": pl.int_range(persons, dtype=pl.Int64, eager=True)}).with_columns(
        draw=(pl.col("p").hash(seed + 7) % 100).cast(pl.Int64),
        week=(pl.col("p").hash(seed + 1) % 300).cast(pl.Int64),
    )
    person_id = pl.format("P{}", pl.col("p").cast(pl.String).str.zfill(7))
    events = pl.concat(
        [
            people.filter(pl.col("draw") < 5).select(
                person_id=person_id,
                event=pl.lit("employment_condition_met"),
                date=pl.lit(first_monday) + pl.duration(days=pl.col("week") * 7 + 120),
            ),
            people.filter(pl.col("draw") >= 98).select(
                person_id=person_id,
                event=pl.lit("state_funded_until"),
                date=pl.lit(first_monday) + pl.duration(days=pl.col("week") * 7 + 365),
            ),
        ]
    )
    return payments, events


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak resident memory of this process since start or since reset_peak_rss()."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    # ru_maxrss is in kilobytes on Linux (never reset).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    current = _status_mb("VmRSS")
    return current if current is not None else peak_rss_mb()


def reset_peak_rss() -> bool:
    """Start a new peak (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def settle_rss(limit_s: float = 30.0) -> float:
    """Wait until the allocator has handed back what loading freed (jemalloc returns
    dirty pages after about ten seconds), so that the peak measured next is the
    compute's and not the loader's; returns the settled RSS in MB."""
    gc.collect()
    started = time.monotonic()
    low, low_at = rss_mb(), time.monotonic()
    while time.monotonic() - started < limit_s and time.monotonic() - low_at < 3.0:
        time.sleep(0.5)
        now = rss_mb()
        if now < low - 1:
            low, low_at = now, time.monotonic()
    return rss_mb()


def child(kind: str, payments_path: str, events_path: str, repeats: int) -> None:
    """Run in a fresh process: load the frames, time one implementation, print JSON."""
    from silta.engine import funding, reference
    from silta.engine.rules import load_rules

    payments = pl.read_parquet(payments_path).rechunk()
    events = pl.read_parquet(events_path).rechunk()
    input_mb = payments.estimated_size("mb")
    rules = load_rules()
    loaded_peak_mb = peak_rss_mb()
    times, cpu_times, settled, peaks = [], [], [], []
    peak_reset = False
    rows_out = 0
    share = None
    for _ in range(repeats):
        # Each run starts from the settled state, so that one run's freed memory,
        # still held by the allocator, does not count toward the next run's peak.
        settled.append(settle_rss() if kind == "engine" else rss_mb())
        peak_reset = reset_peak_rss()
        started, cpu_started = time.perf_counter(), time.process_time()
        if kind == "reference":
            wanted = payments.get_column("person_id").unique()
            result = reference.compute(
                payments, events.filter(pl.col("person_id").is_in(wanted.implode())), rules
            )
        else:
            result = funding.compute(payments, events, rules)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        peaks.append(peak_rss_mb())
        rows_out = result.height
        share = result.get_column("municipal_share_eur").sum()
        del result
    print(
        json.dumps(
            {
                "rows": payments.height,
                "persons": payments.get_column("person_id").n_unique(),
                "rows_out": rows_out,
                "best_s": min(times),
                "times_s": times,
                "cpu_s": cpu_times,
                "input_mb": input_mb,
                "loaded_peak_mb": loaded_peak_mb,
                "settled_mb": max(settled),
                "peak_mb": max(peaks),
                "peaks_mb": peaks,
                "peak_reset": peak_reset,
                "municipal_share_eur": str(share),
            }
        )
    )


def run_child(kind: str, payments: Path, events: Path, repeats: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(payments), str(events)]
    command += ["--repeats", str(repeats)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument(
        "--reference-fraction",
        type=float,
        default=0.01,
        help="share of the rows (whole persons, in order) the reference computes",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PAYMENTS", "EVENTS"))
    args = parser.parse_args()
    if args.child:
        kind, payments_path, events_path = args.child
        child(kind, payments_path, events_path, args.repeats)
        return

    started = time.perf_counter()
    payments, events = synthetic_payments(args.rows)
    built = time.perf_counter() - started
    persons = payments.get_column("person_id").n_unique()
    print(
        f"built {payments.height:,} payment rows for {persons:,} persons and "
        f"{events.height:,} events in {built:.1f} s"
    )
    print(f"cores visible: {os.cpu_count()}, polars threads: {pl.thread_pool_size()}")
    with tempfile.TemporaryDirectory(prefix="silta-bench-") as folder:
        base = Path(folder)
        events_path = base / "events.parquet"
        events.write_parquet(events_path)
        sorted_path = base / "sorted.parquet"
        payments.write_parquet(sorted_path)
        shuffled_path = base / "shuffled.parquet"
        payments.sample(fraction=1.0, shuffle=True, seed=7).write_parquet(shuffled_path)
        # Whole persons: the sample ends at a person's last row.
        sample = payments.head(max(1, int(args.rows * args.reference_fraction)))
        last = sample.get_column("person_id")[-1]
        sample = sample.filter(pl.col("person_id") != last) if sample.height > 1 else sample
        sample_path = base / "sample.parquet"
        sample.write_parquet(sample_path)
        del payments, sample

        figures = {}
        for label, path in (("sorted", sorted_path), ("shuffled", shuffled_path)):
            figures[label] = run_child("engine", path, events_path, args.repeats)
        ref = run_child("reference", sample_path, events_path, 1)

    ref_rows_per_s = ref["rows"] / ref["best_s"]
    ref_full_s = args.rows / ref_rows_per_s
    print(f"rows: {args.rows:,}; persons: {persons:,}")
    print(
        f"reference (per row, Decimal) on a {ref['rows'] / args.rows:.1%} sample: "
        f"{ref['rows']:,} rows ({ref['persons']:,} persons) in {ref['best_s']:.2f} s = "
        f"{ref_rows_per_s:,.0f} rows/s; extrapolated to {args.rows:,} rows: {ref_full_s:,.0f} s"
    )
    for label, figure in figures.items():
        best = float(figure["best_s"])
        times = ", ".join(f"{t:.2f}" for t in figure["times_s"])
        cpu = ", ".join(f"{t:.2f}" for t in figure["cpu_s"])
        spread = max(figure["times_s"]) - best
        print(
            f"engine, input {label}: best of {args.repeats} = {best:.2f} s "
            f"(runs {times}; spread {spread:.2f} s; CPU {cpu} s); "
            f"{args.rows / best:,.0f} rows/s; {figure['rows_out']:,} result rows; "
            f"speedup over reference {ref_full_s / best:,.0f}x"
        )
        measured = (
            "process peak from the settled state after loading"
            if figure["peak_reset"]
            else "whole process"
        )
        print(
            f"  peak RSS of the compute: {figure['peak_mb']:,.0f} MB, the highest of "
            f"{', '.join(f'{p:,.0f}' for p in figure['peaks_mb'])} ({measured}"
            f"; settled RSS with the input loaded {figure['settled_mb']:,.0f} MB, "
            f"of which input frame {figure['input_mb']:,.0f} MB; "
            f"so the compute added {figure['peak_mb'] - figure['settled_mb']:,.0f} MB; "
            f"peak while loading {figure['loaded_peak_mb']:,.0f} MB); "
            f"municipal share {figure['municipal_share_eur']} EUR"
        )


if __name__ == "__main__":
    main()
