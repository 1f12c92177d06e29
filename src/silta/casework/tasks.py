"""Case work's tasks on the front page (``silta.web.tasks``): referrals received that
wait for an answer, and plans whose review date has come. Counts only; the linked
pages read and log the clients' data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from silta.accounts.models import User
from silta.accounts.policies import can, memberships_with
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


def casework_client_summary(user: User, client_id: uuid.UUID, path: str) -> Iterable[Any]:
    """The client page's summary of case work: open plans, open referrals and coming
    appointments, as the user may see them (``case_file_for`` checks and logs)."""
    from silta.casework.selectors import case_file_for
    from silta.web.tasks import SummarySection

    if not can(user, Perm.CASEWORK_VIEW):
        return []
    case = case_file_for(actor=user, client_id=client_id, path=path)
    url = reverse("casework-client", args=[client_id])
    plans = [
        gettext("%(kind)s, %(status)s, %(organisation)s")
        % {
            "kind": p.get_kind_display(),
            "status": p.get_status_display().lower(),
            "organisation": p.organisation.name,
        }
        + (
            " – " + gettext("review on %(day)s") % {"day": _day(p.next_review_on)}
            if p.next_review_on
            else ""
        )
        for p in case.plans
        if p.status != PlanStatus.CLOSED
    ]
    referrals = [
        gettext("%(service)s to %(organisation)s: %(status)s")
        % {
            "service": r.referral.service.name,
            "organisation": r.referral.to_organisation.name,
            "status": r.referral.get_status_display().lower(),
        }
        for r in case.referrals
        if r.referral.status in OPEN_REFERRAL
    ]
    now = dates.now()
    appointments = [
        f"{_day(a.starts_at)} – {a.place}"
        for a in sorted(case.appointments, key=lambda a: a.starts_at)
        if a.starts_at >= now
    ]
    link = gettext("Show all")
    return [
        SummarySection(gettext("Plans"), plans[:5], url, link, gettext("No open plans.")),
        SummarySection(
            gettext("Referrals"), referrals[:5], url, link, gettext("No open referrals.")
        ),
        SummarySection(
            gettext("Appointments"),
            appointments[:5],
            url,
            link,
            gettext("No coming appointments."),
        ),
    ]


def _day(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value)
        return f"{local.day}.{local.month}.{local.year} {local:%H:%M}"
    return f"{value.day}.{value.month}.{value.year}"


OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.SCHEDULED)
