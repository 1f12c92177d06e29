"""Fill fi/sv catalogue entries from a TSV file: msgid<TAB>fi<TAB>sv (plural forms as
'singular|plural' in each column). Used when adding many strings at once:

    .venv/bin/python tools/apply_translations.py translations.tsv
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]

LOCALE = Path(__file__).resolve().parent.parent / "src" / "silta" / "locale"


def main(tsv: str) -> int:
    rows: dict[str, tuple[str, str]] = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        msgid, fi, sv = line.split("\t")
        rows[msgid] = (fi, sv)
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
    raise SystemExit(main(sys.argv[1]))
