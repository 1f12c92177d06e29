"""Loads the region's rehabilitative work activity (``silta.synth.rehab``): providers
(associations, the parish, Soite's own unit and a municipality's workshop) with work
sites and contracts, placements linked to the clients' activation plans when the case
work data have them, attendance, transitions (case work outcomes, confirmed by the
organiser once started) and approved outcome fees; then every monthly statement up to
the month before the region's generation date is approved (and all but the last sent
for invoicing), so the current month's draft holds only what is new. Bulk inserts
inside the region load's transaction; one summary change-log row
(docs/adr/0003-audit-design.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from silta.accounts.models import Membership, Organisation
from silta.audit.models import ChangeLog
from silta.casework.models import Outcome, Plan, PlanKind
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.core import dates
from silta.funding.models import Basis, BenefitPayment
from silta.places.models import Municipality
from silta.rehab.models import (
    Attendance,
    Contract,
    ContractVersion,
    FeeClaim,
    FeeClaimStatus,
    FeeClaimStatusChange,
    OutcomeFee,
    Placement,
    Provider,
    Statement,
    StatementStatus,
    WorkSite,
)
from silta.rehab.rates import default_rates
from silta.rehab.services import statement_store_lines
from silta.rehab.statements import Unbilled, month_end
from silta.synth.region import Region
from silta.synth.rehab import (
    CONTRACT_FROM,
    FEE_PROCUREMENT_FROM,
    ORGANISER_KEY,
    PRICE_RISE_CENTS,
    PRICE_RISE_FROM,
    PROVIDERS,
    QUALIFYING,
    SOITE_UNIT_KEY,
    RehabData,
    generate_rehab,
)

BATCH = 2000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RehabCounts:
    providers: int
    placements: int
    attendance: int
    outcomes: int
    fees: int
    statements: int = 0


def _insert_attendance(rehab: RehabData, placement_ids: list[uuid.UUID], stamp: dt.datetime) -> int:
    """Insert the attendance rows with executemany, values prepared once per kind (the
    model layer and per-value field conversion would take most of the demo's load
    time; see bench/demo.py)."""
    conn = connections[DEFAULT_DB_ALIAS]
    meta = Attendance._meta
    names = ["id", "created_at", "updated_at", "placement_id", "day", "present", "hours"]
    names += ["absence_reason", "recorded_at"]
    columns = ", ".join(conn.ops.quote_name(meta.get_field(n).column) for n in names)  # type: ignore[union-attr,arg-type]
    marks = ", ".join(["%s"] * len(names))
    table = conn.ops.quote_name(meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model identifiers
    at = meta.get_field("recorded_at").get_db_prep_save(stamp, conn)  # type: ignore[union-attr]
    sqlite = conn.vendor == "sqlite"
    ids: list[object] = [pid.hex if sqlite else pid for pid in placement_ids]
    hours = {h: (f"{h / 10:.1f}" if sqlite else Decimal(h) / 10) for h in range(0, 121)}
    rows = rehab.attendance
    with conn.cursor() as cursor:
        for i in range(0, len(rows), 20_000):
            chunk = []
            for index, day, present, tenths, reason in rows[i : i + 20_000]:
                key = uuid.uuid4()
                chunk.append(
                    (
                        key.hex if sqlite else key,
                        at,
                        at,
                        ids[index],
                        day.isoformat() if sqlite else day,
                        present,
                        hours[tenths] if present else None,
                        reason,
                        at,
                    )
                )
            cursor.executemany(sql, chunk)  # type: ignore[arg-type]
    return len(rows)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dates.HELSINKI)


@transaction.atomic
def rehab_load(
    region: Region,
    *,
    clients: dict[int, Client],
    organisations: dict[str, Organisation],
    data: RehabData | None = None,
) -> RehabCounts:
    """Generate (unless given) and load the region's rehabilitative work activity.
    ``clients`` maps the generator's client keys to loaded clients, ``organisations``
    keys to rows. Does nothing when the providers' organisations are missing."""
    organiser = organisations.get(ORGANISER_KEY)
    if organiser is not None and SOITE_UNIT_KEY not in organisations:
        organisations = dict(organisations)
        organisations[SOITE_UNIT_KEY] = Organisation.objects.get_or_create(
            key=SOITE_UNIT_KEY,
            defaults={
                "name_fi": "Soite – Työtoimintakeskus",
                "name_sv": "Soite – Arbetsverksamhetscentret",
                "name_en": "Soite – Work activity centre",
                "kind": organiser.kind,
                "municipality": organiser.municipality,
                "business_id": organiser.business_id,
            },
        )[0]
    if organiser is None or not all(p[0] in organisations for p in PROVIDERS):
        return RehabCounts(0, 0, 0, 0, 0)
    rehab = data if data is not None else generate_rehab(region)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    stamp = dates.now()

    providers: dict[str, Provider] = {}
    sites: dict[str, list[WorkSite]] = {}
    contracts: dict[str, Contract] = {}
    versions: dict[str, list[ContractVersion]] = {}
    taken = set(Provider.objects.values_list("business_id", flat=True))
    for n, (key, _w, reference, price, fee, places, site_rows) in enumerate(PROVIDERS):
        org = organisations[key]
        business_id = org.business_id
        if not business_id or business_id in taken:
            business_id = _synthetic_business_id(n, taken)
        taken.add(business_id)
        provider, _created = Provider.objects.get_or_create(
            organisation=org, defaults={"business_id": business_id}
        )
        providers[key] = provider
        sites[key] = [
            WorkSite.objects.create(
                provider=provider, name=name, address=address, municipality=municipalities[code]
            )
            for name, address, code in site_rows
        ]
        # terms: before the procurement no outcome fee; from it the fee and the
        # qualifying transitions (purchased providers only); a price rise in 2024
        terms: list[tuple[dt.date, int, int, list[str]]] = [(CONTRACT_FROM, price, 0, [])]
        if fee:
            terms.append((FEE_PROCUREMENT_FROM, price, fee, sorted(QUALIFYING)))
        terms.append((PRICE_RISE_FROM, price + PRICE_RISE_CENTS, fee, terms[-1][3]))
        contract = Contract.objects.create(
            provider=provider,
            reference=reference,
            valid_from=CONTRACT_FROM,
            valid_to=None,
            version=len(terms),
        )
        contracts[key] = contract
        versions[key] = [
            ContractVersion.objects.create(
                contract=contract,
                number=number,
                effective_from=effective,
                price_per_day=Decimal(cents) * CENT,
                outcome_fee=Decimal(fee_cents) * CENT,
                qualifying_transitions=kinds,
                max_places=places,
            )
            for number, (effective, cents, fee_cents, kinds) in enumerate(terms, start=1)
        ]

    # the activation or multisectoral plan each placement rests on, when case work has it
    client_ids = {clients[p.client_key].pk for p in rehab.placements}
    plans: dict[uuid.UUID, list[tuple[dt.date, uuid.UUID]]] = {}
    for client_id, plan_id, agreed_on, created_at in Plan.objects.filter(
        client_id__in=client_ids, kind__in=[PlanKind.ACTIVATION, PlanKind.MULTISECTORAL]
    ).values_list("client_id", "id", "agreed_on", "created_at"):
        plans.setdefault(client_id, []).append((agreed_on or created_at.date(), plan_id))

    def plan_for(client_id: uuid.UUID, start: dt.date) -> uuid.UUID | None:
        options = sorted(plans.get(client_id, []))
        before = [pid for day, pid in options if day <= start]
        if before:
            return before[-1]
        return options[0][1] if options else None

    on_benefit = _benefit_periods(client_ids)
    without_benefit: set[int] = set()
    for index, day, present, _tenths, _reason in rehab.attendance:
        if present and index not in without_benefit:
            cid = clients[rehab.placements[index].client_key].pk
            if not _covered(on_benefit.get(cid), day):
                without_benefit.add(index)
    end = region.generated_on
    outcomes: list[Outcome] = []
    placements: list[Placement] = []
    relationships: list[ServiceRelationship] = []
    for index, p in enumerate(rehab.placements):
        client = clients[p.client_key]
        outcome = None
        confirmed = (
            _noon(p.outcome_on + dt.timedelta(days=3))
            if p.outcome_on is not None and p.outcome_on + dt.timedelta(days=3) <= end
            else None
        )
        if p.outcome_kind and p.outcome_on is not None:
            outcome = Outcome(
                client=client,
                organisation=organiser,
                kind=p.outcome_kind,
                occurred_on=p.outcome_on,
                note="Kuntouttavan työtoiminnan jälkeen",
            )
            outcomes.append(outcome)
        placements.append(
            Placement(
                client=client,
                organiser=organiser,
                provider=providers[p.provider_key],
                work_site=sites[p.provider_key][p.site_index],
                contract=contracts[p.provider_key],
                plan_id=plan_for(client.pk, p.start),
                start_on=p.start,
                planned_end_on=p.planned_end,
                ended_on=p.ended,
                days_per_week=p.days_per_week,
                hours_per_day=Decimal(p.hours_tenths) / 10,
                end_reason=p.end_reason,
                outcome=outcome,
                outcome_confirmed_at=confirmed if outcome is not None else None,
                # most participants without unemployment benefit get social assistance
                # (the activity allowance); a few have neither
                social_assistance=index in without_benefit and index % 10 != 0,
            )
        )
        relationships.append(
            ServiceRelationship(
                client=client,
                organisation=providers[p.provider_key].organisation,
                kind=RelationshipKind.PLACEMENT,
                valid_from=p.start,
                valid_to=p.ended or p.planned_end,
            )
        )
    Outcome.objects.bulk_create(outcomes, batch_size=BATCH)
    Placement.objects.bulk_create(placements, batch_size=BATCH)
    ServiceRelationship.objects.bulk_create(relationships, batch_size=BATCH)

    # outcome fees: claimed a week after the transition, approved two weeks later
    window = default_rates().fee_window_days
    claims: list[FeeClaim] = []
    moves: list[FeeClaimStatusChange] = []
    fees: list[OutcomeFee] = []
    for p, row in zip(rehab.placements, placements, strict=True):
        if not p.fee or p.ended is None or p.outcome_on is None:
            continue
        claimed, decided = (
            _noon(p.outcome_on + dt.timedelta(days=7)),
            _noon(p.outcome_on + dt.timedelta(days=20)),
        )
        claim = FeeClaim(
            placement=row,
            status=FeeClaimStatus.APPROVED,
            claimed_at=claimed,
            decided_at=decided,
            version=2,
        )
        claims.append(claim)
        moves.append(
            FeeClaimStatusChange(claim=claim, old_status="", new_status="claimed", at=claimed)
        )
        moves.append(
            FeeClaimStatusChange(
                claim=claim, old_status="claimed", new_status="approved", at=decided
            )
        )
        version = max(
            (v for v in versions[p.provider_key] if v.effective_from <= p.ended),
            key=lambda v: v.number,
        )
        fees.append(
            OutcomeFee(
                placement=row,
                claim=claim,
                contract_version=version,
                amount=version.outcome_fee,
                facts={
                    "placement_start": p.start.isoformat(),
                    "placement_end": p.ended.isoformat(),
                    "end_reason": p.end_reason,
                    "window_days": window,
                    "contract_reference": contracts[p.provider_key].reference,
                    "contract_version": version.number,
                    "qualifying_transitions": list(version.qualifying_transitions),
                    "fee_eur": str(version.outcome_fee),
                    "transition": p.outcome_kind,
                    "transition_on": p.outcome_on.isoformat(),
                    "days_after_end": (p.outcome_on - p.ended).days,
                    "confirmed_at": _noon(p.outcome_on + dt.timedelta(days=3)).isoformat(),
                    "source": "synthetic",
                },
                decided_at=decided,
            )
        )
    FeeClaim.objects.bulk_create(claims, batch_size=BATCH)
    FeeClaimStatusChange.objects.bulk_create(moves, batch_size=BATCH)
    OutcomeFee.objects.bulk_create(fees, batch_size=BATCH)

    written = _insert_attendance(rehab, [row.pk for row in placements], stamp)
    statements = _approve_months(list(providers.values()), organiser, end)
    counts = RehabCounts(
        providers=len(providers),
        placements=len(placements),
        attendance=written,
        outcomes=len(outcomes),
        fees=len(fees),
        statements=statements,
    )
    ChangeLog.objects.create(
        at=dates.now(),
        actor_id=None,
        actor_username="system:synth",
        event="synth.rehab_loaded",
        target_type="synth.region",
        target_id=f"seed={region.seed},scale={region.scale}",
        changes={k: [None, v] for k, v in counts.__dict__.items()},
    )
    return counts


def _synthetic_business_id(n: int, taken: set[str]) -> str:
    """A valid business ID (check digit per stdnum) in the synthetic range, unused."""
    from silta.synth.region import _ytunnus

    number = 3990900 + n
    while True:
        code = _ytunnus(number)
        if code is not None and code not in taken:
            return code
        number += 1


def _benefit_periods(
    client_ids: set[uuid.UUID],
) -> dict[uuid.UUID, tuple[list[dt.date], list[dt.date]]]:
    """The clients' Kela unemployment-benefit payment periods (what Kela's expense
    allowance list reads), merged where they overlap or touch: the starts and the ends
    in order, for ``_covered``."""
    periods: dict[uuid.UUID, list[tuple[dt.date, dt.date]]] = {}
    for cid, start, end in BenefitPayment.objects.filter(
        client_id__in=client_ids,
        basis__in=[Basis.UNEMPLOYMENT, Basis.SERVICE],
        amount_eur__gt=0,
    ).values_list("client_id", "period_start", "period_end"):
        periods.setdefault(cid, []).append((start, end))  # type: ignore[arg-type]
    out: dict[uuid.UUID, tuple[list[dt.date], list[dt.date]]] = {}
    for cid, spans in periods.items():
        starts: list[dt.date] = []
        ends: list[dt.date] = []
        for start, end in sorted(spans):
            if ends and start <= ends[-1] + dt.timedelta(days=1):
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        out[cid] = (starts, ends)
    return out


def _covered(periods: tuple[list[dt.date], list[dt.date]] | None, day: dt.date) -> bool:
    """Whether ``day`` is in one of the merged periods."""
    if periods is None:
        return False
    starts, ends = periods
    i = bisect_right(starts, day) - 1
    return i >= 0 and day <= ends[i]


#: The demo's organisers who close the statements: the instructor checks, the social
#: worker approves (two people: the four-eyes rule of ``statement_approve``).
STATEMENT_CHECKER, STATEMENT_APPROVER = "instructor", "socialworker"


def _statement_people(organiser: Organisation) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """Two different organisers of ``organiser`` with the rights to check and approve
    statements: the demo's instructor and social worker when they exist, else the
    first two by username (None, None when the region has fewer than two)."""
    people = list(
        Membership.objects.filter(
            organisation=organiser, role__in=["social_worker", "social_instructor"]
        )
        .order_by("user__username")
        .values_list("user_id", "user__username")
        .distinct()
    )
    by_name = {name: uid for uid, name in people}
    ids = list(dict.fromkeys(uid for uid, _name in people))
    if len(ids) < 2:
        return None, None
    checker = by_name.get(STATEMENT_CHECKER, ids[0])
    approver = by_name.get(STATEMENT_APPROVER) or next(i for i in ids if i != checker)
    if approver == checker:
        approver = next(i for i in ids if i != checker)
    return checker, approver


def _approve_months(
    providers: list[Provider], organiser: Organisation, generated_on: dt.date
) -> int:
    """Approve every month's statement of every provider up to the month before the
    generation date's month, in order, as the organisers would have (checked by one and
    approved by another three days after the month, sent with an invoice reference a week
    later; last month's stays approved, waiting to be sent). The lines are the live draft's
    (``statement_compute``'s, from one fetch per provider), so the current month's draft
    holds only what is new."""
    last = generated_on.replace(day=1) - dt.timedelta(days=1)
    month = FEE_PROCUREMENT_FROM.replace(day=1)
    number = 0
    unbilled = {p.pk: Unbilled.fetch(p, organiser, before=None, upto=last) for p in providers}
    checker, approver = _statement_people(organiser)
    while month <= last:
        for provider in providers:
            data = unbilled[provider.pk].statement(month)
            if not data.lines:
                continue
            number += 1
            approved = _noon(month_end(month) + dt.timedelta(days=3))
            sent = month_end(month) + dt.timedelta(days=10)
            is_sent = month_end(month) < last.replace(day=1)
            statement = Statement.objects.create(
                provider=provider,
                organiser=organiser,
                month=month,
                status=StatementStatus.SENT if is_sent else StatementStatus.APPROVED,
                number=number,
                participant_days=data.participant_days,
                attendance_eur=data.attendance_eur,
                fees_eur=data.fees_eur,
                corrections_eur=data.corrections_eur,
                total_eur=data.total_eur,
                checked_by_id=checker,
                checked_at=approved - dt.timedelta(hours=2),
                approved_by_id=approver,
                approved_at=approved,
                sent_at=_noon(sent) if is_sent else None,
                invoice_reference=f"KTT-{month:%Y%m}-{number:05d}" if is_sent else "",
                version=3 if is_sent else 2,
            )
            statement_store_lines(statement, data, approved)
            unbilled[provider.pk].billed(data, statement)
        month = month_end(month) + dt.timedelta(days=1)
    return number
