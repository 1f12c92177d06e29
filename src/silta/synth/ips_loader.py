"""Loads the region's IPS supported employment (``silta.synth.ips``) inside the
transaction of ``silta.synth.loader.region_load``: the three job coaches (demo login
``ipscoach``), employers with their people, contacts, opportunities and adjustments,
and the coaching episodes with steps, jobs, support and status history.

Rows take the shape the IPS services would write: each episode opens a ``referral``
relationship for the IPS unit from the referral date, kept 90 days after the episode
ended (as ``episode_end`` does). One summary change-log row records the counts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.roles import Role
from silta.audit.models import ChangeLog
from silta.clients.models import Client, RelationshipKind, ServiceRelationship
from silta.core import dates
from silta.ips.models import (
    Adjustment,
    CoachingEpisode,
    ContactPerson,
    Employer,
    EmployerContact,
    EmploymentSupport,
    EpisodeStatusChange,
    JobOpportunity,
    JobSearchStep,
    WorkPlacement,
)
from silta.places.models import Municipality
from silta.synth.ips import IPS_KEY, IpsData, generate_ips
from silta.synth.loader import DEMO_PASSWORD
from silta.synth.region import Region


@dataclass(frozen=True)
class IpsCounts:
    coaches: int
    employers: int
    episodes: int
    jobs: int


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dates.HELSINKI)


def _coaches(data: IpsData, organisation: Organisation, since: dt.date) -> dict[str, User]:
    existing = {
        u.username: u for u in User.objects.filter(username__in=[c[0] for c in data.coaches])
    }
    # the region's staff share the demo password: reuse its hash (hashing is slow)
    password = User.objects.filter(memberships__isnull=False).values_list(
        "password", flat=True
    ).first() or make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for username, first, last in data.coaches:
        if username in existing:
            users[username] = existing[username]
            continue
        user = User.objects.create(
            username=username, first_name=first, last_name=last,
            email=f"{username}@example.fi", language="fi", password=password,
        )  # fmt: skip
        Membership.objects.create(
            user=user, organisation=organisation, role=Role.IPS_COACH, valid_from=since
        )
        users[username] = user
    return users


def _supervisor(organisation: Organisation, since: dt.date) -> User:
    """The IPS unit's supervisor (demo login ``ipssupervisor``)."""
    from silta.synth.ips import SUPERVISOR

    username, first, last = SUPERVISOR
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    password = User.objects.filter(memberships__isnull=False).values_list(
        "password", flat=True
    ).first() or make_password(DEMO_PASSWORD)
    user = User.objects.create(
        username=username, first_name=first, last_name=last,
        email=f"{username}@example.fi", language="fi", password=password,
    )  # fmt: skip
    Membership.objects.create(
        user=user, organisation=organisation, role=Role.IPS_SUPERVISOR, valid_from=since
    )
    return user


def ips_load(
    region: Region,
    *,
    clients: dict[int, Client],
    organisations: dict[str, Organisation],
    data: IpsData | None = None,
) -> IpsCounts:
    """Generate (unless given) and load the region's IPS coaching."""
    data = data or generate_ips(region)
    unit = organisations[IPS_KEY]
    coaches = _coaches(data, unit, dt.date(2021, 1, 1))
    _supervisor(unit, dt.date(2021, 1, 1))
    municipalities = {m.code: m for m in Municipality.objects.all()}
    employers = [
        Employer(
            id=uuid.uuid4(), name=e.name, business_id=e.business_id, sector=e.sector,
            municipality=municipalities[e.municipality_code],
            search_name=" ".join(e.name.casefold().split()),
        )
        for e in data.employers
    ]  # fmt: skip
    Employer.objects.bulk_create(employers)
    people, contacts, opportunities, adjustments = [], [], [], []
    for e, row in zip(data.employers, employers, strict=True):
        people += [ContactPerson(employer=row, name=n, title=t, phone=p) for n, t, p in e.people]
        contacts += [
            EmployerContact(employer=row, coach=coaches[c], on=on, kind=k, notes=notes)
            for c, on, k, notes in e.contacts
        ]
        opportunities += [
            JobOpportunity(employer=row, title=t, hours_per_week=Decimal(h), status=s, noted_on=on)
            for t, h, s, on in e.opportunities
        ]
        adjustments += [
            Adjustment(employer=row, kind=k, agreed_on=on, description=d)
            for k, on, d in e.adjustments
        ]
    ContactPerson.objects.bulk_create(people)
    EmployerContact.objects.bulk_create(contacts)
    JobOpportunity.objects.bulk_create(opportunities)
    Adjustment.objects.bulk_create(adjustments)

    episodes, rels, moves, steps, jobs, support = [], [], [], [], [], []
    for ep in data.episodes:
        client = clients.get(ep.client_key)
        if client is None:
            continue
        coach = coaches[ep.coach]
        # the coach's own relationship (issue 13), ending with the episode
        rel = ServiceRelationship(
            id=uuid.uuid4(), client=client, organisation=unit,
            kind=RelationshipKind.IPS_COACHING, valid_from=ep.referred_on,
            valid_to=ep.ended_on, staff_user=coach,
        )  # fmt: skip
        rels.append(rel)
        episode = CoachingEpisode(
            id=uuid.uuid4(), client=client, coach=coach, organisation=unit, status=ep.status,
            referred_on=ep.referred_on, referring_unit=ep.referring_unit,
            started_on=ep.started_on, job_interests=ep.job_interests, ended_on=ep.ended_on,
            outcome=ep.outcome, relationship=rel,
            # the way in: an intake the coach recorded with the client present, at the
            # joint meeting with the psychiatric clinic on the referral day
            intake_met_on=ep.referred_on, intake_in_person=True, intake_by=coach,
            version=1 + (ep.started_on is not None) + (ep.ended_on is not None),
        )  # fmt: skip
        episodes.append(episode)
        path = [("", "referred", ep.referred_on)]
        if ep.started_on is not None:
            path.append(("referred", "active", ep.started_on))
        if ep.ended_on is not None:
            path.append((path[-1][1], "ended", ep.ended_on))
        moves += [
            EpisodeStatusChange(
                episode=episode, old_status=old, new_status=new, actor=coach, at=_moment(day)
            )
            for old, new, day in path
        ]
        steps += [JobSearchStep(episode=episode, on=on, kind=k, note=n) for on, k, n in ep.steps]
        rows = [
            WorkPlacement(
                id=uuid.uuid4(), episode=episode, employer=employers[j.employer_key],
                job_title=j.title, start_on=j.start_on, end_on=j.end_on,
                hours_per_week=Decimal(j.hours_per_week), pay_subsidised=j.pay_subsidised,
                open_market=j.open_market,
            )
            for j in ep.jobs
        ]  # fmt: skip
        jobs += rows
        support += [
            EmploymentSupport(
                episode=episode, placement=rows[i] if i is not None else None, on=on, note=note
            )
            for on, note, i in ep.support
        ]
    ServiceRelationship.objects.bulk_create(rels)
    CoachingEpisode.objects.bulk_create(episodes)
    EpisodeStatusChange.objects.bulk_create(moves)
    JobSearchStep.objects.bulk_create(steps)
    WorkPlacement.objects.bulk_create(jobs)
    EmploymentSupport.objects.bulk_create(support)
    counts = IpsCounts(
        coaches=len(coaches), employers=len(employers), episodes=len(episodes), jobs=len(jobs)
    )
    ChangeLog.objects.create(
        at=dates.now(),
        actor_id=None,
        actor_username="system:synth",
        event="synth.ips_loaded",
        target_type="synth.region",
        target_id=f"seed={region.seed},scale={region.scale}",
        changes={k: [None, v] for k, v in asdict(counts).items()},
    )
    return counts
