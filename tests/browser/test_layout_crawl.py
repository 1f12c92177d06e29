"""Every page reachable from the navigation, as every demo role, in Finnish and Swedish,
on a phone (390 × 844) and a laptop (1366 × 900): the page is never wider than the
screen and axe-core (WCAG 2.1 AA rules) finds no violation of any impact.

One synthetic region is loaded once and shared by the whole crawl. The crawl follows
the main navigation and, one level deeper, the links in each page's main content
(GET only; one page per URL shape, e.g. one client page, not every client). Overflow is
measured for every role on every navigation page; axe runs once per URL shape and
language on the phone, and on the laptop on each role's front page (the laptop differs
in the header only). It runs in the SQLite pass only: the PostgreSQL pass tests the
same templates.

``KNOWN_FAILURES`` lists the pages that still fail, each with its reason; a listed
page that passes fails the test too, so the list cannot go stale."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.synth.loader import DEMO_PASSWORD
from silta.synth.region import PINNED_AS_OF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the layout crawl runs in the SQLite pass only",
    ),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
LANGUAGES = ("fi", "sv")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# URL shape (numbers and UUIDs replaced by "#") -> why the page still fails.
KNOWN_FAILURES: dict[str, str] = {}

# Pages the crawl must keep opening (ADR 0032): those moved onto the shared page
# pattern last, so a change of links that drops one from the crawl fails here.
MUST_REACH = {
    "/statistics/",
    "/statistics/dashboard/",
    "/statistics/council/#/",
    "/clients/new/",
    "/groups/new/",
}

_SKIP_PREFIXES = ("/static/", "/api/", "/admin/", "/logout", "/i18n/")
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+", re.IGNORECASE)


def shape(path: str) -> str:
    """``/clients/3f2e…/plans/7/`` -> ``/clients/#/plans/#/``"""
    return _ID.sub("#", path)


def demo_logins() -> dict[str, User]:
    """One user per role, chosen as ``silta demo_logins`` chooses."""
    out: dict[str, User] = {}
    for role in Role:
        members = Membership.objects.filter(role=role, user__is_active=True).select_related("user")
        m = min(members, key=lambda m: ("." in m.user.username, m.user.username), default=None)
        if m is not None:
            out[role.value] = m.user
    return out


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def links(page: Any, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        selector,
        "els => els.filter(a => !a.hasAttribute('download')).map(a => a.href)",
    )
    return [h for h in hrefs if isinstance(h, str)]


def local_path(base: str, href: str) -> str | None:
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(_SKIP_PREFIXES):
        return None
    return path


def check(page: Any, base: str, path: str, *, axe: bool, axe_on_laptop: bool) -> list[str] | None:
    """Open ``path`` on a phone, then widen to a laptop; the problems found, or None when
    the link is no page (a download)."""
    from axe_playwright_python.sync_playwright import Axe

    problems: list[str] = []
    page.set_viewport_size(PHONE)
    try:
        response = page.goto(base + path)
    except Exception as exc:  # a download (CSV, XLSX, PDF) is no page
        if "Download is starting" in str(exc):
            return None
        raise
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return None
    if response.status >= 400:
        return [f"HTTP {response.status}"]
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        # let the page's resize handlers run (silta.js) before measuring
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            problems.append(f"{width} px wide at {size['width']} px")
        if not (axe_on_laptop if size is LAPTOP else axe):
            continue
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        for v in results.response["violations"]:
            targets = [n["target"] for n in v["nodes"]][:2]
            problems.append(f"axe {v['id']} ({v['impact']}) at {size['width']} px: {targets}")
    print(f"  {path}: {'; '.join(problems) or 'ok'}", flush=True)
    return problems


def test_every_page_fits_a_phone_and_passes_axe(live_server: Any, browser: Any) -> None:
    call_command("synth", scale=0.1, as_of=PINNED_AS_OF, verbosity=0)
    base = live_server.url
    users = demo_logins()
    assert Role.CASE_WORKER.value in users and Role.MANAGER.value in users
    failures: dict[str, list[str]] = {}
    axe_seen: set[tuple[str, str]] = set()  # (language, URL shape) axe has checked
    pages_checked = 0
    for role, user in users.items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(20000)
        log_in(page, base, user.username)
        for lang in LANGUAGES:
            User.objects.filter(pk=user.pk).update(language=lang)
            page.goto(base + "/")
            nav = [p for p in (local_path(base, h) for h in links(page, "header nav a[href]")) if p]
            for top in dict.fromkeys(["/", *nav]):
                # Overflow is measured for every role on every page. axe runs once per
                # page and language (the same template for every role), and on the
                # laptop on each role's front page (where the header differs).
                problems = check(
                    page,
                    base,
                    top,
                    axe=(lang, shape(top)) not in axe_seen or top == "/",
                    axe_on_laptop=top == "/",
                )
                axe_seen.add((lang, shape(top)))
                pages_checked += 1
                if problems:
                    failures[f"{lang} {role} {top}"] = problems
                if problems is None:
                    continue
                for href in links(page, "main a[href]"):
                    deep = local_path(base, href)
                    if deep is None or deep in nav or (lang, shape(deep)) in axe_seen:
                        continue
                    axe_seen.add((lang, shape(deep)))
                    problems = check(page, base, deep, axe=True, axe_on_laptop=False)
                    if problems is None:
                        continue
                    pages_checked += 1
                    if problems:
                        failures[f"{lang} {role} {deep}"] = problems
        context.close()
    print(f"layout crawl: {pages_checked} pages checked, {len(failures)} failing")
    not_reached = MUST_REACH - {s for _lang, s in axe_seen}
    assert not not_reached, f"the crawl no longer opens {sorted(not_reached)}"
    unexpected = {
        where: problems
        for where, problems in failures.items()
        if shape(where.split(" ", 2)[2]) not in KNOWN_FAILURES
    }
    failing_shapes = {shape(where.split(" ", 2)[2]) for where in failures}
    fixed = sorted(set(KNOWN_FAILURES) - failing_shapes)
    report = "\n".join(f"{where}: {'; '.join(p)}" for where, p in sorted(unexpected.items()))
    assert not unexpected, f"{len(unexpected)} pages fail:\n{report}"
    assert not fixed, f"these pages pass now; remove them from KNOWN_FAILURES: {fixed}"
