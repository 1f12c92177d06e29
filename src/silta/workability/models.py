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


# --- correcting, appealing ------------------------------------------------------------


class AppealBody(models.TextChoices):
    """Where a negative decision is appealed (the decision's appeal instructions name
    the body): Kela's benefits to the Social Security Appeal Board (SAMU), an
    earnings-related pension provider's to the Earnings-Related Pension Appeal Board
    (TELK); their decisions further to the Insurance Court."""

    SAMU = "samu", _("Social Security Appeal Board")
    TELK = "telk", _("Earnings-Related Pension Appeal Board")
    INSURANCE_COURT = "insurance_court", _("Insurance Court")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the appeal's decision")
    UPHELD = "upheld", _("The decision stands")
    CHANGED = "changed", _("The decision was changed in the client's favour")
    RETURNED = "returned", _("Returned for a new decision")
    WITHDRAWN = "withdrawn", _("The appeal was withdrawn")


class DecisionAppeal(BaseModel):
    """An appeal of a rejected application (part of the application's record, so
    its controller is the application's)."""

    application = models.ForeignKey(
        BenefitApplication, on_delete=models.CASCADE, related_name="appeals"
    )
    appealed_on = models.DateField(_("appealed on"))
    body = models.CharField(_("appealed to"), max_length=20, choices=AppealBody.choices)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_on = models.DateField(_("date of the appeal's decision"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["application", "appealed_on"]


# --- unemployed health checks -----------------------------------------------------


class InvitationChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    TEXT_MESSAGE = "text_message", _("Text message")
    ONLINE = "online", _("Message in the online service")
    IN_PERSON = "in_person", _("In person")


class HealthCheckStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    BOOKED = "booked", _("Booked")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Did not come")
    DECLINED = "declined", _("Declined")


OPEN_CHECK = frozenset({HealthCheckStatus.INVITED, HealthCheckStatus.BOOKED})


class HealthState(models.TextChoices):
    GOOD = "good", _("No significant health problems")
    SOME = "some", _("Health problems that need follow-up")
    SIGNIFICANT = "significant", _("Significant health problems")


class Capacity(models.TextChoices):
    FULL = "full", _("Not limited")
    REDUCED = "reduced", _("Reduced")
    SEVERELY_REDUCED = "severely_reduced", _("Severely reduced")
    UNCLEAR = "unclear", _("Unclear: needs assessment")


class RehabilitationNeed(models.TextChoices):
    NONE = "none", _("No need")
    POSSIBLE = "possible", _("Possible need: to be looked into")
    CLEAR = "clear", _("Clear need")


class OnwardReferral(models.TextChoices):
    NONE = "none", _("No onward referral")
    TREATMENT = "treatment", _("Treatment in health services")
    WORK_ABILITY_ASSESSMENT = "work_ability_assessment", _("Work ability assessment")
    MEDICAL_REHABILITATION = "medical_rehabilitation", _("Medical rehabilitation")
    KELA_REHABILITATION = "kela_rehabilitation", _("Kela's rehabilitation")
    MENTAL_HEALTH = "mental_health_services", _("Mental health services")
    SUBSTANCE_USE = "substance_use_services", _("Substance use services")
    OTHER = "other", _("Other")


class HealthCheck(BaseModel):
    """One unemployed health check offered to one client by the checking unit (its
    controller): the invitation, the booking and how it ended are case-work data the
    organisations working with the client see; the check's content is health data of
    the checking unit (``content_*`` fields, policy kind ``health_check_content``)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="health_checks"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    invited_on = models.DateField(_("invited on"))
    channel = models.CharField(_("how invited"), max_length=20, choices=InvitationChannel.choices)
    invited_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=HealthCheckStatus.choices,
        default=HealthCheckStatus.INVITED,
    )
    booked_at = models.DateTimeField(_("booked for"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    closed_on = models.DateField(_("ended on"), null=True, blank=True)
    # the content (health data of the checking unit)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    health = models.CharField(_("health"), max_length=20, choices=HealthState.choices, blank=True)
    work_capacity = models.CharField(
        _("work capacity"), max_length=20, choices=Capacity.choices, blank=True
    )
    functional_capacity = models.CharField(
        _("functional capacity"), max_length=20, choices=Capacity.choices, blank=True
    )
    rehabilitation_need = models.CharField(
        _("rehabilitation need"), max_length=20, choices=RehabilitationNeed.choices, blank=True
    )
    onward = models.JSONField(_("onward referral"), default=list)
    summary = models.CharField(_("summary"), max_length=1000, blank=True)
    checked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client", "-invited_on"]
        indexes = [
            models.Index(fields=["status", "checked_on"]),
            models.Index(fields=["client", "invited_on"]),
        ]
