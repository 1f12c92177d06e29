"""Who may do what with groups (permissions in ``accounts/roles.py``).

- ``groups.view``: the list of groups and a group's schedule and sessions (no client
  data).
- ``groups.manage`` in the group's organiser (Soite's social workers and instructors):
  create and edit groups, name leaders, add and remove participants, and everything a
  leader may do.
- ``groups.lead`` in the group's leader organisation, and named as the group's
  leader: sessions and attendance. Leaders see their own groups' participants only.

A participant's data is person-level: the reads are logged with the basis below.
Which roles may read and change places and attendance is a row of the policy table
(``silta/privacy/policy.py``, record kinds ``group_place`` and ``group_attendance``):
the functions below ask it, the organiser's organisation being the controller and the
named leaders the ``assigned`` relation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.groups.models import Group
from silta.privacy.policy import Action, DataClass, RecordKind, Relation, allowed

LEADER_BASIS = "task:group_leader"
ORGANISER_BASIS = "task:group_organiser"


@dataclass(frozen=True)
class GroupGrant:
    membership: Membership
    basis: str

    @property
    def is_organiser(self) -> bool:
        return self.basis == ORGANISER_BASIS


def _table_allows(
    membership: Membership,
    relation: Relation,
    action: str,
    kind: RecordKind = RecordKind.GROUP_PLACE,
) -> bool:
    return allowed(membership.role, kind, DataClass.BASIC, {relation}, action) is not None


def organiser_membership(
    user: User | AnonymousUser, organisation: Organisation, action: str = Action.CREATE
) -> Membership | None:
    """The user's ``groups.manage`` membership in ``organisation``, in a role the policy
    table lets do ``action`` on the organisation's group places (its participants)."""
    for m in memberships_with(user, Perm.GROUPS_MANAGE):
        if m.organisation_id == organisation.pk and _table_allows(m, Relation.CONTROLLER, action):
            return m
    return None


def _is_named_leader(user: User | AnonymousUser, group: Group) -> bool:
    if not isinstance(user, User):
        return False
    return group.leaders.filter(pk=user.pk).exists()


def group_grant(user: User | AnonymousUser, group: Group) -> GroupGrant | None:
    """The right to run the group (sessions, attendance, its participants' names), with
    the access basis; None for everybody else. The organiser's staff hold the
    controller relation, the named leaders the assigned one; the table decides which
    roles that opens the places to."""
    for m in memberships_with(user, Perm.GROUPS_MANAGE):
        if m.organisation_id == group.organiser_id and _table_allows(
            m, Relation.CONTROLLER, Action.READ
        ):
            return GroupGrant(m, ORGANISER_BASIS)
    for m in memberships_with(user, Perm.GROUPS_LEAD):
        if (
            m.organisation_id == group.leader_organisation_id
            and _table_allows(m, Relation.ASSIGNED, Action.READ)
            and _is_named_leader(user, group)
        ):
            return GroupGrant(m, LEADER_BASIS)
    return None


def managed_groups_filter(user: User | AnonymousUser) -> Q | None:
    """A filter on Group for the groups the user runs (organiser or named leader)."""
    parts: list[Q] = []
    for m in memberships_with(user, Perm.GROUPS_MANAGE):
        if _table_allows(m, Relation.CONTROLLER, Action.READ):
            parts.append(Q(organiser_id=m.organisation_id))
    if isinstance(user, User):
        for m in memberships_with(user, Perm.GROUPS_LEAD):
            if not _table_allows(m, Relation.ASSIGNED, Action.READ):
                continue
            led = Group.leaders.through.objects.filter(user_id=user.pk).values("group_id")
            parts.append(Q(leader_organisation_id=m.organisation_id, pk__in=led))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def can_be_leader(user: User, organisation: Organisation) -> bool:
    """A leader works in the leader organisation with a role that may lead groups (and
    that the policy table lets record attendance as a named leader)."""
    return any(
        m.organisation_id == organisation.pk
        and _table_allows(m, Relation.ASSIGNED, Action.CREATE, RecordKind.GROUP_ATTENDANCE)
        for m in memberships_with(user, Perm.GROUPS_LEAD)
    )
