"""Load test (issue #7): N simulated staff users against a Silta server on loopback.

    # once: a PostgreSQL database with the scaled region (≈100 000 clients at scale 6)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silta_load \\
        .venv/bin/python bench/load.py --prepare --scale 6
    # then: 20 users for 5 minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silta_load \\
        .venv/bin/python bench/load.py --users 20 --seconds 300

It starts gunicorn on a free loopback port, logs every user in as one of the demo
case workers, and runs a mix of reads and writes for a fixed time: client page 45 %,
client search 20 %, caseload 15 %, case-work page 10 %, writing a note 10 %. Each user
thinks between requests as a person at a screen does (``--think`` seconds on average,
exponentially distributed; ``--think 0`` fires requests back to back, a stress test
rather than a user simulation). It prints
p50/p95/p99 latency per page type and the error count. Targets (DESIGN.md): client page
p95 <= 150 ms, caseload p95 <= 200 ms, 0 errors. Not a test: it only prints figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

BIN = Path(sys.executable).parent
PASSWORD = "silta-demo"
MIX = [("client", 45), ("search", 20), ("caseload", 15), ("casework", 10), ("note", 10)]
SURNAMES = ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Heikkilä", "Koskinen", "Järvinen"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Session:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{self.conn.port}{path}"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection while the user was
            # thinking; a browser opens a new one and sends the request again.
            self.conn.close()
            self.conn.connect()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, username: str) -> None:
        self.request("GET", "/login/")
        status, _ = self.request(
            "POST",
            "/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )
        if status != 302:
            raise SystemExit(f"login failed for {username}: HTTP {status}")


def visible_clients(port: int, username: str) -> list[str]:
    s = Session(port)
    s.login(username)
    ids: list[str] = []
    for name in SURNAMES:
        status, text = s.request("GET", "/api/v1/clients?" + urllib.parse.urlencode({"q": name}))
        if status == 200:
            ids += [item["id"] for item in json.loads(text)["items"]]
    if not ids:
        raise SystemExit(f"{username} sees no clients; load the region with --prepare")
    return ids


def user_loop(
    port: int,
    username: str,
    clients: list[str],
    until: float,
    seed: int,
    results: dict[str, list[float]],
    errors: dict[str, int],
    lock: threading.Lock,
    think: float,
) -> None:
    rng = random.Random(seed)
    s = Session(port)
    s.login(username)
    kinds, weights = zip(*MIX, strict=True)
    while time.perf_counter() < until:
        kind = rng.choices(kinds, weights)[0]
        client = rng.choice(clients)
        if kind == "client":
            method, path, body = "GET", f"/clients/{client}/", None
        elif kind == "search":
            method, path, body = (
                "GET",
                "/clients/?" + urllib.parse.urlencode({"q": rng.choice(SURNAMES).lower()[:5]}),
                None,
            )
        elif kind == "caseload":
            method, path, body = "GET", "/caseload/", None
        elif kind == "casework":
            method, path, body = "GET", f"/clients/{client}/casework/", None
        else:
            method, path = "POST", f"/clients/{client}/notes/new/"
            body = {
                "visibility": "own_organisation",
                "text": f"Load test note {rng.random():.6f}",
                "csrfmiddlewaretoken": s.cookies.get("csrftoken", ""),
            }
        started = time.perf_counter()
        try:
            status, _ = s.request(method, path, body)
        except (OSError, http.client.HTTPException):
            status = 0
            s = Session(port)
            s.login(username)
        elapsed = (time.perf_counter() - started) * 1000
        ok = status in (200, 302)
        with lock:
            results[kind].append(elapsed)
            if not ok:
                errors[kind] += 1
                errors[f"status {status}"] += 1
        if think > 0:
            time.sleep(min(rng.expovariate(1.0 / think), 5 * think))


def prepare(scale: float) -> None:
    env = dict(os.environ)
    subprocess.run([str(BIN / "silta"), "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [str(BIN / "silta"), "synth", "--scale", str(scale), "--as-of", "2026-10-31", "--if-empty"],
        env=env,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean seconds a user waits between requests"
    )
    parser.add_argument("--prepare", action="store_true", help="migrate and load the scaled region")
    parser.add_argument("--scale", type=float, default=6.0)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    if args.prepare:
        prepare(args.scale)
        return
    port = free_port()
    env = {**os.environ, "SILTA_DEBUG": "0", "SILTA_MODE": "development"}
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "silta.config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        usernames = ["caseworker"]
        clients = visible_clients(port, usernames[0])
        results: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        until = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(
                target=user_loop,
                args=(
                    port,
                    usernames[i % len(usernames)],
                    clients,
                    until,
                    i,
                    results,
                    errors,
                    lock,
                    args.think,
                ),
            )
            for i in range(args.users)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in results.values())
    print(
        f"{args.users} users (think {args.think:g} s), {args.seconds} s, {total} requests "
        f"({total / args.seconds:.0f}/s), "
        f"{sum(v for k, v in errors.items() if not k.startswith('status'))} errors"
    )
    print(f"{'page':<10} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    statuses = {k: v for k, v in errors.items() if k.startswith("status")}
    if statuses:
        print("errors by answer:", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    for kind, _w in MIX:
        values = sorted(results.get(kind, []))
        if not values:
            continue
        q = statistics.quantiles(values, n=100, method="inclusive")
        print(
            f"{kind:<10} {len(values):>7} {q[49]:>8.0f} {q[94]:>8.0f} {q[98]:>8.0f} "
            f"{errors.get(kind, 0):>7}"
        )


if __name__ == "__main__":
    main()
