"""The policy table walked over the services that are themselves a relationship with
the client (issue 13): IPS coaching episodes, group places and their attendance,
rehabilitative work placements and their attendance. Every role of every organisation
involved (the controller, the leader's association, the placement's provider, another
provider, another organisation) plus the named people (the coach, a former coach after
a hand-over, a colleague coach, the named leader and an unnamed colleague) reads each
record through its page and its API and tries to change it through the API. What the
table allows is shown or done; nothing else is. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from tests import factories
from tests.ips.conftest import take_in

from silta.accounts.models import Organisation, User
from silta.accounts.roles import OrganisationKind, Role
from silta.clients.models import Client
from silta.core import dates
from silta.groups import services as groups
from silta.groups.models import Group, GroupSession, Participant
from silta.ips import services as ips
from silta.ips.models import CoachingEpisode, Employer, Sector
from silta.privacy.policy import Action, DataClass, RecordKind, Relation, allowed
from silta.rehab import services as rehab
from silta.rehab.attendance import DayEntry
from silta.rehab.models import Placement

K = RecordKind
SERVICE_KINDS = frozenset(
    {K.IPS_EPISODE, K.GROUP_PLACE, K.GROUP_ATTENDANCE, K.PLACEMENT, K.PLACEMENT_ATTENDANCE}
)


@dataclass
class World:
    orgs: dict[str, Organisation]
    episode: CoachingEpisode
    employer: Employer
    group: Group
    participant: Participant
    session: GroupSession
    placement: Placement
    leaders: set[object]
    spare_coach: User
    viewers: list[tuple[User, str, Role, str]] = field(default_factory=list)
    """(user, organisation key, role, who: a name for the assertion message)."""

    def relations(self, user: User, org: str, kind: str, role: Role | None = None) -> set[str]:
        """The relations the user holds to the record of ``kind``, read off the
        scenario as a person would (not from Silta's code)."""
        held: set[str] = set()
        if kind == K.IPS_EPISODE:
            if org == "ips":
                held.add(Relation.CONTROLLER)
                # the supervisor of the IPS unit the open episode is in (ADR 0028)
                if role == Role.IPS_SUPERVISOR and self.episode.is_open:
                    held.add(Relation.SUPERVISOR)
            if user.pk == self.episode.coach_id:
                held.add(Relation.ASSIGNED)
        elif kind in (K.GROUP_PLACE, K.GROUP_ATTENDANCE):
            if org == "organiser":
                held.add(Relation.CONTROLLER)
            if org == "association" and user.pk in self.leaders:
                held.add(Relation.ASSIGNED)
        elif kind in (K.PLACEMENT, K.PLACEMENT_ATTENDANCE):
            if org == "rehab_organiser":
                held.add(Relation.CONTROLLER)
            if org == "provider":
                held.add(Relation.PROVIDER)
        return held

    def may(self, user: User, org: str, role: Role, kind: str, action: str) -> bool:
        held = self.relations(user, org, kind, role)
        return allowed(role, kind, DataClass.BASIC, held, action) is not None


def _rename(client: Client, last_name: str) -> None:
    Client.objects.filter(pk=client.pk).update(last_name=last_name)


def build(region) -> World:  # type: ignore[no-untyped-def]
    today = dates.today()
    kokkola = region["272"]
    # IPS: the client was referred and taken in by a coach who then handed the episode
    # over to the coach who holds it now
    ips_org = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    coach = factories.staff(Role.IPS_COACH, ips_org)
    former = factories.staff(Role.IPS_COACH, ips_org)
    cast = {
        "ips": ips_org,
        "coach": former,
        "worker": factories.staff(Role.CASE_WORKER, employment),
    }
    person = factories.client(kokkola, organisation=employment)
    _rename(person, "Zvalmennettava")
    episode = take_in(cast, person, referred_on=today - dt.timedelta(days=30))
    episode = ips.episode_hand_over(
        actor=former, episode=episode, to_coach=coach, reason="Siirtyy", version=episode.version
    )
    episode = ips.episode_start(
        actor=coach, episode=episode, started_on=today - dt.timedelta(days=20),
        version=episode.version,
    )  # fmt: skip
    employer = ips.employer_create(
        actor=coach, name="Kone Oy", business_id=factories.business_id(),
        sector=Sector.MANUFACTURING, municipality=kokkola,
    )  # fmt: skip
    # a group: organised by Soite, led by an association's named leader
    gw = factories.group_world(kokkola)
    member = gw["clients"][0]  # type: ignore[index]
    participant = groups.participant_add(
        actor=gw["organiser"], group=gw["group"], client=member,  # type: ignore[arg-type]
        joined_on=gw["start"], intake_met_on=gw["start"], intake_in_person=True,  # type: ignore[arg-type]
    )  # fmt: skip
    _rename(member, "Zryhmalainen")
    back = (today.weekday() - 1) % 7 or 7
    session = GroupSession.objects.create(
        group=gw["group"], date=today - dt.timedelta(days=back), start_time=dt.time(10, 0),
        duration_minutes=120, place="Toimintakeskus",
    )  # fmt: skip
    # a placement: organised by another Soite unit, at provider A; provider B has none
    start = today - dt.timedelta(days=60)
    rw = factories.rehab_world(kokkola, start=start, end=today + dt.timedelta(days=120))
    _rename(rw["client"], "Zsijoitettu")  # type: ignore[arg-type]
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    rehab.attendance_record(
        actor=rw["a"]["staff"], placement=rw["placement"],  # type: ignore[index,arg-type]
        entries=[DayEntry(monday, True, Decimal(6), "")],
    )  # fmt: skip
    orgs = {
        "ips": ips_org,
        "employment": employment,
        "organiser": gw["soite"],
        "association": gw["association"],
        "rehab_organiser": rw["soite"],
        "provider": rw["a"]["org"],  # type: ignore[index]
        "other_provider": rw["b"]["org"],  # type: ignore[index]
    }
    w = World(
        orgs=orgs, episode=episode, employer=employer, group=gw["group"],
        participant=participant, session=session, placement=rw["placement"],
        leaders={gw["leader"].pk}, spare_coach=factories.staff(Role.IPS_COACH, ips_org),
    )  # fmt: skip
    for key, org in orgs.items():
        for role in Role:
            w.viewers.append((factories.staff(role, org, language="en"), key, role, role.value))
    named = [
        (coach, "ips", Role.IPS_COACH, "the coach"),
        (former, "ips", Role.IPS_COACH, "the former coach"),
        (gw["leader"], "association", Role.PROVIDER_STAFF, "the named leader"),
        (gw["colleague"], "association", Role.PROVIDER_STAFF, "the leader's colleague"),
        (gw["outsider"], "other_provider_group", Role.PROVIDER_STAFF, "another group's leader"),
        (gw["organiser"], "organiser", Role.SOCIAL_WORKER, "the organiser"),
        (rw["worker"], "rehab_organiser", Role.SOCIAL_WORKER, "the placement's organiser"),
        (rw["a"]["staff"], "provider", Role.PROVIDER_STAFF, "the provider's staff"),  # type: ignore[index]
        (rw["b"]["staff"], "other_provider", Role.PROVIDER_STAFF, "another provider's staff"),  # type: ignore[index]
    ]
    w.viewers.extend(named)  # type: ignore[arg-type]
    return w


def _http(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _attempt(call) -> int:  # type: ignore[no-untyped-def]
    """Run one write and undo it, so each attempt starts from the same rows."""
    sid = transaction.savepoint()
    try:
        return call().status_code
    finally:
        transaction.savepoint_rollback(sid)


def _send(http: HttpClient, method: str, url: str, body: dict) -> object:
    return lambda: getattr(http, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_every_viewer_reads_exactly_what_the_table_allows(region) -> None:
    w = build(region)
    e, g, s, p = w.episode, w.group, w.session, w.placement
    walked: dict[str, set[bool]] = {}
    for user, org, role, who in w.viewers:
        http = _http(user)
        surfaces = {
            K.IPS_EPISODE: (
                (f"/ips/episodes/{e.pk}/", "Zvalmennettava"),
                (f"/api/v1/ips/episodes/{e.pk}", None),
            ),
            K.GROUP_PLACE: (
                (f"/groups/{g.pk}/", "Zryhmalainen"),
                (f"/api/v1/groups/{g.pk}", "Zryhmalainen"),
            ),
            K.GROUP_ATTENDANCE: (
                (f"/groups/sessions/{s.pk}/", "Zryhmalainen"),
                (f"/api/v1/groups/sessions/{s.pk}/attendance", None),
            ),
            K.PLACEMENT: (
                (f"/rehab/placements/{p.pk}/", "Zsijoitettu"),
                (f"/api/v1/rehab/placements/{p.pk}", None),
            ),
            K.PLACEMENT_ATTENDANCE: ((f"/api/v1/rehab/placements/{p.pk}/attendance", None),),
        }
        for kind, checks in surfaces.items():
            expected = w.may(user, org, role, kind, Action.READ)
            walked.setdefault(kind, set()).add(expected)
            for url, marker in checks:
                response = http.get(url)
                body = response.content.decode()
                shown = response.status_code == 200 and (marker is None or marker in body)
                assert shown == expected, (who, org, kind, url, response.status_code)
                if response.status_code == 200 and expected:
                    assert response["Cache-Control"].startswith("no-store") or (
                        "no-store" in response["Cache-Control"]
                    ), url
                if not expected:
                    for name in ("Zvalmennettava", "Zryhmalainen", "Zsijoitettu"):
                        if marker == name:
                            assert name not in body, (who, org, url)
    # every record kind was both shown and refused to somebody
    assert all(v == {True, False} for v in walked.values()), walked
    assert set(walked) == SERVICE_KINDS


@pytest.mark.django_db
def test_every_viewer_writes_exactly_what_the_table_allows(region) -> None:
    w = build(region)
    e, s, p, part = w.episode, w.session, w.placement, w.participant
    today = dates.today()
    day = today - dt.timedelta(days=today.weekday() + 7)  # last week's Monday
    walked: dict[tuple[str, str], set[bool]] = {}
    for user, org, role, who in w.viewers:
        http = _http(user)
        attempts = {
            (K.IPS_EPISODE, Action.CHANGE): (
                _send(
                    http,
                    "post",
                    f"/api/v1/ips/episodes/{e.pk}/jobs",
                    {
                        "employer_id": str(w.employer.pk),
                        "job_title": "Varastotyöntekijä",
                        "start_on": (today - dt.timedelta(days=3)).isoformat(),
                        "hours_per_week": "20",
                    },
                ),
                201,
            ),
            (K.IPS_EPISODE, Action.REASSIGN): (
                _send(
                    http,
                    "post",
                    f"/api/v1/ips/episodes/{e.pk}/reassign",
                    {
                        "to_coach_id": str(w.spare_coach.pk),
                        "reason": "Työnjako",
                        "version": e.version,
                    },
                ),
                200,
            ),
            (K.GROUP_PLACE, Action.END): (
                _send(
                    http,
                    "post",
                    f"/api/v1/groups/participants/{part.pk}/leave",
                    {
                        "left_on": today.isoformat(),
                        "reason": "moved_on",
                        "version": 1,
                    },
                ),
                200,
            ),
            (K.GROUP_ATTENDANCE, Action.CREATE): (
                _send(
                    http,
                    "put",
                    f"/api/v1/groups/sessions/{s.pk}/attendance",
                    {
                        "entries": [{"participant_id": str(part.pk), "present": True}],
                    },
                ),
                200,
            ),
            (K.PLACEMENT_ATTENDANCE, Action.CREATE): (
                _send(
                    http,
                    "post",
                    f"/api/v1/rehab/placements/{p.pk}/attendance",
                    {
                        "days": [{"day": day.isoformat(), "status": "present", "hours": "6"}],
                    },
                ),
                200,
            ),
        }
        for (kind, action), (call, success) in attempts.items():
            expected = w.may(user, org, role, kind, action)
            walked.setdefault((kind, action), set()).add(expected)
            status = _attempt(call)
            assert (status == success) == expected, (who, org, kind, action, status)
            if not expected:
                assert status in (403, 404), (who, org, kind, action, status)
    assert all(v == {True, False} for v in walked.values()), walked


def test_the_table_and_the_role_permissions_agree() -> None:
    """The permissions that open the service pages (accounts/roles.py) and the table
    name the same roles: a role the table gives nothing cannot reach the records by a
    permission, and a role the table opens them to has the permission to get there."""
    from silta.accounts.roles import Perm, role_has

    def table_roles(kind: str, relation: str, action: str) -> set[Role]:
        return {
            r for r in Role if allowed(r, kind, DataClass.BASIC, {relation}, action) is not None
        }

    coaches = {r for r in Role if role_has(r, Perm.IPS_COACH)}
    assert table_roles(K.IPS_EPISODE, Relation.ASSIGNED, Action.READ) == coaches
    supervisors = {r for r in Role if role_has(r, Perm.IPS_SUPERVISE)}
    assert table_roles(K.IPS_EPISODE, Relation.SUPERVISOR, Action.READ) == supervisors
    assert table_roles(K.IPS_EPISODE, Relation.SUPERVISOR, Action.REASSIGN) == supervisors
    assert table_roles(K.IPS_EPISODE, Relation.SUPERVISOR, Action.CHANGE) == set()
    organisers = {r for r in Role if role_has(r, Perm.GROUPS_MANAGE)}
    assert table_roles(K.GROUP_PLACE, Relation.CONTROLLER, Action.READ) == organisers
    leaders = {r for r in Role if role_has(r, Perm.GROUPS_LEAD)}
    assert table_roles(K.GROUP_ATTENDANCE, Relation.ASSIGNED, Action.CREATE) == leaders
    rehab_organisers = {r for r in Role if role_has(r, Perm.REHAB_MANAGE)}
    assert table_roles(K.PLACEMENT, Relation.CONTROLLER, Action.READ) == rehab_organisers
    providers = {r for r in Role if role_has(r, Perm.REHAB_ATTENDANCE)}
    assert table_roles(K.PLACEMENT_ATTENDANCE, Relation.PROVIDER, Action.CREATE) == providers
