"""Who may do what on the work ability path: the policy table
(``silta/privacy/policy.py``, kinds ``work_ability_result`` and
``benefit_application``) applied through case work's ``SharingContext``.

- The client must be open to the viewer's organisation (an active client
  relationship: ``casework_grant``); anybody else gets 404.
- A result: its controller is the assessing unit (the referral's receiver); recorded
  by that unit's assessors (``WORK_ABILITY_ASSESSORS``), read by them or on a health
  consent of that unit.
- An application: its controller is the organisation that recorded it; its client
  work roles record and decide it, others read it on a health consent.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.casework.policies import SharingContext, casework_grant
from silta.clients.models import Client
from silta.privacy.policy import Action, DataClass, RecordKind


def result_basis(
    ctx: SharingContext, controller_id: uuid.UUID, action: str = Action.READ
) -> str | None:
    return ctx.basis(RecordKind.WORK_ABILITY_RESULT, DataClass.HEALTH, controller_id, action)


def application_basis(
    ctx: SharingContext, controller_id: uuid.UUID, action: str = Action.READ
) -> str | None:
    return ctx.basis(RecordKind.BENEFIT_APPLICATION, DataClass.HEALTH, controller_id, action)


def health_check_basis(
    ctx: SharingContext, controller_id: uuid.UUID, action: str = Action.READ
) -> str | None:
    """The invitation, booking and ending of a health check (case-work data)."""
    return ctx.basis(RecordKind.HEALTH_CHECK, DataClass.BASIC, controller_id, action)


def health_check_content_basis(
    ctx: SharingContext, controller_id: uuid.UUID, action: str = Action.READ
) -> str | None:
    """What the health check found (health data of the checking unit)."""
    return ctx.basis(RecordKind.HEALTH_CHECK_CONTENT, DataClass.HEALTH, controller_id, action)


def offers_health_checks(organisation_id: uuid.UUID) -> bool:
    """A checking unit: the organisation offers the unemployed health check."""
    from silta.catalogue.models import Service, ServiceCode

    return Service.objects.filter(
        provider_id=organisation_id, code=ServiceCode.HEALTH_CHECK, is_active=True
    ).exists()


def contexts_for(
    user: User | AnonymousUser, client: Client, perm: Perm = Perm.CASEWORK_VIEW
) -> list[SharingContext]:
    """The sharing context of each of the user's memberships with ``perm`` whose
    organisation works with the client now (empty: the client is not open to them)."""
    out: list[SharingContext] = []
    for m in memberships_with(user, perm):
        ctx = SharingContext.of(m, client.pk)
        if ctx.relationship_active:
            out.append(ctx)
    return out


def first_basis(contexts: list[SharingContext], check) -> tuple[SharingContext, str] | None:  # type: ignore[no-untyped-def]
    for ctx in contexts:
        basis = check(ctx)
        if basis is not None:
            return ctx, basis
    return None


__all__ = [
    "application_basis",
    "casework_grant",
    "contexts_for",
    "first_basis",
    "health_check_basis",
    "health_check_content_basis",
    "offers_health_checks",
    "result_basis",
]
