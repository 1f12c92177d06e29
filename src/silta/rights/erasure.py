"""Erasure or anonymisation of a client on request, within the retention rules.

``erasure_plan`` works out, for every record that refers to the client (the same rows
as the subject-access export, plus rows that carry the identity code without a
relation, such as funding events), whether the law still requires keeping it:

- social welfare case records (everything a case-work app records about the client):
  ``SILTA_RETENTION_CASE_YEARS`` (10) after the case was closed — Act 703/2023, annex,
  services for people of working age. A case still open (no end date) is kept.
- accounting records (benefit payments and events behind the municipal share, fee
  claims and outcome fees): ``SILTA_RETENTION_ACCOUNTING_YEARS`` (6) from the end of
  the year — Accounting Act 1336/1997, chapter 2, section 10.
- people born on the days in ``SILTA_RETENTION_PERMANENT_BIRTH_DAYS`` (8, 18, 28):
  their social welfare client records are archived permanently (National Archives).

Records of an app this module does not know count as social welfare case records: an
unknown record is kept rather than destroyed by mistake.

``client_erase`` then refuses with those reasons, or: erases the client when nothing
but the client's register rows exist (a client found by search and never worked
with), or anonymises — identity code, names and contact details replaced, free text of
the case records cleared — and keeps the rows themselves, the birth date, language and
home municipality history, so statistics do not change. The audit logs are not
touched: they keep their own retention (``SILTA_AUDIT_RETENTION_YEARS``) and chain.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.services import change_log_write
from silta.clients.models import Client
from silta.core import dates
from silta.core.errors import AccessDenied, AccessError
from silta.rights.subject_access import SKIP_APPS, _section_title, client_records

CASE = "case"
ACCOUNTING = "accounting"
REGISTER = "register"

# The client's register rows: kept as long as any record is, erased with the client.
REGISTER_MODELS = {
    "clients.client",
    "clients.homemunicipality",
    "clients.servicerelationship",
    "clients.unemploymentspell",
}
ACCOUNTING_MODELS = {
    "funding.benefitpayment",
    "funding.personevent",
    "rehab.feeclaim",
    "rehab.outcomefee",
}
# Date fields that, when empty, mean the case is still open.
OPEN_END_FIELDS = {"ended_on", "end", "valid_to", "closed_at", "closed_on"}
# Free-text fields of kinds other than TextField that may name or describe a person.
FREE_TEXT_CHARFIELDS = {
    "casework.appointment": ("place", "participants"),
    "casework.consent": ("purpose", "given_reference"),
    "casework.outcome": ("note",),
    "rehab.placement": ("tasks",),
    "rehab.feeclaim": ("note",),
    "governance.agendaitem": ("title",),
}
IDENTITY_FIELDS = ("person_id",)

ERASE = "erase"
ANONYMISE = "anonymise"


def kind_of(model: type[models.Model]) -> str:
    label = model._meta.label_lower
    if label in REGISTER_MODELS:
        return REGISTER
    if label in ACCOUNTING_MODELS:
        return ACCOUNTING
    return CASE


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _record_dates(obj: models.Model) -> tuple[dt.date | None, bool]:
    """The record's last date and whether it is still open."""
    last: dt.date | None = None
    is_open = False
    for f in obj._meta.concrete_fields:
        if not isinstance(f, models.DateField):  # DateTimeField is a DateField
            continue
        value = getattr(obj, f.attname)
        if value is None:
            if f.name in OPEN_END_FIELDS and f.null:
                is_open = True
            continue
        day = value.astimezone(dates.HELSINKI).date() if isinstance(value, dt.datetime) else value
        last = day if last is None or day > last else last
    return last, is_open


@dataclass(frozen=True)
class Obligation:
    """Records the law still requires keeping: which, how many, until when (None:
    permanently or while the case is open) and on what basis."""

    records: str
    count: int
    until: dt.date | None
    basis: str


@dataclass
class ErasurePlan:
    client: Client
    action: str
    obligations: list[Obligation]
    records: dict[str, int] = field(default_factory=dict)
    sections: list[tuple[str, int]] = field(default_factory=list)
    logs_kept_until: dt.date | None = None

    @property
    def allowed(self) -> bool:
        return not self.obligations


def _identity_rows(client: Client) -> dict[type[models.Model], list[models.Model]]:
    """Rows that carry the client's identity code in a text field instead of a
    relation (funding payments and events are keyed by the code)."""
    out: dict[type[models.Model], list[models.Model]] = {}
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label in SKIP_APPS:
            continue
        for name in IDENTITY_FIELDS:
            try:
                f = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(f, models.CharField):
                rows = list(model._default_manager.filter(**{name: client.personal_id}))
                if rows:
                    out[model] = rows
    return out


def _all_rows(client: Client) -> dict[type[models.Model], list[models.Model]]:
    rows = client_records(client)
    for model, extra in _identity_rows(client).items():
        known = {r.pk for r in rows.get(model, [])}
        rows.setdefault(model, []).extend(r for r in extra if r.pk not in known)
    return rows


def _basis(kind: str, *, is_open: bool = False) -> str:
    if kind == ACCOUNTING:
        return gettext(
            "Accounting records are kept %(years)s years from the end of the year "
            "(Accounting Act 1336/1997, chapter 2, section 10)."
        ) % {"years": settings.SILTA_RETENTION_ACCOUNTING_YEARS}
    text = gettext(
        "Social welfare client records of services for people of working age are kept "
        "%(years)s years after the case was closed (Act 703/2023 on the processing of "
        "client data in healthcare and social welfare, annex)."
    ) % {"years": settings.SILTA_RETENTION_CASE_YEARS}
    if is_open:
        text += " " + gettext("The case is still open.")
    return text


def erasure_plan(client: Client, *, today: dt.date | None = None) -> ErasurePlan:
    """What erasing the client would do, or why the law does not allow it yet."""
    today = today or dates.today()
    rows = _all_rows(client)
    obligations: list[Obligation] = []
    has_case = False
    for model, objs in rows.items():
        kind = kind_of(model)
        if kind == REGISTER:
            continue
        if kind == CASE:
            has_case = True
        years = (
            settings.SILTA_RETENTION_ACCOUNTING_YEARS
            if kind == ACCOUNTING
            else settings.SILTA_RETENTION_CASE_YEARS
        )
        kept = 0
        latest: dt.date | None = None
        still_open = False
        for obj in objs:
            last, is_open = _record_dates(obj)
            if is_open and kind == CASE:
                kept += 1
                still_open = True
                continue
            if last is None:
                kept += 1
                still_open = True
                continue
            until = (
                dt.date(last.year + years, 12, 31)
                if kind == ACCOUNTING
                else _add_years(last, years)
            )
            if until >= today:
                kept += 1
                latest = until if latest is None or until > latest else latest
        if kept:
            obligations.append(
                Obligation(
                    records=_section_title(model),
                    count=kept,
                    until=None if still_open else latest,
                    basis=_basis(kind, is_open=still_open),
                )
            )
    if has_case and client.birth_date.day in settings.SILTA_RETENTION_PERMANENT_BIRTH_DAYS:
        obligations.append(
            Obligation(
                records=gettext("All social welfare client records"),
                count=sum(len(v) for m, v in rows.items() if kind_of(m) == CASE),
                until=None,
                basis=gettext(
                    "The social welfare client records of people born on the %(days)s day "
                    "of a month are archived permanently (National Archives of Finland, "
                    "decision on the permanent retention of social welfare client records)."
                )
                % {
                    "days": ", ".join(
                        f"{d}." for d in settings.SILTA_RETENTION_PERMANENT_BIRTH_DAYS
                    )
                },
            )
        )
    only_register = all(kind_of(m) == REGISTER for m in rows)
    return ErasurePlan(
        client=client,
        action=ERASE if only_register else ANONYMISE,
        obligations=obligations,
        records={m._meta.label_lower: len(v) for m, v in rows.items()},
        sections=[(_section_title(m), len(v)) for m, v in rows.items()],
        logs_kept_until=_add_years(today, settings.SILTA_AUDIT_RETENTION_YEARS),
    )


class ErasureRefused(Exception):
    """The law still requires keeping some of the client's records."""

    def __init__(self, plan: ErasurePlan) -> None:
        super().__init__(
            "; ".join(
                f"{o.records} ({o.count}): "
                + (o.until.isoformat() if o.until else gettext("no end date"))
                for o in plan.obligations
            )
        )
        self.plan = plan


ANONYMISED_NAME: Promise = gettext_lazy("Anonymised")


def _pseudonym() -> str:
    """An 11-character stand-in for the identity code that no real code can equal."""
    return "X" + secrets.token_hex(5).upper()


def _text_fields(model: type[models.Model]) -> list[str]:
    names = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.TextField)]
    names.extend(FREE_TEXT_CHARFIELDS.get(model._meta.label_lower, ()))
    return names


def _forget_funding_cache() -> None:
    """Drop this process's funding result at once; other processes notice the
    anonymisation through the funding store key (``funding.results.store_key``), so
    no old identity code is served from a kept result."""
    from silta.funding import results

    results.forget_cached()


@transaction.atomic
def client_erase(*, actor: User | None, client: Client, dry_run: bool = False) -> ErasurePlan:
    """Erase or anonymise the client; ``ErasureRefused`` with the reasons while any
    record is under a retention obligation. All or nothing; recorded in the change
    log without the removed values. ``actor`` None is the operator at the command
    line; a user needs the erasure permission (administrators)."""
    if actor is not None and not memberships_with(actor, Perm.CLIENT_ERASE):
        raise AccessDenied(AccessError.NOT_PERMITTED)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    plan = erasure_plan(locked)
    if not plan.allowed:
        raise ErasureRefused(plan)
    if dry_run:
        return plan
    if plan.action == ERASE:
        client_pk = locked.pk
        locked.delete()
        change_log_write(
            actor=actor,
            event="client.erased",
            target_type="clients.client",
            target_id=str(client_pk),
            changes={"erased": plan.records},
        )
        return plan
    rows = _all_rows(locked)
    pseudonym = _pseudonym()
    old_code = locked.personal_id
    cleared = 0
    for model, objs in rows.items():
        if model is Client:
            continue
        text_fields = _text_fields(model)
        identity = [
            n for n in IDENTITY_FIELDS if any(f.name == n for f in model._meta.concrete_fields)
        ]
        updates: dict[str, Any] = dict.fromkeys(text_fields, "")
        pks = [o.pk for o in objs]
        if updates:
            cleared += model._default_manager.filter(pk__in=pks).update(**updates)
        for name in identity:
            model._default_manager.filter(pk__in=pks, **{name: old_code}).update(
                **{name: pseudonym}
            )
    name = str(ANONYMISED_NAME)
    locked.personal_id = pseudonym
    locked.last_name = name
    locked.first_names = pseudonym
    locked.phone = ""
    locked.email = ""
    locked.search_name = Client.make_search_name(name, pseudonym)
    locked.save(
        update_fields=[
            "personal_id",
            "last_name",
            "first_names",
            "phone",
            "email",
            "search_name",
            "updated_at",
        ]
    )
    change_log_write(
        actor=actor,
        event="client.anonymised",
        target=locked,
        changes={
            "personal_id": ["(removed)", pseudonym],
            "names": ["(removed)", name],
            "contact": ["(removed)", ""],
            "records": plan.records,
            "text_rows_cleared": cleared,
        },
    )
    transaction.on_commit(_forget_funding_cache)
    return plan
