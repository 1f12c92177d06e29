"""Every read of governance, scoped to the acting user. The agreement, bodies and
meetings carry no client data; the work ability network's cases do, and every page or
API read of them writes one access-log row naming the clients shown and the basis."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import OrganisationKind, Perm
from silta.audit.services import access_log_write
from silta.casework.models import Plan, PlanStatus
from silta.casework.policies import CaseGrant, casework_grant
from silta.clients.models import Client
from silta.core import dates
from silta.governance import workflow
from silta.governance.indicators import STATISTICS, Period, Value
from silta.governance.indicators import network_clients as _network_clients
from silta.governance.indicators import network_meetings as _network_meetings
from silta.governance.indicators import network_new_referrals as _network_new_referrals
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
    ApprovalDelegation,
    Body,
    BodyKind,
    BodyMember,
    Consultation,
    Goal,
    Indicator,
    IndicatorDirection,
    Meeting,
    MeetingStatus,
    NetworkCase,
    NetworkCaseStatus,
)
from silta.governance.policies import (
    NETWORK_BASIS,
    NetworkGrant,
    agreement_manager,
    body_manager,
    decision_municipalities,
    municipal_staff,
    network_case_grant,
    network_coordinator,
    network_filter,
)
from silta.places.models import Municipality


def _viewer(actor: User) -> Membership:
    found = memberships_with(actor, Perm.GOVERNANCE_VIEW)
    if not found:
        raise Http404("Not found.")
    return found[0]


# --- strategic agreement -------------------------------------------------------------


def agreement_list_for(*, actor: User) -> list[Agreement]:
    _viewer(actor)
    return list(Agreement.objects.select_related("owner").prefetch_related("versions"))


@dataclass(frozen=True)
class IndicatorValue:
    indicator: Indicator
    value: Value | None
    as_of: dt.date | None

    @property
    def statistic_label(self) -> str:
        stat = STATISTICS.get(self.indicator.statistic)
        return str(stat.label) if stat else ""

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        if self.indicator.direction == IndicatorDirection.AT_MOST:
            return Decimal(self.value) <= self.indicator.target
        return Decimal(self.value) >= self.indicator.target

    @property
    def on_track(self) -> bool | None:
        """Whether the indicator is heading for its target: "at most" while the value
        has not passed the target; "at least" while the value has reached the target's
        share of the period elapsed by the date of the value (the whole target once
        the period is over or the value has no date). None before the period begins
        or without a value."""
        i = self.indicator
        if self.value is None or dates.today() < i.period_start:
            return None
        value = Decimal(self.value)
        if i.direction == IndicatorDirection.AT_MOST:
            return value <= i.target
        if self.as_of is None or self.as_of >= i.period_end:
            return value >= i.target
        days = (i.period_end - i.period_start).days + 1
        elapsed = max((self.as_of - i.period_start).days + 1, 0)
        return value * days >= i.target * elapsed


def indicator_value_of(indicator: Indicator) -> IndicatorValue:
    """The indicator's value now: its statistic over its period (up to today when the
    period is still running), or the value recorded by hand."""
    if indicator.statistic:
        stat = STATISTICS.get(indicator.statistic)
        if stat is None:
            return IndicatorValue(indicator, None, None)
        end = min(indicator.period_end, dates.today())
        if end < indicator.period_start:
            return IndicatorValue(indicator, 0, None)
        return IndicatorValue(indicator, stat.compute(Period(indicator.period_start, end)), end)
    return IndicatorValue(indicator, indicator.manual_value, indicator.manual_value_on)


def current_version(versions: list[AgreementVersion]) -> AgreementVersion:
    """The version to show: the one in force, else the one sent for approval, else the
    latest (``versions`` newest first)."""
    return next(
        (v for v in versions if v.status == AgreementStatus.IN_FORCE),
        next((v for v in versions if v.status == AgreementStatus.CIRCULATED), versions[0]),
    )


@dataclass(frozen=True)
class CurrentIndicator:
    agreement: Agreement
    version: AgreementVersion
    goal: Goal
    value: IndicatorValue


def current_indicators() -> list[CurrentIndicator]:
    """Every indicator of each agreement's current version with its value now. No
    client data (aggregates and the agreement's own text): the manager dashboard,
    guarded by its own permission, shows them."""
    found = []
    for agreement in Agreement.objects.prefetch_related("versions"):
        versions = sorted(agreement.versions.all(), key=lambda v: -v.number)
        if not versions:
            continue
        version = current_version(versions)
        for goal in version.goals.select_related("responsible").prefetch_related("indicators"):
            for indicator in goal.indicators.all():
                found.append(
                    CurrentIndicator(agreement, version, goal, indicator_value_of(indicator))
                )
    return found


@dataclass(frozen=True)
class VersionCount:
    version: AgreementVersion
    approved: int
    parties: int


@dataclass(frozen=True)
class BoardRow:
    municipality: Municipality
    decisions: list[Approval | None]
    """One per version on the board, newest version first: the latest decision."""


@dataclass
class AgreementView:
    agreement: Agreement
    versions: list[AgreementVersion]
    shown: AgreementVersion
    goals: list[tuple[Goal, list[IndicatorValue]]]
    counts: list[VersionCount]
    board: list[BoardRow]
    approvals: list[Approval]
    can_manage: bool
    parties: list[Municipality] = field(default_factory=list)
    delegations: list[ApprovalDelegation] = field(default_factory=list)
    may_record_for: list[Municipality] = field(default_factory=list)


def approval_counts(agreement: Agreement) -> list[VersionCount]:
    """For every version sent for approval: how many party municipalities approved it."""
    parties = agreement.municipalities.count()
    versions = list(
        agreement.versions.exclude(status=AgreementStatus.DRAFT)
        .annotate(
            approved=Count(
                "approvals__municipality",
                filter=Q(approvals__decision__in=APPROVING),
                distinct=True,
            )
        )
        .order_by("-number")
    )
    return [VersionCount(v, v.approved, parties) for v in versions]  # type: ignore[attr-defined]


def agreement_get_for(
    *, actor: User, agreement_id: uuid.UUID, version_number: int | None = None
) -> AgreementView:
    _viewer(actor)
    agreement = Agreement.objects.select_related("owner").filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404("No such agreement.")
    versions = list(agreement.versions.order_by("-number"))
    shown = next((v for v in versions if v.number == version_number), None)
    if shown is None:
        shown = current_version(versions)
    goals = [
        (g, [indicator_value_of(i) for i in g.indicators.all()])
        for g in shown.goals.select_related("responsible").prefetch_related("indicators")
    ]
    parties = list(agreement.municipalities.order_by("code"))
    counts = approval_counts(agreement)
    board_versions = [c.version for c in counts]
    approvals = list(
        Approval.objects.filter(version__agreement=agreement)
        .select_related("municipality", "version")
        .order_by("-meeting_date", "municipality__code")
    )
    latest: dict[tuple[uuid.UUID, int], Approval] = {}
    for a in sorted(approvals, key=lambda a: (a.meeting_date, a.created_at)):
        latest[(a.version_id, a.municipality_id)] = a
    board = [BoardRow(m, [latest.get((v.pk, m.pk)) for v in board_versions]) for m in parties]
    return AgreementView(
        agreement=agreement,
        versions=versions,
        shown=shown,
        goals=goals,
        counts=counts,
        board=board,
        approvals=approvals,
        can_manage=agreement_manager(actor, agreement) is not None,
        parties=parties,
        delegations=delegations_of(parties),
        may_record_for=decision_municipalities(actor, agreement),
    )


def agreement_for_action(*, actor: User, agreement_id: uuid.UUID) -> Agreement:
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None or agreement_manager(actor, agreement) is None:
        raise Http404("No such agreement.")
    return agreement


def agreement_get_or_404(*, actor: User, agreement_id: uuid.UUID) -> Agreement:
    """The agreement (no personal data) for a user with ``governance.view``; whether the
    user may record a decision is the caller's question."""
    _viewer(actor)
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404("No such agreement.")
    return agreement


def own_municipalities(*, actor: User) -> list[Municipality]:
    """The municipalities whose own staff the actor is (``governance.manage``)."""
    ids = {
        m.organisation.municipality_id
        for m in memberships_with(actor, Perm.GOVERNANCE_MANAGE)
        if m.organisation.kind == OrganisationKind.MUNICIPALITY
        and m.organisation.municipality_id is not None
    }
    return list(Municipality.objects.filter(pk__in=ids).order_by("code"))


def delegations_of(municipalities: list[Municipality]) -> list[ApprovalDelegation]:
    """The delegations of these municipalities in force today or later, for the board."""
    today = dates.today()
    return list(
        ApprovalDelegation.objects.filter(municipality__in=municipalities)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("municipality", "delegate_organisation", "delegate_user")
        .order_by("municipality__code", "valid_from", "pk")
    )


def delegation_for_action(*, actor: User, delegation_id: uuid.UUID) -> ApprovalDelegation:
    """A delegation its municipality's own staff may end, or 404."""
    delegation = (
        ApprovalDelegation.objects.select_related(
            "municipality", "delegate_organisation", "delegate_user"
        )
        .filter(pk=delegation_id)
        .first()
    )
    if delegation is None or municipal_staff(actor, delegation.municipality) is None:
        raise Http404("No such delegation.")
    return delegation


def goal_for_action(*, actor: User, goal_id: uuid.UUID) -> Goal:
    goal = Goal.objects.select_related("version__agreement").filter(pk=goal_id).first()
    if goal is None or agreement_manager(actor, goal.version.agreement) is None:
        raise Http404("No such goal.")
    return goal


def indicator_get_for(*, actor: User, indicator_id: uuid.UUID) -> IndicatorValue:
    _viewer(actor)
    indicator = (
        Indicator.objects.select_related("goal__version__agreement").filter(pk=indicator_id).first()
    )
    if indicator is None:
        raise Http404("No such indicator.")
    return indicator_value_of(indicator)


# --- bodies and meetings -------------------------------------------------------------


def body_list_for(*, actor: User) -> list[Body]:
    _viewer(actor)
    return list(
        Body.objects.select_related("convener").annotate(
            held=Count("meetings", filter=Q(meetings__status=MeetingStatus.HELD))
        )
    )


@dataclass
class BodyView:
    body: Body
    members: list[BodyMember]
    meetings: list[Meeting]
    can_manage: bool


def body_get_for(*, actor: User, body_id: uuid.UUID, year: int | None = None) -> BodyView:
    _viewer(actor)
    body = Body.objects.select_related("convener").filter(pk=body_id).first()
    if body is None:
        raise Http404("No such body.")
    today = dates.today()
    members = list(
        body.members.select_related("user", "organisation")
        .filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    )
    meetings = body.meetings.annotate(
        cases=Count("agenda", filter=Q(agenda__network_case__isnull=False))
    ).order_by("-held_on")
    if year is not None:
        meetings = meetings.filter(held_on__year=year)
    return BodyView(body, members, list(meetings[:200]), body_manager(actor, body) is not None)


def body_for_action(*, actor: User, body_id: uuid.UUID) -> Body:
    body = Body.objects.filter(pk=body_id).first()
    if body is None or body_manager(actor, body) is None:
        raise Http404("No such body.")
    return body


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    case: NetworkCase | None
    """The client case, only for the network's coordinators (None for others)."""
    consultation: Consultation | None


@dataclass
class MeetingView:
    meeting: Meeting
    agenda: list[AgendaRow]
    decisions: list[object]
    actions: list[ActionItem]
    can_manage: bool
    coordinator: Membership | None
    case_count: int


MEETING_SECTION = "governance:network_meeting_agenda"


def meeting_get_for(*, actor: User, meeting_id: uuid.UUID, path: str = "") -> MeetingView:
    """A meeting with its agenda, decisions and action items. Client cases on a work
    ability network agenda show the client only to the network's coordinators, and
    then the read is logged (one row naming every client on the agenda)."""
    viewer = memberships_with(actor, Perm.GOVERNANCE_VIEW)
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None or not viewer:
        raise Http404("No such meeting.")
    coordinator = network_coordinator(actor, meeting.body)
    items = list(
        meeting.agenda.select_related("network_case__client", "consultation").order_by("number")
    )
    rows = []
    for item in items:
        consultation = getattr(item, "consultation", None) if item.network_case_id else None
        rows.append(
            AgendaRow(
                item,
                item.network_case if coordinator is not None else None,
                consultation if coordinator is not None else None,
            )
        )
    client_ids = [i.network_case.client_id for i in items if i.network_case is not None]
    if coordinator is not None and client_ids:
        access_log_write(
            actor=actor,
            membership=coordinator,
            section=MEETING_SECTION,
            basis=NETWORK_BASIS,
            client_ids=client_ids,
            path=path,
        )
    return MeetingView(
        meeting=meeting,
        agenda=rows,
        decisions=list(meeting.decisions.select_related("agenda_item")),
        actions=list(meeting.actions.select_related("owner").order_by("due_on")),
        can_manage=body_manager(actor, meeting.body) is not None,
        coordinator=coordinator,
        case_count=len(client_ids),
    )


def meeting_for_action(*, actor: User, meeting_id: uuid.UUID) -> Meeting:
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None or body_manager(actor, meeting.body) is None:
        raise Http404("No such meeting.")
    return meeting


def action_for_action(*, actor: User, action_id: uuid.UUID) -> ActionItem:
    from silta.governance.policies import can_move_action

    action = ActionItem.objects.select_related("meeting__body").filter(pk=action_id).first()
    if action is None or not can_move_action(actor, action):
        raise Http404("No such action.")
    return action


def overdue_actions_for(
    *, actor: User, own_only: bool = False, limit: int = 200
) -> list[ActionItem]:
    """Open action items past their due date: the actor's own, or (``governance.view``)
    every body's."""
    qs = ActionItem.objects.filter(status=ActionStatus.OPEN, due_on__lt=dates.today())
    if own_only:
        qs = qs.filter(owner=actor)
    elif not memberships_with(actor, Perm.GOVERNANCE_VIEW):
        return []
    return list(qs.select_related("owner", "meeting__body").order_by("due_on", "title")[:limit])


# --- the work ability network ---------------------------------------------------------


def networks() -> list[Body]:
    return list(Body.objects.filter(kind=BodyKind.WORK_ABILITY_NETWORK, is_active=True))


@dataclass(frozen=True)
class MeetingSlot:
    meeting: Meeting
    cases: int
    limit: int

    @property
    def free(self) -> int:
        return max(self.limit - self.cases, 0)


@dataclass
class NetworkQueue:
    membership: Membership
    waiting: list[NetworkCase]
    scheduled: list[tuple[NetworkCase, AgendaItem | None]]
    to_record: list[AgendaItem]
    slots: list[MeetingSlot]


NETWORK_QUEUE_SECTION = "governance:network_queue"


def network_queue_for(*, actor: User, path: str = "") -> NetworkQueue:
    """The coordinator's working list: referrals waiting for an agenda, cases on an
    agenda, consultations to record, and the planned meetings with free places. One
    access-log row names every client shown."""
    from silta.governance.services import max_cases_per_meeting

    scope = network_filter(actor)
    if scope is None:
        raise Http404("Not a network coordinator.")
    q, membership = scope
    base = NetworkCase.objects.filter(q).select_related("client", "from_organisation")
    waiting = list(base.filter(status=NetworkCaseStatus.REFERRED).order_by("referred_at")[:200])
    pending = list(
        AgendaItem.objects.filter(
            network_case__in=base.filter(status=NetworkCaseStatus.SCHEDULED),
            consultation__isnull=True,
        )
        .select_related("meeting", "network_case__client")
        .order_by("meeting__held_on", "number")[:200]
    )
    today = dates.today()
    scheduled = [(i.network_case, i) for i in pending if i.meeting.held_on >= today]
    to_record = [i for i in pending if i.meeting.held_on <= today]
    limit = max_cases_per_meeting()
    slots = [
        MeetingSlot(m, m.cases, limit)  # type: ignore[attr-defined]
        for m in Meeting.objects.filter(
            body__kind=BodyKind.WORK_ABILITY_NETWORK,
            body__convener_id=membership.organisation_id,
            status=MeetingStatus.PLANNED,
            held_on__gte=today,
        )
        .annotate(cases=Count("agenda", filter=Q(agenda__network_case__isnull=False)))
        .order_by("held_on")[:12]
    ]
    ids = [c.client_id for c in waiting] + [
        i.network_case.client_id for i in pending if i.network_case is not None
    ]
    access_log_write(
        actor=actor,
        membership=membership,
        section=NETWORK_QUEUE_SECTION,
        basis=NETWORK_BASIS,
        client_ids=ids,
        path=path,
    )
    return NetworkQueue(membership, waiting, scheduled, to_record, slots)  # type: ignore[arg-type]


@dataclass
class CaseView:
    case: NetworkCase
    grant: NetworkGrant
    items: list[tuple[AgendaItem, Consultation | None]]
    slots: list[MeetingSlot]

    @property
    def is_open(self) -> bool:
        return self.case.status in workflow.CASE_OPEN


NETWORK_CASE_SECTION = "governance:network_case"


def meeting_slots(network: Body, limit: int | None = None) -> list[MeetingSlot]:
    """The network's planned meetings from today on, with the cases on each agenda."""
    from silta.governance.services import max_cases_per_meeting

    most = limit if limit is not None else max_cases_per_meeting()
    return [
        MeetingSlot(m, m.cases, most)  # type: ignore[attr-defined]
        for m in Meeting.objects.filter(
            body=network, status=MeetingStatus.PLANNED, held_on__gte=dates.today()
        )
        .annotate(cases=Count("agenda", filter=Q(agenda__network_case__isnull=False)))
        .order_by("held_on")[:12]
    ]


def _case_qs():  # type: ignore[no-untyped-def]
    return NetworkCase.objects.select_related(
        "client", "network__convener", "from_organisation", "referred_by", "plan"
    )


def network_case_get_for(*, actor: User, case_id: uuid.UUID, path: str = "") -> CaseView:
    """A network case for the network's coordinators and the referring organisation
    (404 for anybody else); one access-log row."""
    case = _case_qs().filter(pk=case_id).first()
    grant = network_case_grant(actor, case) if case is not None else None
    if case is None or grant is None:
        raise Http404("No such case.")
    items = [
        (i, getattr(i, "consultation", None))
        for i in case.agenda_items.select_related("meeting", "consultation").order_by(
            "meeting__held_on"
        )
    ]
    slots: list[MeetingSlot] = []
    if grant.is_coordinator and case.status in {
        NetworkCaseStatus.REFERRED,
        NetworkCaseStatus.CONSULTED,
    }:
        slots = meeting_slots(case.network)
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section=NETWORK_CASE_SECTION,
        basis=grant.basis,
        client_ids=[case.client_id],
        path=path,
    )
    return CaseView(case, grant, items, slots)


def network_case_for_action(*, actor: User, case_id: uuid.UUID) -> NetworkCase:
    """A case the actor may act on, for a write (not logged: nothing is shown)."""
    case = _case_qs().filter(pk=case_id).first()
    if case is None or network_case_grant(actor, case) is None:
        raise Http404("No such case.")
    return case


@dataclass
class ConsultationForm:
    item: AgendaItem
    case: NetworkCase
    plans: list[Plan]
    membership: Membership


def consultation_context_for(
    *, actor: User, item_id: uuid.UUID, path: str = "", log: bool = True
) -> ConsultationForm:
    """An agenda item's case with the client's open plans, for the coordinator who
    records the consultation (logged when shown)."""
    item = (
        AgendaItem.objects.select_related("meeting__body", "network_case__client")
        .filter(pk=item_id, network_case__isnull=False)
        .first()
    )
    coordinator = network_coordinator(actor, item.meeting.body) if item is not None else None
    if item is None or coordinator is None or item.network_case is None:
        raise Http404("No such item.")
    plans = list(
        Plan.objects.filter(client_id=item.network_case.client_id)
        .exclude(status=PlanStatus.CLOSED)
        .prefetch_related(Prefetch("versions"))
        .order_by("-created_at")
    )
    if log:
        access_log_write(
            actor=actor,
            membership=coordinator,
            section="governance:network_consultation",
            basis=NETWORK_BASIS,
            client_ids=[item.network_case.client_id],
            path=path,
        )
    return ConsultationForm(item, item.network_case, plans, coordinator)


@dataclass
class ReferralContext:
    client: Client
    grant: CaseGrant
    network: Body | None
    plans: list[Plan]
    open_case: NetworkCase | None


def network_referral_context_for(
    *, actor: User, client_id: uuid.UUID, path: str = ""
) -> ReferralContext:
    """The client and their open plans for the referral form, or 404 when the actor's
    organisation does not work with the client. The form shows the client's name and
    plans: one access-log row per read (issue 13), on the case-work basis."""
    client = Client.objects.filter(pk=client_id).first()
    grant = None
    if client is not None:
        refer_orgs = {m.organisation_id for m in memberships_with(actor, Perm.NETWORK_REFER)}
        found = casework_grant(actor, client, Perm.CASEWORK_WRITE)
        if found is not None and found.membership.organisation_id in refer_orgs:
            grant = found
    if client is None or grant is None:
        raise Http404("No such client.")
    found_networks = networks()
    network = found_networks[0] if found_networks else None
    plans = list(
        Plan.objects.filter(client=client).exclude(status=PlanStatus.CLOSED).order_by("-created_at")
    )
    open_case = (
        NetworkCase.objects.filter(client=client, status__in=workflow.CASE_OPEN).first()
        if network is not None
        else None
    )
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="network:referral_form",
        basis=grant.basis,
        client_ids=[client.pk],
        path=path,
    )
    return ReferralContext(client, grant, network, plans, open_case)


# --- yearly counts (aggregates) ---------------------------------------------------------


@dataclass(frozen=True)
class NetworkYear:
    year: int
    meetings: int
    clients: int
    new_referrals: int


def network_years(*, actor: User) -> list[NetworkYear]:
    """Meetings, clients handled and new referrals per year since the network's first
    meeting or referral, newest first: region totals without any personal data
    (managers see these)."""
    if not (
        memberships_with(actor, Perm.GOVERNANCE_VIEW)
        or memberships_with(actor, Perm.STATISTICS_VIEW)
    ):
        raise Http404("Not found.")
    last = dates.today().year
    starts = [
        d.year
        for d in (
            Meeting.objects.filter(body__kind=BodyKind.WORK_ABILITY_NETWORK)
            .order_by("held_on")
            .values_list("held_on", flat=True)
            .first(),
            NetworkCase.objects.order_by("referred_at")
            .values_list("referred_at", flat=True)
            .first(),
        )
        if d is not None
    ]
    first = min([*starts, last])
    out = []
    for year in range(last, first - 1, -1):
        period = Period.year(year)
        out.append(
            NetworkYear(
                year,
                _network_meetings(period),
                _network_clients(period),
                _network_new_referrals(period),
            )
        )
    return out


# --- objects for the editing pages (404 unless the actor may manage them) -----------------


def version_for_action(*, actor: User, version_id: uuid.UUID) -> AgreementVersion:
    version = AgreementVersion.objects.select_related("agreement").filter(pk=version_id).first()
    if version is None or agreement_manager(actor, version.agreement) is None:
        raise Http404("No such version.")
    return version


def section_for_action(*, actor: User, section_id: uuid.UUID) -> AgreementSection:
    section = (
        AgreementSection.objects.select_related("version__agreement").filter(pk=section_id).first()
    )
    if section is None or agreement_manager(actor, section.version.agreement) is None:
        raise Http404("No such section.")
    return section


def indicator_for_action(*, actor: User, indicator_id: uuid.UUID) -> Indicator:
    indicator = (
        Indicator.objects.select_related("goal__version__agreement").filter(pk=indicator_id).first()
    )
    if indicator is None or agreement_manager(actor, indicator.goal.version.agreement) is None:
        raise Http404("No such indicator.")
    return indicator


def member_for_action(*, actor: User, member_id: uuid.UUID) -> BodyMember:
    member = BodyMember.objects.select_related("body").filter(pk=member_id).first()
    if member is None or body_manager(actor, member.body) is None:
        raise Http404("No such member.")
    return member


def manageable_organisations(*, actor: User) -> list[Organisation]:
    """The organisations in which the actor may prepare agreements and convene bodies."""
    return sorted(
        {m.organisation for m in memberships_with(actor, Perm.GOVERNANCE_MANAGE)},
        key=lambda o: o.name,
    )
