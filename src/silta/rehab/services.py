"""Every write of rehabilitative work activity: keyword-only, validated, one
transaction, change-logged. Services check the actor's right to act themselves (the
views have already answered 404 for a placement the actor may not see)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.roles import OrganisationKind, Perm
from silta.audit.services import change_log_write, model_changes
from silta.casework.models import OutcomeKind, Plan, PlanKind, PlanStatus
from silta.casework.services import outcome_record
from silta.catalogue.errors import StaleEdit
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.clients.policies import client_access_grant
from silta.clients.services import relationship_close, relationship_open
from silta.core import dates
from silta.core.spreadsheets import csv_separator, decimal_point, decode_csv
from silta.core.validation import validate_not_before_birth
from silta.places.models import Municipality
from silta.rehab import workflow
from silta.rehab.attendance import DayEntry, Problem, attendance_problems, day_label
from silta.rehab.errors import RehabError as E
from silta.rehab.models import (
    AbsenceReason,
    Attendance,
    Contract,
    ContractVersion,
    FeeClaim,
    FeeClaimStatus,
    FeeClaimStatusChange,
    OutcomeFee,
    Placement,
    PlacementEndReason,
    Provider,
    ProviderContact,
    Statement,
    StatementLine,
    StatementStatus,
    Transition,
    WorkSite,
)
from silta.rehab.policies import (
    is_provider_side,
    organiser_membership,
    placement_grant,
    placements_filter,
)
from silta.rehab.rates import default_rates, round_eur
from silta.rehab.statements import StatementData, month_end, statement_compute

Errors = dict[str, list[ValidationError]]

PROVIDER_KINDS = frozenset({OrganisationKind.SERVICE_PROVIDER, OrganisationKind.PARISH_ASSOCIATION})
PLAN_KINDS = frozenset({PlanKind.ACTIVATION, PlanKind.MULTISECTORAL})
MAX_PERIOD_MONTHS = 24
MIN_PERIOD_MONTHS = 3


def _err(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _organiser(actor: User, perm: Perm = Perm.REHAB_MANAGE) -> Membership:
    m = organiser_membership(actor, perm)
    if m is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    return m


def _on_placement(actor: User, placement: Placement, perm: Perm, *, provider: bool) -> Membership:
    """The actor's membership for acting on the placement from the given side."""
    grant = placement_grant(actor, placement, perm)
    if grant is None or grant.is_provider != provider:
        raise PermissionDenied(E.NO_ACCESS.value)
    return grant.membership


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _money_errors(errors: Errors, field: str, amount: Decimal, *, allow_zero: bool) -> None:
    if amount < 0 or (amount == 0 and not allow_zero) or amount >= Decimal("100000"):
        _err(errors, field, _("Give an amount in euros, greater than zero."), E.AMOUNT)


# --- providers -------------------------------------------------------------------


def business_id_clean(value: str) -> str:
    """The business ID in its standard form, or a ValidationError."""
    try:
        return str(ytunnus.format(ytunnus.validate(value.strip())))
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid business ID (Y-tunnus).") % {"value": value.strip()},
            code=E.BUSINESS_ID,
        ) from None


@transaction.atomic
def provider_register(*, actor: User, organisation: Organisation, business_id: str) -> Provider:
    """Register an organisation as a provider of rehabilitative work activity."""
    _organiser(actor)
    errors: Errors = {}
    code = ""
    try:
        code = business_id_clean(business_id)
    except ValidationError as exc:
        errors["business_id"] = [exc]
    if organisation.kind not in PROVIDER_KINDS:
        _err(
            errors,
            "organisation",
            _("Only service providers, parishes and associations can be providers."),
            E.REQUIRED,
        )
    if Provider.objects.filter(Q(organisation=organisation) | Q(business_id=code or "-")).exists():
        _err(errors, "business_id", _("This provider is already registered."), E.PROVIDER_EXISTS)
    _raise(errors)
    provider = Provider.objects.create(
        organisation=organisation, business_id=code, registered_by=actor
    )
    change_log_write(
        actor=actor,
        event="rehab_provider.registered",
        target=provider,
        changes=model_changes(None, provider, ["organisation_id", "business_id"]),
    )
    return provider


@transaction.atomic
def provider_contact_add(
    *, actor: User, provider: Provider, name: str, title: str = "", phone: str = "", email: str = ""
) -> ProviderContact:
    _organiser(actor)
    errors: Errors = {}
    if not name.strip():
        _err(errors, "name", _("Required."), E.REQUIRED)
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            _err(errors, "email", _("Enter a valid email address."), E.REQUIRED)
    if not phone.strip() and not email.strip():
        _err(errors, "phone", _("Give a phone number or an email address."), E.REQUIRED)
    _raise(errors)
    contact = ProviderContact.objects.create(
        provider=provider,
        name=name.strip(),
        title=title.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )
    change_log_write(
        actor=actor,
        event="rehab_contact.added",
        target=contact,
        changes=model_changes(None, contact, ["provider_id", "name", "title", "phone", "email"]),
    )
    return contact


@transaction.atomic
def work_site_add(
    *, actor: User, provider: Provider, name: str, address: str, municipality: Municipality
) -> WorkSite:
    _organiser(actor)
    if not name.strip():
        raise ValidationError({"name": ValidationError(_("Required."), code=E.REQUIRED)})
    site = WorkSite.objects.create(
        provider=provider, name=name.strip(), address=address.strip(), municipality=municipality
    )
    change_log_write(
        actor=actor,
        event="rehab_site.added",
        target=site,
        changes=model_changes(None, site, ["provider_id", "name", "address", "municipality_id"]),
    )
    return site


# --- contracts -------------------------------------------------------------------


def _terms_errors(
    errors: Errors,
    *,
    price_per_day: Decimal,
    outcome_fee: Decimal,
    qualifying_transitions: Sequence[str],
    max_places: int,
) -> None:
    _money_errors(errors, "price_per_day", price_per_day, allow_zero=False)
    _money_errors(errors, "outcome_fee", outcome_fee, allow_zero=True)
    unknown = set(qualifying_transitions) - set(Transition.values)
    if unknown:
        _err(
            errors,
            "qualifying_transitions",
            _("Unknown transition: %(t)s") % {"t": ", ".join(sorted(unknown))},
            E.TRANSITIONS,
        )
    if max_places < 1:
        _err(errors, "max_places", _("Give at least one place."), E.REQUIRED)


@transaction.atomic
def contract_create(
    *,
    actor: User,
    provider: Provider,
    reference: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    price_per_day: Decimal,
    outcome_fee: Decimal,
    qualifying_transitions: Sequence[str],
    max_places: int,
) -> Contract:
    _organiser(actor)
    errors: Errors = {}
    if not reference.strip():
        _err(errors, "reference", _("Required."), E.REQUIRED)
    elif Contract.objects.filter(provider=provider, reference=reference.strip()).exists():
        _err(
            errors,
            "reference",
            _("The provider already has a contract with this reference."),
            E.CONTRACT_EXISTS,
        )
    if valid_to is not None and valid_to < valid_from:
        _err(errors, "valid_to", _("The end date is before the start date."), E.DATES_ORDER)
    _terms_errors(
        errors,
        price_per_day=price_per_day,
        outcome_fee=outcome_fee,
        qualifying_transitions=qualifying_transitions,
        max_places=max_places,
    )
    _raise(errors)
    contract = Contract.objects.create(
        provider=provider, reference=reference.strip(), valid_from=valid_from, valid_to=valid_to
    )
    version = ContractVersion.objects.create(
        contract=contract,
        number=1,
        effective_from=valid_from,
        price_per_day=round_eur(price_per_day),
        outcome_fee=round_eur(outcome_fee),
        qualifying_transitions=sorted(set(qualifying_transitions)),
        max_places=max_places,
        author=actor,
    )
    change_log_write(
        actor=actor,
        event="rehab_contract.created",
        target=contract,
        changes=model_changes(
            None, contract, ["provider_id", "reference", "valid_from", "valid_to"]
        )
        | model_changes(
            None,
            version,
            ["price_per_day", "outcome_fee", "qualifying_transitions", "max_places"],
        ),
    )
    return contract


def _last_billed_month(contract: Contract) -> dt.date | None:
    return (
        Statement.objects.filter(lines__contract_version__contract=contract)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


@transaction.atomic
def contract_revise(
    *,
    actor: User,
    contract: Contract,
    version: int,
    effective_from: dt.date,
    valid_to: dt.date | None,
    price_per_day: Decimal,
    outcome_fee: Decimal,
    qualifying_transitions: Sequence[str],
    max_places: int,
) -> ContractVersion:
    """Change the terms. The latest version is edited while no statement has used it;
    once used it is immutable and the change becomes a new version, in force from a
    month no approved statement has billed."""
    _organiser(actor)
    latest = contract.versions.order_by("-number").first()
    assert latest is not None
    errors: Errors = {}
    _terms_errors(
        errors,
        price_per_day=price_per_day,
        outcome_fee=outcome_fee,
        qualifying_transitions=qualifying_transitions,
        max_places=max_places,
    )
    if valid_to is not None and valid_to < contract.valid_from:
        _err(errors, "valid_to", _("The end date is before the start date."), E.DATES_ORDER)
    if latest.used_at is not None:
        billed = _last_billed_month(contract)
        if effective_from <= latest.effective_from or (
            billed is not None and effective_from <= month_end(billed)
        ):
            _err(
                errors,
                "effective_from",
                _(
                    "Version %(n)s has been used for a statement and is kept as it is. The "
                    "new version must take effect after %(day)s."
                )
                % {
                    "n": latest.number,
                    "day": day_label(
                        max(
                            latest.effective_from,
                            month_end(billed) if billed else latest.effective_from,
                        )
                    ),
                },
                E.EFFECTIVE_BEFORE_BILLED,
            )
    elif effective_from != latest.effective_from and latest.number == 1:
        _err(
            errors,
            "effective_from",
            _("The first version takes effect when the contract starts."),
            E.DATES_ORDER,
        )
    _raise(errors)
    bumped = Contract.objects.filter(pk=contract.pk, version=version).update(
        version=F("version") + 1, valid_to=valid_to
    )
    if not bumped:
        raise StaleEdit(
            _("Somebody else changed this contract meanwhile. Reload the page."),
            code=E.STALE_CONTRACT,
        )
    terms = {
        "price_per_day": round_eur(price_per_day),
        "outcome_fee": round_eur(outcome_fee),
        "qualifying_transitions": sorted(set(qualifying_transitions)),
        "max_places": max_places,
    }
    fields = ["effective_from", *terms]
    if latest.used_at is None:
        before = {f: getattr(latest, f) for f in fields}
        for name, value in terms.items():
            setattr(latest, name, value)
        latest.effective_from = effective_from
        latest.save(update_fields=[*fields, "updated_at"])
        change_log_write(
            actor=actor,
            event="rehab_contract.edited",
            target=contract,
            changes=model_changes(before, latest, fields)
            | {"version_number": [None, latest.number]},
        )
        return latest
    new = ContractVersion.objects.create(
        contract=contract,
        number=latest.number + 1,
        effective_from=effective_from,
        author=actor,
        **terms,
    )
    change_log_write(
        actor=actor,
        event="rehab_contract.versioned",
        target=contract,
        changes=model_changes(None, new, fields) | {"version_number": [latest.number, new.number]},
    )
    return new


# --- placements ------------------------------------------------------------------


@transaction.atomic
def placement_create(
    *,
    actor: User,
    client: Client,
    provider: Provider,
    work_site: WorkSite,
    contract: Contract,
    plan: Plan | None,
    start_on: dt.date,
    planned_end_on: dt.date,
    days_per_week: int,
    hours_per_day: Decimal,
    tasks: str = "",
    social_assistance: bool = False,
) -> Placement:
    """Place a client in rehabilitative work activity at a provider. The provider gets
    a placement relationship with the client for the period."""
    mine = _organiser(actor)
    if client_access_grant(actor, client) is None:
        raise PermissionDenied(E.NO_ACCESS.value)
    errors: Errors = {}
    if not provider.is_active:
        _err(errors, "provider", _("The provider is not active."), E.PROVIDER_INACTIVE)
    if work_site.provider_id != provider.pk or not work_site.is_active:
        _err(
            errors,
            "work_site",
            _("Choose an active work site of the provider."),
            E.SITE_OF_OTHER_PROVIDER,
        )
    if contract.provider_id != provider.pk or not contract.covers(start_on):
        _err(
            errors,
            "contract",
            _("Choose a contract of the provider that is valid on the start date."),
            E.CONTRACT_NOT_VALID,
        )
    if plan is None:
        _err(
            errors,
            "plan",
            _("Link the placement to the client's activation or multisectoral plan."),
            E.PLAN_REQUIRED,
        )
    elif (
        plan.client_id != client.pk
        or plan.kind not in PLAN_KINDS
        or plan.status == PlanStatus.CLOSED
    ):
        _err(
            errors,
            "plan",
            _("The plan must be an open activation or multisectoral plan of this client."),
            E.PLAN_OTHER_CLIENT,
        )
    if not 1 <= days_per_week <= 4:
        _err(errors, "days_per_week", _("From 1 to 4 days a week."), E.DAYS_PER_WEEK)
    if not Decimal(4) <= hours_per_day <= Decimal(8):
        _err(errors, "hours_per_day", _("From 4 to 8 hours a day."), E.HOURS_PER_DAY)
    if planned_end_on < start_on:
        _err(errors, "planned_end_on", _("The end date is before the start date."), E.DATES_ORDER)
    elif planned_end_on > add_months(start_on, MAX_PERIOD_MONTHS) or planned_end_on < add_months(
        start_on, MIN_PERIOD_MONTHS
    ) - dt.timedelta(days=1):
        _err(
            errors,
            "planned_end_on",
            _("A period of rehabilitative work activity is from 3 to 24 months."),
            E.DATES_ORDER,
        )
    if (
        Placement.objects.filter(client=client, start_on__lte=planned_end_on)
        .filter(Q(ended_on__isnull=True, planned_end_on__gte=start_on) | Q(ended_on__gte=start_on))
        .exists()
    ):
        _err(
            errors,
            "start_on",
            _("The client already has a placement during this period."),
            E.OVERLAPPING,
        )
    if not errors:
        terms = contract.versions.filter(effective_from__lte=start_on).order_by("-number").first()
        taken = (
            Placement.objects.filter(contract=contract, start_on__lte=start_on)
            .filter(
                Q(ended_on__isnull=True, planned_end_on__gte=start_on) | Q(ended_on__gte=start_on)
            )
            .count()
        )
        if terms is not None and taken >= terms.max_places:
            _err(
                errors,
                "contract",
                _("All %(n)s places of the contract are taken on the start date.")
                % {"n": terms.max_places},
                E.CONTRACT_FULL,
            )
    _raise(errors)
    validate_not_before_birth(start_on, client.birth_date, field="start_on")
    validate_not_before_birth(planned_end_on, client.birth_date, field="planned_end_on")
    placement = Placement.objects.create(
        client=client,
        organiser_id=mine.organisation_id,
        provider=provider,
        work_site=work_site,
        contract=contract,
        plan=plan,
        start_on=start_on,
        planned_end_on=planned_end_on,
        days_per_week=days_per_week,
        hours_per_day=hours_per_day,
        tasks=tasks.strip(),
        social_assistance=social_assistance,
        created_by=actor,
    )
    relationship_open(
        actor=actor,
        client=client,
        organisation=provider.organisation,
        kind=RelationshipKind.PLACEMENT,
        valid_from=start_on,
        valid_to=planned_end_on,
    )
    change_log_write(
        actor=actor,
        event="rehab_placement.created",
        target=placement,
        changes=model_changes(
            None,
            placement,
            [
                "client_id",
                "organiser_id",
                "provider_id",
                "work_site_id",
                "contract_id",
                "plan_id",
                "start_on",
                "planned_end_on",
                "days_per_week",
                "hours_per_day",
                "social_assistance",
            ],
        ),
    )
    return placement


@transaction.atomic
def placement_end(
    *,
    actor: User,
    placement: Placement,
    version: int,
    ended_on: dt.date,
    reason: str,
    outcome_kind: str = "",
    outcome_on: dt.date | None = None,
    note: str = "",
) -> Placement:
    """End a placement with its reason; a transition is recorded as the client's case
    work outcome (the same Outcome the case work follows up)."""
    _on_placement(actor, placement, Perm.REHAB_MANAGE, provider=False)
    errors: Errors = {}
    if placement.ended_on is not None:
        _err(errors, "ended_on", _("The placement has already ended."), E.ALREADY_ENDED)
    if ended_on < placement.start_on:
        _err(errors, "ended_on", _("The end date is before the start date."), E.DATES_ORDER)
    if ended_on > dates.today():
        _err(errors, "ended_on", _("The end date cannot be in the future."), E.DATE_IN_FUTURE)
    if reason not in PlacementEndReason.values:
        _err(errors, "reason", _("Choose the reason."), E.REQUIRED)
    if reason == PlacementEndReason.TRANSITION:
        if outcome_kind not in OutcomeKind.values:
            _err(errors, "outcome_kind", _("Choose the transition."), E.OUTCOME_REQUIRED)
        if outcome_on is None:
            _err(
                errors, "outcome_on", _("Give the date the transition starts."), E.OUTCOME_REQUIRED
            )
        elif outcome_on < ended_on:
            _err(
                errors,
                "outcome_on",
                _(
                    "The transition follows the placement: it cannot start before the "
                    "placement's end date %(day)s."
                )
                % {"day": day_label(ended_on)},
                E.OUTCOME_BEFORE_END,
            )
    later = (
        Attendance.objects.filter(placement=placement, day__gt=ended_on)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    if later is not None:
        _err(
            errors,
            "ended_on",
            _("Attendance is recorded for %(day)s, after the end date.")
            % {"day": day_label(later)},
            E.DATES_ORDER,
        )
    _raise(errors)
    validate_not_before_birth(ended_on, placement.client.birth_date, field="ended_on")
    validate_not_before_birth(outcome_on, placement.client.birth_date, field="outcome_on")
    bumped = Placement.objects.filter(pk=placement.pk, version=version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise StaleEdit(
            _("Somebody else changed this placement meanwhile. Reload the page."),
            code=E.STALE_PLACEMENT,
        )
    outcome = None
    if reason == PlacementEndReason.TRANSITION:
        assert outcome_on is not None
        outcome = outcome_record(
            actor=actor,
            client=placement.client,
            kind=outcome_kind,
            occurred_on=outcome_on,
            note=note
            or _("After rehabilitative work activity at %(provider)s")
            % {"provider": placement.provider.organisation.name},
        )
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    locked.ended_on = ended_on
    locked.end_reason = reason
    locked.outcome = outcome
    locked.save(update_fields=["ended_on", "end_reason", "outcome", "updated_at"])
    for rel in ServiceRelationship.objects.filter(
        client_id=placement.client_id,
        organisation_id=placement.provider.organisation_id,
        kind=RelationshipKind.PLACEMENT,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=ended_on)):
        relationship_close(actor=actor, relationship=rel, valid_to=max(ended_on, rel.valid_from))
    change_log_write(
        actor=actor,
        event="rehab_placement.ended",
        target=locked,
        changes={
            "ended_on": [None, ended_on.isoformat()],
            "end_reason": ["", reason],
            "outcome_id": [None, str(outcome.pk) if outcome else None],
            "version": [version, version + 1],
        },
    )
    return locked


# --- attendance ------------------------------------------------------------------


def effective_days(
    placement_ids: Iterable[object], first: dt.date, last: dt.date
) -> dict[tuple[object, dt.date], Attendance]:
    """The latest row of each (placement, day) in the range."""
    out: dict[tuple[object, dt.date], Attendance] = {}
    for row in Attendance.objects.filter(
        placement_id__in=list(placement_ids), day__gte=first, day__lte=last
    ).order_by("day", "recorded_at", "created_at"):
        out[(row.placement_id, row.day)] = row
    return out


def _problems_for(placement: Placement, entries: Sequence[DayEntry]) -> list[Problem]:
    if not entries:
        return []
    first = min(e.day for e in entries) - dt.timedelta(days=7)
    last = max(e.day for e in entries) + dt.timedelta(days=7)
    state = {
        day: (row.present, row.hours)
        for (_pid, day), row in effective_days([placement.pk], first, last).items()
    }
    return attendance_problems(
        entries=entries,
        existing=state,
        start=placement.start_on,
        last_day=placement.last_day,
        today=dates.today(),
        rules=default_rates().attendance,
    )


def _problems_error(problems: Sequence[Problem], *, by_line: bool = False) -> ValidationError:
    errors: Errors = {}
    for p in problems:
        key = f"line {p.line}" if by_line and p.line else (p.day.isoformat() if p.day else "file")
        message = (
            _("Line %(line)s: %(problem)s") % {"line": p.line, "problem": p.message}
            if by_line and p.line
            else p.message
        )
        errors.setdefault(key, []).append(ValidationError(message, code=p.code))
    return ValidationError(errors)


def _write_days(actor: User, placement: Placement, entries: Sequence[DayEntry]) -> list[Attendance]:
    """Write valid entries: an unbilled day is updated in place, a billed day gets a
    correcting row (only when the state changes), a new day a new row."""
    now = dates.now()
    written: list[Attendance] = []
    current = effective_days(
        [placement.pk], min(e.day for e in entries), max(e.day for e in entries)
    )
    for e in entries:
        hours = e.hours if e.present else None
        reason = "" if e.present else e.absence_reason
        row = current.get((placement.pk, e.day))
        if row is not None and row.statement_id is None:
            if (row.present, row.hours, row.absence_reason) == (e.present, hours, reason):
                continue
            row.present, row.hours, row.absence_reason = e.present, hours, reason
            row.recorded_by, row.recorded_at = actor, now
            row.save(
                update_fields=[
                    "present", "hours", "absence_reason", "recorded_by", "recorded_at", "updated_at"
                ]
            )  # fmt: skip
            written.append(row)
            continue
        if row is not None and (row.present, row.hours, row.absence_reason) == (
            e.present,
            hours,
            reason,
        ):
            continue
        written.append(
            Attendance.objects.create(
                placement=placement,
                day=e.day,
                present=e.present,
                hours=hours,
                absence_reason=reason,
                corrects=row,
                recorded_by=actor,
                recorded_at=now,
            )
        )
    return written


def _attendance_log(
    actor: User, placement: Placement, rows: Sequence[Attendance], source: str
) -> None:
    change_log_write(
        actor=actor,
        event="rehab_attendance.recorded",
        target=placement,
        changes={
            "source": [None, source],
            "days": [
                None,
                [
                    {
                        "day": r.day.isoformat(),
                        "present": r.present,
                        "hours": str(r.hours) if r.hours is not None else None,
                        "absence_reason": r.absence_reason,
                        "corrects": str(r.corrects_id) if r.corrects_id else None,
                    }
                    for r in rows
                ],
            ],
        },
    )


@transaction.atomic
def attendance_record(
    *, actor: User, placement: Placement, entries: Sequence[DayEntry]
) -> list[Attendance]:
    """Record days of attendance (the week grid, the API). Every rule is checked
    first; on any problem nothing is saved and every problem names its day."""
    _on_placement(actor, placement, Perm.REHAB_ATTENDANCE, provider=True)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    problems = _problems_for(locked, entries)
    if problems:
        raise _problems_error(problems)
    for entry in entries:
        validate_not_before_birth(entry.day, locked.client.birth_date, field=entry.day.isoformat())
    if not entries:
        return []
    rows = _write_days(actor, locked, entries)
    if rows:
        _attendance_log(actor, locked, rows, "form")
    return rows


IMPORT_COLUMNS = ("personal_id", "date", "status", "hours", "absence_reason")


def _parse_hours(text: str) -> Decimal | None:
    text = decimal_point(text)
    if not text:
        return None
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _attendance_text(data: str | bytes) -> str:
    """The text of an uploaded attendance file, decoded as Excel saves it (the shared
    decoder: UTF-8 with or without a byte order mark, or Windows-1252), or a
    ValidationError naming the line of the first byte that is neither."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return decode_csv(data)[0]
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Line %(line)s: %(problem)s")
                    % {
                        "line": line,
                        "problem": _(
                            "The file is neither UTF-8 nor Windows-1252 text (byte %(pos)s): "
                            "save it from Excel as CSV (UTF-8)."
                        )
                        % {"pos": exc.start},
                    },
                    code=E.ATT_BAD_FILE,
                )
            }
        ) from None


@transaction.atomic
def attendance_import(*, actor: User, text: str | bytes) -> int:
    """Import attendance from CSV (``personal_id,date,status,hours,absence_reason``;
    status ``present`` or ``absent``) for the actor's own placements. The file may be
    as Excel saves it: comma or semicolon separated, hours with a decimal comma,
    UTF-8 (with or without a byte order mark) or Windows-1252 when given as bytes. The
    whole file is validated first: any bad line imports nothing, and every bad line is
    named with its day and rule."""
    scope = placements_filter(actor, Perm.REHAB_ATTENDANCE)
    if scope is None or not is_provider_side(scope[1]):
        raise PermissionDenied(E.NO_ACCESS.value)
    text = _attendance_text(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_separator(text))
    header = [h.strip() for h in next(reader, [])]
    if tuple(header) != IMPORT_COLUMNS:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The first line must be: %(columns)s")
                    % {"columns": ",".join(IMPORT_COLUMNS)},
                    code=E.ATT_BAD_FILE,
                )
            }
        )
    placements = list(
        Placement.objects.filter(scope[0]).select_related("client").order_by("start_on")
    )
    by_person: dict[str, list[Placement]] = defaultdict(list)
    for p in placements:
        by_person[p.client.personal_id].append(p)
    problems: list[Problem] = []
    per_placement: dict[Placement, list[DayEntry]] = defaultdict(list)
    valid_reasons = set(AbsenceReason.values)
    count = 0
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if len(row) != len(IMPORT_COLUMNS):
            problems.append(
                Problem(
                    None,
                    E.ATT_BAD_LINE,
                    _("expected %(n)s columns, found %(found)s.")
                    % {"n": len(IMPORT_COLUMNS), "found": len(row)},
                    line_no,
                )
            )
            continue
        pid, day_text, status, hours_text, reason = (c.strip() for c in row)
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            problems.append(
                Problem(
                    None,
                    E.ATT_BAD_LINE,
                    _("%(value)s is not a date (YYYY-MM-DD).") % {"value": day_text},
                    line_no,
                )
            )
            continue
        try:
            hours = _parse_hours(hours_text)
        except InvalidOperation:
            problems.append(
                Problem(
                    day,
                    E.ATT_BAD_LINE,
                    f"{day_label(day)}: "
                    + _("%(value)s is not a number of hours.") % {"value": hours_text},
                    line_no,
                )
            )
            continue
        if status not in {"present", "absent"}:
            problems.append(
                Problem(
                    day,
                    E.ATT_BAD_LINE,
                    f"{day_label(day)}: " + _("the status must be present or absent."),
                    line_no,
                )
            )
            continue
        if status == "absent" and reason and reason not in valid_reasons:
            problems.append(
                Problem(
                    day,
                    E.ATT_BAD_LINE,
                    f"{day_label(day)}: "
                    + _("unknown reason for absence; use one of: %(reasons)s")
                    % {"reasons": ", ".join(AbsenceReason.values)},
                    line_no,
                )
            )
            continue
        candidates = by_person.get(pid.upper(), [])
        placement = next((p for p in candidates if p.is_active_on(day)), None)
        if placement is None and candidates:
            placement = candidates[-1]  # the period rule names the day
        if placement is None:
            problems.append(
                Problem(
                    day,
                    E.ATT_UNKNOWN_CLIENT,
                    f"{day_label(day)}: "
                    + _("no placement of yours has a client with this identity code."),
                    line_no,
                )
            )
            continue
        per_placement[placement].append(
            DayEntry(day, status == "present", hours, reason if status == "absent" else "", line_no)
        )
    for placement, entries in per_placement.items():
        problems.extend(_problems_for(placement, entries))
    if not count and not problems:
        raise ValidationError(
            {"file": ValidationError(_("The file has no attendance lines."), code=E.ATT_BAD_FILE)}
        )
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.message))
        raise _problems_error(problems, by_line=True)
    written = 0
    for placement, entries in per_placement.items():
        rows = _write_days(actor, placement, entries)
        if rows:
            _attendance_log(actor, placement, rows, "csv_import")
        written += len(rows)
    return written


# --- outcome fees ----------------------------------------------------------------


def fee_facts(placement: Placement) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The facts an outcome fee is decided on, and the rules they break
    (``(code, message)``; empty when the fee is due)."""
    rates = default_rates()
    version = (
        placement.contract.versions.filter(effective_from__lte=placement.ended_on or dates.today())
        .order_by("-number")
        .first()
    )
    outcome = placement.outcome
    facts: dict[str, object] = {
        "placement_start": placement.start_on.isoformat(),
        "placement_end": placement.ended_on.isoformat() if placement.ended_on else None,
        "end_reason": placement.end_reason,
        "window_days": rates.fee_window_days,
        "contract_reference": placement.contract.reference,
        "contract_version": version.number if version else None,
        "qualifying_transitions": list(version.qualifying_transitions) if version else [],
        "fee_eur": str(version.outcome_fee) if version else None,
        "rates_version": rates.version,
    }
    broken: list[tuple[str, str]] = []
    if placement.ended_on is None:
        broken.append((E.FEE_PLACEMENT_ACTIVE, _("The placement has not ended.")))
        return facts, broken
    if outcome is None:
        broken.append(
            (
                E.FEE_NO_OUTCOME,
                _(
                    "No transition is recorded for the placement's end (%(day)s): an outcome "
                    "fee needs a recorded positive transition."
                )
                % {"day": day_label(placement.ended_on)},
            )
        )
        return facts, broken
    days_after = (outcome.occurred_on - placement.ended_on).days
    facts |= {
        "outcome_id": str(outcome.pk),
        "transition": outcome.kind,
        "transition_label": str(OutcomeKind(outcome.kind).label),
        "transition_on": outcome.occurred_on.isoformat(),
        "days_after_end": days_after,
    }
    facts["confirmed_at"] = (
        placement.outcome_confirmed_at.isoformat() if placement.outcome_confirmed_at else None
    )
    if outcome.occurred_on > dates.today():
        broken.append(
            (
                E.FEE_OUTCOME_FUTURE,
                _(
                    "The transition is dated %(day)s, in the future: a fee is paid for a "
                    "transition that has started."
                )
                % {"day": day_label(outcome.occurred_on)},
            )
        )
    elif placement.outcome_confirmed_at is None:
        broken.append(
            (
                E.FEE_NOT_CONFIRMED,
                _("The organiser has not confirmed that the transition started on %(day)s.")
                % {"day": day_label(outcome.occurred_on)},
            )
        )
    if version is None or outcome.kind not in version.qualifying_transitions:
        broken.append(
            (
                E.FEE_NOT_QUALIFYING,
                _("%(transition)s does not qualify for an outcome fee under the contract.")
                % {"transition": OutcomeKind(outcome.kind).label},
            )
        )
    if days_after < 0 or days_after > rates.fee_window_days:
        broken.append(
            (
                E.FEE_OUTSIDE_WINDOW,
                _(
                    "The transition started on %(day)s, %(n)s days after the placement ended "
                    "on %(end)s; it must start within %(window)s days."
                )
                % {
                    "day": day_label(outcome.occurred_on),
                    "n": days_after,
                    "end": day_label(placement.ended_on),
                    "window": rates.fee_window_days,
                },
            )
        )
    return facts, broken


def _bump_placement(placement: Placement, version: int) -> None:
    bumped = Placement.objects.filter(pk=placement.pk, version=version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise StaleEdit(
            _("Somebody else changed this placement meanwhile. Reload the page."),
            code=E.STALE_PLACEMENT,
        )


@transaction.atomic
def placement_outcome_confirm(*, actor: User, placement: Placement, version: int) -> Placement:
    """The organiser confirms that the recorded transition has started (on or before
    today): only a confirmed transition can earn an outcome fee."""
    _on_placement(actor, placement, Perm.REHAB_MANAGE, provider=False)
    locked = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("outcome")
        .get(pk=placement.pk)
    )
    errors: Errors = {}
    outcome = locked.outcome
    if outcome is None:
        _err(
            errors, "outcome", _("No transition is recorded for the placement."), E.OUTCOME_REQUIRED
        )
    elif outcome.occurred_on > dates.today():
        _err(
            errors,
            "outcome",
            _("The transition starts on %(day)s: it can be confirmed from that day on.")
            % {"day": day_label(outcome.occurred_on)},
            E.FEE_OUTCOME_FUTURE,
        )
    if locked.outcome_confirmed_at is not None:
        _err(
            errors,
            "outcome",
            _("The transition is already confirmed."),
            E.OUTCOME_ALREADY_CONFIRMED,
        )
    _raise(errors)
    _bump_placement(locked, version)
    now = dates.now()
    Placement.objects.filter(pk=locked.pk).update(
        outcome_confirmed_at=now, outcome_confirmed_by=actor, updated_at=now
    )
    locked.refresh_from_db()
    change_log_write(
        actor=actor,
        event="rehab_placement.outcome_confirmed",
        target=locked,
        changes={
            "outcome_confirmed_at": [None, now.isoformat()],
            "version": [version, version + 1],
        },
    )
    return locked


@transaction.atomic
def placement_outcome_correct(
    *,
    actor: User,
    placement: Placement,
    version: int,
    outcome_kind: str,
    outcome_on: dt.date | None,
    reason: str,
) -> Placement:
    """Correct the transition recorded at the placement's end (another kind or date,
    or none: ``outcome_kind`` empty). The correction is a new case-work outcome; the
    confirmation is cleared, and a fee paid on the old facts is reversed (a reversing
    row, billed on the next statement) and its claim closed, so that a new claim is
    decided on the corrected facts."""
    _on_placement(actor, placement, Perm.REHAB_MANAGE, provider=False)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    errors: Errors = {}
    if locked.ended_on is None or locked.end_reason != PlacementEndReason.TRANSITION:
        _err(
            errors,
            "outcome_kind",
            _("Only the transition of an ended placement can be corrected."),
            E.OUTCOME_REQUIRED,
        )
    if not reason.strip():
        _err(errors, "reason", _("Give the reason for the correction."), E.FEE_REASON_REQUIRED)
    if outcome_kind:
        if outcome_kind not in OutcomeKind.values:
            _err(errors, "outcome_kind", _("Choose the transition."), E.OUTCOME_REQUIRED)
        if outcome_on is None:
            _err(
                errors, "outcome_on", _("Give the date the transition starts."), E.OUTCOME_REQUIRED
            )
        elif locked.ended_on is not None and outcome_on < locked.ended_on:
            _err(
                errors,
                "outcome_on",
                _(
                    "The transition follows the placement: it cannot start before the "
                    "placement's end date %(day)s."
                )
                % {"day": day_label(locked.ended_on)},
                E.OUTCOME_BEFORE_END,
            )
    _raise(errors)
    _bump_placement(locked, version)
    old_outcome_id = locked.outcome_id
    outcome = None
    if outcome_kind:
        assert outcome_on is not None
        outcome = outcome_record(
            actor=actor,
            client=locked.client,
            kind=outcome_kind,
            occurred_on=outcome_on,
            note=_("Corrected: %(reason)s") % {"reason": reason.strip()},
        )
    now = dates.now()
    Placement.objects.filter(pk=locked.pk).update(
        outcome=outcome,
        end_reason=PlacementEndReason.TRANSITION if outcome else PlacementEndReason.OTHER,
        outcome_confirmed_at=None,
        outcome_confirmed_by=None,
        updated_at=now,
    )
    reversed_ids = []
    for fee in OutcomeFee.objects.filter(
        placement=locked, reverses__isnull=True, reversed_by__isnull=True
    ):
        reversal = outcome_fee_reverse(actor=actor, fee=fee, reason=reason)
        reversed_ids.append(str(reversal.pk))
    for claim in (
        FeeClaim.objects.select_for_update()
        .filter(placement=locked)
        .exclude(status=FeeClaimStatus.REJECTED)
    ):
        FeeClaimStatusChange.objects.create(
            claim=claim,
            old_status=claim.status,
            new_status=FeeClaimStatus.REJECTED,
            reason=reason.strip(),
            actor=actor,
            at=now,
        )
        FeeClaim.objects.filter(pk=claim.pk).update(
            status=FeeClaimStatus.REJECTED,
            decision_reason=reason.strip(),
            decided_by=actor,
            decided_at=now,
            version=F("version") + 1,
        )
    locked.refresh_from_db()
    change_log_write(
        actor=actor,
        event="rehab_placement.outcome_corrected",
        target=locked,
        changes={
            "outcome_id": [
                str(old_outcome_id) if old_outcome_id else None,
                str(outcome.pk) if outcome else None,
            ],
            "reason": [None, reason.strip()],
            "reversing_fees": [None, reversed_ids],
            "version": [version, version + 1],
        },
    )
    return locked


@transaction.atomic
def fee_claim_create(*, actor: User, placement: Placement, note: str = "") -> FeeClaim:
    """The provider claims the outcome fee of an ended placement with a transition."""
    _on_placement(actor, placement, Perm.REHAB_FEE_CLAIM, provider=True)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    errors: Errors = {}
    if FeeClaim.objects.filter(placement=locked).exclude(status=FeeClaimStatus.REJECTED).exists():
        _err(errors, "placement", _("The fee has already been claimed."), E.FEE_ALREADY_CLAIMED)
    _facts, broken = fee_facts(locked)
    for code, message in broken:
        _err(errors, "placement", message, code)
    _raise(errors)
    now = dates.now()
    claim = FeeClaim.objects.create(
        placement=locked, claimed_by=actor, claimed_at=now, note=note.strip()
    )
    FeeClaimStatusChange.objects.create(
        claim=claim, old_status="", new_status=FeeClaimStatus.CLAIMED, actor=actor, at=now
    )
    change_log_write(
        actor=actor,
        event="rehab_fee.claimed",
        target=claim,
        changes=model_changes(None, claim, ["placement_id", "status", "note"]),
    )
    return claim


@transaction.atomic
def fee_claim_decide(
    *, actor: User, claim: FeeClaim, version: int, to_status: str, reason: str = ""
) -> FeeClaim:
    """Soite's worker verifies the claim against the recorded outcome and approves it
    (an immutable fee row with the facts used) or rejects it with a reason."""
    placement = claim.placement
    _on_placement(actor, placement, Perm.REHAB_FEE_VERIFY, provider=False)
    locked = FeeClaim.objects.select_for_update().get(pk=claim.pk)
    if locked.version != version:
        raise StaleEdit(
            _("Somebody else handled this claim meanwhile. Reload the page."), code=E.FEE_STALE
        )
    if to_status not in FeeClaimStatus.values or not workflow.fee_claim_can_move(
        locked.status, to_status
    ):
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _("A claim that is %(old)s cannot be marked %(new)s.")
                    % {
                        "old": FeeClaimStatus(locked.status).label,
                        "new": FeeClaimStatus(to_status).label
                        if to_status in FeeClaimStatus.values
                        else to_status,
                    },
                    code=E.FEE_ILLEGAL_MOVE,
                )
            }
        )
    errors: Errors = {}
    facts, broken = fee_facts(
        Placement.objects.select_related("contract", "outcome").get(pk=placement.pk)
    )
    if to_status == FeeClaimStatus.REJECTED and not reason.strip():
        _err(errors, "reason", _("Give the reason for the rejection."), E.FEE_REASON_REQUIRED)
    if to_status == FeeClaimStatus.APPROVED:
        for code, message in broken:
            _err(errors, "to_status", message, code)
    _raise(errors)
    now = dates.now()
    old = locked.status
    locked.status = to_status
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_reason = reason.strip()
    locked.version = version + 1
    locked.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "version",
            "updated_at",
        ]
    )
    FeeClaimStatusChange.objects.create(
        claim=locked,
        old_status=old,
        new_status=to_status,
        reason=reason.strip(),
        actor=actor,
        at=now,
    )
    changes: dict[str, object] = {"status": [old, to_status], "reason": ["", reason.strip()]}
    if to_status == FeeClaimStatus.APPROVED:
        version_row = (
            placement.contract.versions.filter(effective_from__lte=placement.ended_on)
            .order_by("-number")
            .first()
        )
        assert version_row is not None
        fee = OutcomeFee.objects.create(
            placement=placement,
            claim=locked,
            contract_version=version_row,
            amount=version_row.outcome_fee,
            facts=facts,
            decided_by=actor,
            decided_at=now,
        )
        changes["fee"] = [None, {"id": str(fee.pk), "amount": str(fee.amount), "facts": facts}]
    change_log_write(actor=actor, event=f"rehab_fee.{to_status}", target=locked, changes=changes)
    return locked


@transaction.atomic
def outcome_fee_reverse(*, actor: User, fee: OutcomeFee, reason: str) -> OutcomeFee:
    """Correct an approved fee: a new row reversing it. The fee row is never edited."""
    _on_placement(actor, fee.placement, Perm.REHAB_FEE_VERIFY, provider=False)
    locked = OutcomeFee.objects.select_for_update().get(pk=fee.pk)
    errors: Errors = {}
    if locked.reverses_id is not None or OutcomeFee.objects.filter(reverses=locked).exists():
        _err(errors, "fee", _("This fee has already been reversed."), E.FEE_ALREADY_REVERSED)
    if not reason.strip():
        _err(errors, "reason", _("Give the reason for the correction."), E.FEE_REASON_REQUIRED)
    _raise(errors)
    reversal = OutcomeFee.objects.create(
        placement_id=locked.placement_id,
        claim_id=locked.claim_id,
        contract_version_id=locked.contract_version_id,
        amount=-locked.amount,
        facts=locked.facts,
        reverses=locked,
        reason=reason.strip(),
        decided_by=actor,
        decided_at=dates.now(),
    )
    change_log_write(
        actor=actor,
        event="rehab_fee.reversed",
        target=reversal,
        changes={
            "reverses": [None, str(locked.pk)],
            "amount": [None, str(reversal.amount)],
            "reason": [None, reversal.reason],
        },
    )
    return reversal


# --- statements ------------------------------------------------------------------


def _statement_month_errors(errors: Errors, month: dt.date) -> None:
    if month_end(month) >= dates.today():
        _err(
            errors,
            "month",
            _("A statement can be checked and approved once the month is over."),
            E.STATEMENT_MONTH_OPEN,
        )


def _stored_for_update(
    provider: Provider, organiser: Organisation, month: dt.date
) -> Statement | None:
    return (
        Statement.objects.select_for_update()
        .filter(provider=provider, organiser=organiser, month=month)
        .first()
    )


def _locked_error(stored: Statement) -> ValidationError:
    return ValidationError(
        {
            "month": ValidationError(
                _(
                    "Statement %(number)s is approved and locked: it cannot be changed. "
                    "Corrections go to the next statement."
                )
                % {"number": stored.number_label},
                code=E.STATEMENT_LOCKED,
            )
        }
    )


def _stale(version: int, stored: Statement | None) -> None:
    """The page's version (0 for a draft) must still be the statement's."""
    current = stored.version if stored is not None else 0
    if version != current:
        raise StaleEdit(
            _("Somebody else handled this statement meanwhile. Reload the page."),
            code=E.STATEMENT_STALE,
        )


def _lock_placements(provider: Provider, organiser: Organisation) -> None:
    """Lock the placements' rows against concurrent attendance writes."""
    list(
        Placement.objects.select_for_update()
        .filter(provider=provider, organiser=organiser)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def statement_check(
    *,
    actor: User,
    provider: Provider,
    month: dt.date,
    version: int,
    expected_total: Decimal,
) -> Statement:
    """The organiser has checked the draft of a month that is over: its totals are
    stored, and approval later requires the draft still to have them. Checking again
    (after a change) replaces the check."""
    mine = _organiser(actor, Perm.REHAB_MANAGE)
    organiser = mine.organisation
    month = month.replace(day=1)
    errors: Errors = {}
    _statement_month_errors(errors, month)
    _raise(errors)
    stored = _stored_for_update(provider, organiser, month)
    if stored is not None and stored.is_locked:
        raise _locked_error(stored)
    _stale(version, stored)
    _lock_placements(provider, organiser)
    data = statement_compute(provider=provider, organiser=organiser, month=month)
    if not data.lines:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("There is nothing to bill for the month."), code=E.STATEMENT_EMPTY
                )
            }
        )
    if data.total_eur != expected_total:
        raise StaleEdit(
            _(
                "The statement changed after the preview (attendance or fees were recorded). "
                "Check the new preview again."
            ),
            code=E.STATEMENT_CHANGED,
        )
    now = dates.now()
    totals = {
        "participant_days": data.participant_days,
        "attendance_eur": data.attendance_eur,
        "fees_eur": data.fees_eur,
        "corrections_eur": data.corrections_eur,
        "total_eur": data.total_eur,
    }
    before = None
    if stored is None:
        stored = Statement.objects.create(
            provider=provider,
            organiser=organiser,
            month=month,
            status=StatementStatus.CHECKED,
            checked_by=actor,
            checked_at=now,
            **totals,
        )
    else:
        before = {f: getattr(stored, f) for f in totals}
        for name, value in totals.items():
            setattr(stored, name, value)
        stored.checked_by, stored.checked_at = actor, now
        stored.version += 1
        stored.save()
    change_log_write(
        actor=actor,
        event="rehab_statement.checked",
        target=stored,
        changes=model_changes(before, stored, ["provider_id", "organiser_id", "month", *totals]),
    )
    return stored


def statement_store_lines(statement: Statement, data: StatementData, now: dt.datetime) -> None:
    """Store an approved statement's lines (snapshots), point the billed attendance and
    fee rows at it and lock the contract versions it used. Callers hold the locks and
    write the change log (``statement_approve``; the demo loader)."""
    StatementLine.objects.bulk_create(
        [
            StatementLine(
                statement=statement,
                kind=line.kind,
                placement_id=line.placement_id,
                client_name=line.client_name,
                contract_version=line.contract_version,
                days=line.days,
                unit_price=line.unit_price,
                amount=line.amount,
                detail=line.detail,
                corrects_id=line.corrects_id,
            )
            for line in data.lines
        ]
    )
    Attendance.objects.filter(pk__in=data.attendance_ids).update(statement=statement)
    OutcomeFee.objects.filter(pk__in=data.fee_ids).update(statement=statement)
    ContractVersion.objects.filter(
        pk__in={line.contract_version.pk for line in data.lines}, used_at__isnull=True
    ).update(used_at=now)


@transaction.atomic
def statement_approve(
    *,
    actor: User,
    provider: Provider,
    month: dt.date,
    version: int,
    expected_total: Decimal,
) -> Statement:
    """Approve the checked statement of a month that is over, for the actor's own
    organisation's placements, by someone else than the person who checked it (the
    four-eyes rule; issue 15): it is numbered and locked, the billed rows point at it
    from now on and the contract versions used are locked. The draft must still have
    the checked total and the page's total and version (else 409, nothing written)."""
    mine = _organiser(actor, Perm.REHAB_STATEMENT_APPROVE)
    organiser = mine.organisation
    month = month.replace(day=1)
    errors: Errors = {}
    _statement_month_errors(errors, month)
    _raise(errors)
    stored = _stored_for_update(provider, organiser, month)
    if stored is not None and stored.is_locked:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("This month's statement is already approved (number %(number)s).")
                    % {"number": stored.number_label},
                    code=E.STATEMENT_EXISTS,
                )
            }
        )
    if stored is None:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("The organiser checks the statement before it is approved."),
                    code=E.STATEMENT_NOT_CHECKED,
                )
            }
        )
    _stale(version, stored)
    if stored.checked_by_id == actor.pk:
        raise ValidationError(
            {
                "month": ValidationError(
                    _(
                        "You checked this statement yourself: another person approves it "
                        "(four-eyes rule)."
                    ),
                    code=E.STATEMENT_SAME_PERSON,
                )
            }
        )
    _lock_placements(provider, organiser)
    data = statement_compute(provider=provider, organiser=organiser, month=month)
    if data.total_eur != expected_total or data.total_eur != stored.total_eur:
        raise StaleEdit(
            _(
                "The statement changed after it was checked (attendance or fees were "
                "recorded). Check the new preview and approve again."
            ),
            code=E.STATEMENT_CHANGED,
        )
    if not data.lines:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("There is nothing to bill for the month."), code=E.STATEMENT_EMPTY
                )
            }
        )
    now = dates.now()
    last = (
        Statement.objects.select_for_update()
        .filter(organiser=organiser, number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    stored.status = StatementStatus.APPROVED
    stored.number = (last or 0) + 1
    stored.participant_days = data.participant_days
    stored.attendance_eur = data.attendance_eur
    stored.fees_eur = data.fees_eur
    stored.corrections_eur = data.corrections_eur
    stored.total_eur = data.total_eur
    stored.approved_by, stored.approved_at = actor, now
    stored.version += 1
    stored.save()
    statement = stored
    statement_store_lines(statement, data, now)
    change_log_write(
        actor=actor,
        event="rehab_statement.approved",
        target=statement,
        changes=model_changes(
            None,
            statement,
            [
                "provider_id",
                "organiser_id",
                "month",
                "status",
                "number",
                "participant_days",
                "attendance_eur",
                "fees_eur",
                "corrections_eur",
                "total_eur",
            ],
        )
        | {
            "attendance_rows": [None, len(data.attendance_ids)],
            "fee_rows": [None, len(data.fee_ids)],
        },
    )
    return statement


@transaction.atomic
def statement_send(
    *, actor: User, provider: Provider, month: dt.date, version: int, invoice_reference: str
) -> Statement:
    """Record that the approved statement was sent for invoicing, with the invoice
    reference. Once sent, the reference is not changed either."""
    mine = _organiser(actor, Perm.REHAB_STATEMENT_APPROVE)
    stored = _stored_for_update(provider, mine.organisation, month.replace(day=1))
    if stored is None or not stored.is_locked:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("Only an approved statement is sent for invoicing."),
                    code=E.STATEMENT_NOT_APPROVED,
                )
            }
        )
    if stored.status == StatementStatus.SENT:
        raise _locked_error(stored)
    _stale(version, stored)
    reference = invoice_reference.strip()
    if not reference or len(reference) > 100 or not reference.isprintable():
        raise ValidationError(
            {
                "invoice_reference": ValidationError(
                    _("Give the invoice reference (at most 100 characters)."),
                    code=E.STATEMENT_REFERENCE,
                )
            }
        )
    stored.status = StatementStatus.SENT
    stored.invoice_reference = reference
    stored.sent_by, stored.sent_at = actor, dates.now()
    stored.version += 1
    stored.save()
    change_log_write(
        actor=actor,
        event="rehab_statement.sent",
        target=stored,
        changes={
            "status": [StatementStatus.APPROVED.value, StatementStatus.SENT.value],
            "invoice_reference": ["", reference],
        },
    )
    return stored
