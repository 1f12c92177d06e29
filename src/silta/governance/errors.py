"""Coded errors of governance: the API returns the code, pages show the message."""

from __future__ import annotations

from enum import StrEnum


class GovernanceError(StrEnum):
    REQUIRED = "governance.required"
    NO_ACCESS = "governance.no_access"
    DATES_ORDER = "governance.dates_in_wrong_order"
    DATE_IN_FUTURE = "governance.date_in_future"
    UNKNOWN_STATISTIC = "indicator.unknown_statistic"
    VALUE_OR_STATISTIC = "indicator.value_or_statistic"
    STALE_INDICATOR = "indicator.stale_version"
    OUTSIDE_AGREEMENT = "approval.municipality_outside_agreement"
    NOT_CIRCULATED = "approval.version_not_sent_for_approval"
    BEFORE_CIRCULATED = "approval.before_sent_for_approval"
    RECORD_NUMBER = "approval.record_number_format"
    ALREADY_APPROVED = "approval.already_approved"
    VERSION_ILLEGAL_MOVE = "agreement.illegal_status_move"
    MEETING_NOT_OPEN = "meeting.not_open"
    STALE_MEETING = "meeting.stale_version"
    SECTION_TAKEN = "meeting.section_number_taken"
    NOT_MEMBER_OWNER = "action.owner_not_a_user"
    ACTION_ILLEGAL_MOVE = "action.illegal_status_move"
    STALE_ACTION = "action.stale_version"
    CASE_ILLEGAL_MOVE = "network.illegal_status_move"
    CASE_OPEN = "network.case_already_open"
    STALE_CASE = "network.stale_version"
    NOT_NETWORK_MEETING = "network.not_a_network_meeting"
    AGENDA_FULL = "network.agenda_full"
    PLAN_REQUIRED = "network.plan_required"
    PLAN_OTHER_CLIENT = "network.plan_of_another_client"
    ALREADY_CONSULTED = "network.already_consulted"
