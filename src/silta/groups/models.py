"""Group activities: social rehabilitation and low-threshold activities run as groups
(e.g. a weekly group) by a leader organisation with named leaders, a schedule and a
capacity; sessions; participants (clients) with join and leave dates; attendance per
session and participant.

Stored values are words; every write goes through ``services.py``. A participant's
rows are person-level data: reads write the access log (``selectors.py``)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.catalogue.models import ServiceCode
from silta.core.models import BaseModel


class GroupKind(models.TextChoices):
    """The service a group gives: the catalogue's code where it has one; the catalogue
    has no code for low-threshold activities (ADR 0011)."""

    SOCIAL_REHABILITATION = ServiceCode.SOCIAL_REHABILITATION.value, _("Social rehabilitation")
    LOW_THRESHOLD = "low_threshold_activity", _("Low-threshold activity")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Group(BaseModel):
    """A group with its schedule. ``organiser`` set the group up (Soite's adult social
    work); ``leader_organisation`` runs it (Soite itself or an association) and its
    named ``leaders`` record sessions and attendance."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=GroupKind.choices)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser"),
    )
    leader_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leader organisation"),
    )
    leaders = models.ManyToManyField(
        "accounts.User", related_name="led_groups", blank=True, verbose_name=_("leaders")
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    place = models.CharField(_("place"), max_length=300)
    weekdays = models.JSONField(_("weekdays"), default=list)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind", "period_start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="group_capacity_at_least_one"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="group_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in sorted(self.weekdays)]

    @property
    def end_time(self) -> dt.time:
        moment = dt.datetime.combine(dt.date(2000, 1, 1), self.start_time)
        return (moment + dt.timedelta(minutes=self.duration_minutes)).time()

    def runs_on(self, day: dt.date) -> bool:
        return self.period_start <= day and (self.period_end is None or day <= self.period_end)


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class GroupSession(BaseModel):
    """One meeting of a group. A planned session that has taken place becomes held
    when its attendance is recorded; a cancelled one takes no attendance."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["group", "date", "start_time"]
        indexes = [models.Index(fields=["date", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "date", "start_time"], name="group_session_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.name} {self.date:%d.%m.%Y}"


class LeaveReason(models.TextChoices):
    PERIOD_COMPLETED = "period_completed", _("The agreed period was completed")
    MOVED_ON = "moved_on", _("Moved on to another service, work or studies")
    CLIENT_INTERRUPTED = "client_interrupted", _("The client interrupted")
    HEALTH = "health", _("Health reasons")
    OTHER = "other", _("Other reason")


class Participant(BaseModel):
    """A client's membership of a group from ``joined_on`` to ``left_on`` (both days
    included; empty while the client takes part)."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="participants")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="group_participations"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=30, choices=LeaveReason.choices, blank=True
    )
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    intake_met_on = models.DateField(_("met the client in person on"), null=True, blank=True)
    intake_in_person = models.BooleanField(_("the client was present"), default=False)
    """The way in (issue 13): the organiser (``added_by``) met the client, whom the
    organiser's organisation already works with, in person on this day. None on places
    from before issue 13."""
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["group", "joined_on", "id"]
        indexes = [
            models.Index(fields=["group", "left_on"]),
            models.Index(fields=["joined_on", "left_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="group_participant_dates_in_order",
            ),
        ]

    def is_active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class AbsenceReason(models.TextChoices):
    ILL = "ill", _("Ill")
    AGREED = "agreed", _("Agreed absence")
    NO_NOTICE = "no_notice", _("Absent without notice")
    OTHER = "other", _("Other reason")


class Attendance(BaseModel):
    """A participant at a session: present, or absent with a reason. A correction
    updates the row with a version check and is change-logged with the old values."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"))
    absence_reason = models.CharField(
        _("reason for absence"), max_length=20, choices=AbsenceReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["session", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="group_attendance_once"
            ),
        ]
