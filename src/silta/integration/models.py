"""Integration services under the integration act 681/2023 (in force 1.1.2025): the
client's language facts, the initial assessment (alkukartoitus: osaamisen ja
kotoutumisen palvelutarpeen arviointi, 14 §), the integration plan
(kotoutumissuunnitelma, 16 §, period 18 §) and its reviews (19 §), the municipal
integration programme (12–13 §), and interpreting of appointments and meetings (6 §).

The client's arrival is recorded here; the state-funded-until date of recently arrived
immigrants stays where the funding engine reads it (funding.PersonEvent
``state_funded_until``): one fact, one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class LanguageProfile(BaseModel):
    """The client's languages and interpreter need; one per client, kept by the
    organisation that recorded it last (its controller)."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="language_profile"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    mother_tongue = models.CharField(_("mother tongue"), max_length=3)
    other_languages = models.JSONField(_("other languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreting language"), max_length=3, blank=True)
    arrived_on = models.DateField(_("arrived in Finland"), null=True, blank=True)
    integration_client_since = models.DateField(
        _("integration client since"), null=True, blank=True
    )
    in_programme = models.BooleanField(_("in the municipal integration programme"), default=False)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client"]


class LanguageLevel(models.TextChoices):
    """Common European Framework of Reference levels."""

    NONE = "none", _("No skills")
    A1 = "A1", _("A1 beginner")
    A2 = "A2", _("A2 elementary")
    B1 = "B1", _("B1 intermediate")
    B2 = "B2", _("B2 upper intermediate")
    C1 = "C1", _("C1 advanced")
    C2 = "C2", _("C2 proficient")
    NATIVE = "native", _("Mother tongue")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No school education")
    BASIC = "basic", _("Basic education")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary or vocational")
    HIGHER = "higher", _("Higher education")
    UNKNOWN = "unknown", _("Not known")


class InitialAssessment(BaseModel):
    """Alkukartoitus (681/2023 14 §): language skills, education and work history and
    the service need; the start of the time limit is the client's integration-client
    date."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="initial_assessments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client_since = models.DateField(_("integration client since"))
    assessed_on = models.DateField(_("assessment date"))
    finnish_level = models.CharField(
        _("Finnish skills"), max_length=10, choices=LanguageLevel.choices
    )
    swedish_level = models.CharField(
        _("Swedish skills"), max_length=10, choices=LanguageLevel.choices
    )
    english_level = models.CharField(
        _("English skills"), max_length=10, choices=LanguageLevel.choices
    )
    literacy_training_needed = models.BooleanField(_("needs literacy training"), default=False)
    education = models.CharField(_("education"), max_length=20, choices=EducationLevel.choices)
    education_text = models.TextField(_("education in more detail"), blank=True)
    work_history = models.TextField(_("work history"), blank=True)
    service_need = models.TextField(_("service need"))
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    signed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["client", "-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["assessed_on"])]

    @property
    def days_from_start(self) -> int:
        return (self.assessed_on - self.client_since).days


class PlanOutcome(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    EDUCATION = "education", _("Started education")
    LANGUAGE_GOAL = "language_goal_met", _("Language goal met")
    CONTINUES_ELSEWHERE = "continues_elsewhere", _("Continues in other services")
    MOVED_AWAY = "moved_away", _("Moved away")
    INTERRUPTED = "interrupted", _("Interrupted")


class IntegrationPlan(BaseModel):
    """Kotoutumissuunnitelma (681/2023 16 §) for one period (18 §); its reviews are
    IntegrationPlanReview rows (19 §). Every change raises ``version`` (a stale edit is
    refused)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="integration_plans"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        InitialAssessment, on_delete=models.PROTECT, related_name="plans", null=True
    )
    starts_on = models.DateField(_("plan starts"))
    ends_on = models.DateField(_("plan ends"))
    language_training = models.BooleanField(_("integration language training"), default=False)
    language_training_text = models.TextField(_("language training in more detail"), blank=True)
    other_services = models.TextField(_("other services"), blank=True)
    goals = models.TextField(_("goals"))
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    outcome = models.CharField(_("outcome"), max_length=30, choices=PlanOutcome.choices, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["client", "-starts_on"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="integration_plan_ends_after_start",
            )
        ]


class IntegrationPlanReview(BaseModel):
    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("review date"))
    note = models.TextField(_("what was agreed"))
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-reviewed_on"]


class AppointmentInterpreting(BaseModel):
    """Interpreting of one case-work appointment (681/2023 6 §): the need, the
    language and whether an interpreter is booked. Kept beside the appointment by the
    appointment's organisation."""

    appointment = models.OneToOneField(
        "casework.Appointment", on_delete=models.CASCADE, related_name="interpreting"
    )
    language = models.CharField(_("interpreting language"), max_length=3)
    booked = models.BooleanField(_("interpreter booked"), default=False)
    booking_reference = models.CharField(_("booking reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["appointment"]


class GuidanceChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in visit")
    APPOINTMENT = "appointment", _("Appointment")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat or message")
    OUTREACH = "outreach", _("Outreach work")


class GuidanceContact(BaseModel):
    """A guidance contact of an Ohjaamo unit (youth one-stop guidance, under 30; the
    organisation that offers the catalogue service ``youth_guidance``). Often
    anonymous: then only the age and the home municipality are recorded."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guidance_contacts",
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=GuidanceChannel.choices)
    age = models.PositiveSmallIntegerField(_("age"))
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=300)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-contacted_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "contacted_on"])]


class MeetingInterpreting(BaseModel):
    """Interpreting of a cooperation body's meeting (a work ability network meeting
    with the client present, a TYM network or joint team meeting with a participant
    who needs one; 681/2023 6 §): the need (a row exists), the language and whether an
    interpreter is booked, with the booking reference. Recorded by the body's
    managers (ADR 0031)."""

    meeting = models.OneToOneField(
        "governance.Meeting", on_delete=models.CASCADE, related_name="interpreting"
    )
    language = models.CharField(_("interpreting language"), max_length=3)
    booked = models.BooleanField(_("interpreter booked"), default=False)
    booking_reference = models.CharField(_("booking reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting"]


class SessionInterpreting(BaseModel):
    """Interpreting of a group session (a client meeting of a group activity; 681/2023
    6 §): the need (a row exists), the language and whether an interpreter is booked.
    Recorded by those who run the group (its organiser's staff or its named leaders,
    silta.groups.policies.group_grant; ADR 0031)."""

    session = models.OneToOneField(
        "groups.GroupSession", on_delete=models.CASCADE, related_name="interpreting"
    )
    language = models.CharField(_("interpreting language"), max_length=3)
    booked = models.BooleanField(_("interpreter booked"), default=False)
    booking_reference = models.CharField(_("booking reference"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["session"]
