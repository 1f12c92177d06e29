"""Who sees which case work, and on what basis (DESIGN.md "Who sees what").

- A client's case file is open to client-work roles whose organisation has an active
  service relationship with the client. The basis is ``client_relationship:<kind>``.
- Each record inside it is read, changed or ended only as the policy table
  (``silta/privacy/policy.py``) allows, given how the viewer's organisation stands to
  the record's controller: ``SharingContext`` works that out per client.
- A referral is open to its receiving organisation while it is open or while the
  receiver works with the client (``referral_received``); its sender is its
  controller and keeps reading it (``own_record``) after its relationship ends.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm, Role
from silta.casework.models import (
    Consent,
    JointServiceMember,
    Note,
    Plan,
    Referral,
    ReferralStatus,
)
from silta.clients.models import Client, ServiceRelationship
from silta.clients.policies import relationships_open_to
from silta.core import dates
from silta.privacy.policy import (
    CLIENT_WORK,
    HEALTH_CLASSES,
    Action,
    DataClass,
    RecordKind,
    Relation,
    allowed,
    controller_id,
    rating_class,
    record_class,
)


@dataclass(frozen=True)
class CaseGrant:
    membership: Membership
    basis: str


def _active_relationships(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def casework_grant(
    user: User | AnonymousUser, client: Client, perm: Perm = Perm.CASEWORK_VIEW
) -> CaseGrant | None:
    """The first membership with ``perm`` whose organisation works with the client."""
    today = dates.today()
    for m in memberships_with(user, perm):
        rel = (
            ServiceRelationship.objects.filter(client=client, organisation_id=m.organisation_id)
            .filter(_active_relationships(today))
            .filter(relationships_open_to(user))
            .order_by("valid_from")
            .first()
        )
        if rel is not None:
            return CaseGrant(m, f"client_relationship:{rel.kind}")
    return None


def casework_clients_filter(
    user: User | AnonymousUser, perm: Perm = Perm.CASEWORK_VIEW
) -> Q | None:
    """A filter on Client for every client whose case work the user may see."""
    org_ids = {m.organisation_id for m in memberships_with(user, perm)}
    if not org_ids:
        return None
    return Q(
        Exists(
            ServiceRelationship.objects.filter(client=OuterRef("pk"), organisation_id__in=org_ids)
            .filter(_active_relationships(dates.today()))
            .filter(relationships_open_to(user))
        )
    )


def _team_active_q(day: dt.date) -> Q:
    """JointServiceMember rows whose joint service runs on ``day``."""
    return Q(joint_service__started_on__lte=day) & (
        Q(joint_service__ended_on__isnull=True) | Q(joint_service__ended_on__gte=day)
    )


def _consent_valid_q(day: dt.date) -> Q:
    """Consents in force on ``day``."""
    return Q(withdrawn_at__isnull=True, valid_from__lte=day) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def team_organisation_ids(client_id: uuid.UUID, on: dt.date | None = None) -> set[uuid.UUID]:
    """Organisations in the client's joint service team on a day (empty if none)."""
    day = on or dates.today()
    return set(
        JointServiceMember.objects.filter(
            _team_active_q(day), joint_service__client_id=client_id
        ).values_list("organisation_id", flat=True)
    )


def valid_consent(
    client_id: uuid.UUID,
    *,
    controller_id: uuid.UUID,
    recipient_id: uuid.UUID,
    data_class: str,
    on: dt.date | None = None,
) -> Consent | None:
    """The earliest consent in force on a day (``on``, default today) by which the
    controller discloses ``data_class`` to the recipient, or None."""
    day = on or dates.today()
    for consent in Consent.objects.filter(
        _consent_valid_q(day),
        client_id=client_id,
        controller_id=controller_id,
        recipient_id=recipient_id,
    ).order_by("valid_from", "pk"):
        if consent.covers(data_class):
            return consent
    return None


def _active_relationship_orgs(
    client_ids: Iterable[uuid.UUID], org_id: uuid.UUID, user_id: uuid.UUID | None = None
) -> set[uuid.UUID]:
    """The clients among ``client_ids`` the organisation works with today; with
    ``user_id``, a personal relationship (a coach's) counts only for its own user."""
    personal = Q(staff_user__isnull=True)
    if user_id is not None:
        personal |= Q(staff_user_id=user_id)
    return set(
        ServiceRelationship.objects.filter(client_id__in=list(client_ids), organisation_id=org_id)
        .filter(_active_relationships(dates.today()))
        .filter(personal if user_id is not None else Q())
        .values_list("client_id", flat=True)
    )


_BASIS = {
    Relation.CONTROLLER: "own_organisation",
    Relation.CONTROLLER_ENDED: "own_record",
    Relation.PARTY: "referral_received",
    Relation.TEAM: "law:joint_service",
    Relation.RELATIONSHIP: "client_relationship",
}


@dataclass(frozen=True)
class SharingContext:
    """What one viewer's organisation may receive for one client today: the input of
    the policy table (silta/privacy/policy.py) for every record of the client."""

    membership: Membership
    team_orgs: frozenset[uuid.UUID]
    consents: tuple[Consent, ...]
    """Consents in force that name the viewer's organisation as the recipient."""
    relationship_active: bool

    @classmethod
    def of(cls, membership: Membership, client_id: uuid.UUID) -> SharingContext:
        return cls.of_many(membership, [client_id])[client_id]

    @classmethod
    def of_many(
        cls, membership: Membership, client_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, SharingContext]:
        """``of`` for many clients at once, in three queries."""
        ids = set(client_ids)
        day = dates.today()
        teams: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for client_id, org_id in JointServiceMember.objects.filter(
            _team_active_q(day), joint_service__client_id__in=ids
        ).values_list("joint_service__client_id", "organisation_id"):
            teams[client_id].add(org_id)
        consents: dict[uuid.UUID, list[Consent]] = defaultdict(list)
        for consent in Consent.objects.filter(
            _consent_valid_q(day),
            client_id__in=ids,
            recipient_id=membership.organisation_id,
        ).order_by("valid_from", "pk"):
            consents[consent.client_id].append(consent)
        active = _active_relationship_orgs(ids, membership.organisation_id, membership.user_id)
        return {
            client_id: cls(
                membership=membership,
                team_orgs=frozenset(teams.get(client_id, ())),
                consents=tuple(consents.get(client_id, ())),
                relationship_active=client_id in active,
            )
            for client_id in ids
        }

    @property
    def is_health_professional(self) -> bool:
        return self.membership.role == Role.HEALTH_PROFESSIONAL

    def consent_for(self, controller_id: object, data_class: str) -> Consent | None:
        """The consent by which ``controller_id`` discloses ``data_class`` to the
        viewer's organisation, or None."""
        return next(
            (c for c in self.consents if c.controller_id == controller_id and c.covers(data_class)),
            None,
        )

    def relations(self, controller_id: object, data_class: str, *, party: bool = False) -> set[str]:
        """The relations the viewer holds to a record of ``controller_id``."""
        own = self.membership.organisation_id
        held: set[str] = set()
        if controller_id == own:
            held.add(Relation.CONTROLLER if self.relationship_active else Relation.CONTROLLER_ENDED)
        if party:
            held.add(Relation.PARTY)
        if own in self.team_orgs and controller_id in self.team_orgs and self.relationship_active:
            held.add(Relation.TEAM)
        if self.relationship_active:
            held.add(Relation.RELATIONSHIP)
        # a consent opens data to an organisation that works with the client; an
        # ended relationship ends it too (issue 13)
        if (
            self.relationship_active
            and data_class != DataClass.BASIC
            and self.consent_for(controller_id, data_class)
        ):
            held.add(Relation.CONSENT)
        return held

    def basis(
        self,
        kind: str,
        data_class: str,
        controller_id: object,
        action: str = Action.READ,
        *,
        party: bool = False,
    ) -> str | None:
        """The basis (as written to the access log) on which the viewer may do
        ``action`` on a record, or None when the policy table allows nothing."""
        relation = allowed(
            self.membership.role,
            kind,
            data_class,
            self.relations(controller_id, data_class, party=party),
            action,
        )
        if relation is None:
            return None
        if relation == Relation.CONSENT:
            consent = self.consent_for(controller_id, data_class)
            assert consent is not None
            return f"consent:{consent.pk}"
        if (
            relation == Relation.CONTROLLER
            and data_class in HEALTH_CLASSES
            and self.is_health_professional
        ):
            return "own_organisation:health_role"
        return _BASIS[Relation(relation)]

    def health_basis(self, owner_organisation_id: uuid.UUID) -> str | None:
        """Basis to see a health finding held by ``owner_organisation_id``, or None."""
        return self.basis(RecordKind.FINDING, DataClass.HEALTH, owner_organisation_id)

    def note_basis(self, note: Note) -> str | None:
        """Why this viewer may read the note, or None when they may not."""
        kind, data_class = record_class(note)
        return self.basis(kind, data_class, note.organisation_id)

    def rating_basis(self, domain: str, controller_id: uuid.UUID) -> str | None:
        """Why this viewer may read an assessment's rating of ``domain``."""
        return self.basis(RecordKind.RATING, rating_class(domain), controller_id)

    def referral_finding_basis(self, referral: Referral) -> str | None:
        """Basis to see a referral's health findings (work-ability concern): the
        checking unit is their controller."""
        return self.health_basis(referral.to_organisation_id)


def referral_sharing_basis(
    *, client_id: uuid.UUID, from_org: uuid.UUID, to_org: uuid.UUID, shares: str
) -> str | None:
    """The recorded basis for a referral that carries social or health data of the
    sending organisation (their controller) to another organisation, or None when
    there is none (the referral must not be sent)."""
    if shares == "none":
        return "none"
    consent = valid_consent(
        client_id, controller_id=from_org, recipient_id=to_org, data_class=shares
    )
    if consent is not None:
        return f"consent:{consent.pk}"
    if shares == DataClass.SOCIAL:
        team = team_organisation_ids(client_id)
        if from_org in team and to_org in team:
            return "law:joint_service"
    return None


def _referral_open_or_related(referral: Referral, org_id: uuid.UUID) -> bool:
    if referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.SCHEDULED):
        return True
    return bool(_active_relationship_orgs([referral.client_id], org_id))


def referral_side(
    user: User | AnonymousUser, referral: Referral, action: str = Action.READ
) -> tuple[str, Membership] | None:
    """("receiver"|"sender", membership) for a user who may read (or handle, with
    ``action``) the referral. The receiver reads it while it is open or while its
    organisation works with the client; the sender is its controller, and keeps
    reading it after its relationship with the client ends."""
    for m in memberships_with(user, Perm.REFERRAL_INBOX):
        if m.organisation_id == referral.to_organisation_id and _referral_open_or_related(
            referral, m.organisation_id
        ):
            ctx = SharingContext.of(m, referral.client_id)
            if m.role in CLIENT_WORK:
                if ctx.basis(
                    RecordKind.REFERRAL, DataClass.BASIC, referral.from_organisation_id, action,
                    party=True,
                ):  # fmt: skip
                    return "receiver", m
            else:
                # the IPS unit's inbox (coaches): the referral is addressed to it
                return "receiver", m
    for m in memberships_with(user, Perm.CASEWORK_WRITE):
        if m.organisation_id == referral.from_organisation_id:
            ctx = SharingContext.of(m, referral.client_id)
            if ctx.basis(RecordKind.REFERRAL, DataClass.BASIC, m.organisation_id, action):
                return "sender", m
    return None


def record_membership(
    user: User | AnonymousUser,
    record: object,
    action: str,
    perm: Perm = Perm.CASEWORK_WRITE,
) -> tuple[Membership, str] | None:
    """The user's membership that may do ``action`` on a case-work record, with the
    basis, as the policy table says (the controller changes and ends its records)."""
    kind, data_class = record_class(record)
    owner = controller_id(record)
    client_id = record.client_id  # type: ignore[attr-defined]
    for m in memberships_with(user, perm):
        party = isinstance(record, Plan) and _plan_sent_to_network_of(record, m.organisation_id)
        basis = SharingContext.of(m, client_id).basis(kind, data_class, owner, action, party=party)
        if basis is not None:
            return m, basis
    return None


def _plan_sent_to_network_of(plan: Plan, organisation_id: uuid.UUID) -> bool:
    """The plan's owner referred the client to a work ability network that the
    organisation convenes, naming this plan, and the case is still open: the owner
    asked for the network's consultation in its plan."""
    from silta.governance.models import NetworkCase

    return (
        NetworkCase.objects.filter(
            plan=plan,
            network__convener_id=organisation_id,
            from_organisation_id=plan.organisation_id,
        )
        .filter(status__in=["referred", "scheduled", "consulted"])
        .exists()
    )
