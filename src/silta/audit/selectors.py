"""Reads of the audit logs, for administrators."""

from __future__ import annotations

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.models import VerificationRun
from silta.core.errors import AccessDenied, AccessError


def verification_runs(*, actor: User, limit: int = 10) -> list[VerificationRun]:
    if not memberships_with(actor, Perm.AUDIT_VIEW):
        raise AccessDenied(AccessError.NOT_PERMITTED)
    return list(VerificationRun.objects.all()[:limit])
