"""Every read of rehabilitative work activity: scoped to the acting user, and written
to the access log (one row per page or API read, naming the clients shown and the
basis). A placement, provider or claim outside the user's scope answers 404."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from silta.accounts.models import Membership, User
from silta.accounts.roles import Perm
from silta.audit.services import access_log_write
from silta.casework.models import PlanVersion
from silta.clients.models import Client
from silta.clients.policies import client_access_grant
from silta.core import dates
from silta.funding.models import Basis, BenefitPayment
from silta.rehab.attendance import week_of
from silta.rehab.models import (
    Attendance,
    Contract,
    FeeClaim,
    OutcomeFee,
    Placement,
    Provider,
    Statement,
)
from silta.rehab.policies import (
    RehabGrant,
    is_provider_side,
    organiser_membership,
    placement_grant,
    placements_filter,
    provider_grant,
)
from silta.rehab.rates import RehabRates, default_rates, round_eur
from silta.rehab.services import add_months, effective_days
from silta.rehab.statements import (
    StatementData,
    month_end,
    organisers_of,
    statement_compute,
    statement_from_stored,
)


def _placements() -> QuerySet[Placement]:
    return Placement.objects.select_related(
        "client", "provider__organisation", "work_site", "contract", "organiser"
    )


def _log(
    actor: User,
    grant_or_membership: RehabGrant | Membership,
    section: str,
    ids: Sequence[uuid.UUID],
    path: str,
) -> None:
    if isinstance(grant_or_membership, RehabGrant):
        membership, basis = grant_or_membership.membership, grant_or_membership.basis
    else:
        membership = grant_or_membership
        basis = (
            "client_relationship:placement"
            if is_provider_side(membership)
            else "task:rehab_organiser"
        )
    access_log_write(
        actor=actor,
        membership=membership,
        section=section,
        basis=basis,
        client_ids=list(ids),
        path=path,
    )


# --- placements ------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    placement: Placement
    kind: str  # "plan_review" | "no_attendance"
    since: dt.date


@dataclass
class PlacementList:
    placements: list[Placement]
    is_provider: bool
    alerts: list[Alert] = field(default_factory=list)
    last_present: dict[uuid.UUID, dt.date | None] = field(default_factory=dict)


def placements_for(
    *, actor: User, status: str = "active", path: str = "", limit: int = 200
) -> PlacementList:
    """The placements the actor may see (provider staff: their own organisation's;
    Soite: those their organisation organises), with the alerts. Logged once."""
    scope = placements_filter(actor, Perm.REHAB_PORTAL) or placements_filter(
        actor, Perm.REHAB_MANAGE
    )
    if scope is None:
        return PlacementList([], False)
    q, membership = scope
    today = dates.today()
    qs = _placements().filter(q)
    if status == "active":
        qs = qs.filter(start_on__lte=today).filter(
            Q(ended_on__isnull=True, planned_end_on__gte=today) | Q(ended_on__gte=today)
        )
    elif status == "ended":
        qs = qs.filter(Q(ended_on__lt=today) | Q(ended_on__isnull=True, planned_end_on__lt=today))
    elif status == "upcoming":
        qs = qs.filter(start_on__gt=today)
    rows: list[Placement] = list(
        qs.annotate(
            last_present=Max("attendance__day", filter=Q(attendance__present=True))
        ).order_by("client__last_name", "client__first_names", "start_on", "id")[:limit]
    )
    rates = default_rates()
    alerts: list[Alert] = []
    for p in rows:
        if not p.is_active_on(today) or p.ended_on is not None:
            continue
        review_on = add_months(p.start_on, rates.plan_review_months)
        if review_on <= today + dt.timedelta(days=30):
            alerts.append(Alert(p, "plan_review", review_on))
        last = p.last_present or p.start_on  # type: ignore[attr-defined]
        if (today - last).days >= rates.no_attendance_days and (
            today - p.start_on
        ).days >= rates.no_attendance_days:
            alerts.append(Alert(p, "no_attendance", last))
    _log(actor, membership, f"rehab_placements:{status}", [p.client_id for p in rows], path)
    return PlacementList(
        rows,
        is_provider_side(membership),
        alerts,
        {p.pk: p.last_present for p in rows},  # type: ignore[attr-defined]
    )


def placement_for_action(
    *, actor: User, placement_id: uuid.UUID, perm: Perm
) -> tuple[Placement, RehabGrant]:
    """The placement for a form or an action, or 404. Not logged: the page that shows
    the placement's data logs the read."""
    placement = _placements().filter(pk=placement_id).first()
    grant = placement_grant(actor, placement, perm) if placement is not None else None
    if placement is None or grant is None:
        raise Http404("No such placement.")
    return placement, grant


def placement_form_for(
    *, actor: User, placement_id: uuid.UUID, perm: Perm, path: str = ""
) -> tuple[Placement, RehabGrant]:
    """The placement for a form page that shows the client's name: logged (issue 13)."""
    placement, grant = placement_for_action(actor=actor, placement_id=placement_id, perm=perm)
    _log(actor, grant, "rehab_placement:form", [placement.client_id], path)
    return placement, grant


def client_for_placement_form(*, actor: User, client_id: uuid.UUID, path: str = "") -> Client:
    """The client of a new placement: a client the organiser's organisation works with
    (its own client relationship), or 404 the same as a client that does not exist.
    The form shows the client's name and plans: logged."""
    client = Client.objects.filter(pk=client_id).first()
    grant = client_access_grant(actor, client) if client is not None else None
    organiser = organiser_membership(actor, Perm.REHAB_MANAGE)
    if client is None or grant is None or organiser is None:
        raise Http404("No such client.")
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="rehab_placement:new_form",
        basis=grant.basis,
        client_ids=[client.pk],
        path=path,
    )
    return client


def provider_sees_client_data(placement: Placement, grant: RehabGrant) -> bool:
    """Provider staff see the client's contacts and the plan's goals while the
    placement runs; after it ends they keep their own records (attendance, fee claims)
    but not the client's other data (issue 13)."""
    if not grant.is_provider:
        return True
    return placement.last_day >= dates.today()


@dataclass(frozen=True)
class WeekDay:
    day: dt.date
    row: Attendance | None
    open: bool
    """Attendance may be recorded: inside the placement and not in the future."""

    @property
    def billed(self) -> bool:
        return self.row is not None and self.row.statement_id is not None


@dataclass
class PlacementView:
    placement: Placement
    grant: RehabGrant
    plan_goals: str
    week: list[WeekDay]
    monday: dt.date
    claims: list[FeeClaim]
    fees: list[OutcomeFee]
    present_days: int
    rates: RehabRates
    client_data_open: bool = True
    """False for provider staff once the placement has ended: contacts and the plan's
    goals are closed, the provider's own records stay."""

    @property
    def previous_week(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next_week(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)

    @property
    def week_hours(self) -> Decimal:
        return sum(
            (d.row.hours or Decimal(0) for d in self.week if d.row is not None and d.row.present),
            Decimal(0),
        )


def default_week(placement: Placement) -> dt.date:
    """The Monday of the week to show: this week, or the placement's last week."""
    today = dates.today()
    day = min(today, placement.last_day)
    day = max(day, placement.start_on)
    return week_of(day)[0]


def week_days(placement: Placement, monday: dt.date) -> list[WeekDay]:
    """The seven days of a week of the placement, with each day's latest row (for the
    grid; not logged: the page that shows them logs the read)."""
    rows = effective_days([placement.pk], monday, monday + dt.timedelta(days=6))
    today = dates.today()
    return [
        WeekDay(
            d,
            rows.get((placement.pk, d)),
            placement.start_on <= d <= min(placement.last_day, today),
        )
        for d in (monday + dt.timedelta(days=i) for i in range(7))
    ]


def placement_get_for(
    *, actor: User, placement_id: uuid.UUID, week: dt.date | None = None, path: str = ""
) -> PlacementView:
    """A placement's page: the minimum the placement needs (name, contacts, the goals of
    the linked plan, schedule, one week of attendance, fee claims). Logged once."""
    placement = _placements().filter(pk=placement_id).first()
    grant = None
    if placement is not None:
        grant = placement_grant(actor, placement, Perm.REHAB_PORTAL) or placement_grant(
            actor, placement, Perm.REHAB_MANAGE
        )
    if placement is None or grant is None:
        raise Http404("No such placement.")
    monday = week_of(week)[0] if week is not None else default_week(placement)
    days = week_days(placement, monday)
    goals = ""
    open_data = provider_sees_client_data(placement, grant)
    if placement.plan_id is not None and open_data:
        latest = PlanVersion.objects.filter(plan_id=placement.plan_id).order_by("-number").first()
        goals = latest.goals if latest is not None else ""
    present = len(
        {
            day
            for (_pid, day), row in effective_days(
                [placement.pk], placement.start_on, placement.last_day
            ).items()
            if row.present
        }
    )
    section = (
        (
            "rehab_placement:name,contacts,plan_goals,attendance"
            if open_data
            else "rehab_placement:name,attendance"
        )
        if grant.is_provider
        else "rehab_placement:identity,contacts,plan_goals,attendance,outcome,fees"
    )
    _log(actor, grant, section, [placement.client_id], path)
    return PlacementView(
        placement=placement,
        grant=grant,
        plan_goals=goals,
        week=days,
        monday=monday,
        claims=list(FeeClaim.objects.filter(placement=placement).prefetch_related("moves", "fees")),
        fees=list(
            OutcomeFee.objects.filter(placement=placement).select_related("contract_version")
        ),
        present_days=present,
        rates=default_rates(),
        client_data_open=open_data,
    )


def fee_claim_get_for(
    *, actor: User, claim_id: uuid.UUID, path: str = ""
) -> tuple[FeeClaim, RehabGrant]:
    claim = FeeClaim.objects.select_related("placement").filter(pk=claim_id).first()
    grant = None
    if claim is not None:
        placement = _placements().get(pk=claim.placement_id)
        claim.placement = placement
        grant = placement_grant(actor, placement, Perm.REHAB_FEE_VERIFY) or placement_grant(
            actor, placement, Perm.REHAB_FEE_CLAIM
        )
    if claim is None or grant is None:
        raise Http404("No such claim.")
    _log(actor, grant, "rehab_fee_claim:outcome,placement", [claim.placement.client_id], path)
    return claim, grant


def fee_for_action(*, actor: User, fee_id: uuid.UUID) -> OutcomeFee:
    fee = OutcomeFee.objects.select_related("placement").filter(pk=fee_id).first()
    if fee is None or placement_grant(actor, fee.placement, Perm.REHAB_FEE_VERIFY) is None:
        raise Http404("No such fee.")
    return fee


# --- providers and contracts -----------------------------------------------------


def providers_for(*, actor: User) -> list[Provider]:
    """Providers (organisation data, not person-level; not logged)."""
    providers = Provider.objects.select_related("organisation").annotate(
        placement_count=Count("placements", distinct=True)
    )
    out: list[Provider] = []
    for p in providers:
        if provider_grant(actor, p, Perm.REHAB_STATEMENT_VIEW) or provider_grant(
            actor, p, Perm.REHAB_PORTAL
        ):
            out.append(p)
    return out


def provider_get_for(
    *, actor: User, provider_id: uuid.UUID, perm: Perm
) -> tuple[Provider, RehabGrant]:
    provider = Provider.objects.select_related("organisation").filter(pk=provider_id).first()
    grant = provider_grant(actor, provider, perm) if provider is not None else None
    if provider is None or grant is None:
        raise Http404("No such provider.")
    return provider, grant


def contract_get_for(*, actor: User, contract_id: uuid.UUID) -> Contract:
    contract = (
        Contract.objects.select_related("provider__organisation").filter(pk=contract_id).first()
    )
    if contract is None or provider_grant(actor, contract.provider, Perm.REHAB_MANAGE) is None:
        raise Http404("No such contract.")
    return contract


# --- statements ------------------------------------------------------------------


def statements_for(
    *, actor: User, provider_id: uuid.UUID, month: dt.date, path: str = ""
) -> tuple[Provider, list[StatementData], RehabGrant]:
    """The provider's statements of a month, one per organiser the actor may see:
    approved ones as stored, the others as a preview. Logged once, naming every client
    on the lines."""
    provider, grant = provider_get_for(
        actor=actor, provider_id=provider_id, perm=Perm.REHAB_STATEMENT_VIEW
    )
    organiser_ids = None if grant.is_provider else [grant.membership.organisation_id]
    out: list[StatementData] = []
    for organiser in organisers_of(provider, organiser_ids):
        stored = (
            Statement.objects.filter(provider=provider, organiser=organiser, month=month)
            .select_related("provider__organisation", "organiser", "approved_by")
            .first()
        )
        out.append(
            statement_from_stored(stored)
            if stored is not None
            else statement_compute(provider=provider, organiser=organiser, month=month)
        )
    ids = [cid for data in out for cid in data.client_ids]
    _log(actor, grant, f"rehab_statement:{month:%Y-%m}", ids, path)
    return provider, out, grant


def approved_statements_for(*, actor: User, provider_id: uuid.UUID) -> list[Statement]:
    provider, grant = provider_get_for(
        actor=actor, provider_id=provider_id, perm=Perm.REHAB_STATEMENT_VIEW
    )
    qs = Statement.objects.filter(provider=provider).select_related("organiser")
    if not grant.is_provider:
        qs = qs.filter(organiser_id=grant.membership.organisation_id)
    return list(qs.order_by("-month"))


# --- Kela and state lists --------------------------------------------------------


@dataclass
class ListRow:
    client_id: uuid.UUID
    client_name: str
    personal_id: str
    provider: str
    days: int
    eligible_days: int
    amount: Decimal


@dataclass
class MonthList:
    month: dt.date
    rows: list[ListRow]
    rate: Decimal
    verified: bool
    source: str

    @property
    def total_days(self) -> int:
        return sum(r.eligible_days for r in self.rows)

    @property
    def total_eur(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal("0.00"))


def _present_days_in_month(
    q: Q, month: dt.date
) -> tuple[dict[uuid.UUID, Placement], dict[uuid.UUID, list[dt.date]]]:
    first, last = month, month_end(month)
    placements = {
        p.pk: p
        for p in _placements()
        .filter(q, start_on__lte=last)
        .filter(Q(ended_on__isnull=True, planned_end_on__gte=first) | Q(ended_on__gte=first))
    }
    days: dict[uuid.UUID, list[dt.date]] = defaultdict(list)
    for (pid, day), row in sorted(
        effective_days(list(placements), first, last).items(), key=lambda x: x[0][1]
    ):
        if row.present:
            days[pid].append(day)  # type: ignore[index]
    return placements, days


def _list_scope(actor: User) -> tuple[Q, Membership]:
    m = organiser_membership(actor, Perm.REHAB_LISTS)
    if m is None:
        raise Http404("Not found.")
    return Q(organiser_id=m.organisation_id), m


def kela_list_for(*, actor: User, month: dt.date, path: str = "") -> MonthList:
    """Participant-days that entitle to Kela's expense allowance: days present while the
    participant is on unemployment benefit (a Kela payment period on the day), at most
    the weekly maximum. Logged once, naming everyone on the list."""
    q, membership = _list_scope(actor)
    rates = default_rates()
    placements, days = _present_days_in_month(q, month)
    client_ids = {placements[pid].client_id for pid in days}
    covered: dict[uuid.UUID, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for cid, start, end in BenefitPayment.objects.filter(
        client_id__in=client_ids,
        basis__in=[Basis.UNEMPLOYMENT, Basis.SERVICE],
        amount_eur__gt=0,
        period_start__lte=month_end(month),
        period_end__gte=month,
    ).values_list("client_id", "period_start", "period_end"):
        covered[cid].append((start, end))
    rows: dict[uuid.UUID, ListRow] = {}
    for pid, present in days.items():
        p = placements[pid]
        per_week: dict[dt.date, int] = defaultdict(int)
        eligible = 0
        for day in present:
            on_benefit = any(a <= day <= b for a, b in covered.get(p.client_id, []))
            monday = week_of(day)[0]
            if on_benefit and per_week[monday] < rates.kela_max_days_per_week:
                per_week[monday] += 1
                eligible += 1
        row = rows.get(p.client_id)
        if row is None:
            row = rows[p.client_id] = ListRow(
                p.client_id,
                f"{p.client.last_name}, {p.client.first_names}",
                p.client.personal_id,
                p.provider.organisation.name,
                0,
                0,
                Decimal("0.00"),
            )
        row.days += len(present)
        row.eligible_days += eligible
    for row in rows.values():
        row.amount = round_eur(row.eligible_days * rates.kela_eur_per_day)
    out = sorted(rows.values(), key=lambda r: (r.client_name, str(r.client_id)))
    _log(actor, membership, f"rehab_kela_list:{month:%Y-%m}", [r.client_id for r in out], path)
    return MonthList(
        month,
        out,
        rates.kela_eur_per_day,
        rates.is_verified("kela_expense_allowance", "eur_per_day"),
        rates.source("kela_expense_allowance", "eur_per_day"),
    )


def state_list_for(*, actor: User, month: dt.date, path: str = "") -> MonthList:
    """Participant-days for the state's reimbursement to the organiser (the rate is
    data, marked to verify). Logged once."""
    q, membership = _list_scope(actor)
    rates = default_rates()
    placements, days = _present_days_in_month(q, month)
    rows = []
    for pid, present in days.items():
        p = placements[pid]
        rows.append(
            ListRow(
                p.client_id,
                f"{p.client.last_name}, {p.client.first_names}",
                p.client.personal_id,
                p.provider.organisation.name,
                len(present),
                len(present),
                round_eur(len(present) * rates.state_eur_per_day),
            )
        )
    rows.sort(key=lambda r: (r.client_name, r.provider))
    _log(actor, membership, f"rehab_state_list:{month:%Y-%m}", [r.client_id for r in rows], path)
    return MonthList(
        month,
        rows,
        rates.state_eur_per_day,
        rates.is_verified("state_reimbursement", "eur_per_day"),
        rates.source("state_reimbursement", "eur_per_day"),
    )


# --- figures ---------------------------------------------------------------------


def rehab_participants(year: int) -> int:
    """Participants in rehabilitative work activity during the year: distinct clients
    with a placement on any day of it (aggregate, no person-level data)."""
    return rehab_participants_between(dt.date(year, 1, 1), dt.date(year, 12, 31))


def rehab_participants_between(first: dt.date, last: dt.date) -> int:
    """Participants in rehabilitative work activity during ``first..last`` (both days
    included): distinct clients with a placement on any day of the period — started on
    or before its last day and not ended (or, while running, not planned to end) before
    its first day."""
    return (
        Placement.objects.filter(start_on__lte=last)
        .filter(Q(ended_on__isnull=True, planned_end_on__gte=first) | Q(ended_on__gte=first))
        .values("client_id")
        .distinct()
        .count()
    )
