"""Every write of case work: keyword-only, validated, one transaction, change-logged.

Services check the actor's right to act on the client themselves (the views have
already answered 404 for a client the actor may not see)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import OrganisationKind, Perm, Role
from silta.audit.services import change_log_write, model_changes
from silta.casework import workflow
from silta.casework.errors import CaseworkError as E
from silta.casework.models import (
    FOLLOW_UP_MONTHS,
    Appointment,
    Assessment,
    AssessmentDomain,
    AssessmentRating,
    Consent,
    ConsentGiven,
    FollowUpStatus,
    JointService,
    JointServiceEndReason,
    JointServiceMember,
    NotCompletedReason,
    Note,
    NoteVisibility,
    Outcome,
    OutcomeKind,
    Plan,
    PlanKind,
    PlanStatus,
    PlanVersion,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)
from silta.casework.policies import (
    casework_grant,
    record_membership,
    referral_sharing_basis,
    referral_side,
)
from silta.casework.youth import youth_age_refusal
from silta.catalogue.errors import StaleEdit
from silta.catalogue.models import DataClass, Service, ServiceCode
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.clients.services import relationship_close, relationship_open
from silta.core import dates
from silta.core.validation import validate_not_before_birth
from silta.privacy.policy import (
    CONSENT_CLASSES,
    Action,
    rating_class,
    record_class,
)
from silta.privacy.policy import DataClass as RecordClass

CONSENT_GIVEN_CHOICES = [c for c in ConsentGiven.values if c != ConsentGiven.NOT_RECORDED]

Errors = dict[str, list[ValidationError]]


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _acting_membership(actor: User, client: Client, perm: Perm = Perm.CASEWORK_WRITE) -> Membership:
    grant = casework_grant(actor, client, perm)
    if grant is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    return grant.membership


# --- joint service ---------------------------------------------------------------


@transaction.atomic
def joint_service_enrol(
    *, actor: User, client: Client, started_on: dt.date, member_ids: Iterable[uuid.UUID]
) -> JointService:
    """Enrol a client into multisectoral joint service with a named team. Each team
    organisation gets a joint-service relationship with the client."""
    mine = _acting_membership(actor, client, Perm.JOINT_SERVICE_MANAGE)
    errors: Errors = {}
    if started_on > dates.today():
        _err(errors, "started_on", _("The start date cannot be in the future."), E.DATE_IN_FUTURE)
    if JointService.objects.filter(client=client, ended_on__isnull=True).exists():
        _err(errors, "members", _("The client is already in joint service."), E.ALREADY_ENROLLED)
    team: dict[uuid.UUID, Membership] = {actor.pk: mine}
    for user_id in dict.fromkeys(member_ids):
        if user_id in team:
            continue
        user = User.objects.filter(pk=user_id, is_active=True).first()
        found = memberships_with(user, Perm.CASEWORK_VIEW) if user is not None else []
        if not found:
            _err(
                errors,
                "members",
                _("A team member is not an active worker in client work."),
                E.TEAM_MEMBER_INVALID,
            )
            continue
        team[user_id] = found[0]
    if len({m.organisation_id for m in team.values()}) < 2:
        _err(
            errors,
            "members",
            _("The team needs workers from at least two organisations."),
            E.TEAM_TOO_SMALL,
        )
    _raise(errors)
    validate_not_before_birth(started_on, client.birth_date, field="started_on")
    js = JointService.objects.create(client=client, started_on=started_on, started_by=actor)
    JointServiceMember.objects.bulk_create(
        [
            JointServiceMember(
                joint_service=js, user_id=uid, organisation_id=m.organisation_id, role=m.role
            )
            for uid, m in team.items()
        ]
    )
    for org_id in sorted({m.organisation_id for m in team.values()}, key=str):
        relationship_open(
            actor=actor,
            client=client,
            organisation=Organisation.objects.get(pk=org_id),
            kind=RelationshipKind.JOINT_SERVICE,
            valid_from=started_on,
        )
    change_log_write(
        actor=actor,
        event="joint_service.enrolled",
        target=js,
        changes={
            "client_id": [None, str(client.pk)],
            "started_on": [None, started_on.isoformat()],
            "members": [None, sorted(str(u) for u in team)],
        },
    )
    return js


@transaction.atomic
def joint_service_end(
    *, actor: User, joint_service: JointService, ended_on: dt.date, reason: str
) -> JointService:
    _acting_membership(actor, joint_service.client, Perm.JOINT_SERVICE_MANAGE)
    js = JointService.objects.select_for_update().get(pk=joint_service.pk)
    errors: Errors = {}
    if js.ended_on is not None:
        _err(errors, "ended_on", _("The joint service has already ended."), E.ALREADY_ENDED)
    if ended_on < js.started_on:
        _err(errors, "ended_on", _("The end date is before the start date."), E.DATES_ORDER)
    if ended_on > dates.today():
        _err(errors, "ended_on", _("The end date cannot be in the future."), E.DATE_IN_FUTURE)
    if reason not in JointServiceEndReason.values:
        _err(errors, "reason", _("Choose the reason."), E.REQUIRED)
    _raise(errors)
    js.ended_on = ended_on
    js.end_reason = reason
    js.save(update_fields=["ended_on", "end_reason", "updated_at"])
    for rel in ServiceRelationship.objects.filter(
        client_id=js.client_id, kind=RelationshipKind.JOINT_SERVICE, valid_to__isnull=True
    ):
        relationship_close(actor=actor, relationship=rel, valid_to=max(ended_on, rel.valid_from))
    change_log_write(
        actor=actor,
        event="joint_service.ended",
        target=js,
        changes={"ended_on": [None, ended_on.isoformat()], "end_reason": ["", reason]},
    )
    return js


# --- consents ----------------------------------------------------------------------


def _controller_membership(actor: User, record: object, action: str) -> Membership:
    """The actor's membership in the organisation allowed to ``action`` the record
    (its controller, or a co-author the policy table names), else PermissionDenied."""
    found = record_membership(actor, record, action)
    if found is None:
        raise PermissionDenied(E.NOT_CONTROLLER.value)
    return found[0]


def held_data_classes(organisation: Organisation, client: Client) -> list[str]:
    """The data classes an organisation holds of a client and so may disclose: a
    wellbeing services county unit holds social welfare and health data; any other
    organisation holds the classes of the records it made of the client."""
    if organisation.kind == OrganisationKind.WELLBEING_COUNTY_UNIT:
        return list(CONSENT_CLASSES)
    held: set[str] = set()
    for visibility in (
        Note.objects.filter(client=client, organisation=organisation)
        .values_list("visibility", flat=True)
        .distinct()
    ):
        held.add(record_class(Note(visibility=visibility))[1])
    for domain, rating in AssessmentRating.objects.filter(
        assessment__client=client, assessment__organisation=organisation
    ).values_list("domain", "rating"):
        del rating
        held.add(rating_class(domain))
    return [c for c in CONSENT_CLASSES if c in held]


@transaction.atomic
def consent_record(
    *,
    actor: User,
    client: Client,
    recipient: Organisation | None,
    data_classes: Iterable[str],
    purpose: str,
    given_how: str,
    given_reference: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Consent:
    """Record the client's consent to disclose data of the actor's organisation (the
    controller) to another organisation. Only the controller's staff record it; it
    starts on the day it is recorded."""
    mine = _acting_membership(actor, client)
    today = dates.today()
    classes = list(dict.fromkeys(data_classes))
    errors: Errors = {}
    if recipient is None:
        _err(
            errors,
            "recipient",
            _("Choose an organisation known to Silta."),
            E.UNKNOWN_ORGANISATION,
        )
    elif recipient.pk == mine.organisation_id:
        _err(
            errors,
            "recipient",
            _(
                "A consent discloses your organisation's data to another organisation. "
                "Choose another organisation; the data of another organisation can be "
                "disclosed only by its own staff."
            ),
            E.RECIPIENT_IS_DISCLOSER,
        )
    if not classes or any(c not in CONSENT_CLASSES for c in classes):
        _err(errors, "data_classes", _("Choose which data the consent covers."), E.REQUIRED)
    else:
        held = held_data_classes(mine.organisation, client)
        missing = [c for c in classes if c not in held]
        if missing:
            _err(
                errors,
                "data_classes",
                _("Your organisation holds no %(classes)s of this client to disclose.")
                % {"classes": ", ".join(str(RecordClass(c).label).lower() for c in missing)},
                E.CLASS_NOT_HELD,
            )
    if not purpose.strip():
        _err(errors, "purpose", _("Required."), E.REQUIRED)
    if given_how not in CONSENT_GIVEN_CHOICES:
        _err(errors, "given_how", _("Choose how the client gave the consent."), E.REQUIRED)
    if not given_reference.strip():
        _err(
            errors,
            "given_reference",
            _("Say where the consent is kept or when it was given (form, meeting, message)."),
            E.REQUIRED,
        )
    start = valid_from or today
    if start != today:
        _err(
            errors,
            "valid_from",
            _(
                "A consent is valid from the day it is recorded (%(day)s); it cannot "
                "start earlier or later."
            )
            % {"day": today.strftime("%d.%m.%Y")},
            E.CONSENT_BACKDATED,
        )
    if valid_to is not None and valid_to < start:
        _err(errors, "valid_to", _("The end date is before the start date."), E.DATES_ORDER)
    _raise(errors)
    validate_not_before_birth(start, client.birth_date, field="valid_from")
    validate_not_before_birth(valid_to, client.birth_date, field="valid_to")
    assert recipient is not None
    consent = Consent.objects.create(
        client=client,
        controller_id=mine.organisation_id,
        recipient=recipient,
        data_classes=classes,
        purpose=purpose.strip(),
        valid_from=today,
        valid_to=valid_to,
        given_how=given_how,
        given_reference=given_reference.strip(),
        recorded_by=actor,
        recorded_by_organisation_id=mine.organisation_id,
    )
    change_log_write(
        actor=actor,
        event="consent.recorded",
        target=consent,
        changes=model_changes(
            None,
            consent,
            [
                "client_id",
                "controller_id",
                "recipient_id",
                "data_classes",
                "purpose",
                "valid_from",
                "valid_to",
                "given_how",
                "given_reference",
            ],
        ),
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, version: int | None = None) -> Consent:
    """Withdraw a consent at once. Only the disclosing controller's staff do it (the
    client tells them); twice is an error, and so is a stale page (``version``)."""
    _controller_membership(actor, consent, Action.END)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(
            {
                "consent": ValidationError(
                    _("The consent has already been withdrawn."), code=E.CONSENT_WITHDRAWN
                )
            }
        )
    if version is not None and locked.version != version:
        raise StaleEdit(
            _("Somebody else changed this consent meanwhile. Reload the page to see it."),
            code=E.STALE_CONSENT,
        )
    locked.withdrawn_at = dates.now()
    locked.withdrawn_by = actor
    locked.version += 1
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "version", "updated_at"])
    change_log_write(
        actor=actor,
        event="consent.withdrawn",
        target=locked,
        changes={"withdrawn_at": [None, locked.withdrawn_at.isoformat()]},
    )
    return locked


# --- referrals ---------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    actor: User,
    client: Client,
    service: Service,
    to_organisation: Organisation,
    reason: str,
    shares: str = DataClass.NONE,
) -> Referral:
    """Send a referral to a catalogue service of another organisation. Social or health
    data go only with a valid consent or another recorded basis, which the referral
    keeps."""
    mine = _acting_membership(actor, client)
    errors: Errors = {}
    if service.provider_id != to_organisation.pk:
        _err(
            errors,
            "service",
            _("%(org)s does not offer this service.") % {"org": to_organisation.name},
            E.SERVICE_NOT_OFFERED,
        )
    elif not service.is_active:
        _err(errors, "service", _("The service is not offered now."), E.SERVICE_INACTIVE)
    if to_organisation.pk == mine.organisation_id:
        _err(
            errors,
            "service",
            _("Choose a service of another organisation."),
            E.SAME_ORGANISATION,
        )
    if not reason.strip():
        _err(errors, "reason", _("Write the reason for the referral."), E.REQUIRED)
    if service.code == ServiceCode.YOUTH_GUIDANCE:
        refusal = youth_age_refusal(client.birth_date, dates.today())
        if refusal:
            _err(errors, "service", refusal, E.YOUTH_AGE)
    if shares not in DataClass.values:
        _err(errors, "shares", _("Choose which data the referral carries."), E.REQUIRED)
    basis = None
    if not errors:
        basis = referral_sharing_basis(
            client_id=client.pk,
            from_org=mine.organisation_id,
            to_org=to_organisation.pk,
            shares=shares,
        )
        if basis is None:
            _err(
                errors,
                "shares",
                _(
                    "The client has not consented to share these data with %(org)s, and "
                    "there is no other recorded basis. Record a consent first or send the "
                    "referral without these data."
                )
                % {"org": to_organisation.name},
                E.NO_SHARING_BASIS,
            )
    _raise(errors)
    now = dates.now()
    referral = Referral.objects.create(
        client=client,
        service=service,
        from_organisation_id=mine.organisation_id,
        to_organisation=to_organisation,
        sent_by=actor,
        sent_at=now,
        reason=reason.strip(),
        shares=shares,
        sharing_basis=basis or "",
    )
    ReferralStatusChange.objects.create(
        referral=referral, old_status="", new_status=ReferralStatus.SENT, actor=actor, at=now
    )
    change_log_write(
        actor=actor,
        event="referral.sent",
        target=referral,
        changes=model_changes(
            None,
            referral,
            ["client_id", "service_id", "from_organisation_id", "to_organisation_id", "shares"],
        )
        | {"sharing_basis": [None, referral.sharing_basis]},
    )
    return referral


@transaction.atomic
def referral_move(
    *,
    actor: User,
    referral: Referral,
    to_status: str,
    version: int,
    reason: str = "",
    not_completed_reason: str = "",
    appointment_at: dt.datetime | None = None,
    place: str = "",
    participants: str = "",
    work_ability_concern: bool = False,
) -> Referral:
    """Move a referral along its workflow (``workflow.REFERRAL_ALLOWED``). The receiving
    organisation accepts, declines, schedules and completes; the sender cancels.
    Scheduling books the appointment; the first one fixes the waiting time."""
    side = referral_side(actor, referral, Action.CHANGE)
    if side is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else handled this referral meanwhile. Reload the page to see it."),
            code=E.STALE_REFERRAL,
        )
    old = locked.status
    errors: Errors = {}
    if to_status not in ReferralStatus.values or not workflow.referral_can_move(old, to_status):
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _("A referral that is %(old)s cannot be marked %(new)s.")
                    % {
                        "old": ReferralStatus(old).label,
                        "new": ReferralStatus(to_status).label
                        if to_status in ReferralStatus.values
                        else to_status,
                    },
                    code=E.ILLEGAL_MOVE,
                )
            }
        )
    needed_side = "receiver" if to_status in workflow.REFERRAL_BY_RECEIVER else "sender"
    if side[0] != needed_side:
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _(
                        "Only the receiving organisation handles the referral; "
                        "the sender may cancel it."
                    )
                    if needed_side == "receiver"
                    else _("Only the sending organisation may cancel the referral."),
                    code=E.WRONG_SIDE,
                )
            }
        )
    now = dates.now()
    if to_status in {ReferralStatus.DECLINED, ReferralStatus.CANCELLED} and not reason.strip():
        _err(errors, "reason", _("Give the reason."), E.REASON_REQUIRED)
    if to_status == ReferralStatus.NOT_COMPLETED and (
        not_completed_reason not in NotCompletedReason.values
    ):
        _err(errors, "not_completed_reason", _("Choose the reason."), E.REASON_REQUIRED)
    if to_status == ReferralStatus.SCHEDULED:
        if appointment_at is None:
            _err(
                errors,
                "appointment_at",
                _("Give the time of the appointment."),
                E.APPOINTMENT_REQUIRED,
            )
        elif appointment_at < locked.sent_at:
            _err(
                errors,
                "appointment_at",
                _("The appointment cannot be before the referral was sent."),
                E.DATES_ORDER,
            )
        if not place.strip():
            _err(errors, "place", _("Give the place."), E.REQUIRED)
    if to_status == ReferralStatus.COMPLETED or (
        to_status == ReferralStatus.NOT_COMPLETED
        and not_completed_reason == NotCompletedReason.NO_SHOW
    ):
        _before_appointment(errors, locked, to_status)
    _raise(errors)
    validate_not_before_birth(appointment_at, locked.client.birth_date, field="appointment_at")
    locked.status = to_status
    locked.version = version + 1
    locked.status_reason = reason.strip()
    fields = ["status", "version", "status_reason", "updated_at"]
    if to_status == ReferralStatus.ACCEPTED:
        locked.accepted_at = now
        fields.append("accepted_at")
        relationship_open(
            actor=actor,
            client=locked.client,
            organisation=locked.to_organisation,
            kind=RelationshipKind.REFERRAL,
            valid_from=dates.today(),
        )
    if to_status == ReferralStatus.SCHEDULED:
        assert appointment_at is not None
        Appointment.objects.create(
            client=locked.client,
            organisation=locked.to_organisation,
            referral=locked,
            starts_at=appointment_at,
            place=place.strip(),
            participants=participants.strip(),
            created_by=actor,
        )
        if locked.first_appointment_at is None:
            locked.first_appointment_at = appointment_at
            fields.append("first_appointment_at")
    if to_status == ReferralStatus.NOT_COMPLETED:
        locked.not_completed_reason = not_completed_reason
        fields.append("not_completed_reason")
    if to_status == ReferralStatus.COMPLETED:
        locked.work_ability_concern = work_ability_concern
        fields.append("work_ability_concern")
    if to_status in workflow.REFERRAL_CLOSED:
        locked.closed_at = now
        fields.append("closed_at")
        _close_referral_relationship(actor, locked, to_status)
    locked.save(update_fields=fields)
    ReferralStatusChange.objects.create(
        referral=locked,
        old_status=old,
        new_status=to_status,
        reason=reason.strip(),
        actor=actor,
        at=now,
    )
    change_log_write(
        actor=actor,
        event=f"referral.{to_status}",
        target=locked,
        changes={"status": [old, to_status], "version": [version, version + 1]}
        | ({"reason": [None, locked.status_reason]} if locked.status_reason else {})
        | (
            {"not_completed_reason": [None, not_completed_reason]}
            if to_status == ReferralStatus.NOT_COMPLETED
            else {}
        ),
    )
    return locked


def referral_appointment_day(referral: Referral) -> dt.date | None:
    """The day of the referral's appointment (the one its scheduling booked), in
    Finnish time; None while it has none."""
    if referral.first_appointment_at is None:
        return None
    return referral.first_appointment_at.astimezone(dates.HELSINKI).date()


def _before_appointment(errors: Errors, referral: Referral, to_status: str) -> None:
    """A referral is completed (or the client's no-show recorded) on its appointment
    day at the earliest (issue 15)."""
    day = referral_appointment_day(referral)
    if day is None or day <= dates.today():
        return
    message = (
        _("The appointment is on %(date)s: the referral cannot be marked completed before it.")
        if to_status == ReferralStatus.COMPLETED
        else _("The appointment is on %(date)s: a missed appointment cannot be recorded before it.")
    )
    _err(
        errors,
        "to_status",
        message % {"date": f"{day.day}.{day.month}.{day.year}"},
        E.BEFORE_APPOINTMENT,
    )


REFERRAL_AFTERCARE_DAYS = 90
"""The receiving organisation keeps seeing the client this long after a referral it
handled is completed (documentation and follow-up)."""


def _close_referral_relationship(actor: User, referral: Referral, to_status: str) -> None:
    rel = (
        ServiceRelationship.objects.filter(
            client_id=referral.client_id,
            organisation_id=referral.to_organisation_id,
            kind=RelationshipKind.REFERRAL,
            valid_to__isnull=True,
        )
        .order_by("-valid_from")
        .first()
    )
    if rel is None:
        return
    # another open referral to the same organisation keeps the relationship open
    if (
        Referral.objects.filter(
            client_id=referral.client_id,
            to_organisation_id=referral.to_organisation_id,
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.SCHEDULED],
        )
        .exclude(pk=referral.pk)
        .exists()
    ):
        return
    days = REFERRAL_AFTERCARE_DAYS if to_status in {"completed", "not_completed"} else 0
    relationship_close(
        actor=actor, relationship=rel, valid_to=dates.today() + dt.timedelta(days=days)
    )


# --- appointments and notes ----------------------------------------------------------


@transaction.atomic
def appointment_create(
    *,
    actor: User,
    client: Client,
    starts_at: dt.datetime,
    place: str,
    participants: str = "",
) -> Appointment:
    mine = _acting_membership(actor, client)
    errors: Errors = {}
    if not place.strip():
        _err(errors, "place", _("Give the place."), E.REQUIRED)
    if starts_at < dates.now() - dt.timedelta(days=365):
        _err(errors, "starts_at", _("The time is more than a year ago."), E.DATES_ORDER)
    _raise(errors)
    validate_not_before_birth(starts_at, client.birth_date, field="starts_at")
    appointment = Appointment.objects.create(
        client=client,
        organisation_id=mine.organisation_id,
        starts_at=starts_at,
        place=place.strip(),
        participants=participants.strip(),
        created_by=actor,
    )
    change_log_write(
        actor=actor,
        event="appointment.created",
        target=appointment,
        changes=model_changes(
            None, appointment, ["client_id", "starts_at", "place", "participants"]
        ),
    )
    return appointment


@transaction.atomic
def note_write(*, actor: User, client: Client, visibility: str, text: str) -> Note:
    mine = _acting_membership(actor, client)
    errors: Errors = {}
    if visibility not in NoteVisibility.values:
        _err(errors, "visibility", _("Choose who may read the note."), E.REQUIRED)
    elif visibility == NoteVisibility.HEALTH_ONLY and mine.role != Role.HEALTH_PROFESSIONAL:
        _err(
            errors,
            "visibility",
            _("Only health professionals write health-only notes."),
            E.NO_ACCESS,
        )
    if not text.strip():
        _err(errors, "text", _("Write the note."), E.REQUIRED)
    _raise(errors)
    note = Note.objects.create(
        client=client,
        organisation_id=mine.organisation_id,
        author=actor,
        author_role=mine.role,
        visibility=visibility,
        text=text.strip(),
        written_at=dates.now(),
    )
    change_log_write(
        actor=actor,
        event="note.written",
        target=note,
        changes=model_changes(None, note, ["client_id", "organisation_id", "visibility"]),
    )
    return note


# --- assessments -------------------------------------------------------------------


@transaction.atomic
def assessment_sign(
    *,
    actor: User,
    client: Client,
    assessed_on: dt.date,
    ratings: Mapping[str, tuple[int, str]],
) -> Assessment:
    """A dated, signed service-need assessment with every domain rated 1-5."""
    mine = _acting_membership(actor, client)
    errors: Errors = {}
    if assessed_on > dates.today():
        _err(errors, "assessed_on", _("The date cannot be in the future."), E.DATE_IN_FUTURE)
    for domain in AssessmentDomain.values:
        if domain not in ratings:
            _err(errors, f"{domain}_rating", _("Rate this domain from 1 to 5."), E.DOMAINS_MISSING)
            continue
        rating = ratings[domain][0]
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            _err(
                errors,
                f"{domain}_rating",
                _("The rating must be a whole number from 1 to 5."),
                E.RATING_RANGE,
            )
    unknown = set(ratings) - set(AssessmentDomain.values)
    if unknown:
        _err(
            errors,
            "ratings",
            _("Unknown domain: %(d)s") % {"d": ", ".join(sorted(unknown))},
            E.REQUIRED,
        )
    _raise(errors)
    validate_not_before_birth(assessed_on, client.birth_date, field="assessed_on")
    assessment = Assessment.objects.create(
        client=client,
        organisation_id=mine.organisation_id,
        assessed_on=assessed_on,
        signed_by=actor,
        signed_at=dates.now(),
    )
    AssessmentRating.objects.bulk_create(
        [
            AssessmentRating(
                assessment=assessment, domain=d, rating=ratings[d][0], text=ratings[d][1].strip()
            )
            for d in AssessmentDomain.values
        ]
    )
    change_log_write(
        actor=actor,
        event="assessment.signed",
        target=assessment,
        changes={
            "client_id": [None, str(client.pk)],
            "assessed_on": [None, assessed_on.isoformat()],
            "ratings": [None, {d: ratings[d][0] for d in AssessmentDomain.values}],
        },
    )
    return assessment


# --- plans -------------------------------------------------------------------------


def _plan_content_errors(
    *,
    client: Client,
    goals: str,
    next_review_on: dt.date | None,
    referral_ids: Iterable[uuid.UUID],
    status: str,
) -> tuple[Errors, list[Referral]]:
    errors: Errors = {}
    if not goals.strip():
        _err(errors, "goals", _("Write at least one goal."), E.REQUIRED)
    if status != PlanStatus.CLOSED:
        if next_review_on is None:
            _err(errors, "next_review_on", _("Give the next review date."), E.REQUIRED)
        elif next_review_on < dates.today():
            _err(errors, "next_review_on", _("The review date is in the past."), E.REVIEW_IN_PAST)
    ids = list(dict.fromkeys(referral_ids))
    referrals = list(Referral.objects.filter(pk__in=ids, client=client))
    if len(referrals) != len(ids):
        _err(
            errors,
            "referrals",
            _("An agreed service must be a referral of this client."),
            E.REFERRAL_OTHER_CLIENT,
        )
    return errors, referrals


def _plan_version_write(
    plan: Plan,
    *,
    actor: User,
    goals: str,
    actions: str,
    next_review_on: dt.date | None,
    referrals: list[Referral],
) -> PlanVersion:
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        status=plan.status,
        goals=goals.strip(),
        actions=actions.strip(),
        next_review_on=next_review_on,
        author=actor,
        saved_at=dates.now(),
    )
    version.referrals.set(referrals)
    return version


@transaction.atomic
def plan_create(
    *,
    actor: User,
    client: Client,
    kind: str,
    goals: str,
    actions: str,
    next_review_on: dt.date | None,
    referral_ids: Iterable[uuid.UUID] = (),
) -> Plan:
    mine = _acting_membership(actor, client)
    errors, referrals = _plan_content_errors(
        client=client,
        goals=goals,
        next_review_on=next_review_on,
        referral_ids=referral_ids,
        status=PlanStatus.DRAFT,
    )
    if kind not in PlanKind.values:
        _err(errors, "kind", _("Choose the kind of plan."), E.REQUIRED)
    elif kind == PlanKind.YOUTH:
        refusal = youth_age_refusal(client.birth_date, dates.today())
        if refusal:
            _err(errors, "kind", refusal, E.YOUTH_AGE)
    _raise(errors)
    validate_not_before_birth(next_review_on, client.birth_date, field="next_review_on")
    plan = Plan.objects.create(
        client=client,
        organisation_id=mine.organisation_id,
        kind=kind,
        next_review_on=next_review_on,
        created_by=actor,
    )
    _plan_version_write(
        plan,
        actor=actor,
        goals=goals,
        actions=actions,
        next_review_on=next_review_on,
        referrals=referrals,
    )
    change_log_write(
        actor=actor,
        event="plan.created",
        target=plan,
        changes=model_changes(
            None, plan, ["client_id", "kind", "status", "next_review_on", "version"]
        ),
    )
    return plan


def _plan_lock(plan: Plan, version: int) -> Plan:
    """Take the plan's next version number, or raise StaleEdit when the editor's
    version is no longer the latest (the first save is kept)."""
    bumped = Plan.objects.filter(pk=plan.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit(
            _(
                "Somebody else saved this plan while you were editing it. Your changes were "
                "not saved; the latest version is shown."
            ),
            code=E.STALE_PLAN,
        )
    return Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_revise(
    *,
    actor: User,
    plan: Plan,
    version: int,
    goals: str,
    actions: str,
    next_review_on: dt.date | None,
    referral_ids: Iterable[uuid.UUID] = (),
) -> Plan:
    """Save a new version of the plan's content: its owner, or for a multisectoral
    plan a co-author of the client's joint service team."""
    _controller_membership(actor, plan, Action.CHANGE)
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("A closed plan cannot be changed."), code=E.PLAN_CLOSED)
    errors, referrals = _plan_content_errors(
        client=plan.client,
        goals=goals,
        next_review_on=next_review_on,
        referral_ids=referral_ids,
        status=plan.status,
    )
    _raise(errors)
    validate_not_before_birth(next_review_on, plan.client.birth_date, field="next_review_on")
    before_review = plan.next_review_on
    locked = _plan_lock(plan, version)
    locked.next_review_on = next_review_on
    locked.save(update_fields=["next_review_on", "updated_at"])
    _plan_version_write(
        locked,
        actor=actor,
        goals=goals,
        actions=actions,
        next_review_on=next_review_on,
        referrals=referrals,
    )
    change_log_write(
        actor=actor,
        event="plan.revised",
        target=locked,
        changes={"version": [version, locked.version]}
        | (
            {"next_review_on": [str(before_review) if before_review else None, str(next_review_on)]}
            if before_review != next_review_on
            else {}
        ),
    )
    return locked


@transaction.atomic
def plan_move(*, actor: User, plan: Plan, version: int, to_status: str) -> Plan:
    """Change the plan's status (draft -> agreed -> under review -> closed); the status
    change is a new version with the same content. Only the plan's owner does it."""
    _controller_membership(actor, plan, Action.END)
    old = plan.status
    if to_status not in PlanStatus.values or not workflow.plan_can_move(old, to_status):
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _("A plan that is %(old)s cannot be marked %(new)s.")
                    % {
                        "old": PlanStatus(old).label,
                        "new": PlanStatus(to_status).label
                        if to_status in PlanStatus.values
                        else to_status,
                    },
                    code=E.PLAN_ILLEGAL_MOVE,
                )
            }
        )
    latest = plan.versions.order_by("-number").first()
    assert latest is not None
    if to_status == PlanStatus.AGREED and (
        latest.next_review_on is None or latest.next_review_on < dates.today()
    ):
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _("Set a review date that is not in the past before agreeing the plan."),
                    code=E.REVIEW_IN_PAST,
                )
            }
        )
    locked = _plan_lock(plan, version)
    locked.status = to_status
    fields = ["status", "updated_at"]
    if to_status == PlanStatus.AGREED and locked.agreed_on is None:
        locked.agreed_on = dates.today()
        fields.append("agreed_on")
    if to_status == PlanStatus.CLOSED:
        locked.closed_on = dates.today()
        fields.append("closed_on")
    locked.save(update_fields=fields)
    _plan_version_write(
        locked,
        actor=actor,
        goals=latest.goals,
        actions=latest.actions,
        next_review_on=latest.next_review_on,
        referrals=list(latest.referrals.all()),
    )
    change_log_write(
        actor=actor,
        event=f"plan.{to_status}",
        target=locked,
        changes={"status": [old, to_status], "version": [version, locked.version]},
    )
    return locked


# --- outcomes ----------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *, actor: User, client: Client, kind: str, occurred_on: dt.date, note: str = ""
) -> Outcome:
    mine = _acting_membership(actor, client)
    errors: Errors = {}
    if kind not in OutcomeKind.values:
        _err(errors, "kind", _("Choose the transition."), E.REQUIRED)
    if occurred_on > dates.today() + dt.timedelta(days=31):
        _err(
            errors,
            "occurred_on",
            _("The date can be at most a month ahead."),
            E.DATE_IN_FUTURE,
        )
    _raise(errors)
    validate_not_before_birth(occurred_on, client.birth_date, field="occurred_on")
    outcome = Outcome.objects.create(
        client=client,
        organisation_id=mine.organisation_id,
        kind=kind,
        occurred_on=occurred_on,
        note=note.strip(),
        recorded_by=actor,
    )
    change_log_write(
        actor=actor,
        event="outcome.recorded",
        target=outcome,
        changes=model_changes(None, outcome, ["client_id", "kind", "occurred_on"]),
    )
    return outcome


def follow_up_due_on(outcome: Outcome, months: int) -> dt.date:
    return add_months(outcome.occurred_on, months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the end of a shorter month."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def outcome_follow_up(
    *, actor: User, outcome: Outcome, months: int, status: str, version: int
) -> Outcome:
    """Record the 3-, 6- or 12-month follow-up once it is due (the controller)."""
    _controller_membership(actor, outcome, Action.CHANGE)
    errors: Errors = {}
    if months not in FOLLOW_UP_MONTHS:
        _err(errors, "months", _("Follow-ups are at 3, 6 and 12 months."), E.FOLLOW_UP_MONTHS)
    elif follow_up_due_on(outcome, months) > dates.today():
        _err(
            errors,
            "months",
            _("This follow-up is due on %(day)s.")
            % {"day": follow_up_due_on(outcome, months).strftime("%d.%m.%Y")},
            E.FOLLOW_UP_NOT_DUE,
        )
    if status not in FollowUpStatus.values:
        _err(errors, "status", _("Choose the situation."), E.REQUIRED)
    _raise(errors)
    field = f"follow_up_{months}"
    bumped = Outcome.objects.filter(pk=outcome.pk, version=version).update(
        version=F("version") + 1, **{field: status}
    )
    if not bumped:
        raise StaleEdit(
            _("Somebody else recorded a follow-up meanwhile. Reload the page."),
            code=E.STALE_OUTCOME,
        )
    old = getattr(outcome, field)
    outcome.refresh_from_db()
    change_log_write(
        actor=actor,
        event="outcome.followed_up",
        target=outcome,
        changes={field: [old, status], "version": [version, version + 1]},
    )
    return outcome
