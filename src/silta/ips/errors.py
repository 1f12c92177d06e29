"""Coded errors of IPS supported employment: the API returns the code, pages show the
message next to the field."""

from __future__ import annotations

from enum import StrEnum


class IpsError(StrEnum):
    REQUIRED = "ips.required"
    NO_ACCESS = "ips.no_access"
    BUSINESS_ID = "ips.business_id_invalid"
    BUSINESS_ID_TAKEN = "ips.business_id_taken"
    DATE_IN_FUTURE = "ips.date_in_future"
    DATES_ORDER = "ips.dates_in_wrong_order"
    BEFORE_EPISODE = "ips.before_episode"
    HOURS = "ips.hours_per_week"
    ILLEGAL_MOVE = "ips.illegal_status_move"
    NOT_ACTIVE = "ips.episode_not_active"
    EPISODE_OPEN = "ips.episode_already_open"
    OUTCOME_WITHOUT_JOB = "ips.outcome_without_open_market_job"
    PLACEMENT_ENDED = "ips.placement_already_ended"
    OTHER_EPISODE = "ips.other_episode"
    CLIENT_UNKNOWN = "ips.client_unknown"
    STALE = "ips.stale_version"
    NOT_OPEN = "ips.episode_not_open"
    NOT_A_COACH = "ips.not_a_coach_of_the_organisation"
    COACH_OF_ANOTHER_UNIT = "ips.coach_of_another_unit"
    COACH_NOT_ACTIVE = "ips.coach_not_active"
    SAME_COACH = "ips.same_coach"
    NO_OPEN_EPISODES = "ips.no_open_episodes"
    REFERRAL_NOT_ACCEPTED = "ips.referral_not_accepted"
    INTAKE_NOT_IN_PERSON = "ips.intake_not_in_person"
