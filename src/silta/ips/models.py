"""IPS supported employment (Sijoita ja valmenna): the job coach links two client
groups, the job seeker and the employer.

- Employers are records, never users: a company with its business ID (Y-tunnus),
  contact people, the coach's contacts with it, open job opportunities and the
  adjustments agreed (job carving, modified duties).
- A coaching episode per client: the referral from psychiatric outpatient care, the
  client's own job interests, job-search steps, placements in work, support during
  employment and the end with an outcome.

Stored values are words; the status machine is in ``workflow.py``; every write goes
through ``services.py``."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.models import BaseModel


class Sector(models.TextChoices):
    RETAIL = "retail", _("Retail and wholesale")
    HOSPITALITY = "hospitality", _("Hotels, restaurants and catering")
    PROPERTY = "property", _("Cleaning and property services")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    LOGISTICS = "logistics", _("Transport and logistics")
    CARE = "care", _("Health and social care")
    AGRICULTURE = "agriculture", _("Agriculture and forestry")
    PUBLIC = "public", _("Public sector")
    OTHER = "other", _("Other services")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other contact")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class AdjustmentKind(models.TextChoices):
    JOB_CARVING = "job_carving", _("Job carving")
    MODIFIED_DUTIES = "modified_duties", _("Modified duties")
    OTHER = "other", _("Other adjustment")


class Employer(BaseModel):
    """A company the coaches work with. Employers are not users and see nothing."""

    name = models.CharField(_("company name"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=9, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "business_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.business_id})"


class ContactPerson(BaseModel):
    """A contact person at the employer (the employer's staff, not a client)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["employer", "name", "id"]


class EmployerContact(BaseModel):
    """One contact of a coach with an employer (visit, phone call, e-mail)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    coach = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("coach")
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["employer", "-on", "-created_at"]


class JobOpportunity(BaseModel):
    """An open job the employer has told the coach about."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="opportunities")
    title = models.CharField(_("job title"), max_length=200)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.OPEN,
    )
    noted_on = models.DateField(_("noted on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["employer", "-noted_on", "title"]


class Adjustment(BaseModel):
    """An adjustment the employer agreed to (job carving, modified duties)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("kind"), max_length=20, choices=AdjustmentKind.choices)
    agreed_on = models.DateField(_("agreed on"))
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["employer", "-agreed_on", "kind"]


class EpisodeStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACTIVE = "active", _("In coaching")
    ENDED = "ended", _("Ended")


class EpisodeOutcome(models.TextChoices):
    EMPLOYED_OPEN_MARKET = "employed_open_market", _("Employed on the open labour market")
    EMPLOYED_SUBSIDISED = "employed_subsidised", _("Employed with pay subsidy")
    EDUCATION = "education", _("Started education")
    OTHER_SERVICE = "other_service", _("Moved to another service")
    DID_NOT_START = "did_not_start", _("Coaching did not start")
    CLIENT_ENDED = "client_ended", _("The client ended the coaching")
    ENDED_OTHER = "ended_other", _("Ended for another reason")


class StepKind(models.TextChoices):
    EMPLOYER_CONTACT = "employer_contact", _("Contact with an employer")
    APPLICATION = "application", _("Job application")
    INTERVIEW = "interview", _("Job interview")
    WORK_TRIAL = "work_trial", _("Work trial")
    CV = "cv", _("CV or application documents")
    OTHER = "other", _("Other step")


class CoachingEpisode(BaseModel):
    """One client's IPS coaching, from the referral to the end. ``coach`` alone sees
    and edits it; ``organisation`` (the coach's) holds the client relationship."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="ips_episodes"
    )
    coach = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("coach")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EpisodeStatus.choices, default=EpisodeStatus.REFERRED
    )
    referred_on = models.DateField(_("referral date"))
    referring_unit = models.CharField(_("referring unit"), max_length=200)
    started_on = models.DateField(_("coaching started"), null=True, blank=True)
    job_interests = models.TextField(_("the client's own job interests"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=EpisodeOutcome.choices, blank=True
    )
    end_note = models.TextField(_("note on the end"), blank=True)
    relationship = models.ForeignKey(
        "clients.ServiceRelationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    """The coach's own relationship with the client (``staff_user`` the coach), opened
    with the episode, moved with a hand-over and closed when the episode ends. None on
    episodes from before issue 13 whose organisation had a relationship already."""
    referral = models.OneToOneField(
        "casework.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ips_episode",
        verbose_name=_("referral"),
    )
    """The case-work referral to the IPS unit the coach took the client in from (None
    for an intake recorded by the coach, below)."""
    intake_met_on = models.DateField(_("met the client in person on"), null=True, blank=True)
    intake_in_person = models.BooleanField(_("the client was present"), default=False)
    intake_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intake recorded by"),
    )
    """Without a referral, the way in is an intake the coach recorded with the client
    present: who, when, in person (issue 13, ADR 0015)."""
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_on", "id"]
        indexes = [models.Index(fields=["coach", "status"])]

    def __str__(self) -> str:
        return f"IPS {self.client_id} {self.referred_on}"

    @property
    def is_open(self) -> bool:
        return self.status != EpisodeStatus.ENDED

    @property
    def start_date(self) -> dt.date:
        """The date placements and steps may not precede."""
        return self.started_on or self.referred_on


class JobSearchStep(BaseModel):
    episode = models.ForeignKey(CoachingEpisode, on_delete=models.CASCADE, related_name="steps")
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["episode", "-on", "-created_at"]


class WorkPlacement(BaseModel):
    """A job the client got during the episode."""

    episode = models.ForeignKey(
        CoachingEpisode, on_delete=models.CASCADE, related_name="placements"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="placements", verbose_name=_("employer")
    )
    job_title = models.CharField(_("job title"), max_length=200)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    pay_subsidised = models.BooleanField(_("pay-subsidised"), default=False)
    open_market = models.BooleanField(_("on the open labour market"), default=True)

    class Meta:
        ordering = ["episode", "start_on", "created_at"]

    def tenure_days(self, on: dt.date) -> int:
        """Days in the job, both ends counted; an ongoing job counts to ``on``."""
        end = self.end_on if self.end_on is not None and self.end_on <= on else on
        return max((end - self.start_on).days + 1, 0)


class EmploymentSupport(BaseModel):
    """Support the coach gave the client (or the employer) during employment."""

    episode = models.ForeignKey(CoachingEpisode, on_delete=models.CASCADE, related_name="support")
    placement = models.ForeignKey(
        WorkPlacement, on_delete=models.CASCADE, related_name="support", null=True, blank=True
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("note"))

    class Meta:
        ordering = ["episode", "-on", "-created_at"]


class EpisodeStatusChange(BaseModel):
    episode = models.ForeignKey(CoachingEpisode, on_delete=models.CASCADE, related_name="moves")
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["episode", "at", "created_at"]

    @property
    def new_status_label(self) -> str:
        return str(EpisodeStatus(self.new_status).label)
