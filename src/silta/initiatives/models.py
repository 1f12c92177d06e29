"""Council initiatives (valtuustoaloitteet): a council group submits an initiative, the
regional board has it prepared by named preparers, approves an answer (meeting, §,
decision) and the council notes the answer and declares the initiative handled.

Stored values are words; the status machine is in ``workflow.py``; every write goes
through ``services.py``. Initiatives carry no client data."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class InitiativeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_PREPARATION = "in_preparation", _("In preparation")
    ANSWERED = "answered", _("Answered by the board")
    HANDLED = "handled", _("Handled by the council")


class Initiative(BaseModel):
    """One council initiative. ``organisation`` prepares it (the wellbeing services
    county or municipality whose council received it)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    title = models.CharField(_("title"), max_length=300)
    submitted_on = models.DateField(_("submitted on"))
    council_group = models.CharField(_("council group"), max_length=200)
    submitters = models.TextField(_("submitters"), blank=True)
    text = models.TextField(_("text of the initiative"))
    questions = models.TextField(_("questions asked"), blank=True)
    record_number = models.CharField(_("record number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.SUBMITTED,
    )
    # preparation
    sent_to_preparation_on = models.DateField(_("sent for preparation"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    figures_year = models.PositiveIntegerField(_("figures of the year"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_pulled_at = models.DateTimeField(null=True, blank=True)
    # the board's answer
    board_meeting = models.CharField(_("board meeting"), max_length=200, blank=True)
    board_meeting_on = models.DateField(_("board meeting date"), null=True, blank=True)
    board_section = models.PositiveIntegerField(_("board section (§)"), null=True, blank=True)
    board_decision = models.TextField(_("board decision"), blank=True)
    # the council's noting
    council_meeting = models.CharField(_("council meeting"), max_length=200, blank=True)
    council_meeting_on = models.DateField(_("council meeting date"), null=True, blank=True)
    council_section = models.PositiveIntegerField(_("council section (§)"), null=True, blank=True)
    council_decision = models.TextField(_("council decision"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_on", "title"]
        indexes = [models.Index(fields=["status", "submitted_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != InitiativeStatus.HANDLED

    def age_days(self, on: dt.date) -> int:
        """Days from submission to the council's noting, or to ``on`` while open."""
        end = self.council_meeting_on if self.council_meeting_on else on
        return max((end - self.submitted_on).days, 0)

    def is_overdue(self, on: dt.date) -> bool:
        return (
            self.status in {InitiativeStatus.SUBMITTED, InitiativeStatus.IN_PREPARATION}
            and self.deadline is not None
            and self.deadline < on
        )


class Preparer(BaseModel):
    """A named preparer (valmistelija) with the title the minutes print."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="preparers")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        ordering = ["initiative", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiative_preparer_once")
        ]


class InitiativeStatusChange(BaseModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="moves")
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["initiative", "at", "created_at"]

    @property
    def new_status_label(self) -> str:
        return str(InitiativeStatus(self.new_status).label)
