"""Loads the generated governance (``silta.synth.governance``) inside the transaction
of ``silta.synth.loader.region_load``: bodies and members, meetings with agendas,
decisions and action items, the work ability network's cases and consultations, and
the strategic agreement with its versions, goals, indicators and approvals.

Rows take the shape the governance services would write. A case that was put on an
agenda opens a ``referral`` relationship for the network's convener (kept 90 days
after the case closed), as ``network_case_schedule`` does; open cases point at the
client's open plan. Consultations of the generated history carry no plan version:
the plans' version histories come from the case-work generator and are not rewritten.
One summary change-log row records the counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal

from silta.accounts.models import Organisation, User
from silta.audit.models import ChangeLog
from silta.casework.models import Plan, PlanStatus
from silta.casework.services import REFERRAL_AFTERCARE_DAYS
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.core import dates
from silta.governance.models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementSection,
    AgreementVersion,
    Approval,
    ApprovalDelegation,
    Body,
    BodyMember,
    Consultation,
    Decision,
    Goal,
    Indicator,
    Meeting,
    NetworkCase,
)
from silta.places.models import Municipality
from silta.synth.governance import HELSINKI, GAgreement, Governance, generate_governance
from silta.synth.region import EMPLOYMENT_AREA_KEY, Region


@dataclass(frozen=True)
class GovernanceCounts:
    bodies: int
    meetings: int
    actions: int
    network_cases: int
    consultations: int
    approvals: int


def governance_load(
    region: Region,
    *,
    clients: dict[int, Client],
    organisations: dict[str, Organisation],
    governance: Governance | None = None,
) -> GovernanceCounts:
    """Generate (unless given) and load the region's governance."""
    by_client = {c.pk: key for key, c in clients.items()}
    open_plans: dict[uuid.UUID, uuid.UUID] = {}
    for plan_id, client_id in (
        Plan.objects.filter(client_id__in=list(by_client))
        .exclude(status=PlanStatus.CLOSED)
        .order_by("created_at")
        .values_list("pk", "client_id")
    ):
        open_plans[client_id] = plan_id
    gov = governance or generate_governance(
        region, open_plan_clients=frozenset(by_client[c] for c in open_plans)
    )
    users = {u.username: u for u in User.objects.filter(username__in=_usernames(gov))}
    bodies: dict[str, Body] = {}
    for b in gov.bodies:
        bodies[b.key] = Body.objects.create(
            key=b.key, kind=b.kind, name_fi=b.name_fi, name_sv=b.name_sv, name_en=b.name_en,
            convener=organisations[b.convener], purpose=b.purpose,
        )  # fmt: skip
    BodyMember.objects.bulk_create(
        [
            BodyMember(
                body=bodies[m.body], user=users.get(m.username) if m.username else None,
                name=m.name, title=m.title, organisation=organisations[m.org], role=m.role,
                valid_from=m.valid_from,
            )
            for m in gov.members
            if m.org in organisations and (m.username is None or m.username in users)
        ]
    )  # fmt: skip

    cases: dict[int, NetworkCase] = {}
    network_rows = []
    for c in gov.cases:
        client = clients[c.client_key]
        case = NetworkCase(
            id=uuid.uuid4(), client=client, network=bodies["tyokykyverkosto"],
            from_organisation=organisations[c.from_org],
            referred_by=users.get(c.referred_by) if c.referred_by else None,
            referred_at=c.referred_at, reason=c.reason, questions=c.questions,
            status=c.status, status_reason=c.status_reason, closed_at=c.closed_at,
            plan_id=open_plans.get(client.pk) if c.status != "closed" else None,
            version=1 + len(c.handled) * 2 + (c.closed_at is not None),
        )  # fmt: skip
        cases[c.key] = case
        network_rows.append(case)
    NetworkCase.objects.bulk_create(network_rows)
    ServiceRelationship.objects.bulk_create(
        [
            ServiceRelationship(
                client_id=case.client_id,
                organisation_id=bodies["tyokykyverkosto"].convener_id,
                kind=RelationshipKind.REFERRAL,
                valid_from=c.handled[0] - dt.timedelta(days=14),
                valid_to=(
                    c.closed_at.astimezone(HELSINKI).date()
                    + dt.timedelta(days=REFERRAL_AFTERCARE_DAYS)
                    if c.closed_at is not None
                    else None
                ),
            )
            for c in gov.cases
            if c.handled
            for case in (cases[c.key],)
        ]
    )

    meetings, items, decisions, actions, consultations = [], [], [], [], []
    coordinator = users.get("coordinator")
    for m in gov.meetings:
        meeting = Meeting(
            id=uuid.uuid4(), body=bodies[m.body], held_on=m.held_on, place=m.place,
            kind=m.kind, status=m.status, minutes=m.minutes,
        )  # fmt: skip
        meetings.append(meeting)
        by_number: dict[int, AgendaItem] = {}
        for i in m.agenda:
            item = AgendaItem(
                id=uuid.uuid4(), meeting=meeting, number=i.number, title=i.title, text=i.text,
                network_case=cases[i.case] if i.case is not None else None,
            )  # fmt: skip
            items.append(item)
            by_number[i.number] = item
            if i.consultation is not None and i.case is not None:
                consultations.append(
                    Consultation(
                        case=cases[i.case], agenda_item=item, outcome=i.consultation.outcome,
                        recommendations=i.consultation.recommendations, recorded_by=coordinator,
                        recorded_at=dt.datetime.combine(m.held_on, dt.time(15), tzinfo=HELSINKI),
                    )
                )  # fmt: skip
        by_section: dict[int, Decision] = {}
        for d in m.decisions:
            decision = Decision(
                id=uuid.uuid4(), meeting=meeting, section_number=d.section, text=d.text,
                agenda_item=by_number.get(d.item) if d.item is not None else None,
            )  # fmt: skip
            decisions.append(decision)
            by_section[d.section] = decision
        for a in m.actions:
            if a.owner not in users:
                continue
            actions.append(
                ActionItem(
                    meeting=meeting, title=a.title, owner=users[a.owner], due_on=a.due_on,
                    status=a.status, done_on=a.done_on,
                    decision=by_section.get(a.decision) if a.decision is not None else None,
                )
            )  # fmt: skip
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    AgendaItem.objects.bulk_create(items, batch_size=2000)
    Decision.objects.bulk_create(decisions, batch_size=2000)
    ActionItem.objects.bulk_create(actions, batch_size=2000)
    Consultation.objects.bulk_create(consultations, batch_size=2000)

    approvals = _agreement_load(gov, organisations)
    counts = GovernanceCounts(
        bodies=len(bodies),
        meetings=len(meetings),
        actions=len(actions),
        network_cases=len(network_rows),
        consultations=len(consultations),
        approvals=approvals,
    )
    ChangeLog.objects.create(
        at=dates.now(),
        actor_id=None,
        actor_username="system:synth",
        event="synth.governance_loaded",
        target_type="synth.governance",
        target_id=f"seed={region.seed},scale={region.scale}",
        changes={k: [None, v] for k, v in asdict(counts).items()},
    )
    return counts


def _usernames(gov: Governance) -> set[str]:
    names = {m.username for m in gov.members if m.username}
    names |= {c.referred_by for c in gov.cases if c.referred_by}
    names |= {a.owner for m in gov.meetings for a in m.actions}
    names.add("coordinator")
    return names


def _agreement_load(gov: Governance, organisations: dict[str, Organisation]) -> int:
    a = gov.agreement
    if a is None:
        return 0
    agreement = Agreement.objects.create(
        key=a.key, name_fi=a.name_fi, name_sv=a.name_sv, name_en=a.name_en,
        owner=organisations[a.owner],
    )  # fmt: skip
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=a.municipalities)}
    agreement.municipalities.set(municipalities.values())
    versions: dict[int, AgreementVersion] = {}
    for v in a.versions:
        version = AgreementVersion.objects.create(
            agreement=agreement, number=v.number, status=v.status, summary=v.summary,
            circulated_on=v.circulated_on, valid_from=v.valid_from, valid_to=v.valid_to,
        )  # fmt: skip
        versions[v.number] = version
        AgreementSection.objects.bulk_create(
            [
                AgreementSection(version=version, number=n, heading=h, text=t)
                for n, (h, t) in enumerate(v.sections, start=1)
            ]
        )
        for n, g in enumerate(a.goals, start=1):
            goal = Goal.objects.create(
                version=version, number=n, title=g.title, description=g.description,
                responsible=organisations[g.responsible],
            )  # fmt: skip
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        goal=goal, title=i.title, target=Decimal(i.target),
                        period_start=a.period[0], period_end=a.period[1], statistic=i.statistic,
                        manual_value=Decimal(i.manual_value)
                        if i.manual_value is not None else None,
                        manual_value_on=i.manual_value_on,
                    )
                    for i in g.indicators
                ]
            )  # fmt: skip
    Approval.objects.bulk_create(
        [
            Approval(
                version=versions[p.version], municipality=municipalities[p.municipality],
                body=p.body, meeting_date=p.meeting_date, section_number=p.section,
                decision=p.decision, decision_text=p.decision_text,
                record_number=p.record_number,
            )
            for p in a.approvals
        ]
    )  # fmt: skip
    _delegations_load(a, municipalities, organisations)
    return len(a.approvals)


DELEGATION_WITHHELD = frozenset({"074"})
"""Halsua records its decisions itself (issue 13): the employment area may not."""


def _delegations_load(
    a: GAgreement, municipalities: dict[str, Municipality], organisations: dict[str, Organisation]
) -> None:
    """The party municipalities' boards authorised the employment area (whose staff
    keep the approval board) to record their decisions from the minutes; Halsua did
    not."""
    circulated = [v.circulated_on for v in a.versions if v.circulated_on is not None]
    since = min(circulated) - dt.timedelta(days=14) if circulated else a.period[0]
    bodies = {p.municipality: p.body for p in a.approvals}
    ApprovalDelegation.objects.bulk_create(
        [
            ApprovalDelegation(
                municipality=m,
                delegate_organisation=organisations[EMPLOYMENT_AREA_KEY],
                decision_reference=f"{bodies.get(code, m.name_fi)} "
                f"{since.strftime('%d.%m.%Y')} § {20 + i}",
                valid_from=since,
            )
            for i, (code, m) in enumerate(sorted(municipalities.items()))
            if code not in DELEGATION_WITHHELD
        ]
    )
