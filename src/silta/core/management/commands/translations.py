"""Keep the Finnish and Swedish catalogues complete.

``--update`` extracts new strings (needs GNU gettext's xgettext) and compiles the
catalogues; ``--check`` does the same extraction when xgettext is available and then
fails on any untranslated or fuzzy entry. Catalogues are compiled with polib, so
running Silta never needs gettext installed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

TRANSLATED = ("fi", "sv")


class Command(BaseCommand):
    help = "Extract, check and compile the fi/sv translation catalogues."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true")
        group.add_argument("--update", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        package_dir = Path(settings.PACKAGE_DIR)
        locale_dir = package_dir / "locale"
        if shutil.which("xgettext"):
            cwd = os.getcwd()
            os.chdir(package_dir)
            try:
                call_command(
                    "makemessages",
                    locale=list(TRANSLATED),
                    no_obsolete=True,
                    no_location=True,
                    verbosity=0,
                )
            finally:
                os.chdir(cwd)
        elif opts["update"]:
            raise CommandError(
                "xgettext is missing: install GNU gettext (e.g. apt-get install gettext)."
            )
        else:
            self.stderr.write(
                "NOTE: xgettext is missing, so new strings were not extracted; only the "
                "existing catalogues are checked (install gettext for the full check)."
            )
        problems: list[str] = []
        for lang in TRANSLATED:
            po_path = locale_dir / lang / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                problems.append(f"{po_path}: missing")
                continue
            po = polib.pofile(str(po_path))
            for entry in po:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{lang}: fuzzy: {entry.msgid!r}")
                elif not entry.translated():
                    problems.append(f"{lang}: untranslated: {entry.msgid!r}")
            po.save_as_mofile(str(po_path.with_suffix(".mo")))
        if problems and opts["check"]:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(
                f"{len(problems)} translation problem(s). Translate them in "
                f"{locale_dir}/<lang>/LC_MESSAGES/django.po and run 'make messages'."
            )
        for p in problems:
            self.stderr.write(p)
        self.stdout.write("Translations compiled." if not problems else "Catalogues updated.")
