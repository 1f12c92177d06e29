"""The age rule of the youth joint service (issue 17): the youth plan and the Ohjaamo
referral are for clients under 30 (law 381/2023 on multisectoral cooperation; the
Ohjaamo model; DOMAIN.md §3.3) [verify the section]. The day that decides it is the
day the plan is made or the referral is sent: a client who has turned 30 by then is
refused, with that day and the age written in the message."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from silta.core import dates

YOUTH_AGE_LIMIT = 30
"""Under this age on the deciding day."""


def youth_age_refusal(birth_date: dt.date, on: dt.date) -> str | None:
    """The message refusing a youth-service record for a client born on
    ``birth_date`` on the deciding day ``on``, or None when the client is under 30."""
    age = dates.age_on(birth_date, on)
    if age < YOUTH_AGE_LIMIT:
        return None
    return _(
        "The youth joint service is for clients under %(limit)s. The client is %(age)s "
        "on %(day)s, the day this is recorded, which decides it."
    ) % {"limit": YOUTH_AGE_LIMIT, "age": age, "day": on.strftime("%d.%m.%Y")}
