"""Staff sign-in through an organisation's OpenID provider (issue 19)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class SsoIdentity(models.Model):
    """A Silta user's account at one OpenID provider: the provider's ``iss`` and
    ``sub`` find the user again, whatever the user name or e-mail address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    provider = models.CharField(_("provider"), max_length=60)
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class ProviderMfaDevice(Device):
    """Stands for the provider's multi-factor authentication in django-otp: after a
    sign-in whose ``acr``/``amr`` shows an accepted second factor, the session is
    bound to this device, so ``user.is_verified()`` is true for the
    TwoFactorRequiredMiddleware. It verifies no code itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_mfa_devices",
        help_text=_("The user that this device belongs to."),
    )

    class Meta:
        verbose_name = _("identity provider's second factor")

    def verify_token(self, token: object) -> bool:
        return False
