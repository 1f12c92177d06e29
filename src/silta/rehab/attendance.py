"""The attendance rules (laki 189/2001, DOMAIN.md §3.2) as a pure function over a
placement's days, so that the week grid, the CSV import and the API refuse the same
input with the same message: every problem names the day and the rule.

Weeks are ISO weeks (Monday to Sunday); the limits come from ``rules/rates.toml``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from silta.rehab.errors import RehabError as E
from silta.rehab.rates import AttendanceRules


@dataclass(frozen=True)
class DayEntry:
    """One day as given: present with hours, or absent with a reason."""

    day: dt.date
    present: bool
    hours: Decimal | None = None
    absence_reason: str = ""
    line: int | None = None
    """The CSV line (or form row) it came from, for the message."""


@dataclass(frozen=True)
class Problem:
    day: dt.date | None
    code: E
    message: str
    line: int | None = None


def day_label(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def hours_label(hours: Decimal) -> str:
    text = f"{hours.normalize():f}"
    return text.replace(".", ",")


def week_label(day: dt.date) -> str:
    year, week, _wd = day.isocalendar()
    return f"{week}/{year}"


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the day's ISO week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _problem(entry: DayEntry, code: E, message: str) -> Problem:
    return Problem(entry.day, code, f"{day_label(entry.day)}: {message}", entry.line)


def attendance_problems(
    *,
    entries: Iterable[DayEntry],
    existing: Mapping[dt.date, tuple[bool, Decimal | None]],
    start: dt.date,
    last_day: dt.date,
    today: dt.date,
    rules: AttendanceRules,
) -> list[Problem]:
    """Every rule the entries break, given the placement's period and its days already
    recorded (``existing``: day -> (present, hours), the latest state of each day).
    An entry replaces the recorded state of its day. Empty list: all is well."""
    entries = sorted(entries, key=lambda e: (e.day, e.line or 0))
    problems: list[Problem] = []
    seen: set[dt.date] = set()
    valid: list[DayEntry] = []
    for e in entries:
        day_problems: list[Problem] = []
        if e.day in seen:
            day_problems.append(_problem(e, E.ATT_DUPLICATE, _("the day is given twice.")))
        seen.add(e.day)
        if e.day > today:
            day_problems.append(
                _problem(e, E.ATT_FUTURE, _("attendance cannot be recorded for a future day."))
            )
        if e.day < start or e.day > last_day:
            day_problems.append(
                _problem(
                    e,
                    E.ATT_OUTSIDE,
                    _("the day is outside the placement (%(start)s–%(end)s).")
                    % {"start": day_label(start), "end": day_label(last_day)},
                )
            )
        if e.present:
            if e.hours is None:
                day_problems.append(
                    _problem(e, E.ATT_HOURS_MISSING, _("give the hours of a day present."))
                )
            elif e.hours < 0:
                day_problems.append(
                    _problem(e, E.ATT_NEGATIVE, _("the hours cannot be a negative number."))
                )
            elif not rules.min_hours_per_day <= e.hours <= rules.max_hours_per_day:
                day_problems.append(
                    _problem(
                        e,
                        E.ATT_HOURS_DAY,
                        _("a day of attendance is %(min)s–%(max)s hours, not %(hours)s.")
                        % {
                            "min": hours_label(rules.min_hours_per_day),
                            "max": hours_label(rules.max_hours_per_day),
                            "hours": hours_label(e.hours),
                        },
                    )
                )
        else:
            if e.hours is not None and e.hours < 0:
                day_problems.append(
                    _problem(e, E.ATT_NEGATIVE, _("the hours cannot be a negative number."))
                )
            if not e.absence_reason:
                day_problems.append(
                    _problem(e, E.ATT_REASON_MISSING, _("give the reason for the absence."))
                )
        problems.extend(day_problems)
        if not day_problems:
            valid.append(e)

    # Week limits over the recorded days with the (valid) entries in their place.
    merged: dict[dt.date, tuple[bool, Decimal | None]] = dict(existing)
    new_by_week: dict[dt.date, list[DayEntry]] = defaultdict(list)
    for e in valid:
        merged[e.day] = (e.present, e.hours if e.present else None)
        new_by_week[week_of(e.day)[0]].append(e)
    for monday, new in sorted(new_by_week.items()):
        sunday = monday + dt.timedelta(days=6)
        present_days = sorted(
            d for d, (present, _h) in merged.items() if present and monday <= d <= sunday
        )
        new_present = [e for e in new if e.present]
        if len(present_days) > rules.max_days_per_week:
            over = set(present_days[rules.max_days_per_week :])
            flagged = [e for e in new_present if e.day in over] or new_present[-1:]
            for e in flagged:
                problems.append(
                    _problem(
                        e,
                        E.ATT_DAYS_WEEK,
                        _("at most %(max)s days a week; week %(week)s would have %(count)s days.")
                        % {
                            "max": rules.max_days_per_week,
                            "week": week_label(e.day),
                            "count": len(present_days),
                        },
                    )
                )
            continue
        total = sum(
            (h or Decimal(0) for d, (p, h) in merged.items() if p and monday <= d <= sunday),
            Decimal(0),
        )
        if total > rules.max_hours_per_week and new_present:
            e = new_present[-1]
            problems.append(
                _problem(
                    e,
                    E.ATT_HOURS_WEEK,
                    _("at most %(max)s hours a week; week %(week)s would have %(hours)s hours.")
                    % {
                        "max": hours_label(rules.max_hours_per_week),
                        "week": week_label(e.day),
                        "hours": hours_label(total),
                    },
                )
            )
    problems.sort(key=lambda p: (p.line or 0, p.day or dt.date.min))
    return problems
