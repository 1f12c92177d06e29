"""Benchmark and calibration report of the synthetic region generator.

    PYTHONPATH=src .venv/bin/python bench/synth.py [--seed N] [--scale X] [--csv FILE]

Prints generation time, sizes, the calibration figures (open spells on 2026-01-15,
long-term shares, spell lengths of 2023, rehabilitative work activity participants)
and an APPROXIMATE municipal share of labour market subsidy paid January-October 2023
under the pre-2025 rules. The approximation below is only a tuning aid for the
generator; the funding engine (silta.engine) is the reference.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from silta.synth.region import (
    CALIBRATION_DAY,
    TARGET_OPEN_SPELLS,
    Region,
    SynthPayment,
    generate_region,
    open_spell_count,
    write_payments_csv,
)

TARGET_SHARE_EUR = 3_400_000


def approximate_old_regime_share(
    payments: list[SynthPayment],
    events_condition: dict[str, list[date]],
    paid_from: date,
    paid_to: date,
) -> tuple[float, dict[str, float]]:
    """APPROXIMATE municipal share of LMS under the rules until 31.12.2024.

    Counter: LMS days on basis "unemployment" over the whole history. Per payment
    period: 0 % while the counter before the period is < 300, 50 % while < 1000,
    70 % after. Reset: after an ``employment_condition_met`` event, at the first LMS
    period that follows an EARN_BASIC/BASIC period. Only benefit days until 2024 are
    billed; rows are summed by payment date in [paid_from, paid_to]. Returns the total
    and the total per municipality, in euros.
    """
    by_person: dict[str, list[SynthPayment]] = defaultdict(list)
    for p in payments:
        by_person[p.person_id].append(p)
    total = 0.0
    per_municipality: dict[str, float] = defaultdict(float)
    for person_id, rows in by_person.items():
        rows.sort(key=lambda r: (r.period_start, r.period_end, r.payment_date))
        resets = sorted(events_condition.get(person_id, []))
        counter = 0
        pending_reset = False
        seen_earnings = False
        current_period: tuple[date, date] | None = None
        rate = 0.0
        for row in rows:
            period = (row.period_start, row.period_end)
            if period != current_period:
                current_period = period
                while resets and resets[0] <= row.period_start:
                    resets.pop(0)
                    pending_reset, seen_earnings = True, False
                rate = 0.0 if counter < 300 else 0.5 if counter < 1000 else 0.7
            if row.benefit != "LMS":
                if pending_reset:
                    seen_earnings = True
                continue
            if pending_reset and seen_earnings:
                counter, rate, pending_reset = 0, 0.0, False
            if row.basis != "unemployment" or row.period_start.year > 2024:
                continue
            counter += row.paid_days
            if paid_from <= row.payment_date <= paid_to:
                share = rate * row.amount_cents / 100
                total += share
                per_municipality[row.municipality_code] += share
    return total, dict(per_municipality)


def months_between(a: date, b: date) -> float:
    return (b - a).days / 30.44


def report(region: Region, elapsed: float) -> None:
    clients = region.clients
    print(f"seed {region.seed}  scale {region.scale}  generated_on {region.generated_on}")
    print(f"generation: {elapsed:.2f} s")
    print(
        f"organisations {len(region.organisations)}  staff {len(region.staff)}  "
        f"clients {len(clients)}  spells {len(region.spells)}  "
        f"service periods {len(region.service_periods)}  "
        f"payments {len(region.payments)}  events {len(region.events)}"
    )
    open_count = open_spell_count(region.spells, CALIBRATION_DAY)
    target = TARGET_OPEN_SPELLS * region.scale
    print(
        f"open spells on {CALIBRATION_DAY}: {open_count}  "
        f"(target {target:.0f}, {100 * (open_count / target - 1):+.1f} %)"
    )

    birth = {c.key: c.birth_date for c in clients}
    open_spells = [
        s
        for s in region.spells
        if s.start <= CALIBRATION_DAY and (s.end is None or s.end >= CALIBRATION_DAY)
    ]
    over12 = sum(1 for s in open_spells if months_between(s.start, CALIBRATION_DAY) > 12)
    over24 = sum(1 for s in open_spells if months_between(s.start, CALIBRATION_DAY) > 24)
    n = max(1, len(open_spells))
    print(
        f"  of them unemployed > 12 months {100 * over12 / n:.0f} % (target ~40), "
        f"> 24 months {100 * over24 / n:.0f} % (target ~20)"
    )
    bands = ((17, 19), (20, 24), (25, 29), (30, 39), (40, 49), (50, 59), (60, 64))
    cells = []
    for lo, hi in bands:
        members = [
            s
            for s in open_spells
            if lo <= (CALIBRATION_DAY - birth[s.client_key]).days // 365.25 <= hi
        ]
        long = sum(1 for s in members if months_between(s.start, CALIBRATION_DAY) > 12)
        share = 100 * long / len(members) if members else 0
        cells.append(f"{lo}-{hi}: n={len(members)} lt={share:.0f}%")
    print("  by age: " + ", ".join(cells) + "  (lt target ~8 % at 20-24, ~50 % at 60-64)")

    started_2023 = [s for s in region.spells if s.start.year == 2023]
    buckets = Counter()
    for s in started_2023:
        stop = s.end or region.generated_on
        months = months_between(s.start, stop)
        bucket = (
            "<3" if months < 3 else "3-6" if months < 6 else "6-12" if months < 12
            else "12-36" if months < 36 else ">36"
        )  # fmt: skip
        buckets[bucket] += 1
    total_2023 = max(1, len(started_2023))
    print(
        "spells started 2023 by length: "
        + ", ".join(
            f"{b} {100 * buckets[b] / total_2023:.0f} %"
            for b in ("<3", "3-6", "6-12", "12-36", ">36")
        )
        + "  (target 33/22/14/20/10)"
    )
    rehab_2023 = {
        p.client_key
        for p in region.service_periods
        if p.kind == "rehabilitative_work_activity"
        and p.start <= date(2023, 12, 31)
        and p.end >= date(2023, 1, 1)
    }
    print(f"rehabilitative work activity participants 2023: {len(rehab_2023)} (DOMAIN 345)")
    for year in (2019, 2021, 2023, 2025):
        print(
            f"  open spells on {year}-01-15: {open_spell_count(region.spells, date(year, 1, 15))}"
        )
    languages = Counter(c.language for c in clients)
    print("client languages: " + ", ".join(f"{k} {v}" for k, v in sorted(languages.items())))
    movers = sum(1 for c in clients if len(c.municipality_history) > 1)
    print(f"clients who moved between municipalities: {100 * movers / max(1, len(clients)):.1f} %")
    events = Counter(e.event for e in region.events)
    print("events: " + ", ".join(f"{k} {v}" for k, v in sorted(events.items())))
    benefits = Counter((p.benefit, p.basis) for p in region.payments)
    print("payment rows: " + ", ".join(f"{b}/{s} {n}" for (b, s), n in sorted(benefits.items())))

    t0 = time.perf_counter()
    conditions: dict[str, list[date]] = defaultdict(list)
    for e in region.events:
        if e.event == "employment_condition_met":
            conditions[e.person_id].append(e.date)
    share, per_municipality = approximate_old_regime_share(
        region.payments, conditions, date(2023, 1, 1), date(2023, 10, 31)
    )
    target_share = TARGET_SHARE_EUR * region.scale
    print(
        f"APPROXIMATE municipal share of LMS paid 1-10/2023 (pre-2025 rules): "
        f"{share / 1e6:.3f} M EUR (target {target_share / 1e6:.2f}, "
        f"{100 * (share / target_share - 1):+.1f} %)  [{time.perf_counter() - t0:.1f} s]"
    )
    print(
        "  by municipality: "
        + ", ".join(f"{k} {v / 1e3:.0f} k" for k, v in sorted(per_municipality.items()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--csv", type=Path, help="also write the payments CSV here")
    args = parser.parse_args()

    t0 = time.perf_counter()
    region = generate_region(seed=args.seed, scale=args.scale)
    elapsed = time.perf_counter() - t0
    report(region, elapsed)

    t0 = time.perf_counter()
    if args.csv:
        rows = write_payments_csv(region.payments, args.csv)
    else:
        rows = write_payments_csv(region.payments, io.StringIO())
    print(f"payments CSV: {rows} rows in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
