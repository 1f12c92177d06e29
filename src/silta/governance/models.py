"""Governance of the regional cooperation: the strategic agreement (versions, sections,
goals, indicators, approvals per municipality), cooperation bodies with members and
meetings (agenda, minutes, decisions, action items) and the work ability network's
client cases and consultations.

Stored values are words; status machines are in ``workflow.py``; every write goes
through ``services.py``."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel

# --- strategic agreement -----------------------------------------------------------


class Agreement(BaseModel):
    """An agreement between the municipalities and the wellbeing services county; its
    content lives in versions. ``municipalities`` are the parties whose own body
    approves it."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=300)
    name_sv = models.CharField(_("name in Swedish"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    municipalities = models.ManyToManyField(
        "places.Municipality", related_name="agreements", verbose_name=_("parties")
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    @property
    def name(self) -> str:
        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Sent for approval")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class AgreementVersion(BaseModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    summary = models.TextField(_("what changed"), blank=True)
    circulated_on = models.DateField(_("sent for approval"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_once")
        ]


class AgreementSection(BaseModel):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("section"))
    heading = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text"))
    edit_version = models.PositiveIntegerField(default=1)
    """Bumped by every edit (optimistic locking); ``version`` is the agreement version."""

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="agreement_section_once")
        ]


class Goal(BaseModel):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    edit_version = models.PositiveIntegerField(default=1)
    """Bumped by every edit (optimistic locking); ``version`` is the agreement version."""

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="goal_once")]


class IndicatorDirection(models.TextChoices):
    AT_LEAST = "at_least", _("At least the target")
    AT_MOST = "at_most", _("At most the target")


class Indicator(BaseModel):
    """A goal's measure. With ``statistic`` (a name in ``governance.indicators``) the
    value is computed from the database for the period whenever it is read; without
    one it is recorded by hand (``manual_value``)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("indicator"), max_length=300)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.AT_LEAST,
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    statistic = models.CharField(_("statistic"), max_length=80, blank=True)
    manual_value = models.DecimalField(
        _("value recorded by hand"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    manual_value_on = models.DateField(_("value as of"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["goal", "title"]


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with proposed changes")
    TABLED = "tabled", _("Tabled (returned for preparation)")
    REJECTED = "rejected", _("Rejected")


APPROVING = frozenset({ApprovalDecision.APPROVED, ApprovalDecision.APPROVED_WITH_CHANGES})


class Approval(BaseModel):
    """One municipality's decision on one version, as its minutes record it."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="approvals"
    )
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    body = models.CharField(_("decision-making body"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    section_number = models.PositiveSmallIntegerField(_("section (§)"))
    decision = models.CharField(_("decision"), max_length=30, choices=ApprovalDecision.choices)
    decision_text = models.TextField(_("decision in the minutes"), blank=True)
    record_number = models.CharField(_("record number"), max_length=40)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    delegation = models.ForeignKey(
        "governance.ApprovalDelegation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvals",
        verbose_name=_("recorded on the delegation"),
    )
    """The municipality's delegation the decision was recorded on; None when the
    municipality's own staff recorded it (or before issue 13)."""

    class Meta:
        ordering = ["version", "municipality__code", "-meeting_date"]
        indexes = [models.Index(fields=["version", "municipality"])]


class ApprovalDelegation(BaseModel):
    """A municipality's authorisation for someone outside its own staff to record its
    decisions on the strategic agreement (for example the employment area's staff, who
    prepare the agreement). Recorded by the municipality's own staff, with the decision
    that authorised it (issue 13, ADR 0015)."""

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    delegate_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegate organisation"),
    )
    delegate_user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegate person"),
    )
    decision_reference = models.CharField(_("decision reference"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["municipality__code", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(delegate_organisation__isnull=False, delegate_user__isnull=True)
                    | models.Q(delegate_organisation__isnull=True, delegate_user__isnull=False)
                ),
                name="approval_delegation_one_delegate",
            )
        ]

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def delegate_name(self) -> str:
        if self.delegate_user is not None:
            return self.delegate_user.get_full_name() or self.delegate_user.username
        return str(self.delegate_organisation)


# --- cooperation bodies and meetings -------------------------------------------------


class BodyKind(models.TextChoices):
    TYM_LEADERSHIP_GROUP = "tym_leadership_group", _("TYM leadership group")
    TYM_NETWORK = "tym_network", _("TYM network")
    JOINT_TEAM = "joint_team", _("Monthly joint team")
    WORK_ABILITY_NETWORK = "work_ability_network", _("Work ability network")
    MANAGERS_MONITORING_GROUP = (
        "managers_monitoring_group",
        _("Municipal managers' employment monitoring group"),
    )
    EMPLOYMENT_CARE_BODY = "employment_care_body", _("Employment care cooperation body")


class Body(BaseModel):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=BodyKind.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    convener = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("convener"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name_fi"]

    @property
    def name(self) -> str:
        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    EXPERT = "expert", _("Expert")


class BodyMember(BaseModel):
    """A member: a Silta user, or a named person or office of another organisation."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["body", "role", "name"]

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.username
        return self.name or self.title


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    DEVELOPMENT = "development", _("Development meeting")


class Meeting(BaseModel):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["body", "-held_on"]
        indexes = [models.Index(fields=["body", "held_on"])]


class AgendaItem(BaseModel):
    """An item on a meeting's agenda; a work ability network case when ``network_case``
    is set (then the title carries no personal data)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("description"), blank=True)
    network_case = models.ForeignKey(
        "governance.NetworkCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_number_once"),
            models.UniqueConstraint(
                fields=["meeting", "network_case"],
                condition=models.Q(network_case__isnull=False),
                name="agenda_case_once_per_meeting",
            ),
        ]


class Decision(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    section_number = models.PositiveSmallIntegerField(_("section (§)"))
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["meeting", "section_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section_number"], name="decision_section_once"
            )
        ]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "title"]
        indexes = [models.Index(fields=["status", "due_on"])]


# --- work ability network -------------------------------------------------------------


class NetworkCaseStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    SCHEDULED = "scheduled", _("On an agenda")
    CONSULTED = "consulted", _("Consulted")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NetworkCase(BaseModel):
    """A client referred to the work ability network for a multiprofessional
    consultation on their work ability and rehabilitation need."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="network_cases"
    )
    network = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="cases")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    referred_at = models.DateTimeField(_("referred"))
    reason = models.TextField(_("reason for the referral"))
    questions = models.TextField(_("questions to the network"), blank=True)
    plan = models.ForeignKey(
        "casework.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NetworkCaseStatus.choices,
        default=NetworkCaseStatus.REFERRED,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_at", "id"]
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["client", "referred_at"]),
            models.Index(fields=["referred_at"]),
        ]


class ConsultationOutcome(models.TextChoices):
    REHABILITATION = "rehabilitation", _("Rehabilitation (Kela or wellbeing county)")
    FURTHER_EXAMINATION = "further_examination", _("Further medical examinations")
    WORK_ABILITY_ASSESSMENT = "work_ability_assessment", _("Work ability assessment")
    PENSION_ASSESSMENT = "pension_assessment", _("Assessment for a disability pension")
    SOCIAL_REHABILITATION = "social_rehabilitation", _("Social rehabilitation")
    EMPLOYMENT_SERVICES = "employment_services", _("Back to employment services")
    OTHER = "other", _("Other")


class Consultation(BaseModel):
    """What the network concluded on one agenda item, and the plan version that
    carries it into the client's plan."""

    case = models.ForeignKey(NetworkCase, on_delete=models.CASCADE, related_name="consultations")
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="consultation"
    )
    outcome = models.CharField(_("outcome"), max_length=40, choices=ConsultationOutcome.choices)
    recommendations = models.TextField(_("recommendations"))
    plan = models.ForeignKey(
        "casework.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_version = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "recorded_at"]
