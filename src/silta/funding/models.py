"""The payment store: Kela's benefit payments in the DESIGN.md contract format."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Benefit(models.TextChoices):
    LMS = "LMS", _("Labour market subsidy")
    BASIC = "BASIC", _("Basic unemployment allowance")
    EARN_BASIC = "EARN_BASIC", _("Earnings-related allowance (basic part)")
    GEN = "GEN", _("General support (yleistuki)")


class Basis(models.TextChoices):
    UNEMPLOYMENT = "unemployment", _("Unemployment")
    SERVICE = "service", _("Employment-promoting service")
    OTHER = "other", _("Other basis")


class PersonEventKind(models.TextChoices):
    EMPLOYMENT_CONDITION_MET = "employment_condition_met", _("Employment condition met")
    STATE_FUNDED_UNTIL = "state_funded_until", _("State funded until")


class BenefitPayment(models.Model):
    id = models.BigAutoField(primary_key=True)
    person_id = models.CharField(_("person"), max_length=64)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, related_name="benefit_payments"
    )
    municipality_code = models.CharField(_("municipality code"), max_length=3)
    benefit = models.CharField(_("benefit"), max_length=12, choices=Benefit.choices)
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    paid_days = models.PositiveSmallIntegerField(_("paid days"))
    amount_eur = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    payment_date = models.DateField(_("payment date"))

    class Meta:
        ordering = ["person_id", "period_start", "id"]
        indexes = [
            models.Index(fields=["person_id", "period_start"]),
            models.Index(fields=["client", "period_start"]),
            models.Index(fields=["municipality_code", "payment_date"]),
        ]


class PersonEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    person_id = models.CharField(_("person"), max_length=64, db_index=True)
    event = models.CharField(_("event"), max_length=40, choices=PersonEventKind.choices)
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["person_id", "date", "id"]
