from __future__ import annotations

from enum import StrEnum


class CaseworkError(StrEnum):
    REQUIRED = "casework.required"
    DATES_ORDER = "casework.dates_in_wrong_order"
    DATE_IN_FUTURE = "casework.date_in_future"
    REVIEW_IN_PAST = "casework.review_date_in_past"
    NO_ACCESS = "casework.no_access"
    TEAM_TOO_SMALL = "casework.team_too_small"
    TEAM_MEMBER_INVALID = "casework.team_member_invalid"
    ALREADY_ENROLLED = "casework.already_enrolled"
    ALREADY_ENDED = "casework.already_ended"
    SERVICE_NOT_OFFERED = "referral.service_not_offered"
    SERVICE_INACTIVE = "referral.service_inactive"
    SAME_ORGANISATION = "referral.same_organisation"
    NO_SHARING_BASIS = "referral.no_consent_or_basis"
    ILLEGAL_MOVE = "referral.illegal_status_move"
    WRONG_SIDE = "referral.not_your_move"
    REASON_REQUIRED = "referral.reason_required"
    APPOINTMENT_REQUIRED = "referral.appointment_required"
    STALE_REFERRAL = "referral.stale_version"
    CONSENT_WITHDRAWN = "consent.already_withdrawn"
    RATING_RANGE = "assessment.rating_out_of_range"
    DOMAINS_MISSING = "assessment.domains_missing"
    PLAN_ILLEGAL_MOVE = "plan.illegal_status_move"
    PLAN_CLOSED = "plan.closed"
    STALE_PLAN = "plan.stale_version"
    REFERRAL_OTHER_CLIENT = "plan.referral_of_another_client"
    FOLLOW_UP_NOT_DUE = "outcome.follow_up_not_due"
    FOLLOW_UP_MONTHS = "outcome.follow_up_months"
    STALE_OUTCOME = "outcome.stale_version"
