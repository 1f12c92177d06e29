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
from silta.funding.models import BenefitPayment, PersonEvent
from silta.places.models import Municipality
from silta.places.services import places_load_reference
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
    employment = [o for o in orgs.values() if o.kind == EMPLOYMENT_ORG_KIND]
    kela = [o for o in orgs.values() if o.kind == KELA_ORG_KIND]
    social_work = orgs.get("soite-adult-social-work")
    spells: list[UnemploymentSpell] = []
    rels: list[ServiceRelationship] = []
    for sp in region.spells:
        client = by_key[sp.client_key]
        spells.append(UnemploymentSpell(client=client, start=sp.start, end=sp.end))
        for org in employment[:1]:
            rels.append(
                ServiceRelationship(
                    client=client,
                    organisation=org,
                    kind=RelationshipKind.JOBSEEKER,
                    valid_from=sp.start,
                    valid_to=sp.end,
                )
            )
        for org in kela[:1]:
            rels.append(
                ServiceRelationship(
                    client=client,
                    organisation=org,
                    kind=RelationshipKind.KELA_BENEFITS,
                    valid_from=sp.start,
                    valid_to=sp.end,
                )
            )
    if social_work is not None:
        for period in region.service_periods:
            if period.kind != "rehabilitative_work_activity":
                continue
            rels.append(
                ServiceRelationship(
                    client=by_key[period.client_key],
                    organisation=social_work,
                    kind=RelationshipKind.SOCIAL_WORK,
                    valid_from=period.start - dt.timedelta(days=30),
                    valid_to=period.end + dt.timedelta(days=90),
                )
            )
    UnemploymentSpell.objects.bulk_create(spells, batch_size=BATCH)
    ServiceRelationship.objects.bulk_create(rels, batch_size=BATCH)

    say("benefit payments")
    cents = Decimal("0.01")
    payments = [
        BenefitPayment(
            person_id=p.person_id,
            client_id=by_person[p.person_id].pk if p.person_id in by_person else None,
            municipality_code=p.municipality_code,
            benefit=p.benefit,
            basis=p.basis,
            period_start=p.period_start,
            period_end=p.period_end,
            paid_days=p.paid_days,
            amount_eur=(Decimal(p.amount_cents) * cents),
            payment_date=p.payment_date,
        )
        for p in region.payments
    ]
    BenefitPayment.objects.bulk_create(payments, batch_size=BATCH)
    PersonEvent.objects.bulk_create(
        [PersonEvent(person_id=e.person_id, event=e.event, date=e.date) for e in region.events],
        batch_size=BATCH,
    )
    counts = LoadCounts(
        organisations=len(orgs),
        staff=len(users),
        clients=len(clients),
        spells=len(spells),
        relationships=len(rels),
        payments=len(payments),
        events=len(region.events),
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
    return counts
