"""Coded errors of council initiatives: the API returns the code, pages show the
message."""

from __future__ import annotations

from enum import StrEnum


class InitiativeError(StrEnum):
    REQUIRED = "initiative.required"
    NO_ACCESS = "initiative.no_access"
    DATE_IN_FUTURE = "initiative.date_in_future"
    DATES_ORDER = "initiative.dates_in_wrong_order"
    ILLEGAL_MOVE = "initiative.illegal_status_move"
    NOT_IN_PREPARATION = "initiative.not_in_preparation"
    NOT_ANSWERED = "initiative.not_answered_by_the_board"
    ALREADY_ANSWERED = "initiative.already_answered"
    ALREADY_HANDLED = "initiative.already_handled"
    PREPARER_INVALID = "initiative.preparer_invalid"
    ANSWER_MISSING = "initiative.answer_missing"
    SECTION_NUMBER = "initiative.section_number"
    YEAR_INVALID = "initiative.figures_year_invalid"
    STALE = "initiative.stale_version"
