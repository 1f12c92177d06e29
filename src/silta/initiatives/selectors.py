"""Every read of council initiatives, scoped to the acting user. Initiatives carry no
client data (the submitters and preparers are elected officials and staff), so no
access-log rows are written."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from silta.accounts.models import Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm, Role, role_has
from silta.core import dates
from silta.initiatives import workflow
from silta.initiatives.figures import figure_labels
from silta.initiatives.models import Initiative
from silta.initiatives.policies import can_prepare, initiative_manager


@dataclass(frozen=True)
class InitiativeRow:
    initiative: Initiative
    age_days: int
    overdue: bool


@dataclass(frozen=True)
class InitiativeView:
    initiative: Initiative
    age_days: int
    overdue: bool
    can_manage: bool
    can_prepare: bool
    figures: list[tuple[str, str, str]]  # key, label, value


def _visible(actor: User) -> bool:
    return bool(memberships_with(actor, Perm.INITIATIVE_VIEW))


def initiative_list_for(*, actor: User, open_only: bool = True) -> list[InitiativeRow]:
    """Initiatives (open ones by default, oldest first) with their age in days."""
    if not _visible(actor):
        return []
    qs = Initiative.objects.select_related("organisation").order_by("submitted_on", "title")
    if open_only:
        qs = qs.filter(status__in=workflow.OPEN)
    today = dates.today()
    return [InitiativeRow(i, i.age_days(today), i.is_overdue(today)) for i in qs]


def initiative_get_for(*, actor: User, initiative_id: uuid.UUID) -> InitiativeView:
    """One initiative with its preparers and status history, or 404."""
    if not _visible(actor):
        raise Http404("No such initiative.")
    initiative = (
        Initiative.objects.select_related("organisation")
        .prefetch_related("preparers__user", "moves__actor")
        .filter(pk=initiative_id)
        .first()
    )
    if initiative is None:
        raise Http404("No such initiative.")
    today = dates.today()
    labels = figure_labels() if initiative.figures else {}
    return InitiativeView(
        initiative=initiative,
        age_days=initiative.age_days(today),
        overdue=initiative.is_overdue(today),
        can_manage=initiative_manager(actor, initiative) is not None,
        can_prepare=can_prepare(actor, initiative),
        figures=[(k, labels.get(k, k), v) for k, v in initiative.figures.items()],
    )


def initiative_for_action(*, actor: User, initiative_id: uuid.UUID) -> Initiative:
    """The initiative for a write form; 404 when the actor may not read it (services
    check the right to write)."""
    return initiative_get_for(actor=actor, initiative_id=initiative_id).initiative


def preparer_candidates(*, initiative: Initiative) -> QuerySet[User]:
    """Staff of the preparing organisation who may read initiatives (active today)."""
    today = dates.today()
    roles = [r.value for r in Role if role_has(r, Perm.INITIATIVE_VIEW)]
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=initiative.organisation_id,
            memberships__role__in=roles,
            memberships__valid_from__lte=today,
        )
        .exclude(memberships__valid_to__lt=today)
        .distinct()
        .order_by("last_name", "first_name")
    )


def managed_organisations(*, actor: User) -> QuerySet[Organisation]:
    ids = [m.organisation_id for m in memberships_with(actor, Perm.INITIATIVE_MANAGE)]
    return Organisation.objects.filter(pk__in=ids).order_by("name_fi")
