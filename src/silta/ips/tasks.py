"""IPS coaching's tasks on the front page (``silta.web.tasks``), for the coach only
(IPS episodes are the coach's own): accepted referrals to the IPS unit that no coach
has taken into coaching, and the coach's clients in coaching with no contact recorded
in 30 days (a job-search step or support; the coaching's start counts). Counts only;
the linked list reads and logs the clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import ngettext

from silta.accounts.models import User
from silta.core import dates
from silta.ips.models import CoachingEpisode, EpisodeStatus
from silta.ips.policies import coach_membership
from silta.web.tasks import Task

NO_CONTACT_DAYS = 30
_LONG_AGO = dt.date(1900, 1, 1)


def ips_tasks(user: User) -> Iterable[Task]:
    if coach_membership(user) is None:
        return
    from silta.ips.selectors import _referrals_to_take

    url = reverse("ips-episodes")
    n = _referrals_to_take(user).count()
    yield Task(
        ngettext(
            "%(n)s referral to IPS coaching waits for a coach",
            "%(n)s referrals to IPS coaching wait for a coach",
            n,
        )
        % {"n": n},
        url,
        n,
    )
    since = dates.today() - dt.timedelta(days=NO_CONTACT_DAYS)
    quiet = (
        CoachingEpisode.objects.filter(coach=user, status=EpisodeStatus.ACTIVE)
        .annotate(
            last=Greatest(
                Coalesce("started_on", "referred_on"),
                Coalesce(Max("steps__on"), _LONG_AGO),
                Coalesce(Max("support__on"), _LONG_AGO),
            )
        )
        .filter(last__lt=since)
        .count()
    )
    yield Task(
        ngettext(
            "%(n)s client in your coaching has had no contact in 30 days",
            "%(n)s clients in your coaching have had no contact in 30 days",
            quiet,
        )
        % {"n": quiet},
        url,
        quiet,
        overdue=True,
    )
