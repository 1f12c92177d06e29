"""Time `make demo` after installation: `silta demo` (migrate an empty SQLite database,
generate and load the synthetic region, sign an audit checkpoint, print the demo
logins), then start the server and wait for the login page.

    .venv/bin/python bench/demo.py [--as-of YYYY-MM-DD]

The region is generated as of today, as `make demo` does, or as of ``--as-of``.
Prints the seconds of each step; the target (issue #2) is under 60 s in all.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SILTA = str(Path(sys.executable).with_name("silta"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", help="the demo's day (default today)")
    args = parser.parse_args()
    demo = [SILTA, "demo", "-v", "2"] + (["--as-of", args.as_of] if args.as_of else [])
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "SILTA_VAR_DIR": var, "SILTA_MODE": "development"}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        out = subprocess.run(demo, env=env, check=True, capture_output=True, text=True).stdout
        loaded = time.perf_counter()
        # the command's own step times ("  migrate: 12.3 s")
        steps = [s.strip() for s in out.splitlines() if s.strip().endswith(" s") and ": " in s]
        port = free_port()
        server = subprocess.Popen(
            [SILTA, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.perf_counter() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if time.perf_counter() > deadline:
                        raise SystemExit("the server did not answer within 60 s") from None
                    time.sleep(0.1)
            served = time.perf_counter()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"silta demo           {loaded - started:6.1f} s  ({'; '.join(steps)})")
    print(f"server to login page {served - loaded:6.1f} s")
    print(f"total                {served - started:6.1f} s  (target < 60 s)")
    print(f"as of {args.as_of or 'today'}; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
