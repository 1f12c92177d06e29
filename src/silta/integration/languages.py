"""Client languages: ISO 639 codes with their names in Finnish, Swedish and English
from the Unicode CLDR data that Babel ships (a maintained list, not a hand-typed one;
issue 17). A code is a two-letter ISO 639-1 code or, for a language without one, the
three-letter ISO 639-2/3 code CLDR names."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from django.utils.translation import get_language

_CODE = re.compile(r"^[a-z]{2,3}$")
NAME_LANGUAGES = ("fi", "sv", "en")


@cache
def _names(lang: str) -> dict[str, str]:
    return {
        code: name
        for code, name in Locale(lang).languages.items()
        if _CODE.match(code) and code not in {"und", "zxx", "mul", "mis"}
    }


def is_language(code: str) -> bool:
    """Whether ``code`` is an ISO 639 code CLDR names in all three UI languages."""
    return bool(code) and all(code in _names(lang) for lang in NAME_LANGUAGES)


def language_name(code: str, lang: str | None = None) -> str:
    lang = (lang or get_language() or "fi")[:2]
    names = _names(lang if lang in NAME_LANGUAGES else "fi")
    return names.get(code, code)


def language_choices(lang: str | None = None) -> list[tuple[str, str]]:
    """(code, name) in the UI language, sorted by name; every code that ``is_language``."""
    lang = (lang or get_language() or "fi")[:2]
    codes = [c for c in _names("en") if is_language(c)]
    return sorted(((c, language_name(c, lang)) for c in codes), key=lambda p: p[1].casefold())
