"""Who sees which case work, and on what basis (DESIGN.md "Who sees what").

- A client's case file is open to client-work roles whose organisation has an active
  service relationship with the client (joint service membership, accepted referral,
  jobseeker, social work ...). The basis is ``client_relationship:<kind>``.
- A referral is open to its receiving organisation before it is accepted
  (``referral_received``), so that the inbox can decide; accepting opens a
  relationship.
- Notes: *own organisation* stays in the writing organisation; *joint team* is shared
  within an active joint service team (law 381/2023, ``law:joint_service``) or with
  a consent to social data; *health only* stays with the health professionals of the
  writing organisation and leaves it only with a valid consent to health data
  (``consent:<id>``).
- Health findings of a referral (the work-ability concern of a health check) follow
  the same health rule.
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
    ConsentScope,
    JointServiceMember,
    Note,
    NoteVisibility,
    Referral,
)
from silta.clients.models import Client, ServiceRelationship
from silta.core import dates


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
            ServiceRelationship.objects.filter(
                client=OuterRef("pk"), organisation_id__in=org_ids
            ).filter(_active_relationships(dates.today()))
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
    client_id: uuid.UUID, organisation_id: uuid.UUID, scope: str, on: dt.date | None = None
) -> Consent | None:
    """The earliest consent in force on a day (``on``, default today), or None."""
    day = on or dates.today()
    return (
        Consent.objects.filter(
            _consent_valid_q(day), client_id=client_id, organisation_id=organisation_id, scope=scope
        )
        .order_by("valid_from", "pk")
        .first()
    )


@dataclass(frozen=True)
class SharingContext:
    """What one viewer's organisation may receive for one client today."""

    membership: Membership
    team_orgs: frozenset[uuid.UUID]
    social_consent: Consent | None
    health_consent: Consent | None

    @classmethod
    def of(cls, membership: Membership, client_id: uuid.UUID) -> SharingContext:
        return cls(
            membership=membership,
            team_orgs=frozenset(team_organisation_ids(client_id)),
            social_consent=valid_consent(
                client_id, membership.organisation_id, ConsentScope.SOCIAL
            ),
            health_consent=valid_consent(
                client_id, membership.organisation_id, ConsentScope.HEALTH
            ),
        )

    @classmethod
    def of_many(
        cls, membership: Membership, client_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, SharingContext]:
        """``of`` for many clients at once, in two queries instead of three per client."""
        ids = set(client_ids)
        day = dates.today()
        teams: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for client_id, org_id in JointServiceMember.objects.filter(
            _team_active_q(day), joint_service__client_id__in=ids
        ).values_list("joint_service__client_id", "organisation_id"):
            teams[client_id].add(org_id)
        consents: dict[tuple[uuid.UUID, str], Consent] = {}
        for consent in Consent.objects.filter(
            _consent_valid_q(day),
            client_id__in=ids,
            organisation_id=membership.organisation_id,
            scope__in=[ConsentScope.SOCIAL, ConsentScope.HEALTH],
        ).order_by("valid_from", "pk"):
            consents.setdefault((consent.client_id, consent.scope), consent)
        return {
            client_id: cls(
                membership=membership,
                team_orgs=frozenset(teams.get(client_id, ())),
                social_consent=consents.get((client_id, ConsentScope.SOCIAL)),
                health_consent=consents.get((client_id, ConsentScope.HEALTH)),
            )
            for client_id in ids
        }

    @property
    def is_health_professional(self) -> bool:
        return self.membership.role == Role.HEALTH_PROFESSIONAL

    def health_basis(self, owner_organisation_id: uuid.UUID) -> str | None:
        """Basis to see health data held by ``owner_organisation_id``, or None."""
        if self.is_health_professional and self.membership.organisation_id == owner_organisation_id:
            return "own_organisation:health_role"
        if self.health_consent is not None:
            return f"consent:{self.health_consent.pk}"
        return None

    def note_basis(self, note: Note) -> str | None:
        """Why this viewer may read the note, or None when they may not."""
        own = self.membership.organisation_id
        if note.visibility == NoteVisibility.HEALTH_ONLY:
            return self.health_basis(note.organisation_id)
        if note.organisation_id == own:
            return "own_organisation"
        if note.visibility == NoteVisibility.JOINT_TEAM:
            if own in self.team_orgs and note.organisation_id in self.team_orgs:
                return "law:joint_service"
            if self.social_consent is not None:
                return f"consent:{self.social_consent.pk}"
        return None

    def referral_finding_basis(self, referral: Referral) -> str | None:
        """Basis to see a referral's health findings (work-ability concern)."""
        return self.health_basis(referral.to_organisation_id)


def referral_sharing_basis(
    *, client_id: uuid.UUID, from_org: uuid.UUID, to_org: uuid.UUID, shares: str
) -> str | None:
    """The recorded basis for a referral that carries social or health data to another
    organisation, or None when there is none (the referral must not be sent)."""
    if shares == "none":
        return "none"
    consent = valid_consent(client_id, to_org, shares)
    if consent is not None:
        return f"consent:{consent.pk}"
    if shares == ConsentScope.SOCIAL:
        team = team_organisation_ids(client_id)
        if from_org in team and to_org in team:
            return "law:joint_service"
    return None


def referral_side(user: User | AnonymousUser, referral: Referral) -> tuple[str, Membership] | None:
    """("receiver"|"sender", membership) for a user who may handle the referral."""
    for m in memberships_with(user, Perm.REFERRAL_INBOX):
        if m.organisation_id == referral.to_organisation_id:
            return "receiver", m
    for m in memberships_with(user, Perm.CASEWORK_WRITE):
        if m.organisation_id == referral.from_organisation_id:
            return "sender", m
    return None
