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
from django.utils.translation import gettext_lazy as _

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
            .select_related(
                "provider__organisation", "organiser", "checked_by", "approved_by", "sent_by"
            )
            .first()
        )
        if stored is not None and stored.is_locked:
            out.append(statement_from_stored(stored))
        else:
            # a draft, or a checked statement: the live preview, with the check's record
            data = statement_compute(provider=provider, organiser=organiser, month=month)
            data.statement = stored
            out.append(data)
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


class DayClass:
    """Where an attendance day of the month goes on the allowance lists."""

    KELA = "kela"
    KELA_OVER = "kela_over"
    ACTIVITY = "activity"
    ACTIVITY_OVER = "activity_over"
    ABSENT = "absent"
    NO_BASIS = "no_basis"


# the reasons a list gives for a day it does not count, in the order shown
REASON_LABELS = {
    "absent": _("absent"),
    "over_week": _("over the weekly maximum"),
    "other_list": _("on the other allowance list"),
    "no_basis": _("no unemployment benefit or social assistance"),
}
LIST_REASONS = {
    "kela": ("absent", "over_week", "other_list", "no_basis"),
    "activity": ("absent", "over_week", "other_list", "no_basis"),
    "state": ("absent",),
}
_REASON_OF = {
    "kela": {
        DayClass.ABSENT: "absent",
        DayClass.KELA_OVER: "over_week",
        DayClass.ACTIVITY: "other_list",
        DayClass.ACTIVITY_OVER: "other_list",
        DayClass.NO_BASIS: "no_basis",
    },
    "activity": {
        DayClass.ABSENT: "absent",
        DayClass.ACTIVITY_OVER: "over_week",
        DayClass.KELA: "other_list",
        DayClass.KELA_OVER: "other_list",
        DayClass.NO_BASIS: "no_basis",
    },
}
_COUNTED = {"kela": {DayClass.KELA}, "activity": {DayClass.ACTIVITY}}


@dataclass
class ListRow:
    client_id: uuid.UUID
    client_name: str
    personal_id: str
    provider: str
    days: int
    """Attendance days recorded in the month (present or absent)."""
    eligible_days: int
    """Days the list counts."""
    amount: Decimal
    not_counted: dict[str, int] = field(default_factory=dict)
    """Days not counted, by reason (``REASON_LABELS``)."""
    not_counted_row: list[int] = field(default_factory=list)
    """``not_counted`` in the order of the list's reasons (for the table)."""

    def reason_days(self, reasons: Sequence[str]) -> list[int]:
        return [self.not_counted.get(r, 0) for r in reasons]


@dataclass
class MonthList:
    month: dt.date
    rows: list[ListRow]
    rate: Decimal
    verified: bool
    source: str
    kind: str = "kela"
    max_days_per_week: int | None = None

    @property
    def total_days(self) -> int:
        return sum(r.eligible_days for r in self.rows)

    @property
    def total_recorded(self) -> int:
        return sum(r.days for r in self.rows)

    @property
    def total_eur(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal("0.00"))

    @property
    def reasons(self) -> list[tuple[str, str]]:
        return [(key, str(REASON_LABELS[key])) for key in LIST_REASONS[self.kind]]

    @property
    def reason_totals(self) -> list[int]:
        keys = LIST_REASONS[self.kind]
        return [sum(r.not_counted.get(k, 0) for r in self.rows) for k in keys]


def _placements_in_month(q: Q, first: dt.date, last: dt.date) -> dict[uuid.UUID, Placement]:
    return {
        p.pk: p
        for p in _placements()
        .filter(q, start_on__lte=last)
        .filter(Q(ended_on__isnull=True, planned_end_on__gte=first) | Q(ended_on__gte=first))
    }


def classify_days(
    q: Q, month: dt.date
) -> tuple[dict[uuid.UUID, Placement], list[tuple[uuid.UUID, dt.date, str]]]:
    """Every attendance day of the month (the day's latest row) of the placements in
    ``q``, classified once for both allowance lists: Kela's expense allowance for a day
    present on unemployment benefit (a Kela payment period on the day), the activity
    allowance for a day present without it when the participant gets social
    assistance; each at most the weekly maximum a calendar week (a week reaching into
    the previous month counts its days there too); else absent or no basis."""
    rates = default_rates()
    first, last = month, month_end(month)
    week_start = first - dt.timedelta(days=first.weekday())
    placements = _placements_in_month(q, week_start, last)
    client_ids = {p.client_id for p in placements.values()}
    covered: dict[uuid.UUID, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for cid, start, end in BenefitPayment.objects.filter(
        client_id__in=client_ids,
        basis__in=[Basis.UNEMPLOYMENT, Basis.SERVICE],
        amount_eur__gt=0,
        period_start__lte=last,
        period_end__gte=week_start,
    ).values_list("client_id", "period_start", "period_end"):
        covered[cid].append((start, end))  # type: ignore[index]
    per_week: dict[tuple[str, uuid.UUID, dt.date], int] = defaultdict(int)
    out: list[tuple[uuid.UUID, dt.date, str]] = []
    rows = sorted(
        effective_days(list(placements), week_start, last).items(),
        key=lambda x: (x[0][1], str(x[0][0])),
    )
    for (pid, day), row in rows:
        p = placements[pid]  # type: ignore[index]
        if not row.present:
            cls = DayClass.ABSENT
        else:
            on_benefit = any(a <= day <= b for a, b in covered.get(p.client_id, []))
            if on_benefit:
                key, cap = ("kela", p.client_id, week_of(day)[0]), rates.kela_max_days_per_week
                over, counted = DayClass.KELA_OVER, DayClass.KELA
            elif p.social_assistance:
                key = ("activity", p.client_id, week_of(day)[0])
                cap, over, counted = (
                    rates.activity_max_days_per_week,
                    DayClass.ACTIVITY_OVER,
                    DayClass.ACTIVITY,
                )
            else:
                key, cap, over, counted = None, 0, DayClass.NO_BASIS, DayClass.NO_BASIS
            if key is None:
                cls = counted
            elif per_week[key] < cap:
                per_week[key] += 1
                cls = counted
            else:
                cls = over
        if day >= first:
            out.append((p.pk, day, cls))
    return placements, out


def _list_scope(actor: User) -> tuple[Q, Membership]:
    m = organiser_membership(actor, Perm.REHAB_LISTS)
    if m is None:
        raise Http404("Not found.")
    return Q(organiser_id=m.organisation_id), m


def _allowance_list(q: Q, month: dt.date, kind: str, rate: Decimal) -> list[ListRow]:
    placements, days = classify_days(q, month)
    rows: dict[uuid.UUID, ListRow] = {}
    for pid, _day, cls in days:
        p = placements[pid]
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
        row.days += 1
        if kind == "state":
            if cls == DayClass.ABSENT:
                row.not_counted["absent"] = row.not_counted.get("absent", 0) + 1
            else:
                row.eligible_days += 1
        elif cls in _COUNTED[kind]:
            row.eligible_days += 1
        else:
            reason = _REASON_OF[kind][cls]
            row.not_counted[reason] = row.not_counted.get(reason, 0) + 1
    for row in rows.values():
        row.amount = round_eur(row.eligible_days * rate)
        row.not_counted_row = row.reason_days(LIST_REASONS[kind])
    return sorted(rows.values(), key=lambda r: (r.client_name, str(r.client_id)))


LISTS = {
    "kela": ("rehab_kela_list", "kela_expense_allowance"),
    "activity": ("rehab_activity_list", "activity_allowance"),
    "state": ("rehab_state_list", "state_reimbursement"),
}


def month_list_for(*, actor: User, month: dt.date, kind: str, path: str = "") -> MonthList:
    """One of the month's lists of the actor's organisation's placements, every
    attendance day accounted for: Kela's expense allowance, the activity allowance
    (social assistance recipients, paid by the wellbeing services county) and the
    state reimbursement. Logged once, naming everyone on the list."""
    q, membership = _list_scope(actor)
    rates = default_rates()
    section, rate_section = LISTS[kind]
    rate = {
        "kela": rates.kela_eur_per_day,
        "activity": rates.activity_eur_per_day,
        "state": rates.state_eur_per_day,
    }[kind]
    rows = _allowance_list(q, month, kind, rate)
    _log(actor, membership, f"{section}:{month:%Y-%m}", [r.client_id for r in rows], path)
    return MonthList(
        month,
        rows,
        rate,
        rates.is_verified(rate_section, "eur_per_day"),
        rates.source(rate_section, "eur_per_day"),
        kind,
        {
            "kela": rates.kela_max_days_per_week,
            "activity": rates.activity_max_days_per_week,
        }.get(kind),
    )


def kela_list_for(*, actor: User, month: dt.date, path: str = "") -> MonthList:
    """Kela's expense allowance: days present on unemployment benefit, at most the
    weekly maximum."""
    return month_list_for(actor=actor, month=month, kind="kela", path=path)


def activity_list_for(*, actor: User, month: dt.date, path: str = "") -> MonthList:
    """The activity allowance: days present without unemployment benefit while the
    participant gets social assistance."""
    return month_list_for(actor=actor, month=month, kind="activity", path=path)


def state_list_for(*, actor: User, month: dt.date, path: str = "") -> MonthList:
    """Participant-days for the state's reimbursement to the organiser (the rate is
    data, marked to verify)."""
    return month_list_for(actor=actor, month=month, kind="state", path=path)


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
