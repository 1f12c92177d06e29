"""The second factor (django-otp TOTP plus recovery codes) and how it is enrolled.

A second factor is enrolled only with a one-time activation code that an
administrator or the operator issues (docs/adr/0017-second-factor-enrolment.md): the
password alone never shows a TOTP secret. After enrolment, password + code always.
Every issue, use, failure, lockout and reset is a security event.
"""

from __future__ import annotations

import datetime as dt
import secrets
import smtplib
from base64 import b32encode
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.models import (
    ActivationCode,
    RecoveryCode,
    RecoveryCodeDevice,
    SecondFactorLock,
    User,
)
from silta.accounts.policies import roles_of
from silta.accounts.roles import PERSON_LEVEL_ROLES
from silta.audit.models import SecurityEventKind
from silta.audit.services import change_log_write, security_event_write
from silta.core import dates

# No 0/O or 1/I: the codes are read aloud and typed by hand.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ACTIVATION_GROUPS = 4  # 16 characters, 80 bits
RECOVERY_GROUPS = 3  # 12 characters, 60 bits
RECOVERY_CODE_COUNT = 10
ENROLMENT_SESSION_KEY = "silta_enrolment"
RECOVERY_CODES_SESSION_KEY = "silta_recovery_codes"
ENROLMENT_MINUTES = 15


# --- codes -----------------------------------------------------------------------


def new_code(groups: int) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(groups))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())[:64]


def code_hash(normalised: str) -> str:
    """A keyed hash (HMAC-SHA-256 with the secret key): the database alone cannot be
    used to test guesses offline."""
    return salted_hmac("silta.accounts.code", normalised, algorithm="sha256").hexdigest()


# --- who needs what ---------------------------------------------------------------


def needs_second_factor(user: User) -> bool:
    return bool(roles_of(user) & {r.value for r in PERSON_LEVEL_ROLES})


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_allowed(session: SessionBase, user: User) -> bool:
    """True while the session holds an activation this user redeemed a moment ago."""
    grant = session.get(ENROLMENT_SESSION_KEY)
    if not isinstance(grant, dict) or grant.get("user") != str(user.pk):
        return False
    try:
        at = dt.datetime.fromisoformat(str(grant.get("at")))
    except ValueError:
        return False
    return dates.now() - at < dt.timedelta(minutes=ENROLMENT_MINUTES)


def next_step_name(user: User, session: SessionBase) -> str | None:
    """The page a signed-in user must pass before any other, or None."""
    if user.is_verified():  # type: ignore[attr-defined]
        return None
    if confirmed_device(user) is not None:
        return "two-factor-verify"  # enrolled: the code is asked always, in every mode
    if not (settings.SILTA_REQUIRE_2FA and needs_second_factor(user)):
        return None
    if enrolment_allowed(session, user):
        return "two-factor-setup"
    return "two-factor-activate"


def next_step_url(user: User, session: SessionBase, next_url: str) -> str:
    name = next_step_name(user, session) or "home"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def has_open_code(user: User) -> bool:
    return _open_codes(user).exists()


def _open_codes(user: User) -> Any:
    return ActivationCode.objects.filter(
        user=user, used_at=None, revoked_at=None, expires_at__gt=dates.now()
    )


# --- failed codes and the lock of the second step ---------------------------------


def second_step_locked_until(user: User) -> dt.datetime | None:
    lock = SecondFactorLock.objects.filter(user=user).first()
    if lock and lock.locked_until and lock.locked_until > dates.now():
        return lock.locked_until
    return None


def _locked_error() -> ValidationError:
    return ValidationError(
        _("Too many wrong codes. Try again later."), code="accounts.second_factor_locked"
    )


def _second_step_failed(user: User, request: HttpRequest | None, step: str) -> None:
    """Count a wrong code (its own transaction: the caller's error must not undo it)."""
    with transaction.atomic():
        lock, _created = SecondFactorLock.objects.select_for_update().get_or_create(user=user)
        lock.failures += 1
        security_event_write(
            SecurityEventKind.SECOND_FACTOR_FAILED,
            request=request,
            actor=user,
            detail={"step": step, "failures": lock.failures},
        )
        if lock.failures >= settings.AXES_FAILURE_LIMIT:
            lock.locked_until = dates.now() + dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
            lock.failures = 0
            security_event_write(
                SecurityEventKind.LOCKED_OUT,
                request=request,
                actor=user,
                detail={"step": step, "until": lock.locked_until.isoformat()},
            )
        lock.save()


def _second_step_passed(user: User) -> None:
    SecondFactorLock.objects.filter(user=user).update(failures=0, locked_until=None)


# --- activation codes --------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: dt.datetime


@transaction.atomic
def activation_code_issue(
    *, actor: User | None, user: User, request: HttpRequest | None = None, via: str = "page"
) -> IssuedCode:
    """A new one-time activation code for ``user`` (older open codes are revoked).
    The plain code is returned once and never stored."""
    if confirmed_device(user) is not None:
        raise ValidationError(
            _("The user already has a second factor. Reset it first."),
            code="accounts.second_factor_exists",
        )
    now = dates.now()
    revoked = _open_codes(user).update(revoked_at=now)
    code = new_code(ACTIVATION_GROUPS)
    row = ActivationCode.objects.create(
        user=user,
        code_hash=code_hash(normalise_code(code)),
        issued_by=actor,
        issued_at=now,
        expires_at=now + dt.timedelta(hours=settings.SILTA_ACTIVATION_CODE_HOURS),
    )
    security_event_write(
        SecurityEventKind.ACTIVATION_CODE_ISSUED,
        request=request,
        actor=actor,
        username="" if actor else f"operator ({via})",
        target_type="accounts.user",
        target_id=str(user.pk),
        detail={
            "user": user.username,
            "code_id": row.pk,
            "expires_at": row.expires_at.isoformat(),
            "revoked_older": revoked,
            "via": via,
        },
    )
    change_log_write(
        actor=actor,
        event="user.activation_code_issued",
        target=user,
        changes={"activation_code": [None, row.pk]},
    )
    return IssuedCode(code=code, expires_at=row.expires_at)


def activation_code_redeem(*, user: User, code: str, request: HttpRequest) -> ActivationCode:
    """Use the user's activation code once; the caller then lets the session enrol."""
    if second_step_locked_until(user):
        raise _locked_error()
    normalised = normalise_code(code)
    if not normalised:
        raise ValidationError(_("Enter the activation code."), code="accounts.code_missing")
    with transaction.atomic():
        row = _open_codes(user).select_for_update().filter(code_hash=code_hash(normalised)).first()
        if row is not None:
            row.used_at = dates.now()
            row.save(update_fields=["used_at"])
            # a fresh secret for this enrolment, never one shown in an earlier session
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            change_log_write(
                actor=user,
                event="user.activation_code_used",
                target=user,
                changes={"activation_code": [row.pk, "used"]},
            )
    if row is None:
        _second_step_failed(user, request, "activation_code")
        raise ValidationError(
            _(
                "The activation code is wrong, already used or expired. "
                "Ask your administrator for a new one."
            ),
            code="accounts.activation_code_wrong",
        )
    _second_step_passed(user)
    request.session[ENROLMENT_SESSION_KEY] = {
        "user": str(user.pk),
        "code": row.pk,
        "at": dates.now().isoformat(),
    }
    return row


# --- the authenticator and recovery codes -------------------------------------------


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """The user's unconfirmed device; the view lets only an activated session here."""
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


def _check(device: TOTPDevice, token: str) -> bool:
    token = token.strip().replace(" ", "")
    if not token.isdigit() or len(token) != device.digits:
        raise ValidationError(
            _("Enter the %(digits)s-digit code from your authenticator app."),
            code="accounts.totp_format",
            params={"digits": device.digits},
        )
    return bool(device.verify_token(token))


def _wrong_code() -> ValidationError:
    return ValidationError(
        _("The code is wrong or has expired. Try the next code."), code="accounts.totp_wrong"
    )


def totp_device_confirm(
    *, actor: User, token: str, request: HttpRequest
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the new authenticator with its first code; returns the recovery codes
    (shown once)."""
    if not enrolment_allowed(request.session, actor):
        raise ValidationError(_("Enter your activation code first."), code="accounts.not_activated")
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Start the setup again."), code="accounts.totp_no_setup")
    if not _check(device, token):
        raise _wrong_code()
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_create(actor)
        change_log_write(
            actor=actor, event="user.totp_confirmed", target=actor, changes={"totp": [False, True]}
        )
        security_event_write(
            SecurityEventKind.SECOND_FACTOR_ENROLLED,
            request=request,
            actor=actor,
            detail={
                "method": "totp",
                "recovery_codes": len(codes),
                "activation_code": request.session[ENROLMENT_SESSION_KEY].get("code"),
            },
        )
    del request.session[ENROLMENT_SESSION_KEY]
    return device, codes


def _recovery_codes_create(user: User) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [new_code(RECOVERY_GROUPS) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=code_hash(normalise_code(c))) for c in codes
    )
    return codes


def totp_verify(*, actor: User, token: str, request: HttpRequest) -> TOTPDevice:
    if second_step_locked_until(actor):
        raise _locked_error()
    device = confirmed_device(actor)
    if device is None:
        raise ValidationError(_("Set up an authenticator first."), code="accounts.totp_no_device")
    if not _check(device, token):
        _second_step_failed(actor, request, "totp")
        raise _wrong_code()
    _second_step_passed(actor)
    return device


def recovery_code_use(*, actor: User, code: str, request: HttpRequest) -> RecoveryCodeDevice:
    if second_step_locked_until(actor):
        raise _locked_error()
    device = RecoveryCodeDevice.objects.filter(user=actor, confirmed=True).first()
    if not normalise_code(code):
        raise ValidationError(_("Enter a recovery code."), code="accounts.code_missing")
    if device is None or not device.verify_token(code):
        _second_step_failed(actor, request, "recovery_code")
        raise ValidationError(
            _("The recovery code is wrong or already used."),
            code="accounts.recovery_code_wrong",
        )
    _second_step_passed(actor)
    left = device.codes.filter(used_at=None).count()
    security_event_write(
        SecurityEventKind.RECOVERY_CODE_USED, request=request, actor=actor, detail={"left": left}
    )
    return device


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at=None).count()


# --- the administrator's reset ------------------------------------------------------


@transaction.atomic
def second_factor_reset(
    *, actor: User | None, user: User, request: HttpRequest | None = None, via: str = "page"
) -> bool:
    """Remove the user's authenticator and recovery codes and revoke open activation
    codes: the user needs a new activation code. The user is told by e-mail.
    Returns whether the e-mail was sent."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("Ask another administrator to reset your own second factor."),
            code="accounts.reset_self",
        )
    totp = TOTPDevice.objects.filter(user=user).delete()[0]
    recovery = RecoveryCodeDevice.objects.filter(user=user).delete()[0]
    revoked = _open_codes(user).update(revoked_at=dates.now())
    SecondFactorLock.objects.filter(user=user).delete()
    notified = _notify_reset(user)
    security_event_write(
        SecurityEventKind.SECOND_FACTOR_RESET,
        request=request,
        actor=actor,
        username="" if actor else f"operator ({via})",
        target_type="accounts.user",
        target_id=str(user.pk),
        detail={
            "user": user.username,
            "removed": totp + recovery,
            "revoked_codes": revoked,
            "notified": notified,
            "via": via,
        },
    )
    change_log_write(
        actor=actor, event="user.second_factor_reset", target=user, changes={"totp": [True, False]}
    )
    return notified


def _notify_reset(user: User) -> bool:
    if not user.email:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("Silta: your two-step login was reset")
        names = {"name": user.get_full_name() or user.username, "username": user.username}
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % names,
                _(
                    "an administrator has reset the two-step login of your Silta account "
                    "(%(username)s). Before you can use Silta again, you need a new "
                    "activation code from your administrator."
                )
                % names,
                _("If you did not ask for this, tell your administrator at once."),
            ]
        )
    try:
        send_mail(subject, body, None, [user.email])
    except (OSError, smtplib.SMTPException):
        return False  # the reset stands; the security event says the mail failed
    return True
