"""``silta report year YYYY [--format text|json] [--language fi|sv|en]``: the region's
yearly figures computed from the database (``silta.reporting.yearly``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, translation
from django.utils.translation import gettext as _

from silta.core import dates
from silta.reporting import yearly


class Command(BaseCommand):
    help = "Region statistics. 'year YYYY' prints the year's figures computed from the database."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        year = sub.add_parser("year", help="the figures of one calendar year")
        year.add_argument("year", help="the year, four digits (e.g. 2023)")
        year.add_argument("--format", choices=["text", "json"], default="text")
        year.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the text table (default: the site's, Finnish)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        language = opts.get("language") or settings.LANGUAGE_CODE
        with translation.override(language):
            year = self._year(str(opts["year"]))
            values = yearly.year_figures(year)
            if opts["format"] == "json":
                self.stdout.write(json.dumps({k: _json_value(v) for k, v in values.items()}))
            else:
                self.stdout.write(_text_table(year, values))

    def _year(self, raw: str) -> int:
        text = raw.strip()
        if not (len(text) == 4 and text.isdigit()):
            raise CommandError(
                _("The year must be four digits, for example 2023 (not %(value)s).")
                % {"value": repr(raw)}
            )
        year = int(text)
        try:
            return yearly.check_year(year)
        except yearly.YearError:
            raise CommandError(
                _("There are no figures for %(year)s: give a year from %(first)s to %(last)s.")
                % {"year": year, "first": yearly.FIRST_YEAR, "last": dates.today().year}
            ) from None


def _json_value(value: int | Decimal) -> int | float:
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return int(value)


def _text_table(year: int, values: dict[str, int | Decimal]) -> str:
    labels = {f.key: str(f.label) for f in yearly.figures()}
    rows = [
        (
            labels.get(key, key),
            formats.number_format(
                value,
                decimal_pos=2 if isinstance(value, Decimal) else 0,
                use_l10n=True,
                force_grouping=True,
            ),
        )
        for key, value in values.items()
    ]
    head = (_("Figure"), _("Value"))
    width = max(len(r[0]) for r in [head, *rows])
    number = max(len(r[1]) for r in [head, *rows])
    lines = [
        _("Figures for %(year)s, whole region") % {"year": year},
        "",
        f"{head[0]:<{width}}  {head[1]:>{number}}",
        f"{'-' * width}  {'-' * number}",
    ]
    lines += [f"{label:<{width}}  {value:>{number}}" for label, value in rows]
    return "\n".join(lines)
