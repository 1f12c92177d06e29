"""Who sees which placements, and on what basis (DESIGN.md "Who sees what").

- Provider staff (``rehab.portal``) see the placements of their own organisation, and
  only what the placement needs: the client's name and contacts, the goals of the
  linked plan, the schedule and attendance. Basis ``client_relationship:placement``.
- Soite's social workers and instructors see the placements their organisation
  organises (``task:rehab_organiser``): they make them, verify fees and approve
  statements.
- Anything else answers 404, so that a placement's existence is not revealed.

Which roles each side opens the placement and its attendance to is a row of the policy
table (``silta/privacy/policy.py``, record kinds ``placement`` and
``placement_attendance``): the organiser's organisation is the controller, the
provider's the ``provider`` relation. The functions below ask the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm, role_has
from silta.privacy.policy import Action, DataClass, RecordKind, Relation, allowed
from silta.rehab.models import Placement, Provider

PROVIDER_BASIS = "client_relationship:placement"
ORGANISER_BASIS = "task:rehab_organiser"


@dataclass(frozen=True)
class RehabGrant:
    membership: Membership
    basis: str

    @property
    def is_provider(self) -> bool:
        return self.basis == PROVIDER_BASIS


def is_provider_side(membership: Membership) -> bool:
    return role_has(membership.role, Perm.REHAB_PORTAL)


def _table_allows(membership: Membership, perm: Perm) -> bool:
    """The policy table lets the membership's role, on its side of the placement, read
    the placement, and (with ``rehab.attendance``) record its attendance."""
    relation = {Relation.PROVIDER if is_provider_side(membership) else Relation.CONTROLLER}
    role = membership.role
    if allowed(role, RecordKind.PLACEMENT, DataClass.BASIC, relation, Action.READ) is None:
        return False
    if perm == Perm.REHAB_ATTENDANCE:
        kind = RecordKind.PLACEMENT_ATTENDANCE
        return allowed(role, kind, DataClass.BASIC, relation, Action.CREATE) is not None
    return True


def placement_grant(
    user: User | AnonymousUser, placement: Placement, perm: Perm
) -> RehabGrant | None:
    """The first membership with ``perm`` that may see the placement, with the basis."""
    for m in memberships_with(user, perm):
        if not _table_allows(m, perm):
            continue
        if is_provider_side(m):
            if placement.provider.organisation_id == m.organisation_id:
                return RehabGrant(m, PROVIDER_BASIS)
        elif placement.organiser_id == m.organisation_id:
            return RehabGrant(m, ORGANISER_BASIS)
    return None


def placements_filter(user: User | AnonymousUser, perm: Perm) -> tuple[Q, Membership] | None:
    """A filter on Placement for everything the user may see with ``perm``, with the
    first membership that grants it; None for nothing."""
    parts: list[Q] = []
    first: Membership | None = None
    for m in memberships_with(user, perm):
        if not _table_allows(m, perm):
            continue
        part = (
            Q(provider__organisation_id=m.organisation_id)
            if is_provider_side(m)
            else Q(organiser_id=m.organisation_id)
        )
        parts.append(part)
        first = first or m
    if not parts or first is None:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined, first


def provider_grant(user: User | AnonymousUser, provider: Provider, perm: Perm) -> RehabGrant | None:
    """Provider staff see their own provider; the organiser side sees every provider."""
    for m in memberships_with(user, perm):
        if is_provider_side(m):
            if provider.organisation_id == m.organisation_id:
                return RehabGrant(m, PROVIDER_BASIS)
        else:
            return RehabGrant(m, ORGANISER_BASIS)
    return None


def organiser_membership(user: User | AnonymousUser, perm: Perm) -> Membership | None:
    """The user's first organiser-side membership with ``perm``."""
    for m in memberships_with(user, perm):
        if not is_provider_side(m):
            return m
    return None
