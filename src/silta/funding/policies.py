"""Who sees which funding-share data (DESIGN.md "Who sees what"). Deny by default.

- Finance analysts see person-level funding data (explanations, the radar,
  reconciliation) of residents of their organisation's municipality
  (``task:municipal_funding_share``).
- Employment case workers (a case worker of an employment-services organisation) see
  the cost radar of the municipalities of their organisation's employment area
  (``task:employment_area_cost_radar``); not explanations or reconciliation.
- The dashboard shows aggregated figures to finance analysts and managers; a count
  of persons under 5 is hidden unless the viewer has person-level scope for that
  municipality.

A person belongs to the municipality of the client's current home municipality; a
payment-store person who is not (yet) a client, to the municipality of their latest
payment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import OrganisationKind, Perm, Role
from silta.places.models import Municipality

BASIS_FUNDING_TASK = "task:municipal_funding_share"
BASIS_RADAR_TASK = "task:employment_area_cost_radar"
SMALL_CELL = 5


@dataclass(frozen=True)
class FundingGrant:
    """The membership that gives a user a municipality, and on what basis."""

    membership: Membership
    basis: str


def funding_scope(user: User | AnonymousUser, perm: Perm) -> dict[str, FundingGrant]:
    """Municipality code -> grant, for the municipalities whose residents' person-level
    funding data the user may see with ``perm`` (FUNDING_VIEW_PERSON or FUNDING_RADAR)."""
    scope: dict[str, FundingGrant] = {}
    for m in memberships_with(user, perm):
        municipality = m.organisation.municipality
        if municipality is None:
            continue
        if m.role == Role.FINANCE_ANALYST:
            scope.setdefault(municipality.code, FundingGrant(m, BASIS_FUNDING_TASK))
        elif (
            perm == Perm.FUNDING_RADAR
            and m.role == Role.CASE_WORKER
            and m.organisation.kind == OrganisationKind.EMPLOYMENT_SERVICES
            and municipality.employment_area_id is not None
        ):
            for code in Municipality.objects.filter(
                employment_area_id=municipality.employment_area_id
            ).values_list("code", flat=True):
                scope.setdefault(code, FundingGrant(m, BASIS_RADAR_TASK))
    return scope


def can_view_person_funding(user: User | AnonymousUser, municipality_code: str) -> bool:
    return municipality_code in funding_scope(user, Perm.FUNDING_VIEW_PERSON)


def shows_small_cells(user: User | AnonymousUser, municipality_code: str | None) -> bool:
    """Whether counts under 5 persons may be shown to the user (person-level scope for
    the municipality; for the region, for every municipality in it)."""
    scope = funding_scope(user, Perm.FUNDING_VIEW_PERSON)
    if municipality_code is None:
        return bool(scope) and set(scope) >= set(
            Municipality.objects.values_list("code", flat=True)
        )
    return municipality_code in scope
