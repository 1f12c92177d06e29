"""Rehabilitative work activity (laki 189/2001, DOMAIN.md §3.2): providers, their
contacts and work sites, contracts with versions, placements, attendance, outcome-fee
claims and fees, and monthly statements.

Every write goes through ``services.py``. Rows that money was computed from are
immutable once a statement has used them: a contract version that was billed is never
edited (a new version is made), attendance on an approved statement is corrected by a
new correcting row, an outcome fee is corrected by a reversing row."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class Provider(BaseModel):
    """An organisation that runs rehabilitative work activity for Soite."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="rehab_provider",
        verbose_name=_("organisation"),
    )
    business_id = models.CharField(_("business ID"), max_length=9, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    registered_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name_fi"]
        verbose_name = _("provider")

    def __str__(self) -> str:
        return self.organisation.name


class ProviderContact(BaseModel):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["provider", "name"]


class WorkSite(BaseModel):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["provider", "name"]

    def __str__(self) -> str:
        return self.name


class Transition(models.TextChoices):
    """The positive transitions that can qualify for an outcome fee; the values are
    casework's ``OutcomeKind`` values (the outcome is recorded there)."""

    DEGREE_EDUCATION = "degree_education", _("Degree-leading education")
    PAY_SUBSIDISED = "pay_subsidised_work", _("Pay-subsidised work")
    OPEN_MARKET_JOB = "open_market_job", _("Job on the open labour market")
    WORK_TRIAL = "work_trial", _("Work trial")


class Contract(BaseModel):
    """A purchase contract with a provider; its terms live in ContractVersion rows."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("contract reference"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["provider", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], name="contract_reference_once"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ContractVersion(BaseModel):
    """The terms of a contract from a date. A version used for a statement is locked
    (``used_at``); changing its terms makes a new version."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    effective_from = models.DateField(_("effective from"))
    price_per_day = models.DecimalField(
        _("price per participant-day (€)"), max_digits=8, decimal_places=2
    )
    outcome_fee = models.DecimalField(_("outcome fee (€)"), max_digits=9, decimal_places=2)
    qualifying_transitions = models.JSONField(_("qualifying transitions"), default=list)
    max_places = models.PositiveIntegerField(_("maximum places"))
    used_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    @property
    def qualifying_labels(self) -> list[str]:
        """The qualifying transitions in the reader's language."""
        return [
            str(Transition(t).label) if t in Transition.values else t
            for t in self.qualifying_transitions
        ]

    class Meta:
        ordering = ["contract", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_version_once")
        ]

    @property
    def qualifying_transitions_display(self) -> str:
        """The qualifying transitions in words, comma-separated."""
        labels = {t.value: str(t.label) for t in Transition}
        return ", ".join(labels.get(v, "") for v in self.qualifying_transitions if v in labels)


class PlacementEndReason(models.TextChoices):
    TRANSITION = "transition", _("Moved on (transition)")
    PERIOD_COMPLETED = "period_completed", _("The agreed period was completed")
    CLIENT_INTERRUPTED = "client_interrupted", _("The client interrupted")
    HEALTH = "health", _("Health reasons")
    MOVED_AWAY = "moved_away", _("Moved away")
    OTHER = "other", _("Other reason")


class Placement(BaseModel):
    """A client's rehabilitative work activity at a provider."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="rehab_placements"
    )
    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="placements")
    work_site = models.ForeignKey(
        WorkSite, on_delete=models.PROTECT, related_name="placements", verbose_name=_("work site")
    )
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="placements")
    plan = models.ForeignKey(
        "casework.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rehab_placements",
        verbose_name=_("plan"),
    )
    start_on = models.DateField(_("start date"))
    planned_end_on = models.DateField(_("planned end date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    days_per_week = models.PositiveSmallIntegerField(_("days a week"))
    hours_per_day = models.DecimalField(_("hours a day"), max_digits=3, decimal_places=1)
    tasks = models.CharField(_("tasks"), max_length=500, blank=True)
    social_assistance = models.BooleanField(
        _("gets social assistance (activity allowance)"),
        default=False,
        help_text=_(
            "A participant without unemployment benefit who gets social assistance is paid "
            "the activity allowance by the wellbeing services county instead of Kela's "
            "expense allowance."
        ),
    )
    end_reason = models.CharField(
        _("end reason"), max_length=30, choices=PlacementEndReason.choices, blank=True
    )
    outcome = models.ForeignKey(
        "casework.Outcome",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rehab_placements",
    )
    outcome_confirmed_at = models.DateTimeField(_("transition confirmed"), null=True, blank=True)
    outcome_confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_on", "id"]
        indexes = [
            models.Index(fields=["provider", "start_on"]),
            models.Index(fields=["start_on", "ended_on"]),
            models.Index(fields=["organiser", "ended_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days_per_week__gte=1, days_per_week__lte=4),
                name="placement_days_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_day__gte=4, hours_per_day__lte=8),
                name="placement_hours_4_to_8",
            ),
        ]

    @property
    def last_day(self) -> dt.date:
        """The last day attendance may be recorded on."""
        return self.ended_on or self.planned_end_on

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_on <= day <= self.last_day


class AbsenceReason(models.TextChoices):
    ILL = "ill", _("Ill")
    CHILD_ILL = "child_ill", _("Child ill")
    AGREED = "agreed", _("Agreed absence")
    NO_NOTICE = "no_notice", _("Absent without notice")
    OTHER = "other", _("Other reason")


class Attendance(BaseModel):
    """One day of a placement. Until a statement is approved the day's row is updated
    in place; after that, a change is a new correcting row (``corrects``) and the
    billed row is never touched. The day's state is its latest row."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"))
    hours = models.DecimalField(_("hours"), max_digits=3, decimal_places=1, null=True, blank=True)
    absence_reason = models.CharField(
        _("reason for absence"), max_length=20, choices=AbsenceReason.choices, blank=True
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    statement = models.ForeignKey(
        "Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["placement", "day", "recorded_at"]
        indexes = [
            models.Index(fields=["placement", "day"]),
            models.Index(fields=["day", "statement"]),
        ]
        constraints = [
            # at most one unbilled row per day: it is edited until a statement uses it
            models.UniqueConstraint(
                fields=["placement", "day"],
                condition=models.Q(statement__isnull=True),
                name="attendance_one_open_row_per_day",
            ),
        ]


class FeeClaimStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FeeClaim(BaseModel):
    """A provider's claim for the outcome fee of an ended placement."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="fee_claims")
    status = models.CharField(
        _("status"), max_length=20, choices=FeeClaimStatus.choices, default=FeeClaimStatus.CLAIMED
    )
    claimed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    claimed_at = models.DateTimeField()
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"],
                condition=~models.Q(status="rejected"),
                name="fee_claim_one_live_per_placement",
            )
        ]


class FeeClaimStatusChange(BaseModel):
    claim = models.ForeignKey(FeeClaim, on_delete=models.CASCADE, related_name="moves")
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["claim", "at", "created_at"]


class OutcomeFee(BaseModel):
    """An immutable fee row: the amount, the contract version it was priced on and the
    facts used. A correction is a new row reversing it (negative amount)."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="fees")
    claim = models.ForeignKey(FeeClaim, on_delete=models.PROTECT, related_name="fees")
    contract_version = models.ForeignKey(
        ContractVersion, on_delete=models.PROTECT, related_name="fees"
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2)
    facts = models.JSONField(_("facts used"))
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reason = models.TextField(_("reason"), blank=True)
    statement = models.ForeignKey(
        "Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="fees"
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["placement", "decided_at", "created_at"]


class StatementStatus(models.TextChoices):
    """The stored states of a statement; a month without a row is a draft (a live
    preview computed from the rows no approved statement has used)."""

    CHECKED = "checked", _("Checked")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent for invoicing")


LOCKED_STATUSES = frozenset({StatementStatus.APPROVED, StatementStatus.SENT})


class Statement(BaseModel):
    """A monthly statement of one provider for one organiser's placements.

    Checked: the organiser checked the draft's total (stored to compare at approval).
    Approved: locked and numbered; its lines are snapshots, and the attendance and fee
    rows it billed point at it and are never edited again. Sent: the invoice reference
    is recorded. An approved statement is never changed (services refuse it)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="statements")
    organiser = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StatementStatus.choices,
        default=StatementStatus.APPROVED,
    )
    number = models.PositiveIntegerField(_("statement number"), null=True, blank=True)
    participant_days = models.IntegerField(_("participant-days"))
    attendance_eur = models.DecimalField(max_digits=12, decimal_places=2)
    fees_eur = models.DecimalField(max_digits=12, decimal_places=2)
    corrections_eur = models.DecimalField(max_digits=12, decimal_places=2)
    total_eur = models.DecimalField(_("total (€)"), max_digits=12, decimal_places=2)
    checked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    invoice_reference = models.CharField(_("invoice reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["provider", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "organiser", "month"], name="statement_once_a_month"
            ),
            models.UniqueConstraint(fields=["organiser", "number"], name="statement_number_once"),
        ]

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def number_label(self) -> str:
        return f"{self.number:05d}" if self.number else ""


class StatementLineKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Participant-days")
    LATE_ATTENDANCE = "late_attendance", _("Participant-days recorded late")
    ATTENDANCE_CORRECTION = "attendance_correction", _("Correction of participant-days")
    OUTCOME_FEE = "outcome_fee", _("Outcome fee")
    FEE_CORRECTION = "fee_correction", _("Correction of an outcome fee")


class StatementLine(BaseModel):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=30, choices=StatementLineKind.choices)
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    client_name = models.CharField(max_length=300)
    contract_version = models.ForeignKey(
        ContractVersion, on_delete=models.PROTECT, related_name="statement_lines"
    )
    days = models.IntegerField()
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    detail = models.CharField(max_length=300, blank=True)
    corrects = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by_lines",
        verbose_name=_("corrects statement"),
    )

    class Meta:
        ordering = ["statement", "kind", "client_name", "id"]
