from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class ClientLanguage(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")
    OTHER = "other", _("Other")


class Client(BaseModel):
    personal_id = models.CharField(_("personal identity code"), max_length=11, unique=True)
    last_name = models.CharField(_("last name"), max_length=100)
    first_names = models.CharField(_("first names"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    language = models.CharField(
        _("language"), max_length=5, choices=ClientLanguage.choices, default=ClientLanguage.FI
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # The current home municipality; its history is in HomeMunicipality.
    home_municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("home municipality"),
    )
    # Lower-case "last first" for search.
    search_name = models.CharField(max_length=300, db_index=True, editable=False)
    deceased_on = models.DateField(_("date of death"), null=True, blank=True)
    occupational_health_care = models.BooleanField(
        _("has occupational health care"), null=True, blank=True
    )
    """A client fact for the health-check target list: None = not known."""
    version = models.PositiveIntegerField(default=1, db_default=1)
    """Raised by every registry write (a stale form is refused)."""

    class Meta:
        ordering = ["last_name", "first_names", "id"]
        verbose_name = _("client")
        indexes = [models.Index(fields=["home_municipality", "last_name"])]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_names}"

    @staticmethod
    def make_search_name(last_name: str, first_names: str) -> str:
        return f"{last_name} {first_names}".casefold()


class HomeMunicipality(BaseModel):
    """Registered home municipality from one date to another (None = current)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="home_history")
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["client", "valid_from"]
        verbose_name = _("home municipality period")


class RelationshipKind(models.TextChoices):
    JOBSEEKER = "jobseeker", _("Jobseeker customer of employment services")
    SOCIAL_WORK = "social_work", _("Client of adult social work")
    HEALTH_SERVICES = "health_services", _("Client of health services")
    KELA_BENEFITS = "kela_benefits", _("Benefit client of Kela")
    JOINT_SERVICE = "joint_service", _("Member of the joint service team")
    REFERRAL = "referral", _("Accepted referral")
    PLACEMENT = "placement", _("Placement")
    IPS_COACHING = "ips_coaching", _("IPS coaching")


class ServiceRelationship(BaseModel):
    """An organisation's active client relationship: the basis on which its staff may
    see the client. Later modules (joint service, referrals, placements) open and
    close these."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="relationships")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="client_relationships"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=RelationshipKind.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    staff_user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("personal owner"),
    )
    """A personal relationship (an IPS coach's): it opens the client to this user only,
    not to the whole organisation. None: the organisation's relationship."""

    class Meta:
        ordering = ["client", "valid_from"]
        indexes = [models.Index(fields=["organisation", "client"])]


class UnemploymentSpell(BaseModel):
    """A period of registered unemployment, from the employment services' register."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="spells")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["client", "start"]
