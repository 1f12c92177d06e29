"""Who may do what in governance (permissions in ``accounts/roles.py``).

- The agreement, bodies, meetings, decisions and action items carry no personal data
  of clients: staff with ``governance.view`` read them. ``governance.manage`` records
  them, for an agreement its preparing organisation and the organisations of its
  party municipalities, for a body its convener's staff and its members.
- A municipality's decision on an agreement version is the municipality's: only its
  own staff (``governance.manage`` in an organisation of kind municipality of that
  municipality) record it, or a delegate the municipality has authorised with a
  recorded decision (``ApprovalDelegation`` in force today, naming the user or the
  user's organisation). Everybody else is refused and nothing is written (issue 13).
  Delegations are recorded and ended by the municipality's own staff only.
- An action item's owner may mark it done.
- Work ability network cases are person-level. The network's coordinators
  (``governance.network_manage`` in the convener organisation) see every case of the
  network on the basis ``task:work_ability_network``; the referring organisation
  sees its own referrals while it works with the client (``network_referral_sent``).
  Managers see yearly counts only. Anybody else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import OrganisationKind, Perm
from silta.casework.policies import casework_grant
from silta.core import dates
from silta.governance.models import (
    ActionItem,
    Agreement,
    ApprovalDelegation,
    Body,
    BodyKind,
    NetworkCase,
)
from silta.places.models import Municipality

NETWORK_BASIS = "task:work_ability_network"
REFERRER_BASIS = "network_referral_sent"


@dataclass(frozen=True)
class NetworkGrant:
    membership: Membership
    basis: str

    @property
    def is_coordinator(self) -> bool:
        return self.basis == NETWORK_BASIS


def agreement_manager(user: User | AnonymousUser, agreement: Agreement) -> Membership | None:
    party_ids = set(agreement.municipalities.values_list("pk", flat=True))
    for m in memberships_with(user, Perm.GOVERNANCE_MANAGE):
        if m.organisation_id == agreement.owner_id:
            return m
        if m.organisation.municipality_id in party_ids:
            return m
    return None


def municipal_staff(user: User | AnonymousUser, municipality: Municipality) -> Membership | None:
    """The user's ``governance.manage`` membership in the municipality's own
    organisation (kind municipality), or None."""
    for m in memberships_with(user, Perm.GOVERNANCE_MANAGE):
        if (
            m.organisation.kind == OrganisationKind.MUNICIPALITY
            and m.organisation.municipality_id == municipality.pk
        ):
            return m
    return None


def delegation_for(
    user: User | AnonymousUser, municipality: Municipality
) -> ApprovalDelegation | None:
    """The municipality's delegation in force today that names the user or one of the
    user's organisations where the user may record governance decisions."""
    memberships = memberships_with(user, Perm.GOVERNANCE_MANAGE)
    if not memberships or not isinstance(user, User):
        return None
    today = dates.today()
    return (
        ApprovalDelegation.objects.filter(municipality=municipality, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(
            Q(delegate_user=user)
            | Q(delegate_organisation_id__in={m.organisation_id for m in memberships})
        )
        .order_by("valid_from", "pk")
        .first()
    )


def may_record_decision_of(user: User | AnonymousUser, municipality: Municipality) -> bool:
    """The municipality's own staff, or its authorised delegate."""
    return (
        municipal_staff(user, municipality) is not None
        or delegation_for(user, municipality) is not None
    )


def decision_municipalities(user: User | AnonymousUser, agreement: Agreement) -> list[Municipality]:
    """The party municipalities whose decisions the user may record, by code."""
    return [m for m in agreement.municipalities.order_by("code") if may_record_decision_of(user, m)]


def body_manager(user: User | AnonymousUser, body: Body) -> Membership | None:
    memberships = memberships_with(user, Perm.GOVERNANCE_MANAGE)
    for m in memberships:
        if m.organisation_id == body.convener_id:
            return m
    if not isinstance(user, User):
        return None
    today = dates.today()
    if memberships and (
        body.members.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .exists()
    ):
        return memberships[0]
    return None


def can_move_action(user: User | AnonymousUser, action: ActionItem) -> bool:
    if getattr(user, "pk", None) == action.owner_id and memberships_with(
        user, Perm.GOVERNANCE_VIEW
    ):
        return True
    return body_manager(user, action.meeting.body) is not None


def network_coordinator(user: User | AnonymousUser, network: Body) -> Membership | None:
    """The user's membership that coordinates this network's cases, or None."""
    if network.kind != BodyKind.WORK_ABILITY_NETWORK:
        return None
    for m in memberships_with(user, Perm.NETWORK_MANAGE):
        if m.organisation_id == network.convener_id:
            return m
    return None


def network_filter(user: User | AnonymousUser) -> tuple[Q, Membership] | None:
    """A filter on NetworkCase for the networks the user coordinates."""
    found = [
        m
        for m in memberships_with(user, Perm.NETWORK_MANAGE)
        if Body.objects.filter(
            kind=BodyKind.WORK_ABILITY_NETWORK, convener_id=m.organisation_id
        ).exists()
    ]
    if not found:
        return None
    return Q(network__convener_id__in={m.organisation_id for m in found}), found[0]


def network_case_grant(user: User | AnonymousUser, case: NetworkCase) -> NetworkGrant | None:
    coordinator = network_coordinator(user, case.network)
    if coordinator is not None:
        return NetworkGrant(coordinator, NETWORK_BASIS)
    grant = casework_grant(user, case.client, Perm.CASEWORK_VIEW)
    if grant is not None and grant.membership.organisation_id == case.from_organisation_id:
        return NetworkGrant(grant.membership, REFERRER_BASIS)
    return None
