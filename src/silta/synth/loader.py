"""Loads a generated synthetic region (``silta.synth.region``) into the database.

Bulk inserts in one transaction: a failed load leaves nothing behind. The load writes
one change-log row per kind of record with the counts and the seed (the generator is
not a person's write; see docs/adr/0003-audit-design.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from silta.accounts.models import Membership, Organisation, User
from silta.audit.models import ChangeLog
from silta.clients.models import (
    Client,
    HomeMunicipality,
    RelationshipKind,
    ServiceRelationship,
    UnemploymentSpell,
)
from silta.core import dates
from silta.core.bulk import bulk_insert_rows, indexes_built_after
from silta.funding.models import BenefitPayment, PersonEvent
from silta.places.models import Municipality
from silta.places.services import places_load_reference
from silta.synth.activity_loader import activity_load
from silta.synth.region import Region

DEMO_PASSWORD = "silta-demo"  # noqa: S105 - synthetic demo data only, refused in production
BATCH = 5000

# Which organisation keeps which kind of client relationship for the generated data.
EMPLOYMENT_ORG_KIND = "employment_services"
KELA_ORG_KIND = "kela"


@dataclass(frozen=True)
class LoadCounts:
    organisations: int
    staff: int
    clients: int
    spells: int
    relationships: int
    payments: int
    events: int
    joint_services: int = 0
    plans: int = 0
    referrals: int = 0


def region_is_loaded() -> bool:
    return Client.objects.exists()


@transaction.atomic
def region_load(region: Region, *, progress: Callable[[str], None] | None = None) -> LoadCounts:
    say = progress or (lambda _msg: None)
    places_load_reference()
    municipalities = {m.code: m for m in Municipality.objects.all()}
    say("organisations")
    orgs: dict[str, Organisation] = {}
    for o in region.organisations:
        org, _ = Organisation.objects.update_or_create(
            key=o.key,
            defaults={
                "name_fi": o.name_fi,
                "name_sv": o.name_sv,
                "name_en": o.name_en,
                "kind": o.kind,
                "municipality": municipalities.get(o.municipality_code or ""),
                "business_id": o.business_id or "",
            },
        )
        orgs[o.key] = org

    say("staff")
    password_hash = make_password(DEMO_PASSWORD)
    since = region.spells[0].start if region.spells else dt.date(2019, 1, 1)
    since = min(since, dt.date(2019, 1, 1))
    users = []
    memberships = []
    existing = set(User.objects.values_list("username", flat=True))
    for s in region.staff:
        if s.username in existing:
            continue
        user = User(
            id=uuid.uuid4(),
            username=s.username,
            first_name=s.first_name,
            last_name=s.last_name,
            email=s.email,
            language=s.language,
            password=password_hash,
            is_staff=False,
        )
        users.append(user)
        memberships.append(
            Membership(
                user=user, organisation=orgs[s.organisation_key], role=s.role, valid_from=since
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    say("clients")
    clients: list[Client] = []
    homes: list[HomeMunicipality] = []
    for c in region.clients:
        current_code = c.municipality_history[-1][0]
        client = Client(
            id=uuid.uuid4(),
            personal_id=c.personal_id,
            last_name=c.last_name,
            first_names=c.first_names,
            birth_date=c.birth_date,
            language=c.language,
            phone=c.phone,
            email=c.email,
            home_municipality=municipalities[current_code],
            search_name=Client.make_search_name(c.last_name, c.first_names),
        )
        clients.append(client)
        for code, valid_from, valid_to in c.municipality_history:
            homes.append(
                HomeMunicipality(
                    client=client,
                    municipality=municipalities[code],
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
    Client.objects.bulk_create(clients, batch_size=BATCH)
    HomeMunicipality.objects.bulk_create(homes, batch_size=BATCH)
    by_key = {c.key: clients[i] for i, c in enumerate(region.clients)}
    by_person = {c.personal_id: clients[i] for i, c in enumerate(region.clients)}

    say("spells and relationships")
    employment = [o for o in orgs.values() if o.kind == EMPLOYMENT_ORG_KIND][:1]
    kela = [o for o in orgs.values() if o.kind == KELA_ORG_KIND][:1]
    social_work = orgs.get("soite-adult-social-work")
    stamp = dates.now()
    spell_rows: list[tuple[Any, ...]] = []
    rel_rows: list[tuple[Any, ...]] = []
    for sp in region.spells:
        client_id = by_key[sp.client_key].pk
        spell_rows.append((uuid.uuid4(), stamp, stamp, client_id, sp.start, sp.end))
        for org, kind in [(o, RelationshipKind.JOBSEEKER) for o in employment] + [
            (o, RelationshipKind.KELA_BENEFITS) for o in kela
        ]:
            rel_rows.append(
                (uuid.uuid4(), stamp, stamp, client_id, org.pk, kind.value, sp.start, sp.end)
            )
    if social_work is not None:
        for period in region.service_periods:
            if period.kind != "rehabilitative_work_activity":
                continue
            rel_rows.append(
                (
                    uuid.uuid4(),
                    stamp,
                    stamp,
                    by_key[period.client_key].pk,
                    social_work.pk,
                    RelationshipKind.SOCIAL_WORK.value,
                    period.start - dt.timedelta(days=30),
                    period.end + dt.timedelta(days=90),
                )
            )
    _insert_rows(
        UnemploymentSpell,
        ["id", "created_at", "updated_at", "client_id", "start", "end"],
        spell_rows,
    )
    _insert_rows(
        ServiceRelationship,
        [
            "id",
            "created_at",
            "updated_at",
            "client_id",
            "organisation_id",
            "kind",
            "valid_from",
            "valid_to",
        ],
        rel_rows,
    )

    say("benefit payments")
    client_ids = {pid: c.pk for pid, c in by_person.items()}
    payments_written = _insert_payments(region, client_ids)
    PersonEvent.objects.bulk_create(
        [PersonEvent(person_id=e.person_id, event=e.event, date=e.date) for e in region.events],
        batch_size=BATCH,
    )
    say("case work")
    activity = activity_load(region, clients=by_key, organisations=orgs)
    counts = LoadCounts(
        organisations=len(orgs),
        staff=len(users),
        clients=len(clients),
        spells=len(spell_rows),
        relationships=len(rel_rows),
        payments=payments_written,
        events=len(region.events),
        joint_services=activity.joint_services,
        plans=activity.plans,
        referrals=activity.referrals,
    )
    ChangeLog.objects.create(
        at=dates.now(),
        actor_id=None,
        actor_username="system:synth",
        event="synth.region_loaded",
        target_type="synth.region",
        target_id=f"seed={region.seed},scale={region.scale}",
        changes={k: [None, v] for k, v in counts.__dict__.items()},
    )
    from silta.synth.rehab_loader import rehab_load  # rehabilitative work activity (issue 5)

    rehab_load(region, clients=by_key, organisations=orgs)
    from silta.synth.governance_loader import governance_load  # governance (issue 6)

    governance_load(region, clients=by_key, organisations=orgs)
    from silta.synth.ips_loader import ips_load  # IPS supported employment (issue 8)

    ips_load(region, clients=by_key, organisations=orgs)
    from silta.synth.groups_loader import groups_load  # group activities (issue 8)

    groups_load(region, clients=by_key, organisations=orgs)
    from silta.synth.workability import workability_load  # the work ability path (issue 16)

    workability_load(region, organisations=orgs)
    from silta.synth.integration import integration_load  # integration (issue 17)

    integration_load(region, clients=by_key, organisations=orgs)
    return counts


# Kept under its old name for the other loaders.
_insert_rows = bulk_insert_rows


def _insert_payments(region: Region, client_ids: dict[str, uuid.UUID]) -> int:
    cents = Decimal("0.01")
    with indexes_built_after(BenefitPayment):
        return _insert_rows(
            BenefitPayment,
            [
                "person_id",
                "client_id",
                "municipality_code",
                "benefit",
                "basis",
                "period_start",
                "period_end",
                "paid_days",
                "amount_eur",
                "payment_date",
            ],
            [
                (
                    p.person_id,
                    client_ids.get(p.person_id),
                    p.municipality_code,
                    p.benefit,
                    p.basis,
                    p.period_start,
                    p.period_end,
                    p.paid_days,
                    Decimal(p.amount_cents) * cents,
                    p.payment_date,
                )
                for p in region.payments
            ],
        )
