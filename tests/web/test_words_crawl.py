"""No code reaches a person, no English reaches a Finnish or Swedish page, and no
identity code travels in a URL (issue 18, items 3 and 5).

Every page reachable from the navigation and, two levels deeper, from the links in each
page's main content is opened as every demo role in Finnish, Swedish and English (the
synthetic region, loaded once; one page per URL shape, language and role for the
navigation, one per URL shape and language below it). Each page's visible text — text
nodes, ``aria-label``, ``title``, ``placeholder``, ``alt`` and button values — fails on

* a code-like token: ``snake_case`` words, ``ENUM_CAPS`` such as ``EARN_BASIC``,
  ``role:xxx`` / ``client_relationship:…`` pairs, or a text that is exactly an enum's
  stored value where its label differs (``sent``, ``none``, ``BASIC``);
* on a Finnish or Swedish page, a text that is exactly an English message of the
  catalogue whose translation differs (an untranslated label), or contains one of three
  words or more; on a Swedish or English page, a text that is exactly a Finnish
  translation (a Finnish label left behind);

and every URL the crawl sees (links and GET forms' actions) fails on an identity code.

It uses Django's test client (no browser: the layout crawl in tests/browser measures
the same pages on screens) and runs in the SQLite pass only, like the layout crawl."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import polib  # type: ignore[import-untyped]
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client as HttpClient

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the words crawl runs in the SQLite pass only",
    ),
]

LANGUAGES = ("fi", "sv", "en")
LOCALE = Path(__file__).resolve().parents[2] / "src" / "silta" / "locale"
DEPTH = 2

_SKIP_PREFIXES = ("/static/", "/api/", "/admin/", "/logout", "/i18n/", "/2fa/", "/login")
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+", re.IGNORECASE)
# A Finnish personal identity code with or without its century sign, plain or URL-encoded.
IDENTITY_CODE = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:[-+A-FU-Y]|%2B)?\d{3}[0-9A-Y](?![0-9A-Za-z])")

SNAKE = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@.-]*\.\w)(?![\w-])")
ENUM_CAPS = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w-])")
PAIR = re.compile(r"(?<![\w/])[a-z][a-z_]+:[a-z_][a-z0-9_;:]*")
PAIR_PREFIXES = {"role", "task", "consent", "law", "ips", "casework", "governance", "groups"}

# Words that look like code but are what people type: the header rows of the files
# Silta reads (clients, attendance, Kela's invoice), documented on the upload pages.
ALLOWED_TOKENS: set[str] = {
    "personal_id",
    "last_name",
    "first_names",
    "home_municipality_code",
    "absence_reason",
    "invoice_month",
    "municipality_code",
    "person_id",
    "paid_eur",
    "returned_eur",
    "corrected_eur",
    "municipal_share_eur",
}
# Each language's own name in the language switch.
OWN_NAMES = {"English", "suomi", "svenska", "Suomi", "Svenska"}


def shape(path: str) -> str:
    return _ID.sub("#", path.split("?", 1)[0])


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Text(HTMLParser):
    """The visible text of a page and the URLs it would GET."""

    SKIP = {"script", "style", "template", "head"}
    ATTRS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.main_links: list[str] = []
        self.links: list[str] = []
        self.get_forms: list[str] = []
        self._skip = 0
        self._main = 0
        self._verbatim: list[str] = []
        # elements with their own ``lang`` (a report in the council's language, the
        # language switch): their text is checked for codes, not for the page language
        self._lang: list[str] = []
        self.foreign: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in self.SKIP:
            self._skip += 1
        if tag == "main":
            self._main += 1
        if a.get("translate") == "no" and tag not in VOID:
            # file headers and other text a person types verbatim: not checked
            self._verbatim.append(tag)
        if a.get("lang") and tag not in VOID and tag != "html":
            self._lang.append(tag)
        if self._verbatim:
            return
        for name in self.ATTRS:
            if a.get(name):
                self.texts.append(a[name])
        if tag == "input" and a.get("type") in {"submit", "button"} and a.get("value"):
            self.texts.append(a["value"])
        if tag == "a" and a.get("href") and "download" not in a:
            self.links.append(a["href"])
            if self._main:
                self.main_links.append(a["href"])
        if tag == "form" and a.get("method", "get").lower() == "get":
            self.get_forms.append(a.get("action", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.SKIP:
            self._skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        if tag == "main":
            self._main = max(0, self._main - 1)
        if self._verbatim and self._verbatim[-1] == tag:
            self._verbatim.pop()
        if self._lang and self._lang[-1] == tag:
            self._lang.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._verbatim and data.strip():
            (self.foreign if self._lang else self.texts).append(" ".join(data.split()))


def enum_values() -> set[str]:
    """Stored values of every choice field whose label differs from the value."""
    out: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("silta."):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            if not choices or not isinstance(field, models.Field):
                continue
            for value, label in field.flatchoices:
                if isinstance(value, str) and len(value) > 2 and value != str(label):
                    out.add(value)
    return out


def english_messages() -> tuple[set[str], list[str]]:
    """English msgids whose Finnish and Swedish translations both differ: whole texts
    (labels) and longer phrases that must never appear inside a fi/sv text."""
    per_lang = []
    for lang in ("fi", "sv"):
        po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
        per_lang.append(
            {
                e.msgid
                for e in po
                if not e.obsolete
                and not e.msgid_plural
                and e.msgstr
                and e.msgstr.strip() != e.msgid.strip()
                and "%" not in e.msgid
                and "{" not in e.msgid
                and re.search(r"[A-Za-z]{3}", e.msgid)
            }
        )
    whole = per_lang[0] & per_lang[1]
    phrases = sorted(
        (m for m in whole if len(m.split()) >= 3 and "\n" not in m), key=len, reverse=True
    )
    return whole, phrases


def finnish_messages() -> set[str]:
    """Finnish translations that differ from the Swedish and the English: a text that is
    exactly one of them on a Swedish or English page is a Finnish word left behind."""
    fi = {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "fi" / "LC_MESSAGES" / "django.po"))}
    sv = {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))}
    swedish = set(sv.values())
    return {
        text
        for msgid, text in fi.items()
        if text
        and "%" not in text
        and re.search(r"[a-zåäö]{4}", text)
        and text != msgid
        and text != sv.get(msgid)
        and text not in swedish
        and text not in fi
    }


def problems_in(
    texts: list[str],
    lang: str,
    values: set[str],
    whole: set[str],
    phrases: list[str],
    names: frozenset[str] = frozenset(),
    finnish: frozenset[str] = frozenset(),
) -> list[str]:
    """``names``: usernames, which may look like a stored value (the demo's "manager")."""
    found: list[str] = []
    for text in texts:
        for rx in (SNAKE, ENUM_CAPS, PAIR):
            for m in rx.finditer(text):
                token = m.group(0)
                if rx is PAIR and "_" not in token and token.split(":")[0] not in PAIR_PREFIXES:
                    continue
                if token not in ALLOWED_TOKENS:
                    found.append(f"code {m.group(0)!r} in {text[:80]!r}")
        if lang != "en" and text in values and text not in names:
            found.append(f"stored value {text!r}")
        if lang != "fi" and text in finnish and text not in OWN_NAMES:
            found.append(f"Finnish {text!r}")
        if lang != "en" and text not in OWN_NAMES:
            if (text in whole or text.rstrip(":") in whole) and text not in names:
                found.append(f"English {text!r}")
            else:
                for phrase in phrases:
                    if phrase in text:
                        found.append(f"English {phrase!r} in {text[:80]!r}")
                        break
    return found


def local(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc and parts.netloc != "testserver":
        return None
    if not parts.path.startswith("/") or parts.path.startswith(_SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def demo_logins() -> dict[str, User]:
    out: dict[str, User] = {}
    for role in Role:
        members = Membership.objects.filter(role=role, user__is_active=True).select_related("user")
        m = min(members, key=lambda m: ("." in m.user.username, m.user.username), default=None)
        if m is not None:
            out[role.value] = m.user
    return out


def crawl(http: HttpClient, start: list[str], seen: set[str]) -> Iterator[tuple[str, _Text]]:
    """Pages from ``start`` down to ``DEPTH`` levels, skipping URL shapes in ``seen``."""
    frontier = [(p, 0) for p in start]
    while frontier:
        path, depth = frontier.pop(0)
        response = http.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parsed = _Text()
        parsed.feed(response.content.decode())
        yield path, parsed
        if depth >= DEPTH:
            continue
        for href in parsed.main_links:
            deep = local(href)
            if deep is None or shape(deep) in seen:
                continue
            seen.add(shape(deep))
            frontier.append((deep, depth + 1))


def test_no_code_no_english_and_no_identity_code_in_a_url() -> None:
    call_command("synth", scale=0.1, verbosity=0)
    users = demo_logins()
    assert Role.CASE_WORKER.value in users and Role.MANAGER.value in users
    values = enum_values()
    whole, phrases = english_messages()
    names = frozenset(User.objects.values_list("username", flat=True))
    finnish = frozenset(finnish_messages())
    failures: dict[str, list[str]] = {}
    urls_with_code: set[str] = set()
    pages = 0
    for lang in LANGUAGES:
        deep_seen: set[str] = set()
        for role, user in users.items():
            User.objects.filter(pk=user.pk).update(language=lang)
            http = HttpClient()
            http.force_login(user)
            home = http.get("/")
            assert home.status_code == 200, (role, home.status_code)
            parsed = _Text()
            parsed.feed(home.content.decode())
            nav = [p for p in (local(h) for h in parsed.links) if p and "?" not in p]
            nav = list(dict.fromkeys(["/", *nav]))
            seen = deep_seen | {shape(p) for p in nav}
            for path, page in crawl(http, nav, seen):
                pages += 1
                for url in [*page.links, *page.get_forms]:
                    if IDENTITY_CODE.search(url):
                        urls_with_code.add(f"{path} -> {url}")
                found = problems_in(page.texts, lang, values, whole, phrases, names, finnish)
                found += problems_in(page.foreign, "en", set(), set(), [], names)
                if found:
                    failures.setdefault(f"{lang} {shape(path)}", []).extend(
                        f"{role} {path}: {f}" for f in found
                    )
            deep_seen |= seen
    print(f"words crawl: {pages} pages, {len(failures)} URL shapes failing")
    report = "\n".join(
        f"{where}:\n    " + "\n    ".join(sorted(set(p))[:12])
        for where, p in sorted(failures.items())
    )
    if os.environ.get("SILTA_WORDS_REPORT"):
        Path(os.environ["SILTA_WORDS_REPORT"]).write_text(report, encoding="utf-8")
    assert not urls_with_code, "identity codes in URLs:\n" + "\n".join(sorted(urls_with_code))
    assert not failures, f"{len(failures)} pages show code or English:\n{report}"


@pytest.mark.parametrize(
    ("text", "lang", "bad"),
    [
        ("Käsittelyperuste: client_relationship:jobseeker;own_organisation", "fi", True),
        ("task:work_ability_network", "fi", True),
        ("EARN_BASIC", "en", True),
        ("degree_education, open_market_job", "sv", True),
        ("Asiakkaat", "fi", False),
        ("Avoimilla työmarkkinoilla 6 kk:n kuluessa", "fi", False),
        ("role:case_worker", "en", True),
        ("Ohjaus ja neuvonta (asiakas@example.fi)", "fi", False),
    ],
)
def test_the_detector_finds_codes(text: str, lang: str, bad: bool) -> None:
    assert bool(problems_in([text], lang, set(), set(), [])) is bad


def test_the_detector_finds_finnish_on_a_swedish_page() -> None:
    finnish = frozenset(finnish_messages())
    assert "Käsittelyperuste" in finnish
    assert problems_in(["Käsittelyperuste"], "sv", set(), set(), [], frozenset(), finnish)
    assert not problems_in(["Käsittelyperuste"], "fi", set(), set(), [], frozenset(), finnish)


def test_the_detector_finds_an_identity_code_in_a_url() -> None:
    assert IDENTITY_CODE.search("/clients/?q=010190-900A")
    assert IDENTITY_CODE.search("/audit/clients/?hetu=010190900A")
    assert not IDENTITY_CODE.search("/clients/3f2e1a0b-0000-4000-8000-000000000000/")
