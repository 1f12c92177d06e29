"""Registered machine clients (issue 19): an integration such as a provider's
attendance system or a municipal reporting warehouse, bound to one organisation, one
role and a named subset of that role's permissions. It authenticates with OAuth2
client credentials (django-oauth-toolkit) and acts through its own service user, so
the same policies and the same access log apply as to a person; the log names it
``client:<name>``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.accounts.roles import Perm, Role
from silta.core.models import BaseModel

USERNAME_PREFIX = "client:"


class MachineClient(BaseModel):
    name = models.SlugField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="machine_clients",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    permissions = models.JSONField(_("permissions"), default=list)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="machine_client",
        verbose_name=_("service user"),
    )
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="machine_client",
    )
    secret_rotated_at = models.DateTimeField(_("secret changed"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("machine client")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def perm_set(self) -> frozenset[Perm]:
        return frozenset(Perm(p) for p in self.permissions if p in Perm.values)
