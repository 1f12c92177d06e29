"""Who may do what with council initiatives (permissions in ``accounts/roles.py``).

- Initiatives carry no client data: staff with ``initiatives.view`` read them.
- ``initiatives.manage`` in the preparing organisation registers an initiative, sends
  it for preparation and records the board's and the council's decisions.
- The named preparers (with ``initiatives.view``) write the answer and pull the
  current figures into it while the initiative is in preparation; so may its
  managers.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.initiatives.models import Initiative


def organisation_manager(
    user: User | AnonymousUser, organisation: Organisation
) -> Membership | None:
    for m in memberships_with(user, Perm.INITIATIVE_MANAGE):
        if m.organisation_id == organisation.pk:
            return m
    return None


def initiative_manager(user: User | AnonymousUser, initiative: Initiative) -> Membership | None:
    for m in memberships_with(user, Perm.INITIATIVE_MANAGE):
        if m.organisation_id == initiative.organisation_id:
            return m
    return None


def is_preparer(user: User | AnonymousUser, initiative: Initiative) -> bool:
    if not isinstance(user, User) or not memberships_with(user, Perm.INITIATIVE_VIEW):
        return False
    return initiative.preparers.filter(user=user).exists()


def can_prepare(user: User | AnonymousUser, initiative: Initiative) -> bool:
    return initiative_manager(user, initiative) is not None or is_preparer(user, initiative)


def can_be_preparer(user: User, organisation: Organisation) -> bool:
    """A preparer works in the preparing organisation and may read initiatives."""
    return any(
        m.organisation_id == organisation.pk for m in memberships_with(user, Perm.INITIATIVE_VIEW)
    )
