"""Take the README's screenshots from a fresh demo (issue 18, item 7).

Makes a demo database in a temporary folder (migrate, `silta synth` as of today or
``--as-of``), starts the server, signs in as demo users in Chromium (Playwright,
/usr/bin/chromium) in Finnish, and saves a few pages at 1366 × 900 (desktop) and
390 × 844 (phone) as PNG into docs/screenshots/, reduced to 256 colours so that they
stay small. Nothing here touches var/ or the demo database of `make demo`.

    .venv/bin/python tools/screenshots.py [--as-of YYYY-MM-DD] [--scale 1] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SILTA = str(Path(sys.executable).with_name("silta"))
CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "silta-demo"  # noqa: S105 - silta.synth.loader.DEMO_PASSWORD, demo only


@dataclass(frozen=True)
class Shot:
    name: str
    username: str
    path: str
    viewport: dict[str, int]
    follow: str = ""
    """Then open the first link in the page's main content whose path matches this
    regular expression."""
    scroll_to: str = ""
    """Scroll the first element this CSS selector finds into view first."""


def first_link(page: Any, base: str, pattern: str) -> str:
    """The path of the first link in the page's main content matching ``pattern`` (its
    first group when it has one)."""
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.href)")
    for href in hrefs:
        found = re.fullmatch(pattern, str(href).removeprefix(base))
        if found:
            return found.group(1) if found.groups() else found.group(0)
    raise SystemExit(f"no link like {pattern} on {page.url}")


CLIENT_PAGE = r"(/clients/[0-9a-f-]{36}/)casework/"
"""The client page of the first client on the case worker's caseload."""

SHOTS = (
    Shot("caseload-desktop", "caseworker", "/caseload/", DESKTOP, scroll_to="#waiting-heading"),
    Shot("client-desktop", "caseworker", "/caseload/", DESKTOP, follow=CLIENT_PAGE),
    Shot("referrals-nurse-desktop", "nurse", "/referrals/", DESKTOP),
    Shot("rehab-provider-desktop", "provider", "/rehab/", DESKTOP),
    Shot("funding-manager-desktop", "manager", "/funding/", DESKTOP, scroll_to="main svg"),
    Shot("home-phone", "caseworker", "/", PHONE),
    Shot("client-phone", "caseworker", "/caseload/", PHONE, follow=CLIENT_PAGE),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http only
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server did not answer at {url}")
        time.sleep(0.2)


def small_png(raw: bytes) -> bytes:
    """The screenshot in 256 colours (about a third of the bytes, text stays sharp)."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    reduced = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def log_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def take(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(locale="fi-FI", viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(30000)
        signed_in = ""
        for shot in SHOTS:
            page.set_viewport_size(shot.viewport)
            if shot.username != signed_in:
                log_in(page, base, shot.username)
                signed_in = shot.username
            page.goto(base + shot.path)
            if shot.follow:
                page.goto(base + first_link(page, base, shot.follow))
            page.wait_for_load_state("networkidle")
            if shot.scroll_to:
                page.locator(shot.scroll_to).first.evaluate(
                    "e => { e.scrollIntoView(); window.scrollBy(0, -90); }"
                )
            target = out / f"{shot.name}.png"
            target.write_bytes(small_png(page.screenshot()))
            written.append(target)
            print(f"  {target}  ({target.stat().st_size // 1024} KB)", flush=True)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", help="the demo's day (YYYY-MM-DD; default today)")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--var", type=Path, help="keep the demo database in this folder and reuse it next time"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: sudo apt-get install -y chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="silta-screenshots-") as temporary:
        var = str(args.var or temporary)
        env = {**os.environ, "SILTA_VAR_DIR": var, "SILTA_MODE": "development"}
        env.pop("DATABASE_URL", None)
        started = time.monotonic()
        subprocess.run([SILTA, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
        synth = [SILTA, "synth", "--if-empty", "--scale", args.scale]
        if args.as_of:
            synth += ["--as-of", args.as_of]
        subprocess.run(synth, env=env, check=True)  # noqa: S603
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [SILTA, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/login/")
            print(f"demo ready in {time.monotonic() - started:.0f} s; taking the screenshots")
            take(base, args.out)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
