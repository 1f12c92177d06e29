from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class User(AbstractUser):
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
