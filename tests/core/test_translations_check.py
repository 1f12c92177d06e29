"""``silta translations --check`` (part of ``make test``) fails on an empty or a fuzzy
Finnish or Swedish msgstr, and passes on the shipped catalogues."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

LOCALE = Path(__file__).resolve().parents[2] / "src" / "silta" / "locale"


def _package_with(tmp_path: Path, lang: str, change: str) -> Path:
    package = tmp_path / "silta"
    shutil.copytree(LOCALE, package / "locale")
    po_path = package / "locale" / lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid == "Access basis")
    if change == "empty":
        entry.msgstr = ""
    else:
        entry.flags.append("fuzzy")
    po.save()
    return package


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("change", ["empty", "fuzzy"])
def test_the_check_fails_on_an_empty_or_fuzzy_translation(
    tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch, capsys, lang: str, change: str
) -> None:
    settings.PACKAGE_DIR = str(_package_with(tmp_path, lang, change))
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no extraction in a copy
    with pytest.raises(CommandError, match="translation problem"):
        call_command("translations", check=True)
    word = "fuzzy" if change == "fuzzy" else "untranslated"
    assert f"{lang}: {word}: 'Access basis'" in capsys.readouterr().err


def test_the_shipped_catalogues_pass(
    tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "silta"
    shutil.copytree(LOCALE, package / "locale")
    settings.PACKAGE_DIR = str(package)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    call_command("translations", check=True)
