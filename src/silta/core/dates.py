"""The one place Silta reads the clock. Everything is Europe/Helsinki.

Lint bans ``timezone.now``, ``datetime.now`` and ``date.today`` elsewhere (see ruff
config), so tests can freeze time in one place.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

HELSINKI = ZoneInfo("Europe/Helsinki")


def now() -> dt.datetime:
    """The current moment, timezone-aware."""
    return timezone.now()  # noqa: TID251 - the one allowed use


def today() -> dt.date:
    """Today's date in Helsinki."""
    return now().astimezone(HELSINKI).date()


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years of age on a date."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (0 when end is before start)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)
