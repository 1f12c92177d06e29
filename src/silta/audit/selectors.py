"""Reads of the audit logs for the administrator's pages. The pages' guard
(``Perm.AUDIT_VIEW``, administrators only) decides who may call them: the audit app
sits below the accounts app and does not import it (ADR 0016)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from silta.audit.models import SecurityEvent, VerificationRun
from silta.core import dates


def verification_runs(*, limit: int = 10) -> list[VerificationRun]:
    return list(VerificationRun.objects.all()[:limit])


@dataclass(frozen=True)
class SecurityLogFilter:
    kind: str = ""
    user: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    target: str = ""


def _start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dates.HELSINKI)


def security_events(filters: SecurityLogFilter) -> QuerySet[SecurityEvent]:
    """The security log, newest first, narrowed by kind, user (username, exact or the
    start of it), days (in Finnish time, both ends included) and target (the object's id,
    exact, or its type)."""
    qs = SecurityEvent.objects.order_by("-at", "-id")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.user:
        qs = qs.filter(actor_username__istartswith=filters.user)
    if filters.date_from:
        qs = qs.filter(at__gte=_start_of_day(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_start_of_day(filters.date_to + dt.timedelta(days=1)))
    if filters.target:
        qs = qs.filter(Q(target_id=filters.target) | Q(target_type=filters.target))
    return qs
