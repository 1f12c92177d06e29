"""Multi-agency case work: joint service, consents, referrals, appointments, notes,
service-need assessments, plans with versions, and outcomes.

Stored values are words; status machines are in ``workflow.py``; every write goes
through ``services.py``."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class JointServiceEndReason(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    EDUCATION = "education", _("Started education")
    REHABILITATION = "rehabilitation", _("Moved to rehabilitation or benefit")
    GOALS_MET = "goals_met", _("Goals met, no further need")
    CLIENT_WITHDREW = "client_withdrew", _("The client withdrew")
    MOVED_AWAY = "moved_away", _("Moved away")
    OTHER = "other", _("Other reason")


class JointService(BaseModel):
    """A client's membership in multisectoral cooperation (law 381/2023)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="joint_services"
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=30, choices=JointServiceEndReason.choices, blank=True
    )
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["client", "-started_on"]
        indexes = [models.Index(fields=["started_on", "ended_on"])]

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class JointServiceMember(BaseModel):
    joint_service = models.ForeignKey(
        JointService, on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=40)

    class Meta:
        ordering = ["joint_service", "organisation__name_fi", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["joint_service", "user"], name="team_member_once")
        ]


class ConsentGiven(models.TextChoices):
    IN_WRITING = "in_writing", _("In writing")
    ORALLY = "orally", _("Orally, in person")
    ELECTRONICALLY = "electronically", _("Electronically")
    NOT_RECORDED = "not_recorded", _("Not recorded (consent from before 2027)")


class Consent(BaseModel):
    """The client's consent to disclose data of the disclosing controller's register
    to one recipient organisation: which data classes, for what, from the day it was
    recorded (never back-dated) until its end or withdrawal. Only the controller's
    staff record and withdraw it (silta/privacy/policy.py)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="consents")
    controller = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("disclosed by"),
    )
    recipient = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("disclosed to"),
    )
    data_classes = models.JSONField(_("data"), default=list)
    purpose = models.CharField(_("purpose"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    given_how = models.CharField(
        _("how the client gave it"), max_length=20, choices=ConsentGiven.choices
    )
    given_reference = models.CharField(_("reference"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client", "-valid_from"]
        indexes = [models.Index(fields=["client", "recipient"], name="consent_client_recipient")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(controller=models.F("recipient"))
                | models.Q(withdrawn_at__isnull=False),
                name="consent_recipient_is_another_organisation",
            )
        ]

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.withdrawn_at is None
            and self.valid_from <= day
            and (self.valid_to is None or self.valid_to >= day)
        )

    def covers(self, data_class: str) -> bool:
        return data_class in self.data_classes

    @property
    def data_class_labels(self) -> list[str]:
        from silta.privacy.policy import DataClass

        return [str(DataClass(c).label) for c in self.data_classes if c in DataClass.values]


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    CANCELLED = "cancelled", _("Cancelled")


class NotCompletedReason(models.TextChoices):
    NO_SHOW = "no_show", _("The client did not come")
    CLIENT_DECLINED = "client_declined", _("The client declined the service")
    CLIENT_ILL = "client_ill", _("The client was ill")
    SERVICE_UNAVAILABLE = "service_unavailable", _("The service could not be arranged")
    MOVED_AWAY = "moved_away", _("The client moved away")
    OTHER = "other", _("Other reason")


class Referral(BaseModel):
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"))
    reason = models.TextField(_("reason for the referral"))
    shares = models.CharField(_("data shared"), max_length=10, default="none")
    sharing_basis = models.CharField(_("basis for sharing"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    status_reason = models.TextField(_("reason"), blank=True)
    not_completed_reason = models.CharField(
        _("reason not completed"), max_length=30, choices=NotCompletedReason.choices, blank=True
    )
    work_ability_concern = models.BooleanField(_("work ability should be assessed"), default=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    first_appointment_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at", "id"]
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            models.Index(fields=["from_organisation", "status"]),
            models.Index(fields=["client", "sent_at"]),
            models.Index(fields=["status", "closed_at"]),
        ]

    def get_shares_display(self) -> str:
        """What the referral carries, in words (the field keeps no choices)."""
        from silta.catalogue.models import DataClass

        try:
            return str(DataClass(self.shares).label)
        except ValueError:
            return ""

    @property
    def waiting_days(self) -> int | None:
        """Days from sending to the first appointment (None until scheduled)."""
        if self.first_appointment_at is None:
            return None
        return (self.first_appointment_at.date() - self.sent_at.date()).days


class ReferralStatusChange(BaseModel):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="moves")
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["referral", "at", "created_at"]

    def get_new_status_display(self) -> str:
        """The status in words (the field keeps no choices: the label, never the code)."""
        return _status_label(self.new_status)

    def get_old_status_display(self) -> str:
        return _status_label(self.old_status)


def _status_label(value: str) -> str:
    try:
        return str(ReferralStatus(value).label)
    except ValueError:
        return ""


class Appointment(BaseModel):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="appointments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="appointments"
    )
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    participants = models.CharField(_("participants"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "starts_at"])]


class NoteVisibility(models.TextChoices):
    OWN_ORGANISATION = "own_organisation", _("Own organisation")
    JOINT_TEAM = "joint_team", _("Joint service team")
    HEALTH_ONLY = "health_only", _("Health professionals only")


class Note(BaseModel):
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_role = models.CharField(max_length=40)
    visibility = models.CharField(_("visible to"), max_length=20, choices=NoteVisibility.choices)
    text = models.TextField(_("note"))
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["client", "-written_at"]


class AssessmentDomain(models.TextChoices):
    WORK_ABILITY = "work_ability", _("Work ability")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    HOUSING = "housing", _("Housing")
    FINANCES = "finances", _("Finances")
    EDUCATION = "education", _("Education and skills")
    SOCIAL_NETWORK = "social_network", _("Social network")
    LIFE_MANAGEMENT = "life_management", _("Life management")


class Assessment(BaseModel):
    """A signed service-need assessment: each domain rated 1 (great need of support)
    to 5 (no need)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="assessments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessment date"))
    signed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["client", "-assessed_on", "-signed_at"]


class AssessmentRating(BaseModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    domain = models.CharField(max_length=30, choices=AssessmentDomain.choices)
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="rating_once"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            ),
        ]


class PlanKind(models.TextChoices):
    ACTIVATION = "activation", _("Activation plan")
    MULTISECTORAL = "multisectoral", _("Multisectoral employment plan")
    YOUTH = "youth", _("Youth plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    UNDER_REVIEW = "under_review", _("Under review")
    CLOSED = "closed", _("Closed")


class Plan(BaseModel):
    """A plan; its content lives in PlanVersion rows (every change is a new version).
    The fields here mirror the latest version for lists and reports."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="plans")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client", "-created_at"]
        indexes = [
            models.Index(fields=["kind", "agreed_on", "closed_on"]),
            models.Index(fields=["organisation", "status", "next_review_on"]),
        ]


class PlanVersion(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices)
    goals = models.TextField(_("goals"))
    actions = models.TextField(_("who does what"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    referrals = models.ManyToManyField(Referral, blank=True, related_name="plan_versions")
    author = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]


class OutcomeKind(models.TextChoices):
    OPEN_MARKET_JOB = "open_market_job", _("Job on the open labour market")
    PAY_SUBSIDISED = "pay_subsidised_work", _("Pay-subsidised work")
    DEGREE_EDUCATION = "degree_education", _("Degree-leading education")
    OTHER_EDUCATION = "other_education", _("Other education")
    WORK_TRIAL = "work_trial", _("Work trial")
    REHAB_OR_SICKNESS = (
        "rehabilitation_or_sickness_benefit",
        _("Rehabilitation or sickness benefit"),
    )
    DISABILITY_PENSION = "disability_pension", _("Disability pension")
    MOVED_AWAY = "moved_away", _("Moved away")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    CONTINUES = "continues", _("The situation continues")
    CHANGED_POSITIVE = "changed_positive", _("Moved on to another positive situation")
    UNEMPLOYED_AGAIN = "unemployed_again", _("Unemployed again")
    UNKNOWN = "unknown", _("Not known")


FOLLOW_UP_MONTHS = (3, 6, 12)


class Outcome(BaseModel):
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="outcomes")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("transition"), max_length=40, choices=OutcomeKind.choices)
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("details"), max_length=500, blank=True)
    follow_up_3 = models.CharField(max_length=20, choices=FollowUpStatus.choices, blank=True)
    follow_up_6 = models.CharField(max_length=20, choices=FollowUpStatus.choices, blank=True)
    follow_up_12 = models.CharField(max_length=20, choices=FollowUpStatus.choices, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client", "-occurred_on"]
        # The caseload's follow-ups: an organisation's outcomes of the last 400 days.
        indexes = [models.Index(fields=["organisation", "occurred_on"])]
