from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from silta.accounts.roles import OrganisationKind, Role
from silta.core.models import BaseModel


class Organisation(BaseModel):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("organisation")

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A staff user. Clients are never users."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")],
        default="fi",
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")


class Membership(BaseModel):
    """A user's role in one organisation. Permissions come from the role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["user", "organisation", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.organisation} / {self.role}"


class ActivationCode(models.Model):
    """A one-time code an administrator (or the operator) issues so that the user can
    enrol a second factor: the password alone never is enough (docs/adr/0017). Only a
    keyed hash is stored; the code is shown once to whoever issued it."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("activation code")


class RecoveryCodeDevice(Device):
    """The user's recovery codes as one django-otp device: each code opens one session
    when the authenticator is lost. The codes are stored as keyed hashes."""

    class Meta:
        verbose_name = _("recovery codes")

    def verify_token(self, token: str) -> bool:
        from silta.accounts.two_factor import code_hash, normalise_code
        from silta.core import dates

        match = self.codes.filter(code_hash=code_hash(normalise_code(token)), used_at=None)
        return bool(match.update(used_at=dates.now()))


class RecoveryCode(models.Model):
    id = models.BigAutoField(primary_key=True)
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)


class SecondFactorLock(models.Model):
    """Failed second-step codes (authenticator, recovery or activation code) of a user;
    at the limit the second step is locked for the cool-off time."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="second_factor_lock"
    )
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
