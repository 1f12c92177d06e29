"""Group activities' task on the front page (``silta.web.tasks``): the sessions of the
groups the user leads whose attendance is still to be recorded — today's session and
those of the last four weeks (older ones are left to the group's page). Counts only;
the linked attendance sheet reads and logs the participants' names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import ngettext

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.core import dates
from silta.groups.models import GroupSession, Participant, SessionStatus
from silta.groups.policies import managed_groups_filter
from silta.web.tasks import Task

RECENT_DAYS = 28


def group_tasks(user: User) -> Iterable[Task]:
    """Sessions held (planned, not cancelled, on or before today) in a group the user
    is named leader of and may run, with participants on its day and no attendance
    recorded yet; the link opens the oldest one's attendance sheet. Overdue when a
    session before today waits."""
    if not memberships_with(user, Perm.GROUPS_LEAD):
        return
    runs = managed_groups_filter(user)
    if runs is None:
        return
    today = dates.today()
    taking_part = Participant.objects.filter(
        group=OuterRef("group"), joined_on__lte=OuterRef("date")
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=OuterRef("date")))
    waiting = GroupSession.objects.filter(
        Exists(taking_part),
        group__in=user.led_groups.filter(runs).values("pk"),
        status=SessionStatus.PLANNED,
        date__lte=today,
        date__gte=today - dt.timedelta(days=RECENT_DAYS),
        attendance__isnull=True,
    ).order_by("date", "start_time")
    sessions = list(waiting.values_list("pk", "date").distinct()[:200])
    if not sessions:
        return
    n = len(sessions)
    yield Task(
        ngettext(
            "%(n)s group session waits for its attendance to be recorded",
            "%(n)s group sessions wait for their attendance to be recorded",
            n,
        )
        % {"n": n},
        reverse("group-session", args=[sessions[0][0]]),
        n,
        overdue=sessions[0][1] < today,
    )
