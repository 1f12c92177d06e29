"""Rehabilitative work activity's tasks on the front page (``silta.web.tasks``):
attendance to record (the provider's staff), last month's statements to approve (the
organiser) and outcome fee claims to decide. Counts only; the linked pages read and
log the clients' data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import ngettext

from silta.accounts.models import User
from silta.accounts.roles import Perm
from silta.core import dates
from silta.rehab.models import Attendance, FeeClaim, FeeClaimStatus, Placement, Statement
from silta.rehab.policies import organiser_membership, placements_filter
from silta.web.tasks import Task

#: Attendance is due when a placement has none recorded for this many days.
ATTENDANCE_DUE_DAYS = 7


def _active(today: dt.date) -> Q:
    return Q(start_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))


def rehab_tasks(user: User) -> Iterable[Task]:
    today = dates.today()
    attendance = placements_filter(user, Perm.REHAB_ATTENDANCE)
    if attendance is not None:
        scope, _membership = attendance
        since = today - dt.timedelta(days=ATTENDANCE_DUE_DAYS)
        recent = Attendance.objects.filter(placement=OuterRef("pk"), day__gte=since)
        n = (
            Placement.objects.filter(scope)
            .filter(_active(today), start_on__lte=since)
            .exclude(Exists(recent))
            .count()
        )
        yield Task(
            ngettext(
                "%(n)s placement has no attendance recorded for a week",
                "%(n)s placements have no attendance recorded for a week",
                n,
            )
            % {"n": n},
            reverse("rehab-home"),
            n,
            overdue=True,
        )
    organiser = organiser_membership(user, Perm.REHAB_MANAGE)
    if organiser is not None:
        month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        billed = Statement.objects.filter(
            organiser_id=organiser.organisation_id, month=month, provider=OuterRef("provider")
        )
        n = (
            Placement.objects.filter(organiser_id=organiser.organisation_id)
            .filter(start_on__lt=today.replace(day=1))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month))
            .exclude(Exists(billed))
            .values("provider")
            .distinct()
            .count()
        )
        yield Task(
            ngettext(
                "%(n)s monthly statement of last month to approve",
                "%(n)s monthly statements of last month to approve",
                n,
            )
            % {"n": n},
            reverse("rehab-home"),
            n,
        )
    verifier = organiser_membership(user, Perm.REHAB_FEE_VERIFY)
    if verifier is not None:
        n = FeeClaim.objects.filter(
            status=FeeClaimStatus.CLAIMED, placement__organiser_id=verifier.organisation_id
        ).count()
        yield Task(
            ngettext("%(n)s outcome fee claim to decide", "%(n)s outcome fee claims to decide", n)
            % {"n": n},
            reverse("rehab-home"),
            n,
        )
