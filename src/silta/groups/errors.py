"""Coded errors of group activities: the API returns the code, pages show the
message."""

from __future__ import annotations

from enum import StrEnum


class GroupError(StrEnum):
    REQUIRED = "groups.required"
    NO_ACCESS = "groups.no_access"
    INVALID = "groups.invalid"
    DATES_ORDER = "groups.dates_in_wrong_order"
    LEADER_INVALID = "groups.leader_invalid"
    CAPACITY = "groups.capacity_full"
    CAPACITY_BELOW_PARTICIPANTS = "groups.capacity_below_participants"
    OUTSIDE_PERIOD = "groups.outside_the_group_period"
    ALREADY_PARTICIPANT = "groups.already_a_participant"
    CLIENT_UNKNOWN = "groups.client_unknown"
    ALREADY_LEFT = "groups.already_left"
    LEAVE_BEFORE_ATTENDANCE = "groups.leave_before_recorded_attendance"
    SESSION_EXISTS = "groups.session_exists"
    TOO_MANY_SESSIONS = "groups.too_many_sessions"
    SESSION_CANCELLED = "groups.session_cancelled"
    SESSION_HAS_ATTENDANCE = "groups.session_has_attendance"
    SESSION_IN_FUTURE = "groups.session_in_future"
    NOT_A_PARTICIPANT = "groups.not_a_participant_on_the_day"
    DUPLICATE = "groups.participant_given_twice"
    REASON_MISSING = "groups.absence_reason_missing"
    OVER_CAPACITY = "groups.present_over_capacity"
    STALE = "groups.stale_version"
    INTAKE_NOT_IN_PERSON = "group.intake_not_in_person"
