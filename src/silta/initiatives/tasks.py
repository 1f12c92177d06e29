"""Council initiatives' tasks on the front page (``silta.web.tasks``): for a named
preparer the initiatives in preparation (overdue past the deadline); for the managers
of the organisation that handles them, initiatives to send for preparation and board
answers that wait for the council's decision. Initiatives hold no client data."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import ngettext

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.core import dates
from silta.initiatives.models import Initiative, InitiativeStatus
from silta.web.tasks import Task


def _link(rows: list[Initiative]) -> str:
    if len(rows) == 1:
        return reverse("initiative-detail", args=[rows[0].pk])
    return reverse("initiative-list")


def initiative_tasks(user: User) -> Iterable[Task]:
    if not memberships_with(user, Perm.INITIATIVE_VIEW):
        return
    today = dates.today()
    preparing = list(
        Initiative.objects.filter(
            status=InitiativeStatus.IN_PREPARATION, preparers__user=user
        ).distinct()
    )
    if preparing:
        n = len(preparing)
        yield Task(
            ngettext(
                "%(n)s council initiative for you to prepare",
                "%(n)s council initiatives for you to prepare",
                n,
            )
            % {"n": n},
            _link(preparing),
            n,
            overdue=any(i.is_overdue(today) for i in preparing),
        )
    orgs = [m.organisation_id for m in memberships_with(user, Perm.INITIATIVE_MANAGE)]
    if not orgs:
        return
    mine = Initiative.objects.filter(organisation_id__in=orgs).order_by("submitted_on")
    submitted = list(mine.filter(status=InitiativeStatus.SUBMITTED))
    if submitted:
        n = len(submitted)
        yield Task(
            ngettext(
                "%(n)s council initiative to send for preparation",
                "%(n)s council initiatives to send for preparation",
                n,
            )
            % {"n": n},
            _link(submitted),
            n,
            overdue=any(i.is_overdue(today) for i in submitted),
        )
    answered = list(mine.filter(status=InitiativeStatus.ANSWERED))
    if answered:
        n = len(answered)
        yield Task(
            ngettext(
                "%(n)s board answer to a council initiative waits for the council",
                "%(n)s board answers to council initiatives wait for the council",
                n,
            )
            % {"n": n},
            _link(answered),
            n,
        )
