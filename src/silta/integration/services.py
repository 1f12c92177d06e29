"""Every write of integration services: keyword-only, validated, one transaction,
change-logged. Who may record what is the organiser table in silta/privacy/policy.py
(INTEGRATION_ORGANISERS, 681/2023); the actor also needs an active client relationship
(case work), and only the record's controller changes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from silta.accounts.models import Membership, User
from silta.accounts.roles import Perm
from silta.audit.services import change_log_write, model_changes, snapshot
from silta.casework.models import Appointment
from silta.casework.policies import casework_grant
from silta.catalogue.errors import StaleEdit
from silta.clients.models import Client
from silta.core import dates
from silta.core.validation import validate_not_before_birth
from silta.integration import rules
from silta.integration.errors import IntegrationError as E
from silta.integration.languages import is_language
from silta.integration.models import (
    AppointmentInterpreting,
    EducationLevel,
    InitialAssessment,
    IntegrationPlan,
    IntegrationPlanReview,
    LanguageLevel,
    LanguageProfile,
    PlanOutcome,
)
from silta.privacy.policy import IntegrationRecord, integration_organiser

Errors = dict[str, list[ValidationError]]


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def organiser_membership(actor: User, client: Client, record: str) -> Membership:
    """The actor's membership that may record ``record`` for the client: an active
    client relationship (case work) in an organisation the organiser table lists."""
    grant = casework_grant(actor, client, Perm.CASEWORK_WRITE)
    if grant is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    if integration_organiser(record, grant.membership.organisation.kind) is None:
        raise PermissionDenied(E.ORGANISATION_NOT_ORGANISER.value)
    return grant.membership


def may_record(actor: User, client: Client, record: str) -> bool:
    try:
        organiser_membership(actor, client, record)
    except PermissionDenied:
        return False
    return True


def _check_language(errors: Errors, field: str, code: str, *, required: bool = True) -> None:
    if not code:
        if required:
            _err(errors, field, _("Choose a language."), E.REQUIRED)
        return
    if not is_language(code):
        _err(
            errors,
            field,
            _("“%(code)s” is not a language code of the ISO 639 list.") % {"code": code[:10]},
            E.UNKNOWN_LANGUAGE,
        )


def _check_version(current: int, version: int | None) -> None:
    if version is not None and version != current:
        raise StaleEdit(
            _(
                "Somebody else saved this record while you were editing it. Your changes "
                "were not saved; the latest version is shown."
            ),
            code=E.STALE,
        )


# --- languages, interpreter need and arrival -------------------------------------------


_PROFILE_FIELDS = [
    "mother_tongue",
    "other_languages",
    "interpreter_needed",
    "interpreter_language",
    "arrived_on",
    "integration_client_since",
    "in_programme",
]


@transaction.atomic
def language_profile_save(
    *,
    actor: User,
    client: Client,
    mother_tongue: str,
    other_languages: Iterable[str] = (),
    interpreter_needed: bool = False,
    interpreter_language: str = "",
    arrived_on: dt.date | None = None,
    integration_client_since: dt.date | None = None,
    in_programme: bool = False,
    version: int | None = None,
) -> LanguageProfile:
    """Record or correct the client's languages, interpreter need, arrival date and
    integration-client date. ``version``: the version the editor saw (None for a new
    profile); a stale one is refused."""
    record = IntegrationRecord.PROGRAMME if in_programme else IntegrationRecord.LANGUAGE_PROFILE
    mine = organiser_membership(actor, client, IntegrationRecord.LANGUAGE_PROFILE)
    if in_programme:
        mine = organiser_membership(actor, client, record)
    others = list(dict.fromkeys(c.strip() for c in other_languages if c.strip()))
    errors: Errors = {}
    _check_language(errors, "mother_tongue", mother_tongue)
    for code in others:
        _check_language(errors, "other_languages", code)
    if interpreter_needed:
        if not interpreter_language:
            _err(
                errors,
                "interpreter_language",
                _("Give the language to interpret into."),
                E.INTERPRETER_LANGUAGE,
            )
        else:
            _check_language(errors, "interpreter_language", interpreter_language)
    today = dates.today()
    if arrived_on is not None and arrived_on > today:
        _err(
            errors,
            "arrived_on",
            _("The arrival date cannot be in the future."),
            E.DATE_IN_FUTURE,
        )
    if integration_client_since is not None:
        if integration_client_since > today:
            _err(
                errors,
                "integration_client_since",
                _("The date cannot be in the future."),
                E.DATE_IN_FUTURE,
            )
        elif arrived_on is not None and integration_client_since < arrived_on:
            _err(
                errors,
                "integration_client_since",
                _("The client cannot be an integration client before arriving in Finland."),
                E.DATES_ORDER,
            )
    _raise(errors)
    validate_not_before_birth(arrived_on, client.birth_date, field="arrived_on")
    profile = LanguageProfile.objects.select_for_update().filter(client=client).first()
    values = {
        "mother_tongue": mother_tongue,
        "other_languages": others,
        "interpreter_needed": interpreter_needed,
        "interpreter_language": interpreter_language if interpreter_needed else "",
        "arrived_on": arrived_on,
        "integration_client_since": integration_client_since,
        "in_programme": in_programme,
    }
    if profile is None:
        if version not in (None, 0):
            _check_version(0, version)
        profile = LanguageProfile.objects.create(
            client=client, organisation_id=mine.organisation_id, recorded_by=actor, **values
        )
        change_log_write(
            actor=actor,
            event="integration.language_profile_recorded",
            target=profile,
            changes=model_changes(None, profile, ["client_id", *_PROFILE_FIELDS]),
        )
        return profile
    _check_version(profile.version, version)
    before = snapshot(profile, [*_PROFILE_FIELDS, "organisation_id", "version"])
    for name, value in values.items():
        setattr(profile, name, value)
    profile.organisation_id = mine.organisation_id
    profile.recorded_by = actor
    profile.version = F("version") + 1
    profile.save()
    profile.refresh_from_db()
    change_log_write(
        actor=actor,
        event="integration.language_profile_changed",
        target=profile,
        changes=model_changes(before, profile, [*_PROFILE_FIELDS, "organisation_id", "version"]),
    )
    return profile


# --- initial assessment -------------------------------------------------------------


@transaction.atomic
def initial_assessment_sign(
    *,
    actor: User,
    client: Client,
    client_since: dt.date,
    assessed_on: dt.date,
    finnish_level: str,
    swedish_level: str,
    english_level: str,
    education: str,
    service_need: str,
    education_text: str = "",
    work_history: str = "",
    literacy_training_needed: bool = False,
    interpreter_used: bool = False,
) -> InitialAssessment:
    """Sign an initial assessment (alkukartoitus, 681/2023 14 §)."""
    mine = organiser_membership(actor, client, IntegrationRecord.INITIAL_ASSESSMENT)
    errors: Errors = {}
    today = dates.today()
    if assessed_on > today:
        _err(errors, "assessed_on", _("The assessment date cannot be in the future."),
             E.DATE_IN_FUTURE)  # fmt: skip
    if client_since > today:
        _err(errors, "client_since", _("The date cannot be in the future."), E.DATE_IN_FUTURE)
    if client_since > assessed_on:
        _err(
            errors,
            "assessed_on",
            _("The assessment cannot be before the client became an integration client."),
            E.DATES_ORDER,
        )
    for name, value in (
        ("finnish_level", finnish_level),
        ("swedish_level", swedish_level),
        ("english_level", english_level),
    ):
        if value not in LanguageLevel.values:
            _err(errors, name, _("Choose the level."), E.REQUIRED)
    if education not in EducationLevel.values:
        _err(errors, "education", _("Choose the education."), E.REQUIRED)
    if not service_need.strip():
        _err(errors, "service_need", _("Describe the service need."), E.REQUIRED)
    _raise(errors)
    validate_not_before_birth(client_since, client.birth_date, field="client_since")
    assessment = InitialAssessment.objects.create(
        client=client,
        organisation_id=mine.organisation_id,
        client_since=client_since,
        assessed_on=assessed_on,
        finnish_level=finnish_level,
        swedish_level=swedish_level,
        english_level=english_level,
        literacy_training_needed=literacy_training_needed,
        education=education,
        education_text=education_text.strip(),
        work_history=work_history.strip(),
        service_need=service_need.strip(),
        interpreter_used=interpreter_used,
        signed_by=actor,
    )
    change_log_write(
        actor=actor,
        event="integration.initial_assessment_signed",
        target=assessment,
        changes=model_changes(
            None,
            assessment,
            [
                "client_id",
                "client_since",
                "assessed_on",
                "finnish_level",
                "swedish_level",
                "english_level",
                "education",
                "interpreter_used",
            ],
        ),
    )
    return assessment


# --- integration plan ---------------------------------------------------------------


def _plan_period_errors(errors: Errors, starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        _err(
            errors,
            "ends_on",
            _("The plan cannot end before it starts."),
            E.DATES_ORDER,
        )
    elif ends_on > rules.add_months(starts_on, rules.law_on(starts_on).plan_max_months):
        _err(
            errors,
            "ends_on",
            _("One integration plan covers at most %(months)s months (%(law)s).")
            % {
                "months": rules.law_on(starts_on).plan_max_months,
                "law": rules.cite("plan_period", starts_on),
            },
            E.PLAN_TOO_LONG,
        )


_PLAN_FIELDS = [
    "client_id",
    "starts_on",
    "ends_on",
    "language_training",
    "other_services",
    "goals",
    "interpreter_used",
    "outcome",
    "closed_on",
    "version",
]


@transaction.atomic
def integration_plan_create(
    *,
    actor: User,
    client: Client,
    starts_on: dt.date,
    ends_on: dt.date,
    goals: str,
    language_training: bool = False,
    language_training_text: str = "",
    other_services: str = "",
    interpreter_used: bool = False,
) -> IntegrationPlan:
    """Make an integration plan (kotoutumissuunnitelma, 681/2023 16 §) for a period
    (18 §), based on the client's latest initial assessment."""
    mine = organiser_membership(actor, client, IntegrationRecord.INTEGRATION_PLAN)
    errors: Errors = {}
    _plan_period_errors(errors, starts_on, ends_on)
    if not goals.strip():
        _err(errors, "goals", _("Write at least one goal."), E.REQUIRED)
    assessment = InitialAssessment.objects.filter(client=client).order_by("-assessed_on").first()
    if assessment is None:
        _err(
            errors,
            "starts_on",
            _("Make the initial assessment first: the plan is based on it (%(law)s).")
            % {"law": rules.cite("plan")},
            E.REQUIRED,
        )
    elif starts_on < assessment.assessed_on:
        _err(
            errors,
            "starts_on",
            _("The plan cannot start before the initial assessment (%(day)s).")
            % {"day": assessment.assessed_on.strftime("%d.%m.%Y")},
            E.DATES_ORDER,
        )
    _raise(errors)
    plan = IntegrationPlan.objects.create(
        client=client,
        organisation_id=mine.organisation_id,
        assessment=assessment,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=goals.strip(),
        language_training=language_training,
        language_training_text=language_training_text.strip(),
        other_services=other_services.strip(),
        interpreter_used=interpreter_used,
        created_by=actor,
    )
    change_log_write(
        actor=actor,
        event="integration.plan_created",
        target=plan,
        changes=model_changes(None, plan, _PLAN_FIELDS),
    )
    return plan


def _controller_membership(actor: User, plan: IntegrationPlan, record: str) -> Membership:
    mine = organiser_membership(actor, plan.client, record)
    if mine.organisation_id != plan.organisation_id:
        raise PermissionDenied(E.NO_ACCESS.value)
    return mine


def _plan_lock(plan: IntegrationPlan, version: int) -> IntegrationPlan:
    bumped = IntegrationPlan.objects.filter(pk=plan.pk, version=version).update(
        version=F("version") + 1
    )
    if not bumped:
        _check_version(-1, version)
    return IntegrationPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def integration_plan_review(
    *,
    actor: User,
    plan: IntegrationPlan,
    version: int,
    reviewed_on: dt.date,
    note: str,
    ends_on: dt.date | None = None,
    language_training: bool | None = None,
    other_services: str | None = None,
) -> IntegrationPlanReview:
    """Review the plan (681/2023 19 §): what was agreed, and optionally a new end date
    (within the period rule) and changed content. Only the plan's controller."""
    _controller_membership(actor, plan, IntegrationRecord.PLAN_REVIEW)
    errors: Errors = {}
    if plan.closed_on is not None:
        _err(errors, "note", _("The plan is closed."), E.PLAN_CLOSED)
    if reviewed_on > dates.today():
        _err(errors, "reviewed_on", _("The review date cannot be in the future."),
             E.DATE_IN_FUTURE)  # fmt: skip
    elif reviewed_on < plan.starts_on:
        _err(errors, "reviewed_on", _("The review cannot be before the plan starts."),
             E.DATES_ORDER)  # fmt: skip
    if not note.strip():
        _err(errors, "note", _("Write what was agreed."), E.REQUIRED)
    if ends_on is not None:
        _plan_period_errors(errors, plan.starts_on, ends_on)
    _raise(errors)
    before = snapshot(plan, _PLAN_FIELDS)
    locked = _plan_lock(plan, version)
    if ends_on is not None:
        locked.ends_on = ends_on
    if language_training is not None:
        locked.language_training = language_training
    if other_services is not None:
        locked.other_services = other_services.strip()
    locked.save()
    review = IntegrationPlanReview.objects.create(
        plan=locked, reviewed_on=reviewed_on, note=note.strip(), reviewed_by=actor
    )
    change_log_write(
        actor=actor,
        event="integration.plan_reviewed",
        target=locked,
        changes={
            **model_changes(before, locked, _PLAN_FIELDS),
            "review": [None, reviewed_on.isoformat()],
        },
    )
    return review


@transaction.atomic
def integration_plan_close(
    *, actor: User, plan: IntegrationPlan, version: int, closed_on: dt.date, outcome: str
) -> IntegrationPlan:
    _controller_membership(actor, plan, IntegrationRecord.INTEGRATION_PLAN)
    errors: Errors = {}
    if plan.closed_on is not None:
        _err(errors, "outcome", _("The plan is closed."), E.PLAN_CLOSED)
    if outcome not in PlanOutcome.values:
        _err(errors, "outcome", _("Choose the outcome."), E.REQUIRED)
    if closed_on > dates.today():
        _err(errors, "closed_on", _("The date cannot be in the future."), E.DATE_IN_FUTURE)
    elif closed_on < plan.starts_on:
        _err(errors, "closed_on", _("The plan cannot close before it starts."), E.DATES_ORDER)
    _raise(errors)
    before = snapshot(plan, _PLAN_FIELDS)
    locked = _plan_lock(plan, version)
    locked.closed_on = closed_on
    locked.outcome = outcome
    locked.save()
    change_log_write(
        actor=actor,
        event="integration.plan_closed",
        target=locked,
        changes=model_changes(before, locked, _PLAN_FIELDS),
    )
    return locked


# --- interpreting of appointments ------------------------------------------------------


@transaction.atomic
def appointment_interpreting_save(
    *,
    actor: User,
    appointment: Appointment,
    language: str,
    booked: bool,
    booking_reference: str = "",
    version: int | None = None,
) -> AppointmentInterpreting:
    """Record that an appointment needs an interpreter (681/2023 6 §) and whether one
    is booked. Only the appointment's organisation."""
    mine = organiser_membership(actor, appointment.client, IntegrationRecord.INTERPRETING)
    if mine.organisation_id != appointment.organisation_id:
        raise PermissionDenied(E.NO_ACCESS.value)
    errors: Errors = {}
    _check_language(errors, "language", language)
    if booking_reference.strip() and not booked:
        _err(errors, "booked", _("A booking reference needs a booked interpreter."),
             E.REQUIRED)  # fmt: skip
    _raise(errors)
    row = (
        AppointmentInterpreting.objects.select_for_update().filter(appointment=appointment).first()
    )
    if row is None:
        if version not in (None, 0):
            _check_version(0, version)
        row = AppointmentInterpreting.objects.create(
            appointment=appointment,
            language=language,
            booked=booked,
            booking_reference=booking_reference.strip(),
        )
        before = None
    else:
        _check_version(row.version, version)
        before = snapshot(row, ["appointment_id", "language", "booked", "booking_reference"])
        row.language = language
        row.booked = booked
        row.booking_reference = booking_reference.strip()
        row.version = F("version") + 1
        row.save()
        row.refresh_from_db()
    change_log_write(
        actor=actor,
        event="integration.interpreting_recorded",
        target=row,
        changes=model_changes(
            before, row, ["appointment_id", "language", "booked", "booking_reference"]
        ),
    )
    return row


# --- Ohjaamo guidance contacts ----------------------------------------------------------


def ohjaamo_memberships(actor: User) -> list[Membership]:
    """The actor's memberships in an Ohjaamo unit: an organisation offering the
    catalogue service youth one-stop guidance."""
    from silta.accounts.policies import memberships_with
    from silta.catalogue.models import Service, ServiceCode

    units = set(
        Service.objects.filter(code=ServiceCode.YOUTH_GUIDANCE).values_list(
            "provider_id", flat=True
        )
    )
    return [m for m in memberships_with(actor, Perm.CASEWORK_WRITE) if m.organisation_id in units]


@transaction.atomic
def guidance_contact_record(
    *,
    actor: User,
    contacted_on: dt.date,
    channel: str,
    age: int,
    municipality_id: str,
    topic: str,
) -> object:
    """Record an anonymous guidance contact of the actor's Ohjaamo unit. The youth
    joint service is for under-30s: an age of 30 or more is refused (the day of the
    contact decides it)."""
    from silta.casework.youth import YOUTH_AGE_LIMIT
    from silta.integration.models import GuidanceChannel, GuidanceContact
    from silta.places.models import Municipality

    mine = ohjaamo_memberships(actor)
    if not mine:
        raise PermissionDenied(E.NO_ACCESS.value)
    errors: Errors = {}
    if contacted_on > dates.today():
        _err(errors, "contacted_on", _("The date cannot be in the future."), E.DATE_IN_FUTURE)
    if channel not in GuidanceChannel.values:
        _err(errors, "channel", _("Choose the channel."), E.REQUIRED)
    if not 12 <= age < YOUTH_AGE_LIMIT:
        _err(
            errors,
            "age",
            _("Ohjaamo serves young people under %(limit)s; give an age from 12 to %(last)s.")
            % {"limit": YOUTH_AGE_LIMIT, "last": YOUTH_AGE_LIMIT - 1},
            "casework.youth_service_age_limit",
        )
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        _err(errors, "municipality", _("Choose the home municipality."), E.REQUIRED)
    if not topic.strip():
        _err(errors, "topic", _("Write the topic."), E.REQUIRED)
    _raise(errors)
    assert municipality is not None
    contact = GuidanceContact.objects.create(
        organisation_id=mine[0].organisation_id,
        contacted_on=contacted_on,
        channel=channel,
        age=age,
        municipality=municipality,
        topic=topic.strip(),
        recorded_by=actor,
    )
    change_log_write(
        actor=actor,
        event="integration.guidance_contact_recorded",
        target=contact,
        changes=model_changes(None, contact, ["contacted_on", "channel", "age", "municipality_id"]),
    )
    return contact


@transaction.atomic
def meeting_interpreting_save(
    *,
    actor: User,
    meeting: object,
    language: str,
    booked: bool,
    booking_reference: str = "",
    version: int | None = None,
) -> object:
    """Record the interpreter need (681/2023 6 §), language and booking of a
    cooperation body's meeting (a network meeting with a client, a TYM network
    meeting); only the body's managers (silta.governance.policies.body_manager), and
    only for a meeting not yet held or cancelled."""
    from silta.governance.models import Meeting, MeetingStatus
    from silta.governance.policies import body_manager
    from silta.integration.models import MeetingInterpreting

    assert isinstance(meeting, Meeting)
    if body_manager(actor, meeting.body) is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    errors: Errors = {}
    _check_language(errors, "language", language)
    if booking_reference.strip() and not booked:
        _err(errors, "booked", _("A booking reference needs a booked interpreter."),
             E.REQUIRED)  # fmt: skip
    if meeting.status == MeetingStatus.CANCELLED:
        _err(errors, "language", _("The meeting is cancelled; it needs no interpreter."),
             E.MEETING_CANCELLED)  # fmt: skip
    _raise(errors)
    fields = ["meeting_id", "language", "booked", "booking_reference"]
    row = MeetingInterpreting.objects.select_for_update().filter(meeting=meeting).first()
    before = None
    if row is None:
        if version not in (None, 0):
            _check_version(0, version)
        row = MeetingInterpreting.objects.create(
            meeting=meeting,
            language=language,
            booked=booked,
            booking_reference=booking_reference.strip(),
        )
    else:
        _check_version(row.version, version)
        before = snapshot(row, fields)
        row.language, row.booked = language, booked
        row.booking_reference = booking_reference.strip()
        row.version = F("version") + 1
        row.save()
        row.refresh_from_db()
    change_log_write(
        actor=actor,
        event="integration.meeting_interpreting_recorded",
        target=row,
        changes=model_changes(before, row, fields),
    )
    return row


@transaction.atomic
def session_interpreting_save(
    *,
    actor: User,
    session: object,
    language: str,
    booked: bool,
    booking_reference: str = "",
    version: int | None = None,
) -> object:
    """Record the interpreter need (681/2023 6 §), language and booking of a coming
    group session; only those who run the group (its organiser's staff or its named
    leaders), and only for a planned session."""
    from silta.groups.models import GroupSession, SessionStatus
    from silta.groups.policies import group_grant
    from silta.integration.models import SessionInterpreting

    assert isinstance(session, GroupSession)
    if group_grant(actor, session.group) is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    errors: Errors = {}
    _check_language(errors, "language", language)
    if booking_reference.strip() and not booked:
        _err(errors, "booked", _("A booking reference needs a booked interpreter."),
             E.REQUIRED)  # fmt: skip
    if session.status != SessionStatus.PLANNED:
        _err(errors, "language", _("Only a planned session can get an interpreter."),
             E.MEETING_CANCELLED)  # fmt: skip
    _raise(errors)
    fields = ["session_id", "language", "booked", "booking_reference"]
    row = SessionInterpreting.objects.select_for_update().filter(session=session).first()
    before = None
    if row is None:
        if version not in (None, 0):
            _check_version(0, version)
        row = SessionInterpreting.objects.create(
            session=session,
            language=language,
            booked=booked,
            booking_reference=booking_reference.strip(),
        )
    else:
        _check_version(row.version, version)
        before = snapshot(row, fields)
        row.language, row.booked = language, booked
        row.booking_reference = booking_reference.strip()
        row.version = F("version") + 1
        row.save()
        row.refresh_from_db()
    change_log_write(
        actor=actor,
        event="integration.session_interpreting_recorded",
        target=row,
        changes=model_changes(before, row, fields),
    )
    return row
