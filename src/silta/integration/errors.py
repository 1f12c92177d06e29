"""Coded errors of integration services: the API returns the code, pages show the
message next to the field."""

from __future__ import annotations

from enum import StrEnum


class IntegrationError(StrEnum):
    REQUIRED = "integration.required"
    NO_ACCESS = "integration.no_access"
    ORGANISATION_NOT_ORGANISER = "integration.organisation_may_not_do_this"
    UNKNOWN_LANGUAGE = "integration.unknown_language"
    DATE_IN_FUTURE = "integration.date_in_future"
    DATES_ORDER = "integration.dates_in_wrong_order"
    PLAN_TOO_LONG = "integration.plan_period_too_long"
    PLAN_CLOSED = "integration.plan_closed"
    STALE = "integration.stale_version"
    INTERPRETER_LANGUAGE = "integration.interpreter_language_missing"
    APPOINTMENT_PAST = "integration.appointment_in_the_past"
    MEETING_CANCELLED = "integration.meeting_cancelled"
