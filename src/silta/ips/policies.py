"""Who may do what in IPS supported employment (permissions in ``accounts/roles.py``).

- ``ips.view``: the employer register (no client data). IPS coaches.
- ``ips.coach``: a coach refers clients into coaching, records employer work, and sees
  and edits only the episodes where they are the coach. Another coach, a manager or an
  administrator gets 404 for someone else's episode.
- ``ips.results``: the aggregated results, suppressed (managers and coaches).
- A coach hands an open episode over to another coach of the same organisation; an
  administrator (``ips.reassign``) moves all open episodes of a departing coach to
  another, seeing the coaches and their episode counts, never the clients.
- Employers are records, never users.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm, Role
from silta.core import dates
from silta.ips.models import CoachingEpisode


def coach_membership(user: User | AnonymousUser) -> Membership | None:
    """The user's first active membership as an IPS coach."""
    found = memberships_with(user, Perm.IPS_COACH)
    return found[0] if found else None


def is_coach_of(user: User | AnonymousUser, episode: CoachingEpisode) -> bool:
    return (
        isinstance(user, User)
        and episode.coach_id == user.pk
        and coach_membership(user) is not None
    )


def can_view_employers(user: User | AnonymousUser) -> bool:
    return bool(memberships_with(user, Perm.IPS_VIEW))


def can_edit_employers(user: User | AnonymousUser) -> bool:
    return coach_membership(user) is not None


def can_see_results(user: User | AnonymousUser) -> bool:
    return bool(memberships_with(user, Perm.IPS_RESULTS))


def active_coaches(organisation_id: uuid.UUID | None = None) -> QuerySet[User]:
    """Users who coach today (an active account and an IPS coach membership in force),
    for the given organisation or any: the coaches an episode may be handed over to."""
    today = dates.today()
    where = Q(
        Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gte=today),
        memberships__organisation__is_active=True,
        memberships__role=Role.IPS_COACH,
        memberships__valid_from__lte=today,
    )
    if organisation_id is not None:
        where &= Q(memberships__organisation_id=organisation_id)
    return (
        User.objects.filter(where, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
