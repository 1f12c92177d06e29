"""Every write of IPS supported employment: keyword-only, validated, one transaction,
change-logged. A refused write saves nothing and raises a ValidationError with coded
errors per field.

Services check the actor's right themselves (``policies.py``): employer records need
``ips.coach``; an episode is written only by its own coach."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus

from silta.accounts.models import Organisation, User
from silta.accounts.policies import can
from silta.accounts.roles import Perm, Role
from silta.audit.services import change_log_write, model_changes, snapshot
from silta.casework.models import Referral, ReferralStatus
from silta.catalogue.errors import StaleEdit
from silta.catalogue.models import ServiceCode
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.clients.policies import can_view_client
from silta.clients.services import relationship_close
from silta.core import dates
from silta.core.validation import validate_not_before_birth
from silta.ips import workflow
from silta.ips.errors import IpsError as E
from silta.ips.models import (
    Adjustment,
    AdjustmentKind,
    CoachingEpisode,
    ContactKind,
    ContactPerson,
    Employer,
    EmployerContact,
    EmploymentSupport,
    EpisodeOutcome,
    EpisodeStatus,
    EpisodeStatusChange,
    JobOpportunity,
    JobSearchStep,
    OpportunityStatus,
    Sector,
    StepKind,
    WorkPlacement,
)
from silta.ips.policies import (
    active_coaches,
    can_edit_employers,
    intake_membership,
    is_coach_of,
    is_supervisor_of,
)
from silta.places.models import Municipality
from silta.privacy.policy import Action

Errors = dict[str, list[ValidationError]]
CLIENT_NOT_FOUND = _lazy("No client you may see was found.")
"""One answer for an identity code nobody has and for a client the user may not see."""
S = EpisodeStatus

EMPLOYER_FIELDS = ("name", "business_id", "sector", "municipality_id", "address", "notes")
PLACEMENT_FIELDS = (
    "episode_id", "employer_id", "job_title", "start_on", "end_on", "hours_per_week",
    "pay_subsidised", "open_market",
)  # fmt: skip
MAX_HOURS = Decimal(60)


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _deny() -> PermissionDenied:
    return PermissionDenied(E.NO_ACCESS.value)


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def _not_future(errors: Errors, field: str, value: dt.date) -> None:
    if value > dates.today():
        _err(errors, field, _("The date cannot be in the future."), E.DATE_IN_FUTURE)


def _required(errors: Errors, **values: str) -> None:
    for name, value in values.items():
        if not value.strip():
            _err(errors, name, _("Required."), E.REQUIRED)


def _choice(errors: Errors, field: str, value: str, choices: type[object]) -> None:
    if value not in choices.values:  # type: ignore[attr-defined]
        _err(errors, field, _("Choose one of the options."), E.REQUIRED)


# --- employers -----------------------------------------------------------------------


def business_id_clean(value: str) -> str:
    """The business ID in its standard form (1234567-8), or a coded ValidationError."""
    try:
        return str(ytunnus.format(ytunnus.validate(value.strip())))
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid business ID (Y-tunnus).") % {"value": value.strip()},
            code=E.BUSINESS_ID,
        ) from None


def _employer_errors(
    *,
    name: str,
    business_id: str,
    sector: str,
    exclude_pk: uuid.UUID | None = None,
) -> tuple[Errors, str]:
    errors: Errors = {}
    _required(errors, name=name)
    clean = ""
    if not business_id.strip():
        _err(errors, "business_id", _("Required."), E.REQUIRED)
    else:
        try:
            clean = business_id_clean(business_id)
        except ValidationError as exc:
            errors.setdefault("business_id", []).append(exc)
    taken = Employer.objects.filter(business_id=clean)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if clean and taken.exists():
        _err(
            errors,
            "business_id",
            _("An employer with the business ID %(id)s is already registered.") % {"id": clean},
            E.BUSINESS_ID_TAKEN,
        )
    _choice(errors, "sector", sector, Sector)
    return errors, clean


def _search_name(name: str) -> str:
    return " ".join(name.casefold().split())


@transaction.atomic
def employer_create(
    *,
    actor: User,
    name: str,
    business_id: str,
    sector: str,
    municipality: Municipality,
    address: str = "",
    notes: str = "",
) -> Employer:
    """Register an employer (a company record; employers are never users)."""
    if not can_edit_employers(actor):
        raise _deny()
    errors, clean = _employer_errors(name=name, business_id=business_id, sector=sector)
    _raise(errors)
    employer = Employer.objects.create(
        name=name.strip(), business_id=clean, sector=sector, municipality=municipality,
        address=address.strip(), notes=notes.strip(), search_name=_search_name(name),
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="ips.employer_created",
        target=employer,
        changes=model_changes(None, employer, EMPLOYER_FIELDS),
    )
    return employer


@transaction.atomic
def employer_update(
    *,
    actor: User,
    employer: Employer,
    version: int,
    name: str,
    business_id: str,
    sector: str,
    municipality: Municipality,
    address: str = "",
    notes: str = "",
) -> Employer:
    """Edit an employer; a stale ``version`` answers 409 and saves nothing."""
    if not can_edit_employers(actor):
        raise _deny()
    locked = Employer.objects.select_for_update().get(pk=employer.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else saved this employer after you opened it. Reload and try again."),
            code=E.STALE,
        )
    errors, clean = _employer_errors(
        name=name, business_id=business_id, sector=sector, exclude_pk=locked.pk
    )
    _raise(errors)
    before = snapshot(locked, EMPLOYER_FIELDS)
    locked.name = name.strip()
    locked.business_id = clean
    locked.sector = sector
    locked.municipality = municipality
    locked.address = address.strip()
    locked.notes = notes.strip()
    locked.search_name = _search_name(name)
    locked.version += 1
    locked.save()
    change_log_write(
        actor=actor,
        event="ips.employer_updated",
        target=locked,
        changes=model_changes(before, locked, EMPLOYER_FIELDS)
        | {"version": [version, version + 1]},
    )
    return locked


@transaction.atomic
def contact_person_add(
    *, actor: User, employer: Employer, name: str, title: str = "", phone: str = "", email: str = ""
) -> ContactPerson:
    if not can_edit_employers(actor):
        raise _deny()
    errors: Errors = {}
    _required(errors, name=name)
    _raise(errors)
    person = ContactPerson.objects.create(
        employer=employer, name=name.strip(), title=title.strip(), phone=phone.strip(),
        email=email.strip(),
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="ips.contact_person_added",
        target=person,
        changes=model_changes(None, person, ("employer_id", "name", "title", "phone", "email")),
    )
    return person


@transaction.atomic
def employer_contact_add(
    *, actor: User, employer: Employer, on: dt.date, kind: str, notes: str = ""
) -> EmployerContact:
    """Record a coach's contact with an employer (the actor is the coach)."""
    if not can_edit_employers(actor):
        raise _deny()
    errors: Errors = {}
    _choice(errors, "kind", kind, ContactKind)
    _not_future(errors, "on", on)
    _raise(errors)
    contact = EmployerContact.objects.create(
        employer=employer, coach=actor, on=on, kind=kind, notes=notes.strip()
    )
    change_log_write(
        actor=actor,
        event="ips.employer_contact_added",
        target=contact,
        changes=model_changes(None, contact, ("employer_id", "coach_id", "on", "kind", "notes")),
    )
    return contact


def _hours_errors(errors: Errors, field: str, hours: Decimal | None) -> None:
    try:
        ok = hours is not None and Decimal(0) < Decimal(hours) <= MAX_HOURS
    except (InvalidOperation, TypeError):
        ok = False
    if not ok:
        _err(errors, field, _("Give the hours per week, from 0.5 to 60."), E.HOURS)


@transaction.atomic
def opportunity_add(
    *,
    actor: User,
    employer: Employer,
    title: str,
    hours_per_week: Decimal,
    noted_on: dt.date,
    description: str = "",
) -> JobOpportunity:
    if not can_edit_employers(actor):
        raise _deny()
    errors: Errors = {}
    _required(errors, title=title)
    _hours_errors(errors, "hours_per_week", hours_per_week)
    _not_future(errors, "noted_on", noted_on)
    _raise(errors)
    job = JobOpportunity.objects.create(
        employer=employer, title=title.strip(), hours_per_week=hours_per_week,
        noted_on=noted_on, description=description.strip(),
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="ips.opportunity_added",
        target=job,
        changes=model_changes(
            None, job, ("employer_id", "title", "hours_per_week", "status", "noted_on")
        ),
    )
    return job


@transaction.atomic
def opportunity_set_status(
    *, actor: User, opportunity: JobOpportunity, status: str
) -> JobOpportunity:
    """Mark an opportunity open, filled or closed."""
    if not can_edit_employers(actor):
        raise _deny()
    errors: Errors = {}
    _choice(errors, "status", status, OpportunityStatus)
    _raise(errors)
    old = opportunity.status
    opportunity.status = status
    opportunity.save(update_fields=["status", "updated_at"])
    change_log_write(
        actor=actor,
        event="ips.opportunity_status_changed",
        target=opportunity,
        changes={"status": [old, status]},
    )
    return opportunity


@transaction.atomic
def adjustment_add(
    *, actor: User, employer: Employer, kind: str, agreed_on: dt.date, description: str
) -> Adjustment:
    """Record an adjustment the employer agreed to (job carving, modified duties)."""
    if not can_edit_employers(actor):
        raise _deny()
    errors: Errors = {}
    _choice(errors, "kind", kind, AdjustmentKind)
    _required(errors, description=description)
    _not_future(errors, "agreed_on", agreed_on)
    _raise(errors)
    adjustment = Adjustment.objects.create(
        employer=employer, kind=kind, agreed_on=agreed_on, description=description.strip()
    )
    change_log_write(
        actor=actor,
        event="ips.adjustment_added",
        target=adjustment,
        changes=model_changes(None, adjustment, ("employer_id", "kind", "agreed_on")),
    )
    return adjustment


# --- coaching episodes ---------------------------------------------------------------


def _own(actor: User, episode: CoachingEpisode, action: str = Action.CHANGE) -> None:
    if not is_coach_of(actor, episode, action):
        raise _deny()


def _locked(episode: CoachingEpisode, version: int | None = None) -> CoachingEpisode:
    locked = CoachingEpisode.objects.select_for_update().get(pk=episode.pk)
    if version is not None and locked.version != version:
        raise StaleEdit(
            _("Somebody else saved this episode after you opened it. Reload and try again."),
            code=E.STALE,
        )
    return locked


def _move(*, actor: User, episode: CoachingEpisode, to: str) -> None:
    old = episode.status
    if not workflow.can_move(old, to):
        raise ValidationError(
            _("An episode that is %(old)s cannot become %(new)s.")
            % {"old": S(old).label, "new": S(to).label},
            code=E.ILLEGAL_MOVE,
        )
    episode.status = to
    EpisodeStatusChange.objects.create(
        episode=episode, old_status=old, new_status=to, actor=actor, at=dates.now()
    )


def _active(episode: CoachingEpisode) -> None:
    if episode.status not in workflow.RECORDING:
        raise ValidationError(_("Record this while the coaching is active."), code=E.NOT_ACTIVE)


def _not_before_episode(
    errors: Errors, field: str, value: dt.date, episode: CoachingEpisode
) -> None:
    if value < episode.start_date:
        _err(
            errors,
            field,
            _("The date cannot be before the coaching episode started (%(day)s).")
            % {"day": _day(episode.start_date)},
            E.BEFORE_EPISODE,
        )


#: Case-work referral states in which the IPS unit has taken the referral on.
IPS_REFERRAL_TAKEN = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.SCHEDULED})


def _personal_relationship_open(
    *, actor: User, client: Client, organisation: Organisation, coach: User, since: dt.date
) -> ServiceRelationship:
    """The coach's own relationship with the client, from the referral: it opens the
    client's basic page to the coach only, not to the coach's whole organisation."""
    rel = ServiceRelationship.objects.create(
        client=client,
        organisation=organisation,
        kind=RelationshipKind.IPS_COACHING,
        valid_from=min(since, dates.today()),
        staff_user=coach,
    )
    change_log_write(
        actor=actor,
        event="relationship.opened",
        target=rel,
        changes=model_changes(
            None, rel, ["client_id", "organisation_id", "kind", "valid_from", "staff_user_id"]
        ),
    )
    return rel


def _relationships_move(
    *, actor: User, episode: CoachingEpisode, from_coach_id: uuid.UUID, to_coach: User
) -> None:
    """Move the personal relationships the leaving coach holds with the episode's client
    in the episode's organisation (the coaching one and a referral taken in)."""
    today = dates.today()
    for rel in (
        ServiceRelationship.objects.select_for_update()
        .filter(
            client_id=episode.client_id,
            organisation_id=episode.organisation_id,
            staff_user_id=from_coach_id,
        )
        .exclude(valid_to__lt=today)
        .order_by("pk")
    ):
        rel.staff_user = to_coach
        rel.save(update_fields=["staff_user", "updated_at"])
        change_log_write(
            actor=actor,
            event="relationship.owner_changed",
            target=rel,
            changes={"staff_user_id": [str(from_coach_id), str(to_coach.pk)]},
        )


def _referral_relationship_to_coach(*, actor: User, referral: Referral, coach: User) -> None:
    """The unit's relationship from the accepted referral becomes the coach's own once
    the coach takes the referral in (no other open referral to the unit needs it)."""
    if (
        Referral.objects.filter(
            client_id=referral.client_id,
            to_organisation_id=referral.to_organisation_id,
            status__in=IPS_REFERRAL_TAKEN,
        )
        .exclude(pk=referral.pk)
        .exists()
    ):
        return
    today = dates.today()
    for rel in (
        ServiceRelationship.objects.select_for_update()
        .filter(
            client_id=referral.client_id,
            organisation_id=referral.to_organisation_id,
            kind=RelationshipKind.REFERRAL,
            staff_user__isnull=True,
        )
        .exclude(valid_to__lt=today)
        .order_by("pk")
    ):
        rel.staff_user = coach
        rel.save(update_fields=["staff_user", "updated_at"])
        change_log_write(
            actor=actor,
            event="relationship.owner_changed",
            target=rel,
            changes={"staff_user_id": [None, str(coach.pk)]},
        )


def _intake_errors(
    errors: Errors,
    *,
    actor: User,
    client: Client,
    intake_met_on: dt.date | None,
    intake_in_person: bool,
) -> None:
    """An intake without a referral: a client the coach may already see, met in person."""
    if not can_view_client(actor, client):
        # the same answer as for a code nobody has (no probing of identity codes)
        _err(errors, "client", str(CLIENT_NOT_FOUND), E.CLIENT_UNKNOWN)
        return
    if intake_met_on is None:
        _err(errors, "intake_met_on", _("Give the day you met the client."), E.REQUIRED)
    else:
        _not_future(errors, "intake_met_on", intake_met_on)
    if not intake_in_person:
        _err(
            errors,
            "intake_in_person",
            _("An intake is recorded with the client present: confirm that you met the client."),
            E.INTAKE_NOT_IN_PERSON,
        )


@transaction.atomic
def episode_refer(
    *,
    actor: User,
    client: Client,
    referred_on: dt.date,
    referring_unit: str,
    job_interests: str = "",
    referral: Referral | None = None,
    intake_met_on: dt.date | None = None,
    intake_in_person: bool = False,
) -> CoachingEpisode:
    """Take a client into IPS coaching with the actor as coach. The way in is either
    ``referral``, a case-work referral to the coach's IPS unit that the unit has
    accepted, or an intake the coach records with the client present (``intake_met_on``,
    ``intake_in_person``) of a client the coach may already see. Finding a client is
    never a way in (issue 13, ADR 0015).

    The coach gets a personal relationship with the client (the basis for seeing the
    client's basic page): the coach's own, not the organisation's."""
    membership = intake_membership(actor)
    if membership is None:
        raise _deny()
    errors: Errors = {}
    if referral is not None:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if (
            referral.to_organisation_id != membership.organisation_id
            or referral.client_id != client.pk
            or referral.service.code != ServiceCode.IPS_JOB_COACHING
        ):
            raise _deny()
    else:
        _intake_errors(
            errors,
            actor=actor,
            client=client,
            intake_met_on=intake_met_on,
            intake_in_person=intake_in_person,
        )
        _raise(errors)
    _required(errors, referring_unit=referring_unit)
    _not_future(errors, "referred_on", referred_on)
    if referral is not None and (
        referral.status not in IPS_REFERRAL_TAKEN
        or CoachingEpisode.objects.filter(referral=referral).exists()
    ):
        _err(
            errors,
            "__all__",
            _("Only an accepted referral without a coaching episode can be taken in."),
            E.REFERRAL_NOT_ACCEPTED,
        )
    if CoachingEpisode.objects.filter(client=client, status__in=workflow.OPEN).exists():
        _err(
            errors,
            "__all__",
            _("The client already has an open IPS coaching episode."),
            E.EPISODE_OPEN,
        )
    _raise(errors)
    validate_not_before_birth(referred_on, client.birth_date, field="referred_on")
    validate_not_before_birth(intake_met_on, client.birth_date, field="intake_met_on")
    relationship = _personal_relationship_open(
        actor=actor,
        client=client,
        organisation=membership.organisation,
        coach=actor,
        since=referred_on,
    )
    if referral is not None:
        _referral_relationship_to_coach(actor=actor, referral=referral, coach=actor)
    episode = CoachingEpisode.objects.create(
        client=client, coach=actor, organisation=membership.organisation,
        referred_on=referred_on, referring_unit=referring_unit.strip(),
        job_interests=job_interests.strip(), relationship=relationship, referral=referral,
        intake_met_on=intake_met_on if referral is None else None,
        intake_in_person=intake_in_person if referral is None else False,
        intake_by=actor if referral is None else None,
    )  # fmt: skip
    EpisodeStatusChange.objects.create(
        episode=episode, old_status="", new_status=S.REFERRED, actor=actor, at=dates.now()
    )
    change_log_write(
        actor=actor,
        event="ips.episode_referred",
        target=episode,
        changes=model_changes(
            None,
            episode,
            (
                "client_id",
                "coach_id",
                "organisation_id",
                "status",
                "referred_on",
                "referring_unit",
                "referral_id",
                "intake_met_on",
                "intake_in_person",
                "intake_by_id",
            ),
        ),
    )
    return episode


@transaction.atomic
def episode_start(
    *, actor: User, episode: CoachingEpisode, started_on: dt.date, version: int
) -> CoachingEpisode:
    """The first coaching meeting: the episode becomes active."""
    _own(actor, episode)
    locked = _locked(episode, version)
    errors: Errors = {}
    _not_future(errors, "started_on", started_on)
    if started_on < locked.referred_on:
        _err(
            errors,
            "started_on",
            _("Coaching cannot start before the referral (%(day)s).")
            % {"day": _day(locked.referred_on)},
            E.DATES_ORDER,
        )
    _raise(errors)
    validate_not_before_birth(started_on, locked.client.birth_date, field="started_on")
    _move(actor=actor, episode=locked, to=S.ACTIVE)
    locked.started_on = started_on
    locked.version += 1
    locked.save()
    change_log_write(
        actor=actor,
        event="ips.episode_started",
        target=locked,
        changes={"status": [S.REFERRED, S.ACTIVE], "started_on": [None, started_on.isoformat()]},
    )
    return locked


@transaction.atomic
def episode_interests_update(
    *, actor: User, episode: CoachingEpisode, job_interests: str, version: int
) -> CoachingEpisode:
    """The client's own job interests, in their words (the starting point of IPS)."""
    _own(actor, episode)
    locked = _locked(episode, version)
    if not locked.is_open:
        raise ValidationError(_("The episode has ended."), code=E.NOT_ACTIVE)
    old = locked.job_interests
    locked.job_interests = job_interests.strip()
    locked.version += 1
    locked.save(update_fields=["job_interests", "version", "updated_at"])
    change_log_write(
        actor=actor,
        event="ips.interests_updated",
        target=locked,
        changes={"job_interests": [old, locked.job_interests]},
    )
    return locked


@transaction.atomic
def step_add(
    *, actor: User, episode: CoachingEpisode, on: dt.date, kind: str, note: str = ""
) -> JobSearchStep:
    """A job-search step (application, interview, contact with an employer)."""
    _own(actor, episode)
    locked = _locked(episode)
    _active(locked)
    errors: Errors = {}
    _choice(errors, "kind", kind, StepKind)
    _not_future(errors, "on", on)
    _not_before_episode(errors, "on", on, locked)
    _raise(errors)
    validate_not_before_birth(on, locked.client.birth_date, field="on")
    step = JobSearchStep.objects.create(episode=locked, on=on, kind=kind, note=note.strip())
    change_log_write(
        actor=actor,
        event="ips.step_added",
        target=step,
        changes=model_changes(None, step, ("episode_id", "on", "kind")),
    )
    return step


@transaction.atomic
def placement_add(
    *,
    actor: User,
    episode: CoachingEpisode,
    employer: Employer,
    job_title: str,
    start_on: dt.date,
    hours_per_week: Decimal,
    pay_subsidised: bool,
    open_market: bool,
    end_on: dt.date | None = None,
) -> WorkPlacement:
    """A job the client got. It cannot start before the coaching episode did."""
    _own(actor, episode)
    locked = _locked(episode)
    _active(locked)
    errors: Errors = {}
    _required(errors, job_title=job_title)
    _not_before_episode(errors, "start_on", start_on, locked)
    if end_on is not None and end_on < start_on:
        _err(errors, "end_on", _("The end date is before the start date."), E.DATES_ORDER)
    _hours_errors(errors, "hours_per_week", hours_per_week)
    _raise(errors)
    validate_not_before_birth(start_on, locked.client.birth_date, field="start_on")
    validate_not_before_birth(end_on, locked.client.birth_date, field="end_on")
    placement = WorkPlacement.objects.create(
        episode=locked, employer=employer, job_title=job_title.strip(), start_on=start_on,
        end_on=end_on, hours_per_week=hours_per_week, pay_subsidised=pay_subsidised,
        open_market=open_market,
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="ips.placement_added",
        target=placement,
        changes=model_changes(None, placement, PLACEMENT_FIELDS),
    )
    return placement


@transaction.atomic
def placement_end(*, actor: User, placement: WorkPlacement, end_on: dt.date) -> WorkPlacement:
    """The job ended (also after the coaching ended, for the tenure figures)."""
    _own(actor, placement.episode)
    locked = WorkPlacement.objects.select_for_update().get(pk=placement.pk)
    errors: Errors = {}
    if locked.end_on is not None:
        _err(errors, "end_on", _("The job has already ended."), E.PLACEMENT_ENDED)
    elif end_on < locked.start_on:
        _err(errors, "end_on", _("The end date is before the start date."), E.DATES_ORDER)
    _not_future(errors, "end_on", end_on)
    _raise(errors)
    validate_not_before_birth(end_on, locked.episode.client.birth_date, field="end_on")
    locked.end_on = end_on
    locked.save(update_fields=["end_on", "updated_at"])
    change_log_write(
        actor=actor,
        event="ips.placement_ended",
        target=locked,
        changes={"end_on": [None, end_on.isoformat()]},
    )
    return locked


@transaction.atomic
def support_add(
    *,
    actor: User,
    episode: CoachingEpisode,
    on: dt.date,
    note: str,
    placement: WorkPlacement | None = None,
) -> EmploymentSupport:
    """Support during employment (IPS coaching goes on after the person starts work)."""
    _own(actor, episode)
    locked = _locked(episode)
    _active(locked)
    errors: Errors = {}
    _required(errors, note=note)
    _not_future(errors, "on", on)
    _not_before_episode(errors, "on", on, locked)
    if placement is not None and placement.episode_id != locked.pk:
        _err(errors, "placement", _("Choose a job of this episode."), E.OTHER_EPISODE)
    _raise(errors)
    validate_not_before_birth(on, locked.client.birth_date, field="on")
    support = EmploymentSupport.objects.create(
        episode=locked, placement=placement, on=on, note=note.strip()
    )
    change_log_write(
        actor=actor,
        event="ips.support_added",
        target=support,
        changes=model_changes(None, support, ("episode_id", "placement_id", "on")),
    )
    return support


def _closing_day(ended_on: dt.date, valid_from: dt.date) -> dt.date:
    """The last day of a relationship that ends with the episode: the day before today
    when the episode ended earlier, so that access ends at once."""
    yesterday = dates.today() - dt.timedelta(days=1)
    return max(min(ended_on, yesterday), valid_from)


@transaction.atomic
def episode_end(
    *,
    actor: User,
    episode: CoachingEpisode,
    ended_on: dt.date,
    outcome: str,
    note: str = "",
    version: int,
) -> CoachingEpisode:
    """End the coaching with an outcome. The coach's relationship with the client ends
    with the episode: the coach keeps reading the episode (their own records) but no
    longer sees the client's other data."""
    _own(actor, episode, Action.END)
    locked = _locked(episode, version)
    errors: Errors = {}
    _choice(errors, "outcome", outcome, EpisodeOutcome)
    _not_future(errors, "ended_on", ended_on)
    if ended_on < locked.start_date:
        _err(
            errors,
            "ended_on",
            _("The end cannot be before the coaching episode started (%(day)s).")
            % {"day": _day(locked.start_date)},
            E.DATES_ORDER,
        )
    jobs = list(locked.placements.all())
    if outcome == EpisodeOutcome.EMPLOYED_OPEN_MARKET and not any(j.open_market for j in jobs):
        _err(
            errors,
            "outcome",
            _("Record the job on the open labour market first."),
            E.OUTCOME_WITHOUT_JOB,
        )
    if outcome == EpisodeOutcome.EMPLOYED_SUBSIDISED and not any(j.pay_subsidised for j in jobs):
        _err(errors, "outcome", _("Record the pay-subsidised job first."), E.OUTCOME_WITHOUT_JOB)
    _raise(errors)
    validate_not_before_birth(ended_on, locked.client.birth_date, field="ended_on")
    old = locked.status
    _move(actor=actor, episode=locked, to=S.ENDED)
    locked.ended_on = ended_on
    locked.outcome = outcome
    locked.end_note = note.strip()
    locked.version += 1
    locked.save()
    # the coach's own relationships with the client end with the episode (the coaching
    # one, and the unit's referral relationship the coach took in)
    today = dates.today()
    for rel in (
        ServiceRelationship.objects.select_for_update()
        .filter(
            client_id=locked.client_id,
            organisation_id=locked.organisation_id,
            staff_user_id=locked.coach_id,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("pk")
    ):
        relationship_close(
            actor=actor, relationship=rel, valid_to=_closing_day(ended_on, rel.valid_from)
        )
    change_log_write(
        actor=actor,
        event="ips.episode_ended",
        target=locked,
        changes={
            "status": [old, S.ENDED],
            "ended_on": [None, ended_on.isoformat()],
            "outcome": [None, outcome],
        },
    )
    return locked


# --- a coach leaves or hands over ----------------------------------------------------


def _coach_name(user: User) -> str:
    return user.get_full_name() or user.username


def _new_coach_errors(
    errors: Errors, to_coach: User | None, organisation_ids: set[uuid.UUID], current: uuid.UUID
) -> None:
    if to_coach is None:
        _err(errors, "to_coach", _("Choose the coach who takes over."), E.REQUIRED)
    elif to_coach.pk == current:
        _err(errors, "to_coach", _("Choose another coach than the current one."), E.SAME_COACH)
    elif any(not active_coaches(org).filter(pk=to_coach.pk).exists() for org in organisation_ids):
        _err(
            errors,
            "to_coach",
            _("%(name)s is not an IPS coach of the organisation that holds the episodes.")
            % {"name": _coach_name(to_coach)},
            E.NOT_A_COACH,
        )


def _reassign(
    *, actor: User, episode: CoachingEpisode, to_coach: User, reason: str, event: str
) -> None:
    old = episode.coach_id
    episode.coach = to_coach
    episode.version += 1
    episode.save(update_fields=["coach", "version", "updated_at"])
    _relationships_move(actor=actor, episode=episode, from_coach_id=old, to_coach=to_coach)
    change_log_write(
        actor=actor,
        event=event,
        target=episode,
        changes={"coach_id": [str(old), str(to_coach.pk)], "reason": [None, reason]},
    )


@transaction.atomic
def episode_hand_over(
    *, actor: User, episode: CoachingEpisode, to_coach: User | None, reason: str, version: int
) -> CoachingEpisode:
    """The coach hands an open episode over to another coach of the same organisation;
    from then on only the new coach sees it."""
    _own(actor, episode, Action.REASSIGN)
    locked = _locked(episode, version)
    errors: Errors = {}
    if locked.status not in workflow.OPEN:
        _err(errors, "__all__", _("Only an open episode can be handed over."), E.NOT_OPEN)
    _new_coach_errors(errors, to_coach, {locked.organisation_id}, locked.coach_id)
    _required(errors, reason=reason)
    _raise(errors)
    assert to_coach is not None
    _reassign(
        actor=actor,
        episode=locked,
        to_coach=to_coach,
        reason=reason.strip(),
        event="ips.episode_handed_over",
    )
    return locked


@transaction.atomic
def episodes_reassign(
    *, actor: User, from_coach: User | None, to_coach: User | None, reason: str
) -> int:
    """An administrator moves every open episode of a coach who has left (or stopped
    coaching) to another coach of the same organisation; returns how many moved. The
    administrator names the coaches only and sees no client of the episodes."""
    if not can(actor, Perm.IPS_REASSIGN):
        raise _deny()
    errors: Errors = {}
    episodes: list[CoachingEpisode] = []
    if from_coach is None:
        _err(errors, "from_coach", _("Choose the coach whose episodes move."), E.REQUIRED)
    else:
        episodes = list(
            CoachingEpisode.objects.select_for_update()
            .filter(coach=from_coach, status__in=workflow.OPEN)
            .order_by("pk")
        )
        if not episodes:
            _err(
                errors,
                "from_coach",
                _("%(name)s has no open coaching episodes.") % {"name": _coach_name(from_coach)},
                E.NO_OPEN_EPISODES,
            )
        else:
            _new_coach_errors(
                errors, to_coach, {e.organisation_id for e in episodes}, from_coach.pk
            )
    _required(errors, reason=reason)
    _raise(errors)
    assert to_coach is not None
    for episode in episodes:
        _reassign(
            actor=actor,
            episode=episode,
            to_coach=to_coach,
            reason=reason.strip(),
            event="ips.episode_reassigned",
        )
    return len(episodes)


# --- the supervisor of the unit moves a client's coaching (ADR 0028) -----------------


def _unit_coach_errors(
    errors: Errors, to_coach: User | None, organisation_id: uuid.UUID, current: uuid.UUID
) -> None:
    """The coach who takes over: chosen, not the current one, a coach of the same unit,
    and coaching today (an active account and the coach role in force)."""
    if to_coach is None:
        _err(errors, "to_coach", _("Choose the coach who takes over."), E.REQUIRED)
    elif to_coach.pk == current:
        _err(errors, "to_coach", _("Choose another coach than the current one."), E.SAME_COACH)
    elif active_coaches(organisation_id).filter(pk=to_coach.pk).exists():
        return
    elif to_coach.memberships.filter(organisation_id=organisation_id, role=Role.IPS_COACH).exists():
        _err(
            errors,
            "to_coach",
            _("%(name)s does not coach now: the account or the coach role has ended.")
            % {"name": _coach_name(to_coach)},
            E.COACH_NOT_ACTIVE,
        )
    else:
        _err(
            errors,
            "to_coach",
            _("%(name)s is not a coach of this unit. Choose a coach of the same unit.")
            % {"name": _coach_name(to_coach)},
            E.COACH_OF_ANOTHER_UNIT,
        )


@transaction.atomic
def episode_reassign_in_unit(
    *,
    actor: User,
    episode: CoachingEpisode,
    to_coach: User | None,
    reason: str,
    version: int,
) -> CoachingEpisode:
    """The supervisor of the episode's unit moves the client's open coaching to another
    coach of the same unit: the episode and the coach's personal relationships with the
    client move, change-logged (``ips.episode_reassigned_by_supervisor``). A stale page
    (somebody changed the episode after it was opened) is refused on the coach field."""
    if not is_supervisor_of(actor, episode, Action.REASSIGN):
        raise _deny()
    locked = CoachingEpisode.objects.select_for_update().get(pk=episode.pk)
    if not is_supervisor_of(actor, locked, Action.REASSIGN):
        raise _deny()
    if locked.version != version:
        raise StaleEdit(
            {
                "to_coach": ValidationError(
                    _(
                        "Somebody changed this coaching after you opened the page (it may "
                        "have moved already). Reload the page and choose again."
                    ),
                    code=E.STALE,
                )
            }
        )
    errors: Errors = {}
    _unit_coach_errors(errors, to_coach, locked.organisation_id, locked.coach_id)
    _required(errors, reason=reason)
    _raise(errors)
    assert to_coach is not None
    _reassign(
        actor=actor,
        episode=locked,
        to_coach=to_coach,
        reason=reason.strip(),
        event="ips.episode_reassigned_by_supervisor",
    )
    return locked
