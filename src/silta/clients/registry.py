"""Registry upkeep (issue 16): add one client, correct identity data, record a move to
another home municipality, mark a client deceased.

Who may: a case worker (employment area), a social worker (adult social work) or a
Kela expert (``REGISTRY_ROLES``). Adding a client opens their organisation's client
relationship, so the new client is theirs to see. Correcting, moving and marking a
death need that the actor's organisation works with the client now.

Every write is keyword-only, validated first (a ``ValidationError`` keyed by field,
nothing written), in one transaction, logged in the change log with old and new
values, and raises the client's ``version`` (a form opened before another save is
refused with ``StaleEdit``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import OrganisationKind, Perm, Role
from silta.audit.models import SecurityEventKind
from silta.audit.services import change_log_write, model_changes, security_event_write
from silta.catalogue.errors import StaleEdit
from silta.clients.identity import birth_date_of, validate_personal_id
from silta.clients.models import (
    Client,
    ClientLanguage,
    HomeMunicipality,
    RelationshipKind,
    ServiceRelationship,
    UnemploymentSpell,
)
from silta.clients.policies import client_access_grant, relationships_open_to
from silta.clients.services import CLIENT_FIELDS, client_create, client_move, relationship_open
from silta.core import dates
from silta.places.models import Municipality

REGISTRY_ROLES: frozenset[str] = frozenset({Role.CASE_WORKER, Role.SOCIAL_WORKER, Role.KELA_EXPERT})
"""Roles that keep the client registry up to date (deny by default for the rest)."""

RELATIONSHIP_OF_KIND: dict[str, str] = {
    OrganisationKind.EMPLOYMENT_SERVICES: RelationshipKind.JOBSEEKER,
    OrganisationKind.WELLBEING_COUNTY_UNIT: RelationshipKind.SOCIAL_WORK,
    OrganisationKind.KELA: RelationshipKind.KELA_BENEFITS,
}
"""The client relationship a new client gets with the adding organisation."""

IDENTITY_FIELDS = ["personal_id", "last_name", "first_names", "birth_date", "language"]
CONTACT_FIELDS = ["phone", "email", "occupational_health_care"]


class RegistryError:
    DUPLICATE_VISIBLE = "clients.duplicate"
    DUPLICATE_HIDDEN = "clients.not_added"
    MOVE_BEFORE_BIRTH = "clients.move_before_birth"
    MOVE_IN_FUTURE = "clients.move_in_future"
    DEATH_BEFORE_BIRTH = "clients.death_before_birth"
    DEATH_IN_FUTURE = "clients.death_in_future"
    DECEASED = "clients.deceased"


def registry_memberships(user: User | AnonymousUser) -> list[Membership]:
    """The actor's memberships that may keep the registry (role and organisation kind)."""
    return [
        m
        for m in memberships_with(user, Perm.CLIENT_VIEW)
        if m.role in REGISTRY_ROLES and m.organisation.kind in RELATIONSHIP_OF_KIND
    ]


def can_add_clients(user: User | AnonymousUser) -> bool:
    return bool(registry_memberships(user))


def registry_membership_for(user: User | AnonymousUser, client: Client) -> Membership | None:
    """A registry membership whose organisation works with the client today, or None."""
    today = dates.today()
    for m in registry_memberships(user):
        if (
            ServiceRelationship.objects.filter(
                client=client, organisation_id=m.organisation_id, valid_from__lte=today
            )
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .filter(relationships_open_to(user))
            .exists()
        ):
            return m
    return None


def _require(user: User, client: Client) -> Membership:
    m = registry_membership_for(user, client)
    if m is None:
        raise PermissionDenied("clients.registry")
    return m


def _lock(client: Client, version: int | None) -> Client:
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if version is not None and locked.version != version:
        raise StaleEdit(
            _(
                "Somebody else saved this client's data after you opened the page. "
                "Nothing was saved: open the page again and redo your change."
            ),
            code="clients.stale_version",
        )
    return locked


@dataclass(frozen=True)
class Duplicate:
    """The identity code is taken; ``client`` only when the actor may see them."""

    client: Client | None


class DuplicateClient(ValidationError):
    def __init__(self, message: str, code: str, duplicate: Duplicate) -> None:
        super().__init__({"personal_id": [ValidationError(message, code=code)]})
        self.duplicate = duplicate


def client_add(
    *,
    actor: User,
    personal_id: str,
    last_name: str,
    first_names: str,
    home_municipality: Municipality,
    home_since: dt.date,
    language: str = ClientLanguage.FI,
    phone: str = "",
    email: str = "",
    occupational_health_care: bool | None = None,
) -> Client:
    """Add one client and open the actor's organisation's relationship with them.

    A duplicate identity code is refused: with the existing client (``DuplicateClient``
    carries them) when the actor may see them, else with a neutral message that does
    not say whether the person is somebody's client (and a security-log row)."""
    memberships = registry_memberships(actor)
    if not memberships:
        raise PermissionDenied("clients.registry")
    membership = memberships[0]
    try:
        code = validate_personal_id(personal_id)
    except ValidationError as exc:
        raise ValidationError({"personal_id": [exc]}) from None
    existing = Client.objects.filter(personal_id=code).first()
    if existing is not None:
        if client_access_grant(actor, existing) is not None:
            raise DuplicateClient(
                _("This person is already a client: open their page instead."),
                RegistryError.DUPLICATE_VISIBLE,
                Duplicate(existing),
            )
        security_event_write(
            SecurityEventKind.CLIENT_ACCESS_REFUSED,
            actor=actor,
            target_type="clients.client",
            detail={"reason": "registry_add_duplicate"},
        )
        raise DuplicateClient(
            _(
                "A client cannot be added with this identity code. If another organisation "
                "works with the person, ask it to refer them to you."
            ),
            RegistryError.DUPLICATE_HIDDEN,
            Duplicate(None),
        )
    errors: dict[str, list[ValidationError]] = {}
    birth = birth_date_of(code)
    if home_since < birth:
        errors["home_since"] = [
            ValidationError(
                _("The date is before the client's birth."), code=RegistryError.MOVE_BEFORE_BIRTH
            )
        ]
    elif home_since > dates.today():
        errors["home_since"] = [
            ValidationError(_("The date is in the future."), code=RegistryError.MOVE_IN_FUTURE)
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        client = client_create(
            actor=actor,
            personal_id=code,
            last_name=last_name,
            first_names=first_names,
            home_municipality=home_municipality,
            home_since=home_since,
            language=language,
            phone=phone,
            email=email,
        )
        if occupational_health_care is not None:
            client.occupational_health_care = occupational_health_care
            client.save(update_fields=["occupational_health_care", "updated_at"])
        relationship_open(
            actor=actor,
            client=client,
            organisation=membership.organisation,
            kind=RELATIONSHIP_OF_KIND[membership.organisation.kind],
            valid_from=dates.today(),
        )
    return client


@transaction.atomic
def client_correct(
    *,
    actor: User,
    client: Client,
    version: int,
    personal_id: str,
    last_name: str,
    first_names: str,
    language: str,
    phone: str = "",
    email: str = "",
    occupational_health_care: bool | None = None,
) -> Client:
    """Correct identity and contact data; the change log keeps the old values."""
    _require(actor, client)
    locked = _lock(client, version)
    errors: dict[str, list[ValidationError]] = {}
    code = locked.personal_id
    try:
        code = validate_personal_id(personal_id)
    except ValidationError as exc:
        errors["personal_id"] = [exc]
    if code != locked.personal_id and Client.objects.filter(personal_id=code).exists():
        errors["personal_id"] = [
            ValidationError(
                _("Another client has this identity code; nothing was changed."),
                code=RegistryError.DUPLICATE_HIDDEN,
            )
        ]
    if not last_name.strip():
        errors["last_name"] = [ValidationError(_("Required."), code="clients.required")]
    if not first_names.strip():
        errors["first_names"] = [ValidationError(_("Required."), code="clients.required")]
    if language not in ClientLanguage.values:
        errors["language"] = [
            ValidationError(_("Unknown language."), code="clients.unknown_language")
        ]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [
                ValidationError(_("Enter a valid email address."), code="clients.email")
            ]
    if errors:
        raise ValidationError(errors)
    fields = IDENTITY_FIELDS + CONTACT_FIELDS
    before = {f: getattr(locked, f) for f in fields}
    locked.personal_id = code
    locked.birth_date = birth_date_of(code)
    locked.last_name = last_name.strip()
    locked.first_names = first_names.strip()
    locked.search_name = Client.make_search_name(locked.last_name, locked.first_names)
    locked.language = language
    locked.phone = phone.strip()
    locked.email = email.strip()
    locked.occupational_health_care = occupational_health_care
    changes = model_changes(before, locked, fields)
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    change_log_write(actor=actor, event="client.corrected", target=locked, changes=changes)
    return locked


@transaction.atomic
def client_move_home(
    *,
    actor: User,
    client: Client,
    version: int,
    municipality: Municipality,
    moved_on: dt.date,
) -> Client:
    """A new home municipality from a date (the history keeps the old one). A date
    before the client's birth or after today is refused, nothing written."""
    _require(actor, client)
    locked = _lock(client, version)
    if moved_on < locked.birth_date:
        raise ValidationError(
            {
                "moved_on": [
                    ValidationError(
                        _("The move date is before the client's birth."),
                        code=RegistryError.MOVE_BEFORE_BIRTH,
                    )
                ]
            }
        )
    if moved_on > dates.today():
        raise ValidationError(
            {
                "moved_on": [
                    ValidationError(
                        _("The move date is in the future: record a move once it has happened."),
                        code=RegistryError.MOVE_IN_FUTURE,
                    )
                ]
            }
        )
    if locked.deceased_on is not None and moved_on > locked.deceased_on:
        raise ValidationError(
            {
                "moved_on": [
                    ValidationError(
                        _("The move date is after the client's death."),
                        code=RegistryError.DECEASED,
                    )
                ]
            }
        )
    moved = client_move(actor=actor, client=locked, municipality=municipality, moved_on=moved_on)
    moved.version += 1
    moved.save(update_fields=["version", "updated_at"])
    return moved


def municipality_on(client_ids: list[str], day: dt.date) -> dict[str, str]:
    """``{personal_id: municipality code}`` of the home municipality on ``day`` from the
    history (the current one when the history does not reach back that far)."""
    out: dict[str, str] = {}
    for i in range(0, len(client_ids), 500):
        chunk = client_ids[i : i + 500]
        rows = (
            HomeMunicipality.objects.filter(client__personal_id__in=chunk, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .values_list("client__personal_id", "municipality__code")
        )
        out.update(dict(rows))
    return out


@dataclass(frozen=True)
class DeathClosed:
    referrals: int
    plans: int
    joint_services: int
    spells: int
    applications: int


@transaction.atomic
def client_mark_deceased(
    *, actor: User, client: Client, version: int, died_on: dt.date
) -> tuple[Client, DeathClosed]:
    """Record the death and close the client's open work with the statuses that say so:
    open referrals cancelled, plans closed, the joint service ended, the unemployment
    spell ended, pending applications lapsed. Records are kept (the retention rules of
    docs/adr/0012 decide when they go); client relationships are left for the
    organisations to finish their work."""
    from silta.casework.models import (
        JointService,
        JointServiceEndReason,
        Plan,
        PlanStatus,
        Referral,
        ReferralStatus,
        ReferralStatusChange,
    )
    from silta.casework.workflow import REFERRAL_OPEN

    _require(actor, client)
    locked = _lock(client, version)
    if locked.deceased_on is not None:
        raise ValidationError(
            {
                "died_on": [
                    ValidationError(
                        _("The client's death is already recorded."), code=RegistryError.DECEASED
                    )
                ]
            }
        )
    if died_on < locked.birth_date:
        raise ValidationError(
            {
                "died_on": [
                    ValidationError(
                        _("The date of death is before the client's birth."),
                        code=RegistryError.DEATH_BEFORE_BIRTH,
                    )
                ]
            }
        )
    if died_on > dates.today():
        raise ValidationError(
            {
                "died_on": [
                    ValidationError(
                        _("The date of death is in the future."),
                        code=RegistryError.DEATH_IN_FUTURE,
                    )
                ]
            }
        )
    now = dates.now()
    reason = "client_deceased"
    referrals = list(
        Referral.objects.select_for_update().filter(client=locked, status__in=REFERRAL_OPEN)
    )
    for r in referrals:
        old = r.status
        r.status = ReferralStatus.CANCELLED
        r.status_reason = _("The client died.")
        r.closed_at = now
        r.version += 1
        r.save(update_fields=["status", "status_reason", "closed_at", "version", "updated_at"])
        ReferralStatusChange.objects.create(
            referral=r, old_status=old, new_status=r.status, reason=reason, actor=actor, at=now
        )
        change_log_write(
            actor=actor,
            event="referral.moved",
            target=r,
            changes={"status": [old, r.status], "reason": [None, reason]},
        )
    plans = list(
        Plan.objects.select_for_update().filter(client=locked).exclude(status=PlanStatus.CLOSED)
    )
    for p in plans:
        old = p.status
        p.status = PlanStatus.CLOSED
        p.closed_on = died_on
        p.version += 1
        p.save(update_fields=["status", "closed_on", "version", "updated_at"])
        change_log_write(
            actor=actor,
            event="plan.moved",
            target=p,
            changes={"status": [old, p.status], "reason": [None, reason]},
        )
    joint = list(
        JointService.objects.select_for_update().filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=died_on), client=locked
        )
    )
    for j in joint:
        old_end = j.ended_on
        j.ended_on = max(died_on, j.started_on)
        j.end_reason = JointServiceEndReason.OTHER
        j.save(update_fields=["ended_on", "end_reason", "updated_at"])
        change_log_write(
            actor=actor,
            event="joint_service.ended",
            target=j,
            changes={
                "ended_on": [old_end.isoformat() if old_end else None, j.ended_on.isoformat()],
                "reason": [None, reason],
            },
        )
    spells = list(
        UnemploymentSpell.objects.select_for_update().filter(
            Q(end__isnull=True) | Q(end__gt=died_on), client=locked, start__lte=died_on
        )
    )
    for s in spells:
        s.end = died_on
        s.save(update_fields=["end", "updated_at"])
    applications = _lapse_applications(actor, locked, died_on)
    locked.deceased_on = died_on
    locked.version += 1
    locked.save(update_fields=["deceased_on", "version", "updated_at"])
    change_log_write(
        actor=actor,
        event="client.deceased",
        target=locked,
        changes={"deceased_on": [None, died_on.isoformat()]},
    )
    return locked, DeathClosed(len(referrals), len(plans), len(joint), len(spells), applications)


def _lapse_applications(actor: User, client: Client, died_on: dt.date) -> int:
    """Pending benefit applications end as lapsed (the work ability path's own rule)."""
    try:
        from silta.workability.services import applications_lapse
    except ImportError:  # pragma: no cover - the app is always installed with this
        return 0
    return applications_lapse(actor=actor, client=client, on=died_on)


__all__ = [
    "CLIENT_FIELDS",
    "DuplicateClient",
    "client_add",
    "client_correct",
    "client_mark_deceased",
    "client_move_home",
    "municipality_on",
    "registry_membership_for",
]
