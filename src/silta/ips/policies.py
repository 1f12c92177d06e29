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

Who may read and change an episode is a row of the policy table
(``silta/privacy/policy.py``, record kind ``ips_episode``): the functions below ask it.
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
from silta.privacy.policy import Action, DataClass, RecordKind, Relation, allowed


def _table_allows(membership: Membership, relation: Relation, action: str) -> bool:
    return (
        allowed(membership.role, RecordKind.IPS_EPISODE, DataClass.BASIC, {relation}, action)
        is not None
    )


def coach_membership(user: User | AnonymousUser) -> Membership | None:
    """The user's first active membership as an IPS coach: one in whose role the policy
    table lets a coach read the episodes named to them."""
    for m in memberships_with(user, Perm.IPS_COACH):
        if _table_allows(m, Relation.ASSIGNED, Action.READ):
            return m
    return None


def intake_membership(user: User | AnonymousUser) -> Membership | None:
    """The membership in which the user may take a client into coaching (a new episode
    in the register of that membership's organisation), per the policy table."""
    for m in memberships_with(user, Perm.IPS_COACH):
        if _table_allows(m, Relation.CONTROLLER, Action.CREATE):
            return m
    return None


def is_coach_of(
    user: User | AnonymousUser, episode: CoachingEpisode, action: str = Action.CHANGE
) -> bool:
    """The user is the episode's coach and the table lets the coach do ``action``."""
    if not isinstance(user, User) or episode.coach_id != user.pk:
        return False
    return any(
        _table_allows(m, Relation.ASSIGNED, action) for m in memberships_with(user, Perm.IPS_COACH)
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


# --- the supervisor of an IPS unit (ADR 0028) ------------------------------------------


def supervises(membership: Membership, action: str = Action.READ) -> bool:
    """The membership's role may do ``action`` as the supervisor of its unit, per the
    table (the unit is the membership's organisation)."""
    return _table_allows(membership, Relation.SUPERVISOR, action)


def supervisor_memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships in force as the supervisor of an IPS unit."""
    return [m for m in memberships_with(user, Perm.IPS_SUPERVISE) if supervises(m)]


def is_supervisor_of(
    user: User | AnonymousUser, episode: CoachingEpisode, action: str = Action.READ
) -> bool:
    """The user supervises the unit the episode is in, the episode is open and the
    table lets the supervisor do ``action``. An ended episode is its coach's alone."""
    if not isinstance(user, User) or not episode.is_open:
        return False
    return any(
        m.organisation_id == episode.organisation_id and supervises(m, action)
        for m in memberships_with(user, Perm.IPS_SUPERVISE)
    )


def unit_coach_relationships(membership: Membership) -> Q:
    """A filter on ServiceRelationship: the personal relationships of the coaches of
    the membership's unit (any coach who has held the role there, so a leaver's open
    clients stay in sight until they are moved), when the membership supervises it."""
    if not supervises(membership):
        return Q(pk__in=[])
    return Q(
        staff_user__memberships__organisation_id=membership.organisation_id,
        staff_user__memberships__role=Role.IPS_COACH,
    )
