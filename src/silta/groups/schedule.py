"""Pure helpers of group schedules and capacity (no Django import): the dates a
weekly schedule gives, and the largest number of participants at the same time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

MAX_GENERATED = 366
"""At most this many sessions are generated at once (a year of daily sessions)."""


def schedule_dates(weekdays: Iterable[int], start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from ``start`` to ``end`` (both included) on one of the weekdays
    (Monday 0 ... Sunday 6)."""
    wanted = set(weekdays)
    out = []
    day = start
    while day <= end:
        if day.weekday() in wanted:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def peak_overlap(
    intervals: Iterable[tuple[dt.date, dt.date | None]],
    start: dt.date,
    end: dt.date | None,
) -> int:
    """The largest number of intervals (both ends included; ``None`` = open) that are
    running on the same day within ``[start, end]``."""
    events: list[tuple[dt.date, int]] = []
    for a, b in intervals:
        if end is not None and a > end:
            continue
        if b is not None and b < start:
            continue
        events.append((max(a, start), 1))
        if b is not None and (end is None or b < end):
            events.append((b + dt.timedelta(days=1), -1))
    events.sort(key=lambda e: (e[0], e[1]))  # leavers (-1) before joiners on a day
    peak = running = 0
    for _day, step in events:
        running += step
        peak = max(peak, running)
    return peak
