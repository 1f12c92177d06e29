"""Who may do what in IPS supported employment (permissions in ``accounts/roles.py``).

- ``ips.view``: the employer register (no client data). IPS coaches.
- ``ips.coach``: a coach refers clients into coaching, records employer work, and sees
  and edits only the episodes where they are the coach. Another coach, a manager or an
  administrator gets 404 for someone else's episode.
- ``ips.results``: the aggregated results, suppressed (managers and coaches).
- Employers are records, never users.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
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
