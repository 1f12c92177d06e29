"""``silta report year YYYY [--format text|json] [--language fi|sv|en]``: the region's
yearly figures computed from the database (``silta.reporting.yearly``).

``silta report period --from YYYY-MM-DD --to YYYY-MM-DD``: the same keys for any
period (DESIGN.md "Yearly figures"): a figure that defines ``compute_period(first,
last)`` gives its value for the period (``municipal_share_eur`` covers the payments
dated in it); the casework figures are computed for the period below with the
definitions of ``silta.reporting.yearly`` over the period's days instead of the
year's. A figure with neither is given for a period of one whole calendar year only,
and otherwise named as not available."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, translation
from django.utils.translation import gettext as _

from silta.core import dates
from silta.integration.law_names import joint_service_clients_label
from silta.reporting import yearly
from silta.reporting.yearly import period_figures


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
        period = sub.add_parser("period", help="the figures of any period of days")
        period.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
        period.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
        period.add_argument("--format", choices=["text", "json"], default="text")
        period.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the text table (default: the site's, Finnish)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        language = opts.get("language") or settings.LANGUAGE_CODE
        if opts["report"] == "period":
            with translation.override(language):
                self._period(opts)
            return
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

    def _period(self, opts: dict[str, Any]) -> None:
        first, last = _day(opts["first"], "--from"), _day(opts["last"], "--to")
        if last < first:
            raise CommandError(
                _("The period ends (%(last)s) before it starts (%(first)s).")
                % {"first": first.isoformat(), "last": last.isoformat()}
            )
        earliest, today = dt.date(yearly.FIRST_YEAR, 1, 1), dates.today()
        if first < earliest or last > today:
            raise CommandError(
                _("There are no figures for that period: give days from %(first)s to %(last)s.")
                % {"first": earliest.isoformat(), "last": today.isoformat()}
            )
        values, missing = period_figures(first, last)
        if opts["format"] == "json":
            self.stdout.write(json.dumps({k: _json_value(v) for k, v in values.items()}))
            return
        title = _("Figures for %(first)s–%(last)s, whole region") % {
            "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
            "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
        }
        text = _text_table(0, values, title=title, period=(first, last))
        if missing:
            text += "\n\n" + _("Not available for a part of a year: %(figures)s") % {
                "figures": ", ".join(missing)
            }
        self.stdout.write(text)


def _day(raw: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            _(
                "%(flag)s must be a day in the form YYYY-MM-DD, for example 2023-01-31 "
                "(not %(value)s)."
            )
            % {"flag": flag, "value": repr(raw)}
        ) from None


def _json_value(value: int | Decimal) -> int | float:
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return int(value)


def _text_table(
    year: int,
    values: dict[str, int | Decimal],
    *,
    title: str = "",
    period: tuple[dt.date, dt.date] | None = None,
) -> str:
    labels = {f.key: str(f.label) for f in yearly.figures()}
    # the law's name of the period: TYP until 2024, multisectoral cooperation from 2025
    first, last = period or (dt.date(year, 1, 1), dt.date(year, 12, 31))
    labels["joint_service_clients"] = joint_service_clients_label(first, last)
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
        title or _("Figures for %(year)s, whole region") % {"year": year},
        "",
        f"{head[0]:<{width}}  {head[1]:>{number}}",
        f"{'-' * width}  {'-' * number}",
    ]
    lines += [f"{label:<{width}}  {value:>{number}}" for label, value in rows]
    return "\n".join(lines)
