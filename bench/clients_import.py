"""Time the clients import of DESIGN.md: 100 000 rows, all or nothing.

    .venv/bin/python bench/clients_import.py [--rows 100000]

Uses a fresh SQLite database in a temporary folder (or DATABASE_URL if set: then it
imports into that database, which must be migrated and empty of these codes).
Prints the validation+import time and the time to reject the same file with one bad
row at its end (nothing imported).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SILTA = str(Path(sys.executable).with_name("silta"))


def make_file(path: Path, rows: int, bad_last: bool = False) -> None:
    import datetime as dt
    import random

    from silta.synth.region import make_personal_id

    rng = random.Random(5)
    codes = ["272", "217", "236", "924", "849", "584", "074", "421"]
    with path.open("w", encoding="utf-8") as f:
        f.write("personal_id,last_name,first_names,home_municipality_code,language,phone,email\n")
        seen: set[str] = set()
        n = 0
        while n < rows:
            born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 16000))
            signs = "AB" if born.year >= 2000 else "-Y"
            code = make_personal_id(born, rng.randrange(900, 1000), rng.choice(signs))
            if code in seen:
                continue
            seen.add(code)
            n += 1
            f.write(
                f"{code},Testinen{n},Aino,{rng.choice(codes)},fi,+358 40 {n:07d},a{n}@example.fi\n"
            )
        if bad_last:
            f.write("131052-308U,Bad,Row,272,fi,,\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SILTA_VAR_DIR": tmp, "SILTA_MODE": "development"}
        subprocess.run([SILTA, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([SILTA, "places", "load"], env=env, check=True, stdout=subprocess.DEVNULL)
        good, bad = Path(tmp) / "good.csv", Path(tmp) / "bad.csv"
        make_file(good, args.rows)
        make_file(bad, args.rows, bad_last=True)
        t = time.perf_counter()
        rejected = subprocess.run(
            [SILTA, "clients", "import", str(bad)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        t_bad = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run(
            [SILTA, "clients", "import", str(good)], env=env, check=True, capture_output=True
        )
        t_good = time.perf_counter() - t
    print(f"rows                      {args.rows}")
    print(f"reject (1 bad row at end) {t_bad:6.1f} s  exit {rejected.returncode}, nothing imported")
    print(f"import (all rows)         {t_good:6.1f} s  (target <= 60 s)")


if __name__ == "__main__":
    main()
