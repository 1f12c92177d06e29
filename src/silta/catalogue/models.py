"""The service catalogue: which organisation offers which service, with its monthly
capacity and the waiting time it aims for. Reference data, loaded by
``silta catalogue load`` and edited by administrators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class ServiceCode(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Adult social work")
    SOCIAL_GUIDANCE = "social_guidance", _("Social guidance")
    SOCIAL_REHABILITATION = "social_rehabilitation", _("Social rehabilitation")
    REHABILITATIVE_WORK_ACTIVITY = (
        "rehabilitative_work_activity",
        _("Rehabilitative work activity"),
    )
    MENTAL_HEALTH_SUBSTANCE = "mental_health_substance", _("Mental health and substance services")
    HEALTH_CHECK = "health_check", _("Unemployed health check")
    WORK_ABILITY_ASSESSMENT = "work_ability_assessment", _("Work ability assessment")
    DOCTOR_APPOINTMENT = "doctor_appointment", _("Doctor's appointment")
    IPS_JOB_COACHING = "ips_job_coaching", _("IPS job coaching")
    YOUTH_GUIDANCE = "youth_guidance", _("Youth one-stop guidance (Ohjaamo)")
    HOUSING_ADVICE = "housing_advice", _("Housing advice")
    DEBT_ADVICE = "debt_advice", _("Financial and debt advice")
    INTEGRATION = "integration_services", _("Integration services")


class DataClass(models.TextChoices):
    """What a referral to the service and its results carry."""

    NONE = "none", _("No social or health data")
    SOCIAL = "social", _("Social welfare data")
    HEALTH = "health", _("Health data")


class Service(BaseModel):
    code = models.CharField(_("service"), max_length=40, choices=ServiceCode.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("provider"),
    )
    data_class = models.CharField(
        _("data carried"), max_length=10, choices=DataClass.choices, default=DataClass.NONE
    )
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"))
    target_wait_days = models.PositiveSmallIntegerField(_("target waiting time (days)"), default=14)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code", "provider__name_fi"]
        verbose_name = _("service")
        constraints = [
            models.UniqueConstraint(fields=["code", "provider"], name="service_unique_provider")
        ]

    @property
    def name(self) -> str:
        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)

    def __str__(self) -> str:
        return self.name


class ReceiverKind(models.TextChoices):
    KELA = "kela", _("Kela")
    PENSION_PROVIDER = "pension_provider", _("Earnings-related pension provider")


class ApplicationReceiver(BaseModel):
    """An organisation that receives rehabilitation and pension applications on the
    work ability path (issue 16): Kela's benefit services and the earnings-related
    pension providers. Not a Silta organisation: no staff, no login, no access to any
    record; an application names it as its addressee only."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ReceiverKind.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    application_kinds = models.JSONField(_("applications it decides"), default=list)
    typical_decision_days = models.PositiveSmallIntegerField(
        _("typical time to a decision (days)"), default=60
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name_fi"]
        verbose_name = _("application receiver")

    @property
    def name(self) -> str:
        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)

    def __str__(self) -> str:
        return self.name
