"""Register, rotate and revoke machine clients (issue 19). Every change writes a
change-log row and a security event (``api_client_changed``); a secret is shown once
and stored hashed by django-oauth-toolkit."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_application_model

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from silta.audit.models import SecurityEventKind
from silta.audit.services import change_log_write, security_event_write
from silta.core import dates
from silta.integrations.models import USERNAME_PREFIX, MachineClient


@dataclass(frozen=True)
class Issued:
    client: MachineClient
    client_id: str
    secret: str
    """Shown once; only its hash is stored."""


def _event(
    request: HttpRequest | None, actor: User | None, client: MachineClient, action: str
) -> None:
    security_event_write(
        SecurityEventKind.API_CLIENT_CHANGED,
        request=request,
        actor=actor,
        username="" if actor else "system",
        target_type="integrations.machineclient",
        target_id=str(client.pk),
        detail={
            "action": action,
            "name": client.name,
            "organisation": client.organisation.key,
            "role": client.role,
            "permissions": sorted(client.permissions),
        },
    )


def _check(
    name: str, organisation: Organisation | None, role: str, permissions: list[str]
) -> tuple[str, list[Perm]]:
    errors: dict[str, list[ValidationError]] = {}
    clean_name = slugify(name.strip())[:60]
    if not clean_name or clean_name != name.strip():
        errors.setdefault("name", []).append(
            ValidationError(
                _("Use lower-case letters, digits and hyphens only."), code="integrations.name"
            )
        )
    elif MachineClient.objects.filter(name=clean_name).exists():
        errors.setdefault("name", []).append(
            ValidationError(
                _("A machine client of this name already exists."), code="integrations.name_taken"
            )
        )
    if organisation is None or not organisation.is_active:
        errors.setdefault("organisation", []).append(
            ValidationError(_("Choose an active organisation."), code="integrations.organisation")
        )
    perms: list[Perm] = []
    if role not in Role.values:
        errors.setdefault("role", []).append(
            ValidationError(_("Choose a role."), code="integrations.role")
        )
    else:
        allowed = ROLE_PERMISSIONS[Role(role)]
        for p in permissions:
            if p not in Perm.values or Perm(p) not in allowed:
                errors.setdefault("permissions", []).append(
                    ValidationError(
                        _("The role does not have the permission %(perm)s.") % {"perm": p},
                        code="integrations.permission",
                    )
                )
            else:
                perms.append(Perm(p))
        if not permissions:
            errors.setdefault("permissions", []).append(
                ValidationError(
                    _("Choose at least one permission."), code="integrations.no_permission"
                )
            )
    if errors:
        raise ValidationError(errors)
    return clean_name, sorted(set(perms))


@transaction.atomic
def client_register(
    *,
    actor: User | None,
    name: str,
    organisation: Organisation | None,
    role: str,
    permissions: list[str],
    description: str = "",
    request: HttpRequest | None = None,
) -> Issued:
    """A new machine client with its service user, membership and OAuth2 application
    (client credentials, confidential). Returns the secret once."""
    clean_name, perms = _check(name, organisation, role, permissions)
    assert organisation is not None
    username = f"{USERNAME_PREFIX}{clean_name}"
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {
                "name": ValidationError(
                    _("A machine client of this name already exists."),
                    code="integrations.name_taken",
                )
            }
        )
    user = User(username=username, first_name=clean_name, is_active=True)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(
        user=user, organisation=organisation, role=role, valid_from=dates.today()
    )
    secret = generate_client_secret()
    application = get_application_model().objects.create(
        name=username,
        client_type="confidential",
        authorization_grant_type="client-credentials",
        client_secret=secret,
        hash_client_secret=True,
    )
    client = MachineClient.objects.create(
        name=clean_name,
        description=description.strip()[:200],
        organisation=organisation,
        role=role,
        permissions=[p.value for p in perms],
        user=user,
        application=application,
        secret_rotated_at=dates.now(),
    )
    change_log_write(
        actor=actor,
        event="integrations.client_registered",
        target=client,
        changes={
            "name": [None, clean_name],
            "organisation": [None, organisation.key],
            "role": [None, role],
            "permissions": [None, client.permissions],
        },
    )
    _event(request, actor, client, "registered")
    return Issued(client, application.client_id, secret)


def _revoke_tokens(client: MachineClient) -> int:
    tokens = get_access_token_model().objects.filter(application=client.application)
    count = tokens.count()
    tokens.delete()
    return count


@transaction.atomic
def client_rotate_secret(
    *, actor: User | None, client: MachineClient, request: HttpRequest | None = None
) -> Issued:
    """A new secret; the old one and every token issued with it stop working."""
    if not client.is_active:
        raise ValidationError(
            _("The machine client has been revoked."), code="integrations.revoked"
        )
    secret = generate_client_secret()
    application = client.application
    application.client_secret = secret
    application.hash_client_secret = True
    application.save()
    revoked = _revoke_tokens(client)
    client.secret_rotated_at = dates.now()
    client.save(update_fields=["secret_rotated_at", "updated_at"])
    change_log_write(
        actor=actor,
        event="integrations.secret_rotated",
        target=client,
        changes={
            "secret_rotated_at": [None, client.secret_rotated_at.isoformat()],
            "tokens_revoked": [None, revoked],
        },
    )
    _event(request, actor, client, "secret_rotated")
    return Issued(client, application.client_id, secret)


@transaction.atomic
def client_revoke(
    *, actor: User | None, client: MachineClient, request: HttpRequest | None = None
) -> MachineClient:
    """The client stops at once: its tokens are deleted, its service user disabled and
    its membership ended."""
    if not client.is_active:
        raise ValidationError(
            _("The machine client has been revoked."), code="integrations.revoked"
        )
    _revoke_tokens(client)
    # a secret nobody knows: the token endpoint refuses the old one from now on
    application = client.application
    application.client_secret = generate_client_secret()
    application.hash_client_secret = True
    application.save()
    client.revoked_at = dates.now()
    client.save(update_fields=["revoked_at", "updated_at"])
    user = client.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    today = dates.today()
    for m in Membership.objects.filter(user=user).exclude(valid_to__lt=today):
        m.valid_to = today if m.valid_from <= today else m.valid_from
        m.save(update_fields=["valid_to", "updated_at"])
    change_log_write(
        actor=actor,
        event="integrations.client_revoked",
        target=client,
        changes={"revoked_at": [None, client.revoked_at.isoformat()]},
    )
    _event(request, actor, client, "revoked")
    return client


def token_lifetime_seconds() -> int:
    from oauth2_provider.settings import oauth2_settings

    return int(oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS)
