"""Which clients a staff user may see, and on what basis.

- Client work roles see a client while their organisation has an active service
  relationship with the client (DESIGN.md "Who sees what"). A personal relationship
  (``staff_user`` set, as an IPS coach's) opens the client to that user only.
- Finance analysts see residents of their own organisation's municipality, for the
  funding share task.
- Managers and administrators see no person-level data here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm, Role
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.core import dates


@dataclass(frozen=True)
class AccessGrant:
    membership: Membership
    basis: str

    @property
    def basis_label(self) -> str:
        """The basis in words, in the active language."""
        kind, _sep, detail = self.basis.partition(":")
        if kind == "client_relationship":
            try:
                return str(RelationshipKind(detail).label)
            except ValueError:
                return self.basis
        if kind == "unit_supervisor":
            return str(_("Supervisor of the coach's unit"))
        if kind == "task" and detail == "municipal_funding_share":
            return str(_("Task: the municipal funding share of the home municipality"))
        return self.basis


def relationships_open_to(user: User | AnonymousUser, membership: Membership | None = None) -> Q:
    """The organisation's relationships, and the user's own personal ones; in a
    membership as the supervisor of an IPS unit also the personal relationships of the
    unit's coaches (ADR 0028)."""
    if not isinstance(user, User):
        return Q(staff_user__isnull=True)
    open_to = Q(staff_user__isnull=True) | Q(staff_user_id=user.pk)
    if membership is not None:
        from silta.ips.policies import supervises, unit_coach_relationships

        if supervises(membership):
            open_to |= unit_coach_relationships(membership)
    return open_to


def _relationship_exists(m: Membership, user: User | AnonymousUser) -> Exists:
    today = dates.today()
    return Exists(
        ServiceRelationship.objects.filter(
            client=OuterRef("pk"), organisation_id=m.organisation_id, valid_from__lte=today
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(relationships_open_to(user, m))
    )


def visible_clients_filter(user: User | AnonymousUser, perm: Perm = Perm.CLIENT_VIEW) -> Q | None:
    """A filter on Client for everything the user may see, or None for nothing."""
    parts: list[Q] = []
    for m in memberships_with(user, perm):
        if m.role == Role.FINANCE_ANALYST:
            if m.organisation.municipality_id is not None:
                parts.append(Q(home_municipality_id=m.organisation.municipality_id))
        else:
            parts.append(Q(_relationship_exists(m, user)))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def client_access_grant(user: User | AnonymousUser, client: Client) -> AccessGrant | None:
    """The first membership that lets the user see this client, with the basis."""
    today = dates.today()
    for m in memberships_with(user, Perm.CLIENT_VIEW):
        if m.role == Role.FINANCE_ANALYST:
            if (
                m.organisation.municipality_id is not None
                and client.home_municipality_id == m.organisation.municipality_id
            ):
                return AccessGrant(m, "task:municipal_funding_share")
            continue
        rel = (
            ServiceRelationship.objects.filter(
                client=client, organisation_id=m.organisation_id, valid_from__lte=today
            )
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .filter(relationships_open_to(user, m))
            .order_by("valid_from")
            .first()
        )
        if rel is not None:
            if rel.staff_user_id not in (None, user.pk):
                # a coach's client, seen as the supervisor of the coach's unit
                return AccessGrant(m, f"unit_supervisor:{rel.kind}")
            return AccessGrant(m, f"client_relationship:{rel.kind}")
    return None


def can_view_client(user: User | AnonymousUser, client: Client) -> bool:
    return client_access_grant(user, client) is not None
