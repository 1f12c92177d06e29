from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.roles import Role
from silta.audit.models import SecurityEventKind
from silta.audit.services import change_log_write, model_changes, security_event_write


@transaction.atomic
def user_set_language(*, actor: User, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="accounts.unknown_language")
    if actor.pk != user.pk:
        raise ValidationError(
            _("Only the user can change their own language."), code="accounts.not_self"
        )
    if user.language == language:
        return user
    old = user.language
    user.language = language
    user.save(update_fields=["language"])
    change_log_write(
        actor=actor,
        event="user.language_changed",
        target=user,
        changes={"language": [old, language]},
    )
    return user


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation,
    role: Role | str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Membership:
    role = Role(role)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError(
            _("The end date is before the start date."), code="accounts.end_before_start"
        )
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, valid_from=valid_from, valid_to=valid_to
    )
    change_log_write(
        actor=actor,
        event="membership.granted",
        target=membership,
        changes=model_changes(
            None, membership, ["user_id", "organisation_id", "role", "valid_from", "valid_to"]
        ),
    )
    security_event_write(
        SecurityEventKind.PERMISSION_CHANGED,
        actor=actor,
        username="" if actor else "system",
        target_type="accounts.user",
        target_id=str(user.pk),
        detail={
            "change": "membership_granted",
            "user": user.username,
            "organisation": organisation.key,
            "role": role.value,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
        },
    )
    return membership
