"""Loads generated case-work activity (``silta.synth.activity``) into the case-work
tables, inside the transaction of ``silta.synth.loader.region_load``.

Rows take exactly the shape the case-work services would have written: a referral
carries its status history (``ReferralStatusChange``, first ``"" -> sent``), its
version (one per status), ``accepted_at``/``first_appointment_at``/``closed_at`` and
an appointment per booking; accepting opens a ``referral`` relationship for the
receiving organisation (kept 90 days after completion); a joint service opens a
``joint_service`` relationship for every team organisation; plans keep one version
per status. The change log gets one summary row from ``region_load`` (the generator
is not a person's write; docs/adr/0003-audit-design.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from silta.accounts.models import Organisation, User
from silta.casework.models import (
    Appointment,
    Assessment,
    AssessmentRating,
    Consent,
    JointService,
    JointServiceMember,
    Note,
    Outcome,
    Plan,
    PlanVersion,
    Referral,
    ReferralStatusChange,
)
from silta.casework.services import REFERRAL_AFTERCARE_DAYS
from silta.catalogue.models import Service
from silta.catalogue.services import catalogue_load_reference
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.core.bulk import bulk_insert_rows as _insert
from silta.synth.activity import HELSINKI, Activity, generate_activity
from silta.synth.region import Region


@dataclass(frozen=True)
class ActivityCounts:
    joint_services: int
    plans: int
    referrals: int
    appointments: int
    assessments: int
    notes: int
    outcomes: int


def activity_load(
    region: Region,
    *,
    clients: dict[int, Client],
    organisations: dict[str, Organisation],
    activity: Activity | None = None,
) -> ActivityCounts:
    """Generate (unless given) and load the region's case work. ``clients`` maps the
    generator's client keys to the loaded clients, ``organisations`` keys to rows.
    Loads the service catalogue first when it is empty."""
    if not Service.objects.exists():
        catalogue_load_reference(actor=None)
    act = activity if activity is not None else generate_activity(region)
    users = dict(User.objects.values_list("username", "id"))
    orgs = {key: o.pk for key, o in organisations.items()}
    services = {
        (code, key): pk
        for code, key, pk in Service.objects.values_list("code", "provider__key", "id")
    }
    cid = {key: c.pk for key, c in clients.items()}

    def user(name: str | None) -> uuid.UUID | None:
        return users.get(name) if name else None

    rels: list[tuple[Any, ...]] = []

    def relationship(
        client: uuid.UUID, org: uuid.UUID, kind: str, start: dt.date, end: dt.date | None, at: Any
    ) -> None:
        rels.append((uuid.uuid4(), at, at, client, org, kind, start, end))

    # joint service
    js_rows, member_rows = [], []
    for j in act.joint_services:
        pk = uuid.uuid4()
        at = _moment(j.started_on)
        js_rows.append(
            (pk, at, at, cid[j.client_key], j.started_on, j.ended_on, j.end_reason,
             user(j.started_by))
        )  # fmt: skip
        team_orgs: list[uuid.UUID] = []
        for username, org_key, role in j.members:
            uid = user(username)
            if uid is None:
                continue
            member_rows.append((uuid.uuid4(), at, at, pk, uid, orgs[org_key], role))
            if orgs[org_key] not in team_orgs:
                team_orgs.append(orgs[org_key])
        for org in team_orgs:
            relationship(
                cid[j.client_key], org, RelationshipKind.JOINT_SERVICE, j.started_on, j.ended_on, at
            )

    # referrals, their histories, relationships
    ref_pk: dict[int, uuid.UUID] = {}
    ref_rows, move_rows = [], []
    for r in act.referrals:
        service = services.get((r.service_code, r.to_org))
        if service is None:
            continue  # the catalogue no longer offers it
        pk = uuid.uuid4()
        ref_pk[r.key] = pk
        client = cid[r.client_key]
        closed = r.closed_at
        ref_rows.append(
            (
                pk, r.sent_at, r.moves[-1].at, client, service, orgs[r.from_org], orgs[r.to_org],
                user(r.sent_by), r.sent_at, r.reason, "none", "none", r.status, r.status_reason,
                r.not_completed_reason, r.work_ability_concern, r.accepted_at,
                r.first_appointment_at, closed, len(r.moves),
            )
        )  # fmt: skip
        old = ""
        for m in r.moves:
            move_rows.append(
                (uuid.uuid4(), m.at, m.at, pk, old, m.status, m.reason, user(m.actor), m.at)
            )
            old = m.status
        accepted = r.accepted_at
        if accepted is not None:
            end: dt.date | None = None
            if closed is not None:
                end = _day(closed) + dt.timedelta(
                    days=REFERRAL_AFTERCARE_DAYS
                    if r.status in ("completed", "not_completed")
                    else 0
                )
            relationship(
                client, orgs[r.to_org], RelationshipKind.REFERRAL, _day(accepted), end, accepted
            )

    appointment_rows = [
        (uuid.uuid4(), a.starts_at, a.starts_at, cid[a.client_key], orgs[a.org],
         ref_pk.get(a.referral_key) if a.referral_key is not None else None, a.starts_at, a.place,
         a.participants, user(a.created_by))
        for a in act.appointments
        if a.referral_key is None or a.referral_key in ref_pk
    ]  # fmt: skip
    note_rows = [
        (uuid.uuid4(), n.written_at, n.written_at, cid[n.client_key], orgs[n.org], user(n.author),
         n.author_role, n.visibility, n.text, n.written_at)
        for n in act.notes
    ]  # fmt: skip
    consent_rows = [
        (uuid.uuid4(), _moment(c.valid_from), _moment(c.valid_from), cid[c.client_key],
         orgs[c.controller], orgs[c.recipient], list(c.data_classes), c.purpose, c.valid_from,
         c.valid_to, c.given_how, c.given_reference, user(c.recorded_by), orgs[c.controller], 1)
        for c in act.consents
    ]  # fmt: skip
    assessment_rows, rating_rows = [], []
    for a in act.assessments:
        pk = uuid.uuid4()
        assessment_rows.append(
            (pk, a.signed_at, a.signed_at, cid[a.client_key], orgs[a.org], a.assessed_on,
             user(a.signed_by), a.signed_at)
        )  # fmt: skip
        for domain, rating in a.ratings:
            rating_rows.append((uuid.uuid4(), a.signed_at, a.signed_at, pk, domain, rating, ""))
    plan_rows: list[tuple[Any, ...]] = []
    version_rows: list[tuple[Any, ...]] = []
    link_rows: list[tuple[Any, ...]] = []
    for p in act.plans:
        pk = uuid.uuid4()
        first, last = p.versions[0].saved_at, p.versions[-1].saved_at
        plan_rows.append(
            (pk, first, last, cid[p.client_key], orgs[p.org], p.kind, p.status, p.next_review_on,
             p.agreed_on, p.closed_on, user(p.created_by), p.version)
        )  # fmt: skip
        for v in p.versions:
            vpk = uuid.uuid4()
            version_rows.append(
                (vpk, v.saved_at, v.saved_at, pk, v.number, v.status, v.goals, v.actions,
                 v.next_review_on, user(v.author), v.saved_at)
            )  # fmt: skip
            link_rows.extend((vpk, ref_pk[k]) for k in v.referral_keys if k in ref_pk)
    outcome_rows = [
        (uuid.uuid4(), _moment(o.occurred_on), _moment(o.occurred_on), cid[o.client_key],
         orgs[o.org], o.kind, o.occurred_on, o.note, *o.follow_ups, user(o.recorded_by), 1)
        for o in act.outcomes
    ]  # fmt: skip

    stamp = ["id", "created_at", "updated_at"]
    _insert(JointService, [*stamp, "client_id", "started_on", "ended_on", "end_reason",
                           "started_by_id"], js_rows)  # fmt: skip
    _insert(JointServiceMember, [*stamp, "joint_service_id", "user_id", "organisation_id",
                                 "role"], member_rows)  # fmt: skip
    _insert(Consent, [*stamp, "client_id", "controller_id", "recipient_id", "data_classes",
                      "purpose", "valid_from", "valid_to", "given_how", "given_reference",
                      "recorded_by_id", "recorded_by_organisation_id", "version"],
            consent_rows)  # fmt: skip
    _insert(Referral, [*stamp, "client_id", "service_id", "from_organisation_id",
                       "to_organisation_id", "sent_by_id", "sent_at", "reason", "shares",
                       "sharing_basis", "status", "status_reason", "not_completed_reason",
                       "work_ability_concern", "accepted_at", "first_appointment_at",
                       "closed_at", "version"], ref_rows)  # fmt: skip
    _insert(ReferralStatusChange, [*stamp, "referral_id", "old_status", "new_status", "reason",
                                   "actor_id", "at"], move_rows)  # fmt: skip
    _insert(Appointment, [*stamp, "client_id", "organisation_id", "referral_id", "starts_at",
                          "place", "participants", "created_by_id"],
            appointment_rows)  # fmt: skip
    _insert(Note, [*stamp, "client_id", "organisation_id", "author_id", "author_role",
                   "visibility", "text", "written_at"], note_rows)  # fmt: skip
    _insert(Assessment, [*stamp, "client_id", "organisation_id", "assessed_on", "signed_by_id",
                         "signed_at"], assessment_rows)  # fmt: skip
    _insert(AssessmentRating, [*stamp, "assessment_id", "domain", "rating", "text"],
            rating_rows)  # fmt: skip
    _insert(Plan, [*stamp, "client_id", "organisation_id", "kind", "status", "next_review_on",
                   "agreed_on", "closed_on", "created_by_id", "version"],
            plan_rows)  # fmt: skip
    _insert(PlanVersion, [*stamp, "plan_id", "number", "status", "goals", "actions",
                          "next_review_on", "author_id", "saved_at"],
            version_rows)  # fmt: skip
    _insert(PlanVersion.referrals.through, ["planversion_id", "referral_id"], link_rows)
    _insert(Outcome, [*stamp, "client_id", "organisation_id", "kind", "occurred_on", "note",
                      "follow_up_3", "follow_up_6", "follow_up_12", "recorded_by_id", "version"],
            outcome_rows)  # fmt: skip
    _insert(ServiceRelationship, [*stamp, "client_id", "organisation_id", "kind", "valid_from",
                                  "valid_to"], rels)  # fmt: skip
    return ActivityCounts(
        joint_services=len(js_rows),
        plans=len(plan_rows),
        referrals=len(ref_rows),
        appointments=len(appointment_rows),
        assessments=len(assessment_rows),
        notes=len(note_rows),
        outcomes=len(outcome_rows),
    )


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=HELSINKI)


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(HELSINKI).date()
