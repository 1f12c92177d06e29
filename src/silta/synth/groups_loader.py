"""Loads the region's group activities (``silta.synth.groups``). The social
rehabilitation periods come from the case work just loaded (referrals to
``social_rehabilitation`` that reached the service, first appointment to closing), so
the groups' participants of a year are the year's social rehabilitation clients as
``silta.reporting.yearly`` counts them. Bulk inserts inside the region load's
transaction; one summary change-log row (docs/adr/0003-audit-design.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model

from silta.accounts.models import Organisation, User
from silta.audit.models import ChangeLog
from silta.casework.models import Referral, ReferralStatus
from silta.clients.models import Client
from silta.core import dates
from silta.groups.models import Attendance, Group, GroupSession, Participant
from silta.places.models import Municipality
from silta.synth.groups import (
    GROUPS,
    ORGANISER_KEY,
    SOCIAL_REHABILITATION,
    GroupData,
    generate_groups,
)
from silta.synth.region import Region


@dataclass(frozen=True)
class GroupCounts:
    groups: int
    participants: int
    sessions: int
    attendance: int


def _insert(model: type[Model], names: list[str], rows: list[tuple[object, ...]]) -> int:
    """Insert rows of plain Python values: COPY on PostgreSQL (the demo's 20 000
    attendance rows in a fraction of a second), executemany with the values in
    SQLite's text forms otherwise."""
    conn = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    columns = [meta.get_field(n).column for n in names]  # type: ignore[union-attr]
    table = conn.ops.quote_name(meta.db_table)
    quoted = ", ".join(conn.ops.quote_name(c) for c in columns)  # type: ignore[arg-type]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
            return len(rows)

        def text(v: Any) -> Any:
            if isinstance(v, uuid.UUID):
                return v.hex
            if isinstance(v, (dt.date, dt.time)):
                return v.isoformat()
            return v

        stamp_cache: dict[Any, Any] = {}
        field_at = meta.get_field("created_at")

        def prep(v: Any) -> Any:
            if isinstance(v, dt.datetime):
                if v not in stamp_cache:
                    stamp_cache[v] = field_at.get_db_prep_save(v, conn)  # type: ignore[union-attr]
                return stamp_cache[v]
            return text(v)

        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 - model identifiers
        for i in range(0, len(rows), 20_000):
            cursor.executemany(sql, [tuple(prep(v) for v in r) for r in rows[i : i + 20_000]])
    return len(rows)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(dates.HELSINKI).date() if moment is not None else None


def social_rehabilitation_periods(
    clients: dict[int, Client],
) -> list[tuple[int, dt.date, dt.date | None]]:
    """(client key, first appointment day, closing day) of the loaded referrals to
    social rehabilitation that reached the service."""
    key_of = {c.pk: key for key, c in clients.items()}
    out = []
    for client_id, first, closed in Referral.objects.filter(
        service__code=SOCIAL_REHABILITATION,
        status__in=[ReferralStatus.SCHEDULED, ReferralStatus.COMPLETED],
        first_appointment_at__isnull=False,
    ).values_list("client_id", "first_appointment_at", "closed_at"):
        start = _day(first)
        if client_id in key_of and start is not None:
            out.append((key_of[client_id], start, _day(closed)))
    return out


@transaction.atomic
def groups_load(
    region: Region,
    *,
    clients: dict[int, Client],
    organisations: dict[str, Organisation],
    data: GroupData | None = None,
) -> GroupCounts:
    """Generate (unless given) and load the region's groups. Does nothing when the
    organisations the groups need are missing."""
    needed = {ORGANISER_KEY} | {g[3] for g in GROUPS}
    if not needed <= set(organisations):
        return GroupCounts(0, 0, 0, 0)
    gd = data or generate_groups(
        region, social_rehabilitation=social_rehabilitation_periods(clients)
    )
    municipalities = {m.code: m for m in Municipality.objects.all()}
    usernames = {u for g in gd.groups for u in g.leaders}
    users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    organiser = organisations[ORGANISER_KEY]
    stamp = dates.now()

    groups = [
        Group(
            id=uuid.uuid4(),
            name=g.name,
            kind=g.kind,
            organiser=organiser,
            leader_organisation=organisations[g.leader_org],
            municipality=municipalities[g.municipality_code],
            place=g.place,
            weekdays=list(g.weekdays),
            start_time=g.start_time,
            duration_minutes=g.duration_minutes,
            period_start=g.period_start,
            period_end=g.period_end,
            capacity=g.capacity,
            is_active=g.period_end is None or g.period_end >= region.generated_on,
        )
        for g in gd.groups
    ]
    Group.objects.bulk_create(groups)
    Group.leaders.through.objects.bulk_create(
        [
            Group.leaders.through(group_id=groups[i].pk, user_id=users[u])
            for i, g in enumerate(gd.groups)
            for u in g.leaders
            if u in users
        ]
    )
    participant_ids = [uuid.uuid4() for _ in gd.participations]
    _insert(
        Participant,
        ["id", "created_at", "updated_at", "group_id", "client_id", "joined_on", "left_on",
         "leave_reason", "version", "intake_met_on", "intake_in_person"],
        # the way in (issue 13): the organiser met the client at an intake on the day
        # the place started
        [
            (participant_ids[i], stamp, stamp, groups[p.group].pk, clients[p.client_key].pk,
             p.joined_on, p.left_on, p.leave_reason, 1, p.joined_on, True)
            for i, p in enumerate(gd.participations)
        ],
    )  # fmt: skip
    session_ids = [uuid.uuid4() for _ in gd.sessions]
    _insert(
        GroupSession,
        ["id", "created_at", "updated_at", "group_id", "date", "start_time", "duration_minutes",
         "place", "status", "cancel_reason", "version"],
        [
            (session_ids[i], stamp, stamp, groups[s.group].pk, s.date,
             gd.groups[s.group].start_time, gd.groups[s.group].duration_minutes,
             gd.groups[s.group].place, s.status, s.cancel_reason, 1)
            for i, s in enumerate(gd.sessions)
        ],
    )  # fmt: skip
    recorder = {i: users.get(g.leaders[0]) if g.leaders else None for i, g in enumerate(gd.groups)}
    _insert(
        Attendance,
        ["id", "created_at", "updated_at", "session_id", "participant_id", "present",
         "absence_reason", "recorded_by_id", "recorded_at", "version"],
        [
            (uuid.uuid4(), stamp, stamp, session_ids[si], participant_ids[pi], present, reason,
             recorder[gd.sessions[si].group], stamp, 1)
            for si, pi, present, reason in gd.attendance
        ],
    )  # fmt: skip
    counts = GroupCounts(
        groups=len(groups),
        participants=len(gd.participations),
        sessions=len(gd.sessions),
        attendance=len(gd.attendance),
    )
    ChangeLog.objects.create(
        at=stamp,
        actor_id=None,
        actor_username="system:synth",
        event="synth.groups_loaded",
        target_type="synth.region",
        target_id=f"seed={region.seed},scale={region.scale}",
        changes={k: [None, v] for k, v in counts.__dict__.items()},
    )
    return counts
