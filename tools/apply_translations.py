"""Fill fi/sv catalogue entries from the TSV files in tools/translations/ (one per
area of the code, so that parallel work does not collide): msgid<TAB>fi<TAB>sv, plural
forms as 'singular|plural' in each column. Run after `make messages`:

    .venv/bin/python tools/apply_translations.py

It prints every string that still has no translation and exits 1 if there is one.
"""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]

LOCALE = Path(__file__).resolve().parent.parent / "src" / "silta" / "locale"


TSV_DIR = Path(__file__).resolve().parent / "translations"


def main() -> int:
    rows: dict[str, tuple[str, str]] = {}
    for tsv in sorted(TSV_DIR.glob("*.tsv")):
        for n, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                print(f"{tsv.name}:{n}: expected msgid<TAB>fi<TAB>sv")
                return 2
            rows[parts[0]] = (parts[1], parts[2])
    missing = 0
    for i, lang in enumerate(("fi", "sv")):
        path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid not in rows:
                if not entry.translated():
                    missing += 1
                    print(f"{lang}: no translation given for {entry.msgid!r}")
                continue
            text = rows[entry.msgid][i]
            if entry.msgid_plural:
                one, many = text.split("|")
                entry.msgstr_plural = {0: one, 1: many}
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
        po.save_as_mofile(str(path.with_suffix(".mo")))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
