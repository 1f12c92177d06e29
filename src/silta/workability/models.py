"""The work ability path (issue 16): identified → health check → assessment → result →
application → decision.

- ``Identification``: a worker took a client from the candidate list (with the reasons
  the list gave) onto the path.
- The health check and the assessment are case-work referrals (services
  ``health_check`` and ``work_ability_assessment``; silta.casework).
- ``WorkAbilityResult``: the assessment's structured result, health data whose
  controller is the assessing unit (the referral's receiver).
- ``BenefitApplication``: a rehabilitation or pension application to Kela or an
  earnings-related pension provider (``catalogue.ApplicationReceiver``), its status
  and decision; health data whose controller is the recording organisation.

Stored values are words; every write goes through ``services.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class Identification(BaseModel):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="work_ability_identifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    identified_on = models.DateField(_("identified on"))
    reasons = models.JSONField(_("reasons"), default=list)
    """The candidate list's rule keys that fired, e.g. ["long_benefit_history"]."""
    identified_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["client", "-identified_on"]
        indexes = [models.Index(fields=["identified_on"])]


class WorkAbility(models.TextChoices):
    FULL = "full", _("Full work ability")
    PARTIAL = "partial", _("Partial work ability")
    NONE = "none", _("No work ability")


class WorkAbilityDuration(models.TextChoices):
    TEMPORARY = "temporary", _("Temporary (under a year)")
    EXPECTED_TO_LAST = "expected_to_last", _("Expected to last at least a year")
    PERMANENT = "permanent", _("Permanent")


class Recommendation(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    MEDICAL_REHABILITATION = "medical_rehabilitation", _("Medical rehabilitation")
    KELA_VOCATIONAL = "kela_vocational_rehabilitation", _("Kela's vocational rehabilitation")
    PENSION_VOCATIONAL = (
        "pension_vocational_rehabilitation",
        _("Vocational rehabilitation of an earnings-related pension provider"),
    )
    PENSION_APPLICATION = (
        "pension_application",
        _("Application for a rehabilitation subsidy or disability pension"),
    )
    JOB_SEARCH_PARTIAL = "job_search_partial", _("Job search with partial work ability")
    REHABILITATIVE_WORK = "rehabilitative_work_activity", _("Rehabilitative work activity")
    OTHER = "other", _("Other")


class StatementKind(models.TextChoices):
    B = "b_statement", _("Medical certificate B")
    C = "c_statement", _("Medical certificate C (disability pension)")
    E = "e_statement", _("Medical certificate E (occupational health)")
    REHABILITATION = "rehabilitation_statement", _("Statement of rehabilitation need")
    OTHER = "other", _("Other doctor's statement")


class WorkAbilityResult(BaseModel):
    """The structured result of one work ability assessment (the referral)."""

    referral = models.OneToOneField(
        "casework.Referral", on_delete=models.CASCADE, related_name="work_ability_result"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="work_ability_results"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessment completed on"))
    work_ability = models.CharField(_("work ability"), max_length=10, choices=WorkAbility.choices)
    duration = models.CharField(
        _("how long"), max_length=20, choices=WorkAbilityDuration.choices, blank=True
    )
    recommendations = models.JSONField(_("recommendation"), default=list)
    recommendation_text = models.CharField(
        _("details of the recommendation"), max_length=500, blank=True
    )
    statement_kind = models.CharField(
        _("doctor's statement"), max_length=30, choices=StatementKind.choices, blank=True
    )
    statement_date = models.DateField(_("date of the statement"), null=True, blank=True)
    statement_reference = models.CharField(
        _("reference of the statement"), max_length=100, blank=True
    )
    made_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_by_role = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client", "-assessed_on"]
        indexes = [models.Index(fields=["assessed_on"])]


class ApplicationKind(models.TextChoices):
    KELA_REHABILITATION = "kela_rehabilitation", _("Kela's vocational rehabilitation")
    PENSION_REHABILITATION = (
        "pension_rehabilitation",
        _("Vocational rehabilitation of an earnings-related pension provider"),
    )
    REHABILITATION_ALLOWANCE = "rehabilitation_allowance", _("Rehabilitation allowance")
    REHABILITATION_SUBSIDY = (
        "rehabilitation_subsidy",
        _("Rehabilitation subsidy (fixed-term disability pension)"),
    )
    DISABILITY_PENSION = "disability_pension", _("Disability pension")
    PARTIAL_DISABILITY_PENSION = "partial_disability_pension", _("Partial disability pension")


REHABILITATION_KINDS = frozenset(
    {
        ApplicationKind.KELA_REHABILITATION,
        ApplicationKind.PENSION_REHABILITATION,
        ApplicationKind.REHABILITATION_ALLOWANCE,
    }
)
PENSION_KINDS = frozenset(
    {
        ApplicationKind.REHABILITATION_SUBSIDY,
        ApplicationKind.DISABILITY_PENSION,
        ApplicationKind.PARTIAL_DISABILITY_PENSION,
    }
)
ENDS_UNEMPLOYMENT = frozenset(
    {
        ApplicationKind.REHABILITATION_ALLOWANCE,
        ApplicationKind.REHABILITATION_SUBSIDY,
        ApplicationKind.DISABILITY_PENSION,
    }
)
"""A granted benefit of these kinds replaces the unemployment benefit: the person leaves
the funding forecast and the cost radar from its start. A partial disability pension
may be paid alongside an adjusted unemployment benefit, so it does not."""


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")


DECIDED = frozenset({ApplicationStatus.GRANTED, ApplicationStatus.REJECTED})


class BenefitApplication(BaseModel):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="benefit_applications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    result = models.ForeignKey(
        WorkAbilityResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    kind = models.CharField(_("application"), max_length=40, choices=ApplicationKind.choices)
    receiver = models.ForeignKey(
        "catalogue.ApplicationReceiver",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("sent to"),
    )
    applied_on = models.DateField(_("applied on"))
    decision_due_on = models.DateField(_("decision expected by"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    benefit_from = models.DateField(_("benefit from"), null=True, blank=True)
    benefit_to = models.DateField(_("benefit until"), null=True, blank=True)
    decision_reference = models.CharField(
        _("reference of the decision"), max_length=100, blank=True
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client", "-applied_on"]
        indexes = [
            models.Index(fields=["status", "decision_due_on"]),
            models.Index(fields=["applied_on"]),
            models.Index(fields=["decided_on"]),
        ]
