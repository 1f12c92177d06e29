"""Every write of client data: keyword-only, validated, one transaction, logged."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from silta.accounts.models import Organisation, User
from silta.audit.services import change_log_write, model_changes
from silta.clients.identity import birth_date_of, validate_personal_id
from silta.clients.models import (
    Client,
    ClientLanguage,
    HomeMunicipality,
    RelationshipKind,
    ServiceRelationship,
)
from silta.places.models import Municipality

CLIENT_FIELDS = [
    "personal_id",
    "last_name",
    "first_names",
    "birth_date",
    "language",
    "phone",
    "email",
    "home_municipality_id",
]


@transaction.atomic
def client_create(
    *,
    actor: User | None,
    personal_id: str,
    last_name: str,
    first_names: str,
    home_municipality: Municipality,
    home_since: dt.date,
    language: str = ClientLanguage.FI,
    phone: str = "",
    email: str = "",
    allow_temporary_id: bool | None = None,
) -> Client:
    errors: dict[str, list[ValidationError]] = {}
    try:
        code = validate_personal_id(personal_id, allow_temporary=allow_temporary_id)
    except ValidationError as exc:
        errors["personal_id"] = [exc]
        code = ""
    if code and Client.objects.filter(personal_id=code).exists():
        errors["personal_id"] = [
            ValidationError(_("A client with this identity code exists."), code="clients.duplicate")
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
    client = Client.objects.create(
        personal_id=code,
        last_name=last_name.strip(),
        first_names=first_names.strip(),
        birth_date=birth_date_of(code),
        language=language,
        phone=phone.strip(),
        email=email.strip(),
        home_municipality=home_municipality,
        search_name=Client.make_search_name(last_name.strip(), first_names.strip()),
    )
    HomeMunicipality.objects.create(
        client=client, municipality=home_municipality, valid_from=home_since
    )
    change_log_write(
        actor=actor,
        event="client.created",
        target=client,
        changes=model_changes(None, client, CLIENT_FIELDS),
    )
    return client


@transaction.atomic
def client_move(
    *, actor: User | None, client: Client, municipality: Municipality, moved_on: dt.date
) -> Client:
    """Register a new home municipality from a date; the history keeps the old one."""
    current = (
        HomeMunicipality.objects.select_for_update()
        .filter(client=client, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if moved_on <= current.valid_from:
            raise ValidationError(
                {"moved_on": _("The move must be after the current period began.")},
                code="clients.move_before_current",
            )
        if current.municipality_id == municipality.pk:
            raise ValidationError(
                {"municipality": _("The client already lives in this municipality.")},
                code="clients.same_municipality",
            )
        current.valid_to = moved_on - dt.timedelta(days=1)
        current.save(update_fields=["valid_to", "updated_at"])
    HomeMunicipality.objects.create(client=client, municipality=municipality, valid_from=moved_on)
    old = client.home_municipality_id
    client.home_municipality = municipality
    client.save(update_fields=["home_municipality", "updated_at"])
    change_log_write(
        actor=actor,
        event="client.moved",
        target=client,
        changes={
            "home_municipality_id": [str(old), str(municipality.pk)],
            "moved_on": [None, moved_on.isoformat()],
        },
    )
    return client


@transaction.atomic
def relationship_open(
    *,
    actor: User | None,
    client: Client,
    organisation: Organisation,
    kind: RelationshipKind | str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> ServiceRelationship:
    kind = RelationshipKind(kind)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError(
            _("The end date is before the start date."), code="clients.end_before_start"
        )
    rel = ServiceRelationship.objects.create(
        client=client,
        organisation=organisation,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    change_log_write(
        actor=actor,
        event="relationship.opened",
        target=rel,
        changes=model_changes(
            None, rel, ["client_id", "organisation_id", "kind", "valid_from", "valid_to"]
        ),
    )
    return rel


@transaction.atomic
def relationship_close(
    *, actor: User | None, relationship: ServiceRelationship, valid_to: dt.date
) -> ServiceRelationship:
    if valid_to < relationship.valid_from:
        raise ValidationError(
            _("The end date is before the start date."), code="clients.end_before_start"
        )
    old = relationship.valid_to
    relationship.valid_to = valid_to
    relationship.save(update_fields=["valid_to", "updated_at"])
    change_log_write(
        actor=actor,
        event="relationship.closed",
        target=relationship,
        changes={"valid_to": [old.isoformat() if old else None, valid_to.isoformat()]},
    )
    return relationship
