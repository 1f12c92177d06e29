"""Every write on the work ability path: keyword-only, validated (a ``ValidationError``
keyed by field, nothing written), one transaction, logged in the change log, and
allowed only as the policy table says (``PermissionDenied`` otherwise)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silta.accounts.models import User
from silta.accounts.roles import Perm
from silta.audit.services import change_log_write, model_changes
from silta.casework.models import Referral, ReferralStatus
from silta.casework.services import referral_appointment_day
from silta.catalogue.errors import StaleEdit
from silta.catalogue.models import ApplicationReceiver, ServiceCode
from silta.clients.models import Client
from silta.core import dates
from silta.privacy.policy import Action
from silta.workability.models import (
    DECIDED,
    ENDS_UNEMPLOYMENT,
    OPEN_CHECK,
    AppealBody,
    AppealOutcome,
    ApplicationKind,
    ApplicationStatus,
    BenefitApplication,
    Capacity,
    DecisionAppeal,
    HealthCheck,
    HealthCheckStatus,
    HealthState,
    Identification,
    InvitationChannel,
    OnwardReferral,
    Recommendation,
    RehabilitationNeed,
    StatementKind,
    WorkAbility,
    WorkAbilityDuration,
    WorkAbilityResult,
)
from silta.workability.policies import (
    application_basis,
    contexts_for,
    first_basis,
    health_check_basis,
    health_check_content_basis,
    offers_health_checks,
    result_basis,
)


class PathError:
    NOT_AN_ASSESSMENT = "workability.not_an_assessment"
    ASSESSMENT_NOT_DONE = "workability.assessment_not_done"
    RESULT_EXISTS = "workability.result_exists"
    REQUIRED = "workability.required"
    DURATION = "workability.duration"
    UNKNOWN = "workability.unknown_choice"
    DATE_IN_FUTURE = "workability.date_in_future"
    DATE_BEFORE = "workability.date_before"
    RECEIVER = "workability.receiver_does_not_decide"
    DECISION_BEFORE_APPLICATION = "workability.decision_before_application"
    DECIDED = "workability.already_decided"
    BENEFIT_DATES = "workability.benefit_dates"
    DECEASED = "workability.client_deceased"
    REASON = "workability.reason_required"
    NOT_DECIDED = "workability.not_decided"
    NOT_REJECTED = "workability.appeal_not_rejected"
    APPEAL_BODY = "workability.appeal_body"
    OUTCOME_DATE = "workability.appeal_outcome_date"
    CHECK_OPEN = "workability.health_check_open"
    CHECK_CLOSED = "workability.health_check_closed"
    NOT_A_CHECKING_UNIT = "workability.not_a_checking_unit"
    NOT_BOOKED = "workability.health_check_not_booked"


Errors = dict[str, list[ValidationError]]


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _stale() -> StaleEdit:
    return StaleEdit(
        _(
            "Somebody else saved this record after you opened the page. Nothing was "
            "saved: open the page again and redo your change."
        ),
        code="workability.stale_version",
    )


# --- identification -------------------------------------------------------------------


@transaction.atomic
def identification_record(
    *, actor: User, client: Client, reasons: Iterable[str], identified_on: dt.date | None = None
) -> Identification:
    """Take a client onto the work ability path with the reasons the list gave."""
    from silta.casework.work_ability import RULE_LABELS

    contexts = contexts_for(actor, client, Perm.WORK_ABILITY_LIST)
    if not contexts:
        raise PermissionDenied("workability.identify")
    day = identified_on or dates.today()
    keys = sorted({r for r in reasons if r in RULE_LABELS})
    errors: Errors = {}
    if day > dates.today():
        _err(errors, "identified_on", _("The date is in the future."), PathError.DATE_IN_FUTURE)
    if day < client.birth_date:
        _err(
            errors,
            "identified_on",
            _("The date is before the client's birth."),
            PathError.DATE_BEFORE,
        )
    _raise(errors)
    ident = Identification.objects.create(
        client=client,
        organisation_id=contexts[0].membership.organisation_id,
        identified_on=day,
        reasons=keys,
        identified_by=actor,
    )
    change_log_write(
        actor=actor,
        event="workability.identified",
        target=ident,
        changes=model_changes(None, ident, ["client_id", "identified_on", "reasons"]),
    )
    return ident


# --- the assessment's result ----------------------------------------------------------


def _result_errors(
    *,
    referral: Referral,
    assessed_on: dt.date,
    work_ability: str,
    duration: str,
    recommendations: list[str],
    statement_kind: str,
    statement_date: dt.date | None,
) -> Errors:
    errors: Errors = {}
    today = dates.today()
    if work_ability not in WorkAbility.values:
        _err(errors, "work_ability", _("Choose the work ability."), PathError.REQUIRED)
    if duration and duration not in WorkAbilityDuration.values:
        _err(errors, "duration", _("Unknown choice."), PathError.UNKNOWN)
    if work_ability in (WorkAbility.PARTIAL, WorkAbility.NONE) and not duration:
        _err(
            errors,
            "duration",
            _("Say how long the reduced work ability is expected to last."),
            PathError.DURATION,
        )
    if not recommendations:
        _err(
            errors, "recommendations", _("Choose at least one recommendation."), PathError.REQUIRED
        )
    elif any(r not in Recommendation.values for r in recommendations):
        _err(errors, "recommendations", _("Unknown choice."), PathError.UNKNOWN)
    if statement_kind and statement_kind not in StatementKind.values:
        _err(errors, "statement_kind", _("Unknown choice."), PathError.UNKNOWN)
    if assessed_on > today:
        _err(errors, "assessed_on", _("The date is in the future."), PathError.DATE_IN_FUTURE)
    sent = referral.sent_at.astimezone(dates.HELSINKI).date()
    if assessed_on < sent:
        _err(
            errors,
            "assessed_on",
            _("The assessment cannot be completed before it was asked for (%(date)s).")
            % {"date": sent.strftime("%-d.%-m.%Y")},
            PathError.DATE_BEFORE,
        )
    elif (appointment := referral_appointment_day(referral)) and assessed_on < appointment:
        _err(
            errors,
            "assessed_on",
            _("The assessment cannot be completed before its appointment (%(date)s).")
            % {"date": appointment.strftime("%-d.%-m.%Y")},
            PathError.DATE_BEFORE,
        )
    if statement_date is not None:
        if statement_date > today:
            _err(
                errors, "statement_date", _("The date is in the future."), PathError.DATE_IN_FUTURE
            )
        if statement_date < referral.client.birth_date:
            _err(
                errors,
                "statement_date",
                _("The date is before the client's birth."),
                PathError.DATE_BEFORE,
            )
    return errors


@transaction.atomic
def result_record(
    *,
    actor: User,
    referral: Referral,
    assessed_on: dt.date,
    work_ability: str,
    duration: str = "",
    recommendations: list[str],
    recommendation_text: str = "",
    statement_kind: str = "",
    statement_date: dt.date | None = None,
    statement_reference: str = "",
) -> WorkAbilityResult:
    """The structured result of a work ability assessment (the referral to the service
    ``work_ability_assessment``, scheduled or completed). A result without such an
    assessment is refused. Health data of the assessing unit."""
    locked = (
        Referral.objects.select_for_update().select_related("service", "client").get(pk=referral.pk)
    )
    contexts = contexts_for(actor, locked.client, Perm.CASEWORK_WRITE)
    found = first_basis(
        contexts, lambda c: result_basis(c, locked.to_organisation_id, Action.CREATE)
    )
    if found is None:
        raise PermissionDenied("workability.result")
    ctx, _basis = found
    errors: Errors = {}
    if locked.service.code != ServiceCode.WORK_ABILITY_ASSESSMENT:
        _err(
            errors,
            "referral",
            _("A result is recorded for a work ability assessment only."),
            PathError.NOT_AN_ASSESSMENT,
        )
    elif locked.status not in (ReferralStatus.SCHEDULED, ReferralStatus.COMPLETED):
        _err(
            errors,
            "referral",
            _("The assessment has not taken place: schedule it before recording its result."),
            PathError.ASSESSMENT_NOT_DONE,
        )
    if WorkAbilityResult.objects.filter(referral=locked).exists():
        _err(
            errors,
            "referral",
            _("This assessment already has a result: correct it instead."),
            PathError.RESULT_EXISTS,
        )
    _raise(errors)
    _raise(
        _result_errors(
            referral=locked,
            assessed_on=assessed_on,
            work_ability=work_ability,
            duration=duration,
            recommendations=recommendations,
            statement_kind=statement_kind,
            statement_date=statement_date,
        )
    )
    result = WorkAbilityResult.objects.create(
        referral=locked,
        client=locked.client,
        organisation_id=locked.to_organisation_id,
        assessed_on=assessed_on,
        work_ability=work_ability,
        duration=duration if work_ability != WorkAbility.FULL else "",
        recommendations=sorted(set(recommendations)),
        recommendation_text=recommendation_text.strip(),
        statement_kind=statement_kind,
        statement_date=statement_date,
        statement_reference=statement_reference.strip(),
        made_by=actor,
        made_by_role=ctx.membership.role,
    )
    change_log_write(
        actor=actor,
        event="workability.result_recorded",
        target=result,
        changes=model_changes(
            None,
            result,
            [
                "client_id",
                "referral_id",
                "assessed_on",
                "work_ability",
                "duration",
                "recommendations",
                "statement_kind",
                "statement_date",
            ],
        ),
    )
    return result


# --- applications and decisions ----------------------------------------------------


@transaction.atomic
def application_record(
    *,
    actor: User,
    client: Client,
    kind: str,
    receiver: ApplicationReceiver,
    applied_on: dt.date,
    result: WorkAbilityResult | None = None,
) -> BenefitApplication:
    """A rehabilitation or pension application sent to Kela or a pension provider.
    The decision is expected within the receiver's typical time."""
    contexts = contexts_for(actor, client, Perm.CASEWORK_WRITE)
    found = first_basis(
        contexts,
        lambda c: application_basis(c, c.membership.organisation_id, Action.CREATE),
    )
    if found is None:
        raise PermissionDenied("workability.application")
    ctx, _basis = found
    errors: Errors = {}
    if kind not in ApplicationKind.values:
        _err(errors, "kind", _("Choose the application."), PathError.REQUIRED)
    elif kind not in receiver.application_kinds:
        _err(
            errors,
            "receiver",
            _("%(receiver)s does not decide this application.") % {"receiver": receiver.name},
            PathError.RECEIVER,
        )
    if applied_on > dates.today():
        _err(errors, "applied_on", _("The date is in the future."), PathError.DATE_IN_FUTURE)
    if applied_on < client.birth_date:
        _err(
            errors, "applied_on", _("The date is before the client's birth."), PathError.DATE_BEFORE
        )
    if client.deceased_on is not None and applied_on > client.deceased_on:
        _err(errors, "applied_on", _("The client has died."), PathError.DECEASED)
    if result is not None and result.client_id != client.pk:
        raise PermissionDenied("workability.result_of_another_client")
    if result is not None and applied_on < result.assessed_on:
        _err(
            errors,
            "applied_on",
            _("The application cannot be before the assessment's result (%(date)s).")
            % {"date": result.assessed_on.strftime("%-d.%-m.%Y")},
            PathError.DATE_BEFORE,
        )
    _raise(errors)
    app = BenefitApplication.objects.create(
        client=client,
        organisation_id=ctx.membership.organisation_id,
        result=result,
        kind=kind,
        receiver=receiver,
        applied_on=applied_on,
        decision_due_on=applied_on + dt.timedelta(days=receiver.typical_decision_days),
        recorded_by=actor,
    )
    change_log_write(
        actor=actor,
        event="workability.application_recorded",
        target=app,
        changes=model_changes(
            None, app, ["client_id", "kind", "receiver_id", "applied_on", "result_id"]
        ),
    )
    return app


def _application_for_change(
    actor: User, application: BenefitApplication, version: int
) -> BenefitApplication:
    locked = (
        BenefitApplication.objects.select_for_update()
        .select_related("client", "receiver")
        .get(pk=application.pk)
    )
    contexts = contexts_for(actor, locked.client, Perm.CASEWORK_WRITE)
    if (
        first_basis(contexts, lambda c: application_basis(c, locked.organisation_id, Action.CHANGE))
        is None
    ):
        raise PermissionDenied("workability.application")
    if locked.version != version:
        raise _stale()
    return locked


@transaction.atomic
def decision_record(
    *,
    actor: User,
    application: BenefitApplication,
    version: int,
    status: str,
    decided_on: dt.date,
    benefit_from: dt.date | None = None,
    benefit_to: dt.date | None = None,
    decision_reference: str = "",
) -> BenefitApplication:
    """The receiver's decision (granted or rejected). A decision dated before its
    application is refused; a granted benefit needs its start date. A granted benefit
    that replaces the unemployment benefit also records the case-work outcome."""
    locked = _application_for_change(actor, application, version)
    errors: Errors = {}
    if locked.status != ApplicationStatus.PENDING:
        _err(
            errors, "status", _("The application is already decided or closed."), PathError.DECIDED
        )
    if status not in DECIDED:
        _err(errors, "status", _("Choose the decision."), PathError.REQUIRED)
    _decision_date_errors(errors, locked, decided_on, status, benefit_from, benefit_to)
    _raise(errors)
    before = {f: getattr(locked, f) for f in ("status", "decided_on", "benefit_from", "benefit_to")}
    locked.status = status
    locked.decided_on = decided_on
    locked.benefit_from = benefit_from if status == ApplicationStatus.GRANTED else None
    locked.benefit_to = benefit_to if status == ApplicationStatus.GRANTED else None
    locked.decision_reference = decision_reference.strip()
    locked.version += 1
    locked.save()
    change_log_write(
        actor=actor,
        event="workability.decision_recorded",
        target=locked,
        changes=model_changes(
            before, locked, ["status", "decided_on", "benefit_from", "benefit_to"]
        ),
    )
    if status == ApplicationStatus.GRANTED and locked.kind in ENDS_UNEMPLOYMENT:
        _record_outcome(actor, locked)
    return locked


def _record_outcome(actor: User, app: BenefitApplication) -> None:
    """The case-work outcome that ends unemployment (when the actor may record one and
    the start is at most a month ahead, as case work allows)."""
    from silta.casework.models import OutcomeKind
    from silta.casework.services import outcome_record

    assert app.benefit_from is not None
    if app.benefit_from > dates.today() + dt.timedelta(days=31):
        return
    kind = (
        OutcomeKind.REHAB_OR_SICKNESS
        if app.kind == ApplicationKind.REHABILITATION_ALLOWANCE
        else OutcomeKind.DISABILITY_PENSION
    )
    try:
        outcome_record(
            actor=actor,
            client=app.client,
            kind=kind,
            occurred_on=app.benefit_from,
            note=str(ApplicationKind(app.kind).label),
        )
    except PermissionDenied:
        return


@transaction.atomic
def application_withdraw(
    *, actor: User, application: BenefitApplication, version: int
) -> BenefitApplication:
    locked = _application_for_change(actor, application, version)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(
            {
                "status": [
                    ValidationError(
                        _("The application is already decided or closed."), code=PathError.DECIDED
                    )
                ]
            }
        )
    locked.status = ApplicationStatus.WITHDRAWN
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    change_log_write(
        actor=actor,
        event="workability.application_withdrawn",
        target=locked,
        changes={"status": [ApplicationStatus.PENDING, ApplicationStatus.WITHDRAWN]},
    )
    return locked


def applications_lapse(*, actor: User | None, client: Client, on: dt.date) -> int:
    """Pending applications lapse (the client died); called inside the registry's
    transaction."""
    rows = list(
        BenefitApplication.objects.select_for_update().filter(
            client=client, status=ApplicationStatus.PENDING
        )
    )
    for app in rows:
        app.status = ApplicationStatus.LAPSED
        app.version += 1
        app.save(update_fields=["status", "version", "updated_at"])
        change_log_write(
            actor=actor,
            event="workability.application_lapsed",
            target=app,
            changes={
                "status": [ApplicationStatus.PENDING, ApplicationStatus.LAPSED],
                "on": [None, on.isoformat()],
            },
        )
    return len(rows)


# --- correcting a result or a decision, appealing a rejection ------------------------


def _reason_errors(errors: Errors, reason: str) -> None:
    if not reason.strip():
        _err(
            errors,
            "reason",
            _("Say why the record is corrected: the reason goes to the change log."),
            PathError.REASON,
        )


RESULT_FIELDS = (
    "assessed_on",
    "work_ability",
    "duration",
    "recommendations",
    "recommendation_text",
    "statement_kind",
    "statement_date",
    "statement_reference",
)


@transaction.atomic
def result_correct(
    *,
    actor: User,
    result: WorkAbilityResult,
    version: int,
    reason: str,
    assessed_on: dt.date,
    work_ability: str,
    duration: str = "",
    recommendations: list[str],
    recommendation_text: str = "",
    statement_kind: str = "",
    statement_date: dt.date | None = None,
    statement_reference: str = "",
) -> WorkAbilityResult:
    """Correct a result: only the assessing unit's assessors (the controller's staff,
    policy action *change*); the old and new values and the reason go to the change
    log. A form opened before another save is refused (stale)."""
    locked = (
        WorkAbilityResult.objects.select_for_update()
        .select_related("client", "referral", "referral__client")
        .get(pk=result.pk)
    )
    contexts = contexts_for(actor, locked.client, Perm.CASEWORK_WRITE)
    if (
        first_basis(contexts, lambda c: result_basis(c, locked.organisation_id, Action.CHANGE))
        is None
    ):
        raise PermissionDenied("workability.result_correct")
    if locked.version != version:
        raise _stale()
    errors = _result_errors(
        referral=locked.referral,
        assessed_on=assessed_on,
        work_ability=work_ability,
        duration=duration,
        recommendations=recommendations,
        statement_kind=statement_kind,
        statement_date=statement_date,
    )
    _reason_errors(errors, reason)
    _raise(errors)
    before = {f: getattr(locked, f) for f in RESULT_FIELDS}
    locked.assessed_on = assessed_on
    locked.work_ability = work_ability
    locked.duration = duration if work_ability != WorkAbility.FULL else ""
    locked.recommendations = sorted(set(recommendations))
    locked.recommendation_text = recommendation_text.strip()
    locked.statement_kind = statement_kind
    locked.statement_date = statement_date
    locked.statement_reference = statement_reference.strip()
    locked.version += 1
    locked.save()
    changes = model_changes(before, locked, list(RESULT_FIELDS))
    changes["reason"] = [None, reason.strip()]
    change_log_write(
        actor=actor, event="workability.result_corrected", target=locked, changes=changes
    )
    return locked


DECISION_FIELDS = ("status", "decided_on", "benefit_from", "benefit_to", "decision_reference")


@transaction.atomic
def decision_correct(
    *,
    actor: User,
    application: BenefitApplication,
    version: int,
    reason: str,
    status: str,
    decided_on: dt.date,
    benefit_from: dt.date | None = None,
    benefit_to: dt.date | None = None,
    decision_reference: str = "",
) -> BenefitApplication:
    """Correct a recorded decision (a typing error, or the receiver's own correction):
    only the organisation that recorded the application; the change log keeps the old
    values and the reason. A correction to a granted benefit that replaces the
    unemployment benefit records the case-work outcome as a new decision does."""
    locked = _application_for_change(actor, application, version)
    errors: Errors = {}
    if locked.status not in DECIDED:
        _err(
            errors,
            "status",
            _("The application has no decision yet: record the decision instead."),
            PathError.NOT_DECIDED,
        )
    if status not in DECIDED:
        _err(errors, "status", _("Choose the decision."), PathError.REQUIRED)
    _decision_date_errors(errors, locked, decided_on, status, benefit_from, benefit_to)
    _reason_errors(errors, reason)
    _raise(errors)
    was_granted = locked.status == ApplicationStatus.GRANTED
    before = {f: getattr(locked, f) for f in DECISION_FIELDS}
    locked.status = status
    locked.decided_on = decided_on
    locked.benefit_from = benefit_from if status == ApplicationStatus.GRANTED else None
    locked.benefit_to = benefit_to if status == ApplicationStatus.GRANTED else None
    locked.decision_reference = decision_reference.strip()
    locked.version += 1
    locked.save()
    changes = model_changes(before, locked, list(DECISION_FIELDS))
    changes["reason"] = [None, reason.strip()]
    change_log_write(
        actor=actor, event="workability.decision_corrected", target=locked, changes=changes
    )
    if status == ApplicationStatus.GRANTED and not was_granted and locked.kind in ENDS_UNEMPLOYMENT:
        _record_outcome(actor, locked)
    return locked


def _decision_date_errors(
    errors: Errors,
    app: BenefitApplication,
    decided_on: dt.date,
    status: str,
    benefit_from: dt.date | None,
    benefit_to: dt.date | None,
) -> None:
    if decided_on < app.applied_on:
        _err(
            errors,
            "decided_on",
            _("The decision cannot be dated before the application (%(date)s).")
            % {"date": app.applied_on.strftime("%-d.%-m.%Y")},
            PathError.DECISION_BEFORE_APPLICATION,
        )
    if decided_on > dates.today():
        _err(errors, "decided_on", _("The date is in the future."), PathError.DATE_IN_FUTURE)
    if status == ApplicationStatus.GRANTED and benefit_from is None:
        _err(errors, "benefit_from", _("Give the date the benefit starts."), PathError.REQUIRED)
    if benefit_from is not None and benefit_from < app.client.birth_date:
        _err(
            errors,
            "benefit_from",
            _("The date is before the client's birth."),
            PathError.DATE_BEFORE,
        )
    if benefit_from is not None and benefit_to is not None and benefit_to < benefit_from:
        _err(
            errors,
            "benefit_to",
            _("The end date is before the start date."),
            PathError.BENEFIT_DATES,
        )


def _appeal_errors(
    errors: Errors,
    app: BenefitApplication,
    appealed_on: dt.date,
    body: str,
    outcome: str,
    outcome_on: dt.date | None,
) -> None:
    today = dates.today()
    if body not in AppealBody.values:
        _err(errors, "body", _("Choose where the decision was appealed."), PathError.REQUIRED)
    elif body == AppealBody.SAMU and app.receiver.kind != "kela":
        _err(
            errors,
            "body",
            _("A pension provider's decision is appealed to the pension appeal board."),
            PathError.APPEAL_BODY,
        )
    elif body == AppealBody.TELK and app.receiver.kind == "kela":
        _err(
            errors,
            "body",
            _("Kela's decision is appealed to the Social Security Appeal Board."),
            PathError.APPEAL_BODY,
        )
    if app.decided_on is not None and appealed_on < app.decided_on:
        _err(
            errors,
            "appealed_on",
            _("The appeal cannot be before the decision (%(date)s).")
            % {"date": app.decided_on.strftime("%-d.%-m.%Y")},
            PathError.DATE_BEFORE,
        )
    if appealed_on > today:
        _err(errors, "appealed_on", _("The date is in the future."), PathError.DATE_IN_FUTURE)
    if outcome not in AppealOutcome.values:
        _err(errors, "outcome", _("Choose the outcome."), PathError.REQUIRED)
    elif outcome == AppealOutcome.PENDING:
        if outcome_on is not None:
            _err(
                errors,
                "outcome_on",
                _("An appeal that waits for its decision has no decision date."),
                PathError.OUTCOME_DATE,
            )
    elif outcome_on is None:
        _err(errors, "outcome_on", _("Give the date of the appeal's decision."), PathError.REQUIRED)
    if outcome_on is not None:
        if outcome_on < appealed_on:
            _err(
                errors,
                "outcome_on",
                _("The appeal's decision cannot be before the appeal."),
                PathError.OUTCOME_DATE,
            )
        if outcome_on > today:
            _err(errors, "outcome_on", _("The date is in the future."), PathError.DATE_IN_FUTURE)


@transaction.atomic
def appeal_record(
    *,
    actor: User,
    application: BenefitApplication,
    version: int,
    appealed_on: dt.date,
    body: str,
    outcome: str = AppealOutcome.PENDING,
    outcome_on: dt.date | None = None,
) -> DecisionAppeal:
    """The client appealed a rejection: when, to whom, and (later) the outcome. Part of
    the application's record: the organisation that recorded it records the appeal."""
    locked = _application_for_change(actor, application, version)
    errors: Errors = {}
    if locked.status != ApplicationStatus.REJECTED:
        _err(
            errors,
            "appealed_on",
            _("Only a rejected application is appealed."),
            PathError.NOT_REJECTED,
        )
    _appeal_errors(errors, locked, appealed_on, body, outcome, outcome_on)
    _raise(errors)
    appeal = DecisionAppeal.objects.create(
        application=locked,
        appealed_on=appealed_on,
        body=body,
        outcome=outcome,
        outcome_on=outcome_on,
        recorded_by=actor,
    )
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    change_log_write(
        actor=actor,
        event="workability.appeal_recorded",
        target=appeal,
        changes=model_changes(
            None, appeal, ["application_id", "appealed_on", "body", "outcome", "outcome_on"]
        ),
    )
    return appeal


@transaction.atomic
def appeal_outcome_record(
    *,
    actor: User,
    appeal: DecisionAppeal,
    version: int,
    outcome: str,
    outcome_on: dt.date | None,
) -> DecisionAppeal:
    """The appeal's outcome. A decision changed in the client's favour is then
    recorded by correcting the application's decision."""
    locked_appeal = DecisionAppeal.objects.select_for_update().get(pk=appeal.pk)
    app = _application_for_change(
        actor, locked_appeal.application, locked_appeal.application.version
    )
    if locked_appeal.version != version:
        raise _stale()
    errors: Errors = {}
    _appeal_errors(errors, app, locked_appeal.appealed_on, locked_appeal.body, outcome, outcome_on)
    _raise(errors)
    before = {"outcome": locked_appeal.outcome, "outcome_on": locked_appeal.outcome_on}
    locked_appeal.outcome = outcome
    locked_appeal.outcome_on = outcome_on
    locked_appeal.version += 1
    locked_appeal.save()
    change_log_write(
        actor=actor,
        event="workability.appeal_outcome_recorded",
        target=locked_appeal,
        changes=model_changes(before, locked_appeal, ["outcome", "outcome_on"]),
    )
    return locked_appeal


# --- unemployed health checks: invitation, booking, ending, content ----------------


def _check_for_change(actor: User, check: HealthCheck, version: int, action: str) -> HealthCheck:
    locked = HealthCheck.objects.select_for_update().select_related("client").get(pk=check.pk)
    contexts = contexts_for(actor, locked.client, Perm.CASEWORK_WRITE)
    if action == Action.CREATE:  # the content: the unit's health professionals
        found = first_basis(
            contexts, lambda c: health_check_content_basis(c, locked.organisation_id, Action.CREATE)
        )
    else:
        found = first_basis(
            contexts, lambda c: health_check_basis(c, locked.organisation_id, Action.CHANGE)
        )
    if found is None:
        raise PermissionDenied("workability.health_check")
    if locked.version != version:
        raise _stale()
    return locked


def _day_errors(
    errors: Errors, field: str, day: dt.date, check: HealthCheck, *, future: bool = False
) -> None:
    if not future and day > dates.today():
        _err(errors, field, _("The date is in the future."), PathError.DATE_IN_FUTURE)
    if day < check.invited_on:
        _err(
            errors,
            field,
            _("The date cannot be before the invitation (%(date)s).")
            % {"date": check.invited_on.strftime("%-d.%-m.%Y")},
            PathError.DATE_BEFORE,
        )


def _open_errors(errors: Errors, field: str, check: HealthCheck) -> None:
    if check.status not in OPEN_CHECK:
        _err(
            errors,
            field,
            _("The health check has already ended (%(status)s).")
            % {"status": HealthCheckStatus(check.status).label},
            PathError.CHECK_CLOSED,
        )


@transaction.atomic
def health_check_invite(
    *, actor: User, client: Client, invited_on: dt.date, channel: str
) -> HealthCheck:
    """The checking unit (an organisation that offers the unemployed health check and
    works with the client) invites a client of the target list."""
    contexts = [
        c
        for c in contexts_for(actor, client, Perm.CASEWORK_WRITE)
        if offers_health_checks(c.membership.organisation_id)
    ]
    found = first_basis(
        contexts,
        lambda c: health_check_basis(c, c.membership.organisation_id, Action.CREATE),
    )
    if found is None:
        raise PermissionDenied("workability.health_check_invite")
    ctx, _basis = found
    org_id = ctx.membership.organisation_id
    errors: Errors = {}
    if channel not in InvitationChannel.values:
        _err(errors, "channel", _("Choose how the client was invited."), PathError.REQUIRED)
    if invited_on > dates.today():
        _err(errors, "invited_on", _("The date is in the future."), PathError.DATE_IN_FUTURE)
    if invited_on < client.birth_date:
        _err(
            errors, "invited_on", _("The date is before the client's birth."), PathError.DATE_BEFORE
        )
    if client.deceased_on is not None:
        _err(errors, "invited_on", _("The client has died."), PathError.DECEASED)
    if HealthCheck.objects.filter(
        client=client, organisation_id=org_id, status__in=list(OPEN_CHECK)
    ).exists():
        _err(
            errors,
            "invited_on",
            _("The client already has an open invitation: book it or record how it ended."),
            PathError.CHECK_OPEN,
        )
    _raise(errors)
    check = HealthCheck.objects.create(
        client=client,
        organisation_id=org_id,
        invited_on=invited_on,
        channel=channel,
        invited_by=actor,
    )
    change_log_write(
        actor=actor,
        event="workability.health_check_invited",
        target=check,
        changes=model_changes(None, check, ["client_id", "invited_on", "channel"]),
    )
    return check


@transaction.atomic
def health_check_book(
    *, actor: User, check: HealthCheck, version: int, booked_at: dt.datetime, unit: str
) -> HealthCheck:
    """A time for the check (a new time replaces the old while the check is open)."""
    locked = _check_for_change(actor, check, version, Action.CHANGE)
    errors: Errors = {}
    _open_errors(errors, "booked_at", locked)
    day = booked_at.astimezone(dates.HELSINKI).date()
    _day_errors(errors, "booked_at", day, locked, future=True)
    if day > dates.today() + dt.timedelta(days=366):
        _err(errors, "booked_at", _("The time is over a year ahead."), PathError.DATE_IN_FUTURE)
    if not unit.strip():
        _err(errors, "unit", _("Give the unit where the check is done."), PathError.REQUIRED)
    _raise(errors)
    before = {"status": locked.status, "booked_at": locked.booked_at, "unit": locked.unit}
    locked.status = HealthCheckStatus.BOOKED
    locked.booked_at = booked_at
    locked.unit = unit.strip()
    locked.version += 1
    locked.save()
    change_log_write(
        actor=actor,
        event="workability.health_check_booked",
        target=locked,
        changes=model_changes(before, locked, ["status", "booked_at", "unit"]),
    )
    return locked


@transaction.atomic
def health_check_end(
    *, actor: User, check: HealthCheck, version: int, status: str, on: dt.date
) -> HealthCheck:
    """The client did not come to the booked time, or declined the check."""
    locked = _check_for_change(actor, check, version, Action.CHANGE)
    errors: Errors = {}
    _open_errors(errors, "status", locked)
    if status not in (HealthCheckStatus.NO_SHOW, HealthCheckStatus.DECLINED):
        _err(errors, "status", _("Choose how the check ended."), PathError.REQUIRED)
    elif status == HealthCheckStatus.NO_SHOW and locked.booked_at is None:
        _err(
            errors,
            "status",
            _("A client can miss a booked time only: book a time first."),
            PathError.NOT_BOOKED,
        )
    _day_errors(errors, "on", on, locked)
    _raise(errors)
    before = {"status": locked.status, "closed_on": locked.closed_on}
    locked.status = status
    locked.closed_on = on
    locked.version += 1
    locked.save()
    change_log_write(
        actor=actor,
        event="workability.health_check_ended",
        target=locked,
        changes=model_changes(before, locked, ["status", "closed_on"]),
    )
    return locked


CONTENT_FIELDS = (
    "checked_on",
    "health",
    "work_capacity",
    "functional_capacity",
    "rehabilitation_need",
    "onward",
)


@transaction.atomic
def health_check_content_record(
    *,
    actor: User,
    check: HealthCheck,
    version: int,
    checked_on: dt.date,
    health: str,
    work_capacity: str,
    functional_capacity: str,
    rehabilitation_need: str,
    onward: list[str],
    summary: str = "",
) -> HealthCheck:
    """The check was done: its structured content (health data of the checking unit,
    recorded by its health professionals). The check then counts for coverage."""
    locked = _check_for_change(actor, check, version, Action.CREATE)
    errors: Errors = {}
    _open_errors(errors, "checked_on", locked)
    _day_errors(errors, "checked_on", checked_on, locked)
    for field, value, choices in (
        ("health", health, HealthState.values),
        ("work_capacity", work_capacity, Capacity.values),
        ("functional_capacity", functional_capacity, Capacity.values),
        ("rehabilitation_need", rehabilitation_need, RehabilitationNeed.values),
    ):
        if value not in choices:
            _err(errors, field, _("Choose one."), PathError.REQUIRED)
    if not onward:
        _err(errors, "onward", _("Choose the onward referral, or none."), PathError.REQUIRED)
    elif any(o not in OnwardReferral.values for o in onward):
        _err(errors, "onward", _("Unknown choice."), PathError.UNKNOWN)
    elif OnwardReferral.NONE in onward and len(set(onward)) > 1:
        _err(
            errors,
            "onward",
            _("“No onward referral” cannot be chosen with a referral."),
            PathError.UNKNOWN,
        )
    _raise(errors)
    locked.status = HealthCheckStatus.DONE
    locked.checked_on = checked_on
    locked.closed_on = checked_on
    locked.health = health
    locked.work_capacity = work_capacity
    locked.functional_capacity = functional_capacity
    locked.rehabilitation_need = rehabilitation_need
    locked.onward = sorted(set(onward))
    locked.summary = summary.strip()
    locked.checked_by = actor
    locked.version += 1
    locked.save()
    change_log_write(
        actor=actor,
        event="workability.health_check_done",
        target=locked,
        changes=model_changes(None, locked, ["status", *CONTENT_FIELDS]),
    )
    return locked
