"""Bounds every input shares (issue 19, item 7; ADR 0020).

Text: no lone surrogates (they cannot be stored as UTF-8: a server error before) and
no control characters, except tab and line breaks in multi-line text. Dates and
times: from 1900 to 2100, and an aware date-time must be representable in UTC (an
offset at the end of year 9999 overflowed before). Where a client is known, a date
before the client's birth is refused by ``validate_not_before_birth``, which the
services call.

Forms get these through ``silta.core.forms``, the API through
``silta.core.schemas``; both show the same translated message next to the field.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
#: Control characters a multi-line text may hold (a browser sends CR LF).
MULTILINE_ALLOWED = frozenset("\t\n\r")


class InputError(StrEnum):
    SURROGATE = "input.surrogate"
    CONTROL_CHARACTER = "input.control_character"
    DATE_TOO_EARLY = "input.date_too_early"
    DATE_TOO_LATE = "input.date_too_late"
    BEFORE_BIRTH = "input.before_birth"


def text_problem(value: str, *, multiline: bool) -> ValidationError | None:
    """The error for a text that cannot be stored or shown safely, or None."""
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    for char in value:
        if char.isprintable() or char == " " or char in allowed:
            continue
        category = unicodedata.category(char)
        if category == "Cs":
            return ValidationError(
                _("The text contains an invalid character (half of a Unicode surrogate pair)."),
                code=InputError.SURROGATE,
            )
        if category == "Cc":
            if multiline:
                message = _(
                    "The text contains a control character (code %(code)s). Only tabs "
                    "and line breaks are allowed."
                )
            else:
                message = _(
                    "The text contains a control character (code %(code)s), such as a "
                    "line break or tab, which this field does not allow."
                )
            return ValidationError(
                message, code=InputError.CONTROL_CHARACTER, params={"code": f"U+{ord(char):04X}"}
            )
    return None


def validate_single_line_text(value: str) -> None:
    problem = text_problem(value, multiline=False)
    if problem is not None:
        raise problem


def validate_multiline_text(value: str) -> None:
    problem = text_problem(value, multiline=True)
    if problem is not None:
        raise problem


def _too_early() -> ValidationError:
    return ValidationError(
        _("The date cannot be before %(date)s."),
        code=InputError.DATE_TOO_EARLY,
        params={"date": date_format(MIN_DATE, "SHORT_DATE_FORMAT")},
    )


def _too_late() -> ValidationError:
    return ValidationError(
        _("The date cannot be after %(date)s."),
        code=InputError.DATE_TOO_LATE,
        params={"date": date_format(MAX_DATE, "SHORT_DATE_FORMAT")},
    )


def date_problem(value: dt.date) -> ValidationError | None:
    """The error for a date (or date-time) outside 1900–2100, or None. An aware
    date-time is also checked in UTC, where an extreme offset overflows."""
    days = [value.date() if isinstance(value, dt.datetime) else value]
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        try:
            days.append(value.astimezone(dt.UTC).date())
        except OverflowError:
            return _too_late() if value.year > MAX_DATE.year else _too_early()
    if any(day < MIN_DATE for day in days):
        return _too_early()
    if any(day > MAX_DATE for day in days):
        return _too_late()
    return None


def validate_date_bounds(value: dt.date) -> None:
    problem = date_problem(value)
    if problem is not None:
        raise problem


def validate_not_before_birth(
    value: dt.date | dt.datetime | None, birth_date: dt.date | None, *, field: str
) -> None:
    """Refuse a date of the client's life before the client was born (a service calls
    this where it has the client; the error names ``field``)."""
    if value is None or birth_date is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < birth_date:
        raise ValidationError(
            {
                field: ValidationError(
                    _("The date cannot be before the client's date of birth (%(birth)s)."),
                    code=InputError.BEFORE_BIRTH,
                    params={"birth": date_format(birth_date, "SHORT_DATE_FORMAT")},
                )
            }
        )
