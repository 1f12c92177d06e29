"""Case work's tasks on the front page (``silta.web.tasks``): referrals received that
wait for an answer, and plans whose review date has come. Counts only; the linked
pages read and log the clients' data."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import ngettext

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.casework.models import Plan, PlanStatus, Referral, ReferralStatus
from silta.casework.policies import casework_clients_filter
from silta.clients.models import Client
from silta.core import dates
from silta.web.tasks import Task


def casework_tasks(user: User) -> Iterable[Task]:
    inbox_orgs = {m.organisation_id for m in memberships_with(user, Perm.REFERRAL_INBOX)}
    if inbox_orgs:
        n = Referral.objects.filter(
            to_organisation_id__in=inbox_orgs, status=ReferralStatus.SENT
        ).count()
        yield Task(
            ngettext(
                "%(n)s referral received waits for your answer",
                "%(n)s referrals received wait for your answer",
                n,
            )
            % {"n": n},
            reverse("referral-inbox"),
            n,
        )
    scope = casework_clients_filter(user)
    orgs = {m.organisation_id for m in memberships_with(user, Perm.CASEWORK_VIEW)}
    if scope is not None and orgs:
        n = (
            Plan.objects.filter(
                organisation_id__in=orgs,
                next_review_on__lte=dates.today(),
                client__in=Client.objects.filter(scope).values("pk"),
            )
            .exclude(status=PlanStatus.CLOSED)
            .count()
        )
        yield Task(
            ngettext("%(n)s plan is due for review", "%(n)s plans are due for review", n)
            % {"n": n},
            reverse("caseload"),
            n,
            overdue=True,
        )
