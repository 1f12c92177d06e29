"""TOTP second factor (django-otp): who needs it, setting up an authenticator app,
and confirming a code."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.models import User
from silta.accounts.policies import roles_of
from silta.accounts.roles import PERSON_LEVEL_ROLES
from silta.audit.services import change_log_write


def needs_second_factor(user: User) -> bool:
    return bool(roles_of(user) & {r.value for r in PERSON_LEVEL_ROLES})


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def next_step_url(user: User, next_url: str) -> str:
    name = "two-factor-verify" if confirmed_device(user) else "two-factor-setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """The user's unconfirmed device, created on first use of the setup page."""
    if confirmed_device(actor) is not None:
        raise ValidationError(
            _("An authenticator is already set up. Ask an administrator to reset it."),
            code="accounts.totp_exists",
        )
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning address as an inline SVG QR code (no external service)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1a1a1a"))


def _check(device: TOTPDevice, token: str) -> None:
    token = token.strip().replace(" ", "")
    if not token.isdigit() or len(token) != device.digits:
        raise ValidationError(
            _("Enter the %(digits)s-digit code from your authenticator app."),
            code="accounts.totp_format",
            params={"digits": device.digits},
        )
    if not device.verify_token(token):
        raise ValidationError(
            _("The code is wrong or has expired. Try the next code."), code="accounts.totp_wrong"
        )


@transaction.atomic
def totp_device_confirm(*, actor: User, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Start the setup again."), code="accounts.totp_no_setup")
    _check(device, token)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    change_log_write(
        actor=actor, event="user.totp_confirmed", target=actor, changes={"totp": [False, True]}
    )
    return device


def totp_verify(*, actor: User, token: str) -> TOTPDevice:
    device = confirmed_device(actor)
    if device is None:
        raise ValidationError(_("Set up an authenticator first."), code="accounts.totp_no_device")
    _check(device, token)
    return device
