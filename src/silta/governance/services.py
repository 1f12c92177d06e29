"""Every write of governance: keyword-only, validated, one transaction, change-logged.

Services check the actor's right themselves (``policies.py``); the views have already
answered 404 for what the actor may not see."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from silta.accounts.models import Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.services import change_log_write, model_changes
from silta.casework.models import Plan, PlanStatus, Referral, ReferralStatus
from silta.casework.policies import casework_grant
from silta.casework.services import REFERRAL_AFTERCARE_DAYS, plan_revise
from silta.catalogue.errors import StaleEdit
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.clients.services import relationship_close, relationship_open
from silta.core import dates
from silta.core.validation import validate_not_before_birth
from silta.governance import workflow
from silta.governance.errors import GovernanceError as E
from silta.governance.indicators import statistic_get
from silta.governance.models import (
    APPROVING,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Agreement,
    AgreementSection,
    AgreementStatus,
    AgreementVersion,
    Approval,
    ApprovalDecision,
    ApprovalDelegation,
    Body,
    BodyKind,
    BodyMember,
    Consultation,
    ConsultationOutcome,
    Decision,
    Goal,
    Indicator,
    IndicatorDirection,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    NetworkCase,
    NetworkCaseStatus,
)
from silta.governance.policies import (
    agreement_manager,
    body_manager,
    can_move_action,
    delegation_for,
    may_record_decision_of,
    municipal_staff,
    network_coordinator,
)
from silta.places.models import Municipality

Errors = dict[str, list[ValidationError]]

RECORD_NUMBER = re.compile(r"^\d{1,5}/\d{2}(\.\d{2}){0,3}/(\d{4})$")
"""A record number as Finnish municipal minutes write it: ``49/00.04.01/2026`` (case
number / filing code of the archive plan / year)."""


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _deny() -> PermissionDenied:
    return PermissionDenied(E.NO_ACCESS.value)


def max_cases_per_meeting() -> int:
    return int(settings.SILTA_NETWORK_MAX_CASES_PER_MEETING)


def unique_key(model: type[Agreement] | type[Body], name: str) -> str:
    """A free slug for a new agreement or body, from its Finnish name."""
    base = (slugify(name) or "item")[:70]
    key, n = base, 1
    while model.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


# --- strategic agreement -------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: User | None,
    key: str,
    name_fi: str,
    name_sv: str,
    name_en: str,
    owner: Organisation,
    municipalities: Iterable[Municipality],
    sections: Iterable[tuple[str, str]],
    summary: str = "",
) -> Agreement:
    """A new agreement with its first version (a draft) and its sections. The actor is
    None only for reference data loaded by a command."""
    if actor is not None and not memberships_with(actor, Perm.GOVERNANCE_MANAGE):
        raise _deny()
    key = key.strip() or unique_key(Agreement, name_fi)
    parties = list(municipalities)
    content = [(h.strip(), t.strip()) for h, t in sections]
    errors: Errors = {}
    if not name_fi.strip():
        _err(errors, "name_fi", _("Required."), E.REQUIRED)
    if not parties:
        _err(errors, "municipalities", _("Choose the party municipalities."), E.REQUIRED)
    if any(not h or not t for h, t in content):
        _err(errors, "sections", _("Every section needs a heading and a text."), E.REQUIRED)
    _raise(errors)
    agreement = Agreement.objects.create(
        key=key, name_fi=name_fi.strip(), name_sv=name_sv.strip(), name_en=name_en.strip(),
        owner=owner,
    )  # fmt: skip
    agreement.municipalities.set(parties)
    version = AgreementVersion.objects.create(
        agreement=agreement, number=1, summary=summary.strip(), created_by=actor
    )
    AgreementSection.objects.bulk_create(
        [
            AgreementSection(version=version, number=i, heading=h, text=t)
            for i, (h, t) in enumerate(content, start=1)
        ]
    )
    change_log_write(
        actor=actor,
        event="agreement.created",
        target=agreement,
        changes={
            "name_fi": [None, agreement.name_fi],
            "owner_id": [None, str(owner.pk)],
            "municipalities": [None, sorted(m.code for m in parties)],
            "sections": [None, len(content)],
        },
    )
    return agreement


@transaction.atomic
def agreement_version_create(
    *, actor: User | None, agreement: Agreement, summary: str
) -> AgreementVersion:
    """A new draft version that starts as a copy of the latest one: sections, goals and
    their indicators."""
    if actor is not None and agreement_manager(actor, agreement) is None:
        raise _deny()
    if not summary.strip():
        raise ValidationError({"summary": ValidationError(_("Say what changes."), code=E.REQUIRED)})
    latest = agreement.versions.select_for_update().order_by("-number").first()
    assert latest is not None
    new = AgreementVersion.objects.create(
        agreement=agreement, number=latest.number + 1, summary=summary.strip(), created_by=actor
    )
    AgreementSection.objects.bulk_create(
        [
            AgreementSection(version=new, number=s.number, heading=s.heading, text=s.text)
            for s in latest.sections.all()
        ]
    )
    for goal in latest.goals.prefetch_related("indicators"):
        copy = Goal.objects.create(
            version=new,
            number=goal.number,
            title=goal.title,
            description=goal.description,
            responsible_id=goal.responsible_id,
        )
        Indicator.objects.bulk_create(
            [
                Indicator(
                    goal=copy, title=i.title, target=i.target, direction=i.direction,
                    period_start=i.period_start, period_end=i.period_end,
                    statistic=i.statistic, manual_value=i.manual_value,
                    manual_value_on=i.manual_value_on,
                )
                for i in goal.indicators.all()
            ]
        )  # fmt: skip
    change_log_write(
        actor=actor,
        event="agreement.version_created",
        target=new,
        changes={"agreement_id": [None, str(agreement.pk)], "number": [None, new.number]},
    )
    return new


@transaction.atomic
def agreement_version_move(
    *, actor: User | None, version: AgreementVersion, to_status: str, on: dt.date
) -> AgreementVersion:
    """Send a version for approval, put it in force (the earlier one in force is
    superseded) or supersede it."""
    if actor is not None and agreement_manager(actor, version.agreement) is None:
        raise _deny()
    locked = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    old = locked.status
    if to_status not in AgreementStatus.values or not workflow.agreement_can_move(old, to_status):
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _("A version that is %(old)s cannot be marked %(new)s.")
                    % {
                        "old": AgreementStatus(old).label,
                        "new": AgreementStatus(to_status).label
                        if to_status in AgreementStatus.values
                        else to_status,
                    },
                    code=E.VERSION_ILLEGAL_MOVE,
                )
            }
        )
    if on > dates.today():
        raise ValidationError(
            {"on": ValidationError(_("The date cannot be in the future."), code=E.DATE_IN_FUTURE)}
        )
    locked.status = to_status
    fields = ["status", "updated_at"]
    if to_status == AgreementStatus.CIRCULATED:
        locked.circulated_on = on
        fields.append("circulated_on")
    if to_status == AgreementStatus.IN_FORCE:
        locked.valid_from = on
        fields.append("valid_from")
        for earlier in AgreementVersion.objects.filter(
            agreement_id=locked.agreement_id, status=AgreementStatus.IN_FORCE
        ).exclude(pk=locked.pk):
            agreement_version_move(
                actor=actor, version=earlier, to_status=AgreementStatus.SUPERSEDED, on=on
            )
    if to_status == AgreementStatus.SUPERSEDED:
        locked.valid_to = on
        fields.append("valid_to")
    locked.save(update_fields=fields)
    change_log_write(
        actor=actor,
        event=f"agreement.version_{to_status}",
        target=locked,
        changes={"status": [old, to_status], "on": [None, on.isoformat()]},
    )
    return locked


def _not_superseded(version: AgreementVersion) -> None:
    if version.status == AgreementStatus.SUPERSEDED:
        raise ValidationError(
            _("Version %(n)s has been superseded; change the current version instead.")
            % {"n": version.number},
            code=E.VERSION_SUPERSEDED,
        )


def _goal_errors(title: str, responsible: Organisation | None) -> Errors:
    errors: Errors = {}
    if not title.strip():
        _err(errors, "title", _("Write the goal."), E.REQUIRED)
    if responsible is None:
        _err(errors, "responsible", _("Choose the responsible organisation."), E.REQUIRED)
    return errors


@transaction.atomic
def goal_add(
    *,
    actor: User | None,
    version: AgreementVersion,
    title: str,
    description: str,
    responsible: Organisation | None,
) -> Goal:
    if actor is not None and agreement_manager(actor, version.agreement) is None:
        raise _deny()
    _not_superseded(version)
    errors = _goal_errors(title, responsible)
    _raise(errors)
    assert responsible is not None
    number = (version.goals.aggregate(n=Max("number"))["n"] or 0) + 1
    goal = Goal.objects.create(
        version=version,
        number=number,
        title=title.strip(),
        description=description.strip(),
        responsible=responsible,
    )
    change_log_write(
        actor=actor,
        event="goal.added",
        target=goal,
        changes=model_changes(None, goal, ["version_id", "number", "title", "responsible_id"]),
    )
    return goal


def _indicator_errors(
    *,
    title: str,
    target: Decimal | None,
    direction: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    statistic: str,
    manual_value: Decimal | None,
) -> Errors:
    errors: Errors = {}
    if not title.strip():
        _err(errors, "title", _("Name the indicator."), E.REQUIRED)
    if target is None:
        _err(errors, "target", _("Give the target."), E.REQUIRED)
    if direction not in IndicatorDirection.values:
        _err(errors, "direction", _("Choose the direction."), E.REQUIRED)
    if period_start is None or period_end is None:
        _err(errors, "period_end", _("Give the period."), E.REQUIRED)
    elif period_end < period_start:
        _err(errors, "period_end", _("The period ends before it starts."), E.DATES_ORDER)
    if statistic:
        try:
            statistic_get(statistic)
        except ValidationError as exc:
            errors.setdefault("statistic", []).extend(exc.error_dict["statistic"])
        if manual_value is not None:
            _err(
                errors,
                "manual_value",
                _("An indicator linked to a statistic takes its value from the statistic."),
                E.VALUE_OR_STATISTIC,
            )
    return errors


@transaction.atomic
def indicator_add(
    *,
    actor: User | None,
    goal: Goal,
    title: str,
    target: Decimal | None,
    period_start: dt.date | None,
    period_end: dt.date | None,
    statistic: str = "",
    direction: str = IndicatorDirection.AT_LEAST,
    manual_value: Decimal | None = None,
    manual_value_on: dt.date | None = None,
) -> Indicator:
    """An indicator with a target for a period, linked to a registered statistic or
    with a value recorded by hand."""
    if actor is not None and agreement_manager(actor, goal.version.agreement) is None:
        raise _deny()
    _not_superseded(goal.version)
    statistic = statistic.strip()
    errors = _indicator_errors(
        title=title,
        target=target,
        direction=direction,
        period_start=period_start,
        period_end=period_end,
        statistic=statistic,
        manual_value=manual_value,
    )
    _raise(errors)
    assert target is not None and period_start is not None and period_end is not None
    indicator = Indicator.objects.create(
        goal=goal,
        title=title.strip(),
        target=target,
        direction=direction,
        period_start=period_start,
        period_end=period_end,
        statistic=statistic,
        manual_value=manual_value,
        manual_value_on=manual_value_on if manual_value is not None else None,
    )
    change_log_write(
        actor=actor,
        event="indicator.added",
        target=indicator,
        changes=model_changes(
            None,
            indicator,
            [
                "goal_id",
                "title",
                "target",
                "direction",
                "period_start",
                "period_end",
                "statistic",
                "manual_value",
            ],
        ),
    )
    return indicator


@transaction.atomic
def indicator_record_value(
    *, actor: User, indicator: Indicator, version: int, value: Decimal, on: dt.date
) -> Indicator:
    """Record the current value of an indicator that is not linked to a statistic."""
    if agreement_manager(actor, indicator.goal.version.agreement) is None:
        raise _deny()
    errors: Errors = {}
    if indicator.statistic:
        _err(
            errors,
            "value",
            _("An indicator linked to a statistic takes its value from the statistic."),
            E.VALUE_OR_STATISTIC,
        )
    if on > dates.today():
        _err(errors, "on", _("The date cannot be in the future."), E.DATE_IN_FUTURE)
    _raise(errors)
    old = indicator.manual_value
    bumped = Indicator.objects.filter(pk=indicator.pk, version=version).update(
        version=F("version") + 1, manual_value=value, manual_value_on=on
    )
    if not bumped:
        raise StaleEdit(
            _("Somebody else recorded a value meanwhile. Reload the page."),
            code=E.STALE_INDICATOR,
        )
    indicator.refresh_from_db()
    change_log_write(
        actor=actor,
        event="indicator.value_recorded",
        target=indicator,
        changes={
            "manual_value": [str(old) if old is not None else None, str(value)],
            "manual_value_on": [None, on.isoformat()],
        },
    )
    return indicator


@transaction.atomic
def approval_record(
    *,
    actor: User | None,
    version: AgreementVersion,
    municipality: Municipality | None,
    body: str,
    meeting_date: dt.date | None,
    section_number: int | None,
    decision: str,
    record_number: str,
    decision_text: str = "",
) -> Approval:
    """Record a municipality's decision on a version from its minutes. Refused: a
    municipality that is not a party, a version not sent for approval, a meeting date
    in the future or before the version was sent, a malformed record number, and a
    second approval of the same version by the same municipality."""
    agreement = version.agreement
    party = (
        municipality is not None and agreement.municipalities.filter(pk=municipality.pk).exists()
    )
    if actor is not None:
        if not party:
            if agreement_manager(actor, agreement) is None:
                raise _deny()
        elif municipality is not None and not may_record_decision_of(actor, municipality):
            raise NotTheMunicipalitys(municipality)
    record_number = record_number.strip()
    errors: Errors = {}
    if municipality is None:
        _err(errors, "municipality", _("Choose the municipality."), E.REQUIRED)
    elif not party:
        _err(
            errors,
            "municipality",
            _("%(municipality)s is not a party to this agreement.")
            % {"municipality": municipality.name},
            E.OUTSIDE_AGREEMENT,
        )
    if version.status not in workflow.APPROVABLE:
        _err(
            errors,
            "version",
            _("Version %(n)s has not been sent for approval.") % {"n": version.number},
            E.NOT_CIRCULATED,
        )
    if not body.strip():
        _err(errors, "body", _("Name the body that decided."), E.REQUIRED)
    if meeting_date is None:
        _err(errors, "meeting_date", _("Give the meeting date."), E.REQUIRED)
    elif meeting_date > dates.today():
        _err(
            errors, "meeting_date", _("The meeting date cannot be in the future."), E.DATE_IN_FUTURE
        )
    elif version.circulated_on is not None and meeting_date < version.circulated_on:
        _err(
            errors,
            "meeting_date",
            _("The meeting is before the version was sent for approval on %(day)s.")
            % {"day": version.circulated_on.strftime("%d.%m.%Y")},
            E.BEFORE_CIRCULATED,
        )
    if section_number is None or section_number < 1:
        _err(errors, "section_number", _("Give the section number (§)."), E.REQUIRED)
    if decision not in ApprovalDecision.values:
        _err(errors, "decision", _("Choose the decision."), E.REQUIRED)
    match = RECORD_NUMBER.match(record_number)
    if not match:
        _err(
            errors,
            "record_number",
            _("Write the record number as in the minutes, for example 49/00.04.01/2026."),
            E.RECORD_NUMBER,
        )
    elif meeting_date is not None and int(match.group(2)) > meeting_date.year:
        _err(
            errors,
            "record_number",
            _("The record number's year is after the meeting."),
            E.RECORD_NUMBER,
        )
    if (
        municipality is not None
        and decision in APPROVING
        and Approval.objects.filter(
            version=version, municipality=municipality, decision__in=APPROVING
        ).exists()
    ):
        _err(
            errors,
            "municipality",
            _("%(municipality)s has already approved version %(n)s.")
            % {"municipality": municipality.name, "n": version.number},
            E.ALREADY_APPROVED,
        )
    _raise(errors)
    assert municipality is not None and meeting_date is not None and section_number is not None
    delegation = None if actor is None else delegation_for(actor, municipality)
    if actor is not None and municipal_staff(actor, municipality) is not None:
        delegation = None
    approval = Approval.objects.create(
        version=version,
        delegation=delegation,
        municipality=municipality,
        body=body.strip(),
        meeting_date=meeting_date,
        section_number=section_number,
        decision=decision,
        decision_text=decision_text.strip(),
        record_number=record_number,
        recorded_by=actor,
    )
    change_log_write(
        actor=actor,
        event="approval.recorded",
        target=approval,
        changes=model_changes(
            None,
            approval,
            [
                "version_id",
                "municipality_id",
                "body",
                "meeting_date",
                "section_number",
                "decision",
                "record_number",
                "delegation_id",
            ],
        ),
    )
    return approval


class NotTheMunicipalitys(PermissionDenied):
    """Only the municipality's own staff or its authorised delegate record its decision."""

    code = E.NOT_THE_MUNICIPALITYS

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        super().__init__(E.NOT_THE_MUNICIPALITYS.value)

    @property
    def message(self) -> str:
        return _(
            "Only the staff of %(municipality)s, or a delegate %(municipality)s has "
            "authorised, may record its decision."
        ) % {"municipality": self.municipality.name}


@transaction.atomic
def delegation_record(
    *,
    actor: User,
    municipality: Municipality | None,
    delegate_organisation: Organisation | None,
    delegate_user: User | None,
    decision_reference: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None = None,
) -> ApprovalDelegation:
    """A municipality authorises a delegate (an organisation or a named person) to
    record its decisions on the strategic agreement. Only the municipality's own staff
    record it; the decision that authorised it is named."""
    if municipality is None:
        raise ValidationError(
            {"municipality": ValidationError(_("Choose the municipality."), code=E.REQUIRED)}
        )
    if municipal_staff(actor, municipality) is None:
        raise NotTheMunicipalitys(municipality)
    errors: Errors = {}
    if (delegate_organisation is None) == (delegate_user is None):
        _err(
            errors,
            "delegate_organisation",
            _("Name either the delegate organisation or the delegate person, not both."),
            E.DELEGATE_ONE,
        )
    elif delegate_organisation is not None and (
        delegate_organisation.kind == "municipality"
        and delegate_organisation.municipality_id == municipality.pk
    ):
        _err(
            errors,
            "delegate_organisation",
            _("The municipality's own staff need no delegation."),
            E.DELEGATE_ONE,
        )
    if not decision_reference.strip():
        _err(
            errors,
            "decision_reference",
            _("Name the decision that authorised the delegate, for example the board's minutes."),
            E.REQUIRED,
        )
    if valid_from is None:
        _err(errors, "valid_from", _("Give the first day."), E.REQUIRED)
    elif valid_to is not None and valid_to < valid_from:
        _err(errors, "valid_to", _("The end date is before the start date."), E.DATES_ORDER)
    _raise(errors)
    assert valid_from is not None
    delegation = ApprovalDelegation.objects.create(
        municipality=municipality,
        delegate_organisation=delegate_organisation,
        delegate_user=delegate_user,
        decision_reference=decision_reference.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=actor,
    )
    change_log_write(
        actor=actor,
        event="approval_delegation.recorded",
        target=delegation,
        changes=model_changes(
            None,
            delegation,
            [
                "municipality_id",
                "delegate_organisation_id",
                "delegate_user_id",
                "decision_reference",
                "valid_from",
                "valid_to",
            ],
        ),
    )
    return delegation


@transaction.atomic
def delegation_end(
    *, actor: User, delegation: ApprovalDelegation, valid_to: dt.date | None
) -> ApprovalDelegation:
    """The municipality ends a delegation (its own staff only); from the day after
    ``valid_to`` the delegate records nothing more."""
    locked = ApprovalDelegation.objects.select_for_update().get(pk=delegation.pk)
    if municipal_staff(actor, locked.municipality) is None:
        raise NotTheMunicipalitys(locked.municipality)
    errors: Errors = {}
    if valid_to is None:
        _err(errors, "valid_to", _("Give the last day."), E.REQUIRED)
    elif locked.valid_to is not None and locked.valid_to < dates.today():
        _err(errors, "valid_to", _("The delegation has already ended."), E.DELEGATION_ENDED)
    elif valid_to < locked.valid_from:
        _err(errors, "valid_to", _("The end date is before the start date."), E.DATES_ORDER)
    _raise(errors)
    assert valid_to is not None
    old = locked.valid_to
    locked.valid_to = valid_to
    locked.save(update_fields=["valid_to", "updated_at"])
    change_log_write(
        actor=actor,
        event="approval_delegation.ended",
        target=locked,
        changes={"valid_to": [old.isoformat() if old else None, valid_to.isoformat()]},
    )
    return locked


# --- bodies and meetings -------------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    actor: User | None,
    key: str,
    kind: str,
    name_fi: str,
    name_sv: str,
    name_en: str,
    convener: Organisation,
    purpose: str = "",
) -> Body:
    if actor is not None and not memberships_with(actor, Perm.GOVERNANCE_MANAGE):
        raise _deny()
    key = key.strip() or unique_key(Body, name_fi)
    errors: Errors = {}
    if kind not in BodyKind.values:
        _err(errors, "kind", _("Choose the kind of body."), E.REQUIRED)
    if not name_fi.strip():
        _err(errors, "name_fi", _("Required."), E.REQUIRED)
    _raise(errors)
    body = Body.objects.create(
        key=key, kind=kind, name_fi=name_fi.strip(), name_sv=name_sv.strip(),
        name_en=name_en.strip(), convener=convener, purpose=purpose.strip(),
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="body.created",
        target=body,
        changes=model_changes(None, body, ["key", "kind", "name_fi", "convener_id"]),
    )
    return body


@transaction.atomic
def body_member_add(
    *,
    actor: User | None,
    body: Body,
    organisation: Organisation | None,
    valid_from: dt.date | None,
    user: User | None = None,
    name: str = "",
    title: str = "",
    role: str = MemberRole.MEMBER,
    valid_to: dt.date | None = None,
) -> BodyMember:
    if actor is not None and body_manager(actor, body) is None:
        raise _deny()
    _raise(
        _member_errors(
            user=user,
            name=name,
            title=title,
            organisation=organisation,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    )
    assert organisation is not None and valid_from is not None
    member = BodyMember.objects.create(
        body=body, user=user, name=name.strip(), title=title.strip(), organisation=organisation,
        role=role, valid_from=valid_from, valid_to=valid_to,
    )  # fmt: skip
    change_log_write(
        actor=actor,
        event="body.member_added",
        target=member,
        changes=model_changes(None, member, ["body_id", "user_id", "name", "title", "role"]),
    )
    return member


@transaction.atomic
def meeting_plan(
    *, actor: User, body: Body, held_on: dt.date, place: str, kind: str = MeetingKind.REGULAR
) -> Meeting:
    if body_manager(actor, body) is None:
        raise _deny()
    errors: Errors = {}
    if kind not in MeetingKind.values:
        _err(errors, "kind", _("Choose the kind of meeting."), E.REQUIRED)
    if held_on < dates.today() - dt.timedelta(days=365):
        _err(errors, "held_on", _("The date is more than a year ago."), E.DATES_ORDER)
    _raise(errors)
    meeting = Meeting.objects.create(body=body, held_on=held_on, place=place.strip(), kind=kind)
    change_log_write(
        actor=actor,
        event="meeting.planned",
        target=meeting,
        changes=model_changes(None, meeting, ["body_id", "held_on", "place", "kind"]),
    )
    return meeting


def _meeting_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."), code=E.MEETING_NOT_OPEN)


def _next_agenda_number(meeting: Meeting) -> int:
    return (meeting.agenda.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def agenda_item_add(*, actor: User, meeting: Meeting, title: str, text: str = "") -> AgendaItem:
    if body_manager(actor, meeting.body) is None:
        raise _deny()
    _meeting_open(meeting)
    if not title.strip():
        raise ValidationError(
            {"title": ValidationError(_("Write the title of the item."), code=E.REQUIRED)}
        )
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    item = AgendaItem.objects.create(
        meeting=meeting, number=_next_agenda_number(meeting), title=title.strip(), text=text.strip()
    )
    change_log_write(
        actor=actor,
        event="agenda.item_added",
        target=item,
        changes=model_changes(None, item, ["meeting_id", "number", "title"]),
    )
    return item


@transaction.atomic
def meeting_record_minutes(
    *, actor: User, meeting: Meeting, version: int, minutes: str, status: str
) -> Meeting:
    """Save the minutes and the meeting's status (held or cancelled)."""
    if body_manager(actor, meeting.body) is None:
        raise _deny()
    errors: Errors = {}
    if status not in MeetingStatus.values:
        _err(errors, "status", _("Choose the status."), E.REQUIRED)
    elif status == MeetingStatus.HELD and meeting.held_on > dates.today():
        _err(
            errors, "status", _("A meeting in the future cannot have been held."), E.DATE_IN_FUTURE
        )
    if status == MeetingStatus.HELD and not minutes.strip():
        _err(errors, "minutes", _("Write the minutes."), E.REQUIRED)
    _raise(errors)
    old = {"status": meeting.status, "minutes": meeting.minutes}
    bumped = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        version=F("version") + 1, minutes=minutes.strip(), status=status
    )
    if not bumped:
        raise StaleEdit(
            _("Somebody else saved the minutes meanwhile. Reload the page."),
            code=E.STALE_MEETING,
        )
    meeting.refresh_from_db()
    change_log_write(
        actor=actor,
        event="meeting.minutes_recorded",
        target=meeting,
        changes=model_changes(old, meeting, ["status", "minutes"])
        | {"version": [version, meeting.version]},
    )
    return meeting


@transaction.atomic
def decision_record(
    *,
    actor: User,
    meeting: Meeting,
    section_number: int | None,
    text: str,
    agenda_item: AgendaItem | None = None,
) -> Decision:
    if body_manager(actor, meeting.body) is None:
        raise _deny()
    _meeting_open(meeting)
    errors: Errors = {}
    if section_number is None or section_number < 1:
        _err(errors, "section_number", _("Give the section number (§)."), E.REQUIRED)
    elif meeting.decisions.filter(section_number=section_number).exists():
        _err(
            errors,
            "section_number",
            _("§ %(n)s is already used in this meeting.") % {"n": section_number},
            E.SECTION_TAKEN,
        )
    if not text.strip():
        _err(errors, "text", _("Write the decision."), E.REQUIRED)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        _err(errors, "agenda_item", _("Choose an item of this meeting."), E.REQUIRED)
    _raise(errors)
    assert section_number is not None
    decision = Decision.objects.create(
        meeting=meeting, agenda_item=agenda_item, section_number=section_number, text=text.strip()
    )
    change_log_write(
        actor=actor,
        event="decision.recorded",
        target=decision,
        changes=model_changes(None, decision, ["meeting_id", "section_number", "text"]),
    )
    return decision


@transaction.atomic
def action_item_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    owner: User | None,
    due_on: dt.date | None,
    decision: Decision | None = None,
) -> ActionItem:
    if body_manager(actor, meeting.body) is None:
        raise _deny()
    errors: Errors = {}
    if not title.strip():
        _err(errors, "title", _("Write what is to be done."), E.REQUIRED)
    if owner is None or not owner.is_active:
        _err(errors, "owner", _("Choose the owner."), E.NOT_MEMBER_OWNER)
    if due_on is None:
        _err(errors, "due_on", _("Give the due date."), E.REQUIRED)
    elif due_on < meeting.held_on:
        _err(errors, "due_on", _("The due date is before the meeting."), E.DATES_ORDER)
    if decision is not None and decision.meeting_id != meeting.pk:
        _err(errors, "decision", _("Choose a decision of this meeting."), E.REQUIRED)
    _raise(errors)
    assert owner is not None and due_on is not None
    action = ActionItem.objects.create(
        meeting=meeting, decision=decision, title=title.strip(), owner=owner, due_on=due_on
    )
    change_log_write(
        actor=actor,
        event="action.added",
        target=action,
        changes=model_changes(None, action, ["meeting_id", "title", "owner_id", "due_on"]),
    )
    return action


@transaction.atomic
def action_item_move(
    *, actor: User, action: ActionItem, to_status: str, version: int
) -> ActionItem:
    """Mark an action item done, cancelled or open again (its owner or the body's
    manager)."""
    if not can_move_action(actor, action):
        raise _deny()
    old = action.status
    if to_status not in ActionStatus.values or not workflow.action_can_move(old, to_status):
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _("An action that is %(old)s cannot be marked %(new)s.")
                    % {
                        "old": ActionStatus(old).label,
                        "new": ActionStatus(to_status).label
                        if to_status in ActionStatus.values
                        else to_status,
                    },
                    code=E.ACTION_ILLEGAL_MOVE,
                )
            }
        )
    done_on = dates.today() if to_status == ActionStatus.DONE else None
    bumped = ActionItem.objects.filter(pk=action.pk, version=version).update(
        version=F("version") + 1, status=to_status, done_on=done_on
    )
    if not bumped:
        raise StaleEdit(
            _("Somebody else changed this action meanwhile. Reload the page."),
            code=E.STALE_ACTION,
        )
    action.refresh_from_db()
    change_log_write(
        actor=actor,
        event=f"action.{to_status}",
        target=action,
        changes={"status": [old, to_status], "version": [version, action.version]},
    )
    return action


# --- the work ability network ------------------------------------------------------------


def _client_plan(
    client: Client, plan_id: uuid.UUID | None, field: str, errors: Errors
) -> Plan | None:
    if plan_id is None:
        _err(
            errors,
            field,
            _("Choose the plan the network's recommendations go to."),
            E.PLAN_REQUIRED,
        )
        return None
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None or plan.client_id != client.pk:
        _err(errors, field, _("Choose a plan of this client."), E.PLAN_OTHER_CLIENT)
        return None
    if plan.status == PlanStatus.CLOSED:
        _err(errors, field, _("The plan is closed; choose an open one."), E.PLAN_REQUIRED)
        return None
    return plan


@transaction.atomic
def network_refer(
    *,
    actor: User,
    client: Client,
    network: Body,
    reason: str,
    questions: str,
    plan_id: uuid.UUID | None,
) -> NetworkCase:
    """Refer a client to the work ability network from case work. The referrer's
    organisation must work with the client; the recommendations will be written to
    the chosen plan."""
    refer_orgs = {m.organisation_id for m in memberships_with(actor, Perm.NETWORK_REFER)}
    grant = casework_grant(actor, client, Perm.CASEWORK_WRITE)
    if grant is None or grant.membership.organisation_id not in refer_orgs:
        raise _deny()
    errors: Errors = {}
    if network.kind != BodyKind.WORK_ABILITY_NETWORK or not network.is_active:
        _err(errors, "network", _("Choose the work ability network."), E.REQUIRED)
    if not reason.strip():
        _err(errors, "reason", _("Write the reason for the referral."), E.REQUIRED)
    if NetworkCase.objects.filter(
        client=client, network=network, status__in=workflow.CASE_OPEN
    ).exists():
        _err(
            errors,
            "reason",
            _("The client already has an open case in the network."),
            E.CASE_OPEN,
        )
    plan = _client_plan(client, plan_id, "plan", errors)
    _raise(errors)
    case = NetworkCase.objects.create(
        client=client,
        network=network,
        from_organisation_id=grant.membership.organisation_id,
        referred_by=actor,
        referred_at=dates.now(),
        reason=reason.strip(),
        questions=questions.strip(),
        plan=plan,
    )
    change_log_write(
        actor=actor,
        event="network_case.referred",
        target=case,
        changes=model_changes(
            None, case, ["client_id", "network_id", "from_organisation_id", "plan_id"]
        ),
    )
    return case


def _lock_case(case: NetworkCase, version: int) -> NetworkCase:
    locked = NetworkCase.objects.select_for_update().get(pk=case.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else handled this case meanwhile. Reload the page to see it."),
            code=E.STALE_CASE,
        )
    return locked


def _illegal(old: str, new: str) -> ValidationError:
    return ValidationError(
        {
            "to_status": ValidationError(
                _("A case that is %(old)s cannot be marked %(new)s.")
                % {
                    "old": NetworkCaseStatus(old).label,
                    "new": NetworkCaseStatus(new).label if new in NetworkCaseStatus.values else new,
                },
                code=E.CASE_ILLEGAL_MOVE,
            )
        }
    )


def _network_relationship(*, actor: User, case: NetworkCase) -> None:
    """The network's convener organisation works with the client while the case is
    handled (an accepted referral), so that the coordinator can write the plan."""
    today = dates.today()
    exists = (
        ServiceRelationship.objects.filter(
            client_id=case.client_id,
            organisation_id=case.network.convener_id,
            valid_from__lte=today,
        )
        .exclude(valid_to__lt=today)
        .exists()
    )
    if not exists:
        relationship_open(
            actor=actor,
            client=case.client,
            organisation=case.network.convener,
            kind=RelationshipKind.REFERRAL,
            valid_from=today,
        )


@transaction.atomic
def network_case_schedule(
    *, actor: User, case: NetworkCase, meeting: Meeting, version: int
) -> AgendaItem:
    """Put a referred (or consulted, for a follow-up) case on a planned meeting of its
    network, within the maximum number of cases per meeting."""
    if network_coordinator(actor, case.network) is None:
        raise _deny()
    locked = _lock_case(case, version)
    if not workflow.case_can_move(locked.status, NetworkCaseStatus.SCHEDULED):
        raise _illegal(locked.status, NetworkCaseStatus.SCHEDULED)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    errors: Errors = {}
    limit = max_cases_per_meeting()
    if meeting.body_id != locked.network_id:
        _err(errors, "meeting", _("Choose a meeting of the network."), E.NOT_NETWORK_MEETING)
    elif meeting.status != MeetingStatus.PLANNED:
        _err(errors, "meeting", _("Choose a planned meeting."), E.MEETING_NOT_OPEN)
    elif meeting.agenda.filter(network_case__isnull=False).count() >= limit:
        _err(
            errors,
            "meeting",
            _("The agenda of %(day)s is full: at most %(n)s cases per meeting.")
            % {"day": meeting.held_on.strftime("%d.%m.%Y"), "n": limit},
            E.AGENDA_FULL,
        )
    elif meeting.agenda.filter(network_case=locked).exists():
        _err(errors, "meeting", _("The case is already on this agenda."), E.CASE_OPEN)
    _raise(errors)
    validate_not_before_birth(meeting.held_on, locked.client.birth_date, field="meeting")
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=_next_agenda_number(meeting),
        title=_("Client case"),
        network_case=locked,
    )
    old = locked.status
    locked.status = NetworkCaseStatus.SCHEDULED
    locked.version = version + 1
    locked.save(update_fields=["status", "version", "updated_at"])
    _network_relationship(actor=actor, case=locked)
    change_log_write(
        actor=actor,
        event="network_case.scheduled",
        target=locked,
        changes={
            "status": [old, locked.status],
            "meeting_id": [None, str(meeting.pk)],
            "version": [version, locked.version],
        },
    )
    return item


def _append(text: str, addition: str) -> str:
    return f"{text.rstrip()}\n\n{addition}" if text.strip() else addition


@transaction.atomic
def consultation_record(
    *,
    actor: User,
    agenda_item: AgendaItem,
    outcome: str,
    recommendations: str,
    plan_id: uuid.UUID | None,
    plan_version: int,
    next_review_on: dt.date | None,
) -> Consultation:
    """Record what the network concluded on a case and write it to the client's plan
    as a new version (``casework.services.plan_revise``): the goals stay, the
    network's outcome and recommendations are added to "who does what". A stale plan
    version answers 409 and nothing is written."""
    case = agenda_item.network_case
    if case is None:
        raise ValidationError(_("This item is not a client case."), code=E.NOT_NETWORK_MEETING)
    if network_coordinator(actor, case.network) is None:
        raise _deny()
    locked = NetworkCase.objects.select_for_update().get(pk=case.pk)
    errors: Errors = {}
    if Consultation.objects.filter(agenda_item=agenda_item).exists():
        raise ValidationError(
            _("The consultation of this item has already been recorded."),
            code=E.ALREADY_CONSULTED,
        )
    if locked.status != NetworkCaseStatus.SCHEDULED:
        raise _illegal(locked.status, NetworkCaseStatus.CONSULTED)
    meeting = agenda_item.meeting
    if meeting.held_on > dates.today():
        _err(errors, "outcome", _("The meeting has not been held yet."), E.DATE_IN_FUTURE)
    if outcome not in ConsultationOutcome.values:
        _err(errors, "outcome", _("Choose the outcome."), E.REQUIRED)
    if not recommendations.strip():
        _err(errors, "recommendations", _("Write the recommendations."), E.REQUIRED)
    plan = _client_plan(locked.client, plan_id, "plan", errors)
    _raise(errors)
    validate_not_before_birth(next_review_on, locked.client.birth_date, field="next_review_on")
    assert plan is not None
    latest = plan.versions.order_by("-number").first()
    assert latest is not None
    addition = _("Work ability network %(day)s: %(outcome)s. Recommendations: %(text)s") % {
        "day": meeting.held_on.strftime("%d.%m.%Y"),
        "outcome": ConsultationOutcome(outcome).label,
        "text": recommendations.strip(),
    }
    revised = plan_revise(
        actor=actor,
        plan=plan,
        version=plan_version,
        goals=latest.goals,
        actions=_append(latest.actions, addition),
        next_review_on=next_review_on,
        referral_ids=list(latest.referrals.values_list("pk", flat=True)),
    )
    consultation = Consultation.objects.create(
        case=locked,
        agenda_item=agenda_item,
        outcome=outcome,
        recommendations=recommendations.strip(),
        plan=revised,
        plan_version=revised.version,
        recorded_by=actor,
        recorded_at=dates.now(),
    )
    old = locked.status
    locked.status = NetworkCaseStatus.CONSULTED
    locked.version += 1
    locked.plan = revised
    locked.save(update_fields=["status", "version", "plan", "updated_at"])
    if meeting.status == MeetingStatus.PLANNED:
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD, version=F("version") + 1
        )
    change_log_write(
        actor=actor,
        event="network_case.consulted",
        target=locked,
        changes={
            "status": [old, locked.status],
            "outcome": [None, outcome],
            "plan_id": [None, str(revised.pk)],
            "plan_version": [plan_version, revised.version],
        },
    )
    return consultation


@transaction.atomic
def network_case_move(
    *, actor: User, case: NetworkCase, to_status: str, version: int, reason: str = ""
) -> NetworkCase:
    """Close or decline a case (the coordinator) or withdraw it (the referring
    organisation). Ending the case ends the network's relationship with the client
    after the usual aftercare period."""
    if to_status in workflow.CASE_BY_COORDINATOR:
        allowed = network_coordinator(actor, case.network) is not None
    else:
        grant = casework_grant(actor, case.client, Perm.NETWORK_REFER)
        allowed = (
            grant is not None and grant.membership.organisation_id == case.from_organisation_id
        )
    if not allowed:
        raise _deny()
    if to_status in {NetworkCaseStatus.SCHEDULED, NetworkCaseStatus.CONSULTED}:
        raise _illegal(case.status, to_status)
    locked = _lock_case(case, version)
    old = locked.status
    if not workflow.case_can_move(old, to_status):
        raise _illegal(old, to_status)
    if (
        to_status in {NetworkCaseStatus.DECLINED, NetworkCaseStatus.WITHDRAWN}
        and not reason.strip()
    ):
        raise ValidationError({"reason": ValidationError(_("Give the reason."), code=E.REQUIRED)})
    locked.status = to_status
    locked.status_reason = reason.strip()
    locked.version = version + 1
    locked.closed_at = dates.now()
    locked.save(update_fields=["status", "status_reason", "version", "closed_at", "updated_at"])
    if old == NetworkCaseStatus.SCHEDULED:
        # a withdrawn case leaves the agenda of a meeting not yet held
        AgendaItem.objects.filter(
            network_case=locked, meeting__status=MeetingStatus.PLANNED, consultation__isnull=True
        ).delete()
    rel = (
        ServiceRelationship.objects.filter(
            client_id=locked.client_id,
            organisation_id=locked.network.convener_id,
            kind=RelationshipKind.REFERRAL,
            valid_to__isnull=True,
        )
        .order_by("-valid_from")
        .first()
    )
    others_open = (
        Referral.objects.filter(
            client_id=locked.client_id,
            to_organisation_id=locked.network.convener_id,
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.SCHEDULED],
        ).exists()
        or NetworkCase.objects.filter(
            client_id=locked.client_id,
            network__convener_id=locked.network.convener_id,
            status__in=workflow.CASE_OPEN,
        )
        .exclude(pk=locked.pk)
        .exists()
    )
    if rel is not None and not others_open:
        relationship_close(
            actor=actor,
            relationship=rel,
            valid_to=dates.today() + dt.timedelta(days=REFERRAL_AFTERCARE_DAYS),
        )
    change_log_write(
        actor=actor,
        event=f"network_case.{to_status}",
        target=locked,
        changes={"status": [old, to_status], "version": [version, locked.version]}
        | ({"reason": [None, locked.status_reason]} if locked.status_reason else {}),
    )
    return locked


# --- editing the agreement and the bodies (page forms) ---------------------------------

AGREEMENT_FIELDS = ["name_fi", "name_sv", "name_en"]


def _save_edit(
    *,
    actor: User,
    row: Agreement | AgreementSection | Goal | Indicator | Body | BodyMember,
    fields: list[str],
    counter: str,
    version: int,
    before: dict[str, Any],
    event: str,
    changes: dict[str, Any] | None = None,
) -> None:
    """Save an edited row: its edit counter one past the version the page was opened
    with, the edited fields, and one change-log row naming both."""
    setattr(row, counter, version + 1)
    row.save(update_fields=[*fields, counter, "updated_at"])
    change_log_write(
        actor=actor,
        event=event,
        target=row,
        changes=model_changes(before, row, fields)
        | (changes or {})
        | {counter: [version, version + 1]},
    )


def _manage_agreement(actor: User, agreement: Agreement) -> None:
    if agreement_manager(actor, agreement) is None:
        raise _deny()


def _draft(version: AgreementVersion) -> None:
    """Sections are the text the municipalities approve: only a draft changes."""
    if version.status != AgreementStatus.DRAFT:
        raise ValidationError(
            _(
                "Version %(n)s is no longer a draft: its text is what the municipalities "
                "decide on. Make a new version to change it."
            )
            % {"n": version.number},
            code=E.VERSION_NOT_DRAFT,
        )


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    version: int,
    name_fi: str,
    name_sv: str,
    name_en: str,
    municipalities: Iterable[Municipality],
) -> Agreement:
    """Rename the agreement or change its parties; a municipality that has recorded a
    decision on it stays a party. ``version`` is the edit version the page was opened
    with (not an agreement version): an edit made on a page opened before somebody
    else's answers 409 and nothing is written."""
    _manage_agreement(actor, agreement)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else changed this agreement meanwhile. Reload the page."),
            code=E.STALE_AGREEMENT,
        )
    parties = list(municipalities)
    errors: Errors = {}
    if not name_fi.strip():
        _err(errors, "name_fi", _("Required."), E.REQUIRED)
    if not name_sv.strip():
        _err(errors, "name_sv", _("Required."), E.REQUIRED)
    if not parties:
        _err(errors, "municipalities", _("Choose the party municipalities."), E.REQUIRED)
    removed = set(locked.municipalities.values_list("pk", flat=True)) - {m.pk for m in parties}
    decided = sorted(
        m.name
        for m in Municipality.objects.filter(
            pk__in=Approval.objects.filter(
                version__agreement=locked, municipality_id__in=removed
            ).values("municipality_id")
        )
    )
    if decided:
        _err(
            errors,
            "municipalities",
            _("%(names)s has already recorded a decision on the agreement and stays a party.")
            % {"names": ", ".join(decided)},
            E.PARTY_HAS_DECISIONS,
        )
    _raise(errors)
    before = {f: getattr(locked, f) for f in AGREEMENT_FIELDS}
    old_parties = sorted(locked.municipalities.values_list("code", flat=True))
    locked.name_fi, locked.name_sv, locked.name_en = (
        name_fi.strip(),
        name_sv.strip(),
        name_en.strip(),
    )
    locked.municipalities.set(parties)
    new_parties = sorted(m.code for m in parties)
    _save_edit(
        actor=actor,
        row=locked,
        fields=AGREEMENT_FIELDS,
        counter="version",
        version=version,
        before=before,
        event="agreement.updated",
        changes={"municipalities": [old_parties, new_parties]}
        if new_parties != old_parties
        else None,
    )
    return locked


@transaction.atomic
def agreement_delete(*, actor: User, agreement: Agreement) -> None:
    """Delete an agreement that was never sent for approval (all its versions drafts)."""
    _manage_agreement(actor, agreement)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if (
        locked.versions.exclude(status=AgreementStatus.DRAFT).exists()
        or Approval.objects.filter(version__agreement=locked).exists()
    ):
        raise ValidationError(
            _(
                "The agreement has been sent for approval: it stays on record. "
                "Supersede its version instead."
            ),
            code=E.AGREEMENT_IN_USE,
        )
    change_log_write(
        actor=actor,
        event="agreement.deleted",
        target=locked,
        changes={"name_fi": [locked.name_fi, None], "key": [locked.key, None]},
    )
    locked.delete()


@transaction.atomic
def agreement_version_delete(*, actor: User, version: AgreementVersion) -> None:
    """Delete a draft version that is not the agreement's only one."""
    _manage_agreement(actor, version.agreement)
    locked = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _draft(locked)
    if (
        not AgreementVersion.objects.filter(agreement_id=locked.agreement_id)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            _("This is the agreement's only version; delete the agreement instead."),
            code=E.LAST_VERSION,
        )
    change_log_write(
        actor=actor,
        event="agreement.version_deleted",
        target=locked,
        changes={"agreement_id": [str(locked.agreement_id), None], "number": [locked.number, None]},
    )
    locked.delete()


def _section_errors(
    version: AgreementVersion, number: int | None, heading: str, text: str, *, own: int | None
) -> Errors:
    errors: Errors = {}
    if number is None or number < 1:
        _err(errors, "number", _("Give the section number."), E.REQUIRED)
    elif number != own and version.sections.filter(number=number).exists():
        _err(
            errors,
            "number",
            _("Section %(n)s already exists in this version.") % {"n": number},
            E.SECTION_TAKEN_IN_VERSION,
        )
    if not heading.strip():
        _err(errors, "heading", _("Write the heading."), E.REQUIRED)
    if not text.strip():
        _err(errors, "text", _("Write the text of the section."), E.REQUIRED)
    return errors


SECTION_FIELDS = ["number", "heading", "text"]


@transaction.atomic
def section_add(
    *, actor: User, version: AgreementVersion, number: int | None, heading: str, text: str
) -> AgreementSection:
    _manage_agreement(actor, version.agreement)
    locked = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _draft(locked)
    _raise(_section_errors(locked, number, heading, text, own=None))
    assert number is not None
    section = AgreementSection.objects.create(
        version=locked, number=number, heading=heading.strip(), text=text.strip()
    )
    change_log_write(
        actor=actor,
        event="agreement.section_added",
        target=section,
        changes=model_changes(None, section, ["version_id", *SECTION_FIELDS]),
    )
    return section


@transaction.atomic
def section_update(
    *,
    actor: User,
    section: AgreementSection,
    version: int,
    number: int | None,
    heading: str,
    text: str,
) -> AgreementSection:
    """Change a section of a draft. ``version`` is the section's edit version the page
    was opened with (``edit_version``, not the agreement version): an edit made on a
    page opened before somebody else's answers 409 and nothing is written."""
    shown = AgreementVersion.objects.select_for_update().get(pk=section.version_id)
    _manage_agreement(actor, shown.agreement)
    _draft(shown)
    locked = AgreementSection.objects.select_for_update().get(pk=section.pk)
    if locked.edit_version != version:
        raise StaleEdit(
            _("Somebody else changed this section meanwhile. Reload the page."),
            code=E.STALE_SECTION,
        )
    _raise(_section_errors(shown, number, heading, text, own=locked.number))
    assert number is not None
    before = {f: getattr(locked, f) for f in SECTION_FIELDS}
    locked.number, locked.heading, locked.text = number, heading.strip(), text.strip()
    _save_edit(
        actor=actor,
        row=locked,
        fields=SECTION_FIELDS,
        counter="edit_version",
        version=version,
        before=before,
        event="agreement.section_updated",
    )
    return locked


@transaction.atomic
def section_delete(*, actor: User, section: AgreementSection) -> None:
    version = AgreementVersion.objects.select_for_update().get(pk=section.version_id)
    _manage_agreement(actor, version.agreement)
    _draft(version)
    change_log_write(
        actor=actor,
        event="agreement.section_deleted",
        target=section,
        changes={"number": [section.number, None], "heading": [section.heading, None]},
    )
    section.delete()


GOAL_FIELDS = ["title", "description", "responsible_id"]


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    version: int,
    title: str,
    description: str,
    responsible: Organisation | None,
) -> Goal:
    """Change a goal. ``version`` is the goal's edit version the page was opened with
    (``edit_version``, not the agreement version): an edit made on a page opened
    before somebody else's answers 409 and nothing is written."""
    _manage_agreement(actor, goal.version.agreement)
    _not_superseded(goal.version)
    _raise(_goal_errors(title, responsible))
    assert responsible is not None
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    if locked.edit_version != version:
        raise StaleEdit(
            _("Somebody else changed this goal meanwhile. Reload the page."),
            code=E.STALE_GOAL,
        )
    before = {f: getattr(locked, f) for f in GOAL_FIELDS}
    locked.title, locked.description = title.strip(), description.strip()
    locked.responsible = responsible
    _save_edit(
        actor=actor,
        row=locked,
        fields=GOAL_FIELDS,
        counter="edit_version",
        version=version,
        before=before,
        event="goal.updated",
    )
    return locked


@transaction.atomic
def goal_delete(*, actor: User, goal: Goal) -> None:
    """Delete a goal with its indicators."""
    _manage_agreement(actor, goal.version.agreement)
    _not_superseded(goal.version)
    change_log_write(
        actor=actor,
        event="goal.deleted",
        target=goal,
        changes={
            "title": [goal.title, None],
            "indicators": [goal.indicators.count(), None],
        },
    )
    goal.delete()


INDICATOR_FIELDS = [
    "title",
    "target",
    "direction",
    "period_start",
    "period_end",
    "statistic",
    "manual_value",
    "manual_value_on",
]


@transaction.atomic
def indicator_update(
    *,
    actor: User,
    indicator: Indicator,
    version: int,
    title: str,
    target: Decimal | None,
    period_start: dt.date | None,
    period_end: dt.date | None,
    statistic: str = "",
    direction: str = IndicatorDirection.AT_LEAST,
    manual_value: Decimal | None = None,
    manual_value_on: dt.date | None = None,
) -> Indicator:
    """Change an indicator (the same checks as a new one); an edit made on a page
    opened before somebody else's answers 409."""
    _manage_agreement(actor, indicator.goal.version.agreement)
    _not_superseded(indicator.goal.version)
    statistic = statistic.strip()
    _raise(
        _indicator_errors(
            title=title,
            target=target,
            direction=direction,
            period_start=period_start,
            period_end=period_end,
            statistic=statistic,
            manual_value=manual_value,
        )
    )
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else changed this indicator meanwhile. Reload the page."),
            code=E.STALE_INDICATOR,
        )
    before = {f: getattr(locked, f) for f in INDICATOR_FIELDS}
    assert target is not None and period_start is not None and period_end is not None
    locked.title, locked.target, locked.direction = title.strip(), target, direction
    locked.period_start, locked.period_end, locked.statistic = period_start, period_end, statistic
    locked.manual_value = manual_value
    locked.manual_value_on = manual_value_on if manual_value is not None else None
    _save_edit(
        actor=actor,
        row=locked,
        fields=INDICATOR_FIELDS,
        counter="version",
        version=version,
        before=before,
        event="indicator.updated",
    )
    return locked


@transaction.atomic
def indicator_delete(*, actor: User, indicator: Indicator) -> None:
    _manage_agreement(actor, indicator.goal.version.agreement)
    _not_superseded(indicator.goal.version)
    change_log_write(
        actor=actor,
        event="indicator.deleted",
        target=indicator,
        changes={"title": [indicator.title, None], "goal_id": [str(indicator.goal_id), None]},
    )
    indicator.delete()


BODY_FIELDS = ["kind", "name_fi", "name_sv", "name_en", "purpose", "is_active"]


def _manage_body(actor: User, body: Body) -> None:
    if body_manager(actor, body) is None:
        raise _deny()


@transaction.atomic
def body_update(
    *,
    actor: User,
    body: Body,
    version: int,
    kind: str,
    name_fi: str,
    name_sv: str,
    name_en: str,
    purpose: str,
    is_active: bool,
) -> Body:
    """Change a body or mark it inactive; an edit made on a page opened before
    somebody else's answers 409 and nothing is written."""
    _manage_body(actor, body)
    locked = Body.objects.select_for_update().get(pk=body.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else changed this body meanwhile. Reload the page."),
            code=E.STALE_BODY,
        )
    errors: Errors = {}
    if kind not in BodyKind.values:
        _err(errors, "kind", _("Choose the kind of body."), E.REQUIRED)
    elif (
        kind != locked.kind
        and locked.kind == BodyKind.WORK_ABILITY_NETWORK
        and locked.cases.exists()
    ):
        _err(
            errors,
            "kind",
            _("The network has client cases: it stays a work ability network."),
            E.BODY_IN_USE,
        )
    if not name_fi.strip():
        _err(errors, "name_fi", _("Required."), E.REQUIRED)
    _raise(errors)
    before = {f: getattr(locked, f) for f in BODY_FIELDS}
    locked.kind, locked.purpose, locked.is_active = kind, purpose.strip(), is_active
    locked.name_fi, locked.name_sv, locked.name_en = (
        name_fi.strip(),
        name_sv.strip(),
        name_en.strip(),
    )
    _save_edit(
        actor=actor,
        row=locked,
        fields=BODY_FIELDS,
        counter="version",
        version=version,
        before=before,
        event="body.updated",
    )
    return locked


@transaction.atomic
def body_delete(*, actor: User, body: Body) -> None:
    """Delete a body that has never met nor had client cases (with its members)."""
    _manage_body(actor, body)
    locked = Body.objects.select_for_update().get(pk=body.pk)
    if locked.meetings.exists() or locked.cases.exists():
        raise ValidationError(
            _("The body has meetings on record: mark it inactive instead of deleting it."),
            code=E.BODY_IN_USE,
        )
    change_log_write(
        actor=actor,
        event="body.deleted",
        target=locked,
        changes={"name_fi": [locked.name_fi, None], "key": [locked.key, None]},
    )
    locked.delete()


MEMBER_FIELDS = ["user_id", "name", "title", "organisation_id", "role", "valid_from", "valid_to"]


def _member_errors(
    *,
    user: User | None,
    name: str,
    title: str,
    organisation: Organisation | None,
    role: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
) -> Errors:
    errors: Errors = {}
    if user is None and not (name.strip() or title.strip()):
        _err(errors, "name", _("Choose a user or write the member's name or title."), E.REQUIRED)
    if organisation is None:
        _err(errors, "organisation", _("Choose the organisation."), E.REQUIRED)
    if role not in MemberRole.values:
        _err(errors, "role", _("Choose the role."), E.REQUIRED)
    if valid_from is None:
        _err(errors, "valid_from", _("Give the first day of the membership."), E.REQUIRED)
    elif valid_to is not None and valid_to < valid_from:
        _err(errors, "valid_to", _("The membership ends before it starts."), E.DATES_ORDER)
    return errors


@transaction.atomic
def body_member_update(
    *,
    actor: User,
    member: BodyMember,
    version: int,
    organisation: Organisation | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    user: User | None = None,
    name: str = "",
    title: str = "",
    role: str = MemberRole.MEMBER,
) -> BodyMember:
    """Change a member, or end the membership with ``valid_to``; an edit made on a
    page opened before somebody else's answers 409 and nothing is written."""
    _manage_body(actor, member.body)
    _raise(
        _member_errors(
            user=user,
            name=name,
            title=title,
            organisation=organisation,
            role=role,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    )
    assert organisation is not None and valid_from is not None
    locked = BodyMember.objects.select_for_update().get(pk=member.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else changed this member meanwhile. Reload the page."),
            code=E.STALE_MEMBER,
        )
    before = {f: getattr(locked, f) for f in MEMBER_FIELDS}
    locked.user, locked.name, locked.title = user, name.strip(), title.strip()
    locked.organisation, locked.role = organisation, role
    locked.valid_from, locked.valid_to = valid_from, valid_to
    _save_edit(
        actor=actor,
        row=locked,
        fields=MEMBER_FIELDS,
        counter="version",
        version=version,
        before=before,
        event="body.member_updated",
    )
    return locked


@transaction.atomic
def body_member_delete(*, actor: User, member: BodyMember) -> None:
    """Remove a member recorded by mistake (end a membership with its end date)."""
    _manage_body(actor, member.body)
    change_log_write(
        actor=actor,
        event="body.member_deleted",
        target=member,
        changes={
            "body_id": [str(member.body_id), None],
            "user_id": [str(member.user_id) if member.user_id else None, None],
            "name": [member.name, None],
        },
    )
    member.delete()
