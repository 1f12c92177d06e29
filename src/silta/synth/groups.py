"""Group activities of the synthetic region (issue 8): social rehabilitation groups run
by Soite's adult social work and low-threshold groups run by associations, 2022 on,
with weekly sessions, participants and attendance.

Pure and deterministic (no Django import, no clock): the same region, the same
social rehabilitation periods and the same seed give the same groups.

Who takes part
--------------
* Social rehabilitation: every client who was in social rehabilitation (the periods
  of the case-work data: a referral to ``social_rehabilitation`` from its first
  appointment to its closing, see ``silta.synth.activity``) joins a group for that
  period, from 2022 on. So the groups' participants of a year are exactly the year's
  social rehabilitation clients (DOMAIN.md §4: 90 in 2023) and the two yearly
  figures agree every year. A client goes to a group of their home municipality, else
  a nearby one, that runs for the whole period; a group is never over its capacity on
  any day (a further group opens when all are full, which happens only at larger
  scales).
* Low-threshold activities: clients registered unemployed on the day join for 2-9
  months while the group has room (about two thirds of its places are kept taken).

Sessions are weekly on the group's weekdays except in July and over Christmas; up to
``generated_on`` they are held (a few cancelled), the next four weeks planned.
Attendance is recorded for every held session and every participant of the day:
present with a personal propensity, otherwise absent with a reason.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from silta.synth.region import Region, municipality_on

GROUPS_SEED_XOR = 0x6A0C5
ORGANISER_KEY = "soite-adult-social-work"
SOCIAL_REHABILITATION = "social_rehabilitation"
LOW_THRESHOLD = "low_threshold_activity"
FIRST_DAY = date(2022, 1, 1)
PLANNED_AHEAD_DAYS = 28

# key, name, kind, leader organisation, municipality, place, weekdays, start, minutes,
# capacity, period start, period end (None: runs on)
# fmt: off
GROUPS: tuple[tuple[str, str, str, str, str, str, tuple[int, ...], time, int, int, date,
                    date | None], ...] = (
    ("arjen-taidot", "Arjen taidot -ryhmä", SOCIAL_REHABILITATION, ORGANISER_KEY, "272",
     "Aikuissosiaalityö, Mariankatu 16", (1, 3), time(9, 30), 150, 12,
     date(2022, 1, 4), None),
    ("voimaa-arkeen", "Voimaa arkeen", SOCIAL_REHABILITATION, ORGANISER_KEY, "272",
     "Perhekeskus, Torikatu 10", (2,), time(12, 0), 120, 12,
     date(2022, 1, 5), None),
    ("luontoryhma", "Luontoryhmä", SOCIAL_REHABILITATION, ORGANISER_KEY, "272",
     "Villa Elba, Ykspihlaja", (0,), time(10, 0), 180, 10,
     date(2022, 1, 3), date(2025, 12, 15)),
    ("kannus-toimintaryhma", "Kannuksen toimintaryhmä", SOCIAL_REHABILITATION,
     ORGANISER_KEY, "217", "Kannuksen sosiaalitoimisto, Keskustie 9", (3,), time(10, 0),
     120, 10, date(2022, 1, 3), None),
    ("kaustinen-olohuone", "Kaustisen olohuoneryhmä", SOCIAL_REHABILITATION, ORGANISER_KEY,
     "236", "Kaustisen olohuone, Kaustintie 12", (1,), time(12, 0), 120, 10,
     date(2022, 1, 3), None),
    ("veteli-perho", "Vetelin ja Perhon ryhmä", SOCIAL_REHABILITATION, ORGANISER_KEY,
     "924", "Vetelin kunnantalo, Kirkonkyläntie 3", (2,), time(10, 0), 120, 8,
     date(2022, 1, 3), date(2024, 12, 18)),
    ("olohuone", "Kohtaamispaikka Olohuone", LOW_THRESHOLD, "kokkolan-tyottomat-ry",
     "272", "Työttömien toimintakeskus, Pitkänsillankatu 10", (0, 2, 4),
     time(10, 0), 180, 25, date(2022, 1, 3), None),
    ("mello-kadentaidot", "Mellon kädentaitoryhmä", LOW_THRESHOLD, "mello-ry", "272",
     "Mellon puutyöpaja, Isokatu 30", (3,), time(13, 0), 120, 15,
     date(2022, 8, 18), None),
    ("avoin-aamupaiva", "Seurakunnan avoin aamupäivä", LOW_THRESHOLD,
     "kokkolan-seurakuntayhtyma", "272", "Seurakuntakeskus, Isokatu 22", (1,),
     time(9, 0), 150, 20, date(2022, 1, 4), date(2025, 5, 27)),
)
# fmt: on

NEAR: dict[str, tuple[str, ...]] = {
    "272": ("272",),
    "217": ("217", "272"),
    "849": ("217", "272"),
    "236": ("236", "924"),
    "924": ("924", "236"),
    "584": ("924", "236"),
    "074": ("924", "236"),
    "421": ("924", "236", "217"),
}
"""Where the clients of a municipality go, nearest first (then any group)."""

_CANCEL_REASONS = ("Ohjaaja sairastunut.", "Tila ei käytettävissä.", "Yhteinen retki siirtyi.")
_ABSENCE = (("ill", 50), ("agreed", 25), ("no_notice", 20), ("other", 5))
_LEAVE = (("period_completed", 70), ("moved_on", 15), ("client_interrupted", 10), ("health", 5))


@dataclass(frozen=True, slots=True)
class SynthGroup:
    key: str
    name: str
    kind: str
    leader_org: str
    municipality_code: str
    place: str
    weekdays: tuple[int, ...]
    start_time: time
    duration_minutes: int
    capacity: int
    period_start: date
    period_end: date | None
    leaders: tuple[str, ...]
    """Usernames."""

    def runs_on(self, day: date) -> bool:
        return self.period_start <= day and (self.period_end is None or day <= self.period_end)


@dataclass(frozen=True, slots=True)
class SynthParticipation:
    group: int
    """Index in ``GroupData.groups``."""
    client_key: int
    joined_on: date
    left_on: date | None
    leave_reason: str


@dataclass(frozen=True, slots=True)
class SynthSession:
    group: int
    date: date
    status: str
    cancel_reason: str = ""


@dataclass(slots=True)
class GroupData:
    groups: list[SynthGroup] = field(default_factory=list)
    participations: list[SynthParticipation] = field(default_factory=list)
    sessions: list[SynthSession] = field(default_factory=list)
    attendance: list[tuple[int, int, bool, str]] = field(default_factory=list)
    """(session index, participation index, present, absence reason)."""


def _peak(intervals: list[tuple[date, date | None]], start: date, end: date | None) -> int:
    events: list[tuple[date, int]] = []
    for a, b in intervals:
        if (end is not None and a > end) or (b is not None and b < start):
            continue
        events.append((max(a, start), 1))
        if b is not None and (end is None or b < end):
            events.append((b + timedelta(days=1), -1))
    events.sort()
    peak = running = 0
    for _d, step in events:
        running += step
        peak = max(peak, running)
    return peak


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in options], [w for _o, w in options])[0]


def _staff(region: Region, org: str, role: str) -> list[str]:
    return sorted(s.username for s in region.staff if s.organisation_key == org and s.role == role)


def _session_days(g: SynthGroup, last: date) -> list[date]:
    end = last if g.period_end is None else min(last, g.period_end)
    out = []
    day = g.period_start
    while day <= end:
        if (
            day.weekday() in g.weekdays
            and day.month != 7
            and not (day.month == 12 and day.day >= 22)
            and not (day.month == 1 and day.day <= 6)
        ):
            out.append(day)
        day += timedelta(days=1)
    return out


class _Builder:
    def __init__(self, region: Region, seed: int) -> None:
        self.region = region
        self.rng = random.Random(seed ^ GROUPS_SEED_XOR)  # noqa: S311 - synthetic data
        self.out = GroupData()
        self.taken: list[list[tuple[date, date | None]]] = []
        self.clients = {c.key: c for c in region.clients}

    def add_group(self, g: SynthGroup) -> int:
        self.out.groups.append(g)
        self.taken.append([])
        return len(self.out.groups) - 1

    def groups(self) -> None:
        instructors = _staff(self.region, ORGANISER_KEY, "social_instructor")
        instructors = sorted(instructors, key=lambda u: (u != "instructor", u))
        i = 0
        for key, name, kind, org, code, place, days, start, minutes, cap, first, last in GROUPS:
            if kind == SOCIAL_REHABILITATION:
                pool = instructors or _staff(self.region, ORGANISER_KEY, "social_worker")
                leaders = tuple(dict.fromkeys([pool[i % len(pool)], pool[(i + 1) % len(pool)]]))
                i += 1
            else:
                pool = _staff(self.region, org, "provider_staff")
                leaders = tuple(sorted(pool, key=lambda u: (u != "provider", u))[:1])
            self.add_group(
                SynthGroup(key, name, kind, org, code, place, days, start, minutes, cap,
                           first, last, leaders)
            )  # fmt: skip

    def _fits(self, gi: int, client: int, joined: date, left: date | None) -> bool:
        g = self.out.groups[gi]
        mine = [
            (p.joined_on, p.left_on)
            for p in self.out.participations
            if p.group == gi and p.client_key == client
        ]
        return _peak(mine, joined, left) == 0 and _peak(self.taken[gi], joined, left) < g.capacity

    def _join(self, gi: int, client: int, joined: date, left: date | None, reason: str) -> None:
        self.out.participations.append(SynthParticipation(gi, client, joined, left, reason))
        self.taken[gi].append((joined, left))

    def social_rehabilitation(self, periods: Sequence[tuple[int, date, date | None]]) -> None:
        rng = self.rng
        rehab = [i for i, g in enumerate(self.out.groups) if g.kind == SOCIAL_REHABILITATION]
        for client, start, end in sorted(periods, key=lambda p: (p[1], p[0])):
            if end is not None and end < FIRST_DAY:
                continue
            if end is not None and end < start:
                end = start
            c = self.clients.get(client)
            home = (municipality_on(c, max(start, FIRST_DAY)) if c else None) or "272"
            near = NEAR.get(home, ("272",))
            order = sorted(
                rehab,
                key=lambda gi: (
                    near.index(self.out.groups[gi].municipality_code)
                    if self.out.groups[gi].municipality_code in near
                    else len(near),
                    rng.random(),
                ),
            )
            placed = False
            for gi in order:
                g = self.out.groups[gi]
                joined, left = max(start, g.period_start), end
                if g.period_end is not None and (left is None or left > g.period_end):
                    continue  # the group ends before the period does
                if not g.runs_on(joined) or (left is not None and left < joined):
                    continue
                if self._fits(gi, client, joined, left):
                    reason = "" if left is None else _weighted(rng, _LEAVE)
                    self._join(gi, client, joined, left, reason)
                    placed = True
                    break
            if not placed:
                base = self.out.groups[rehab[0]]
                n = sum(1 for g in self.out.groups if g.key.startswith(base.key))
                gi = self.add_group(
                    SynthGroup(
                        f"{base.key}-{n + 1}", f"{base.name} {n + 1}", base.kind, base.leader_org,
                        base.municipality_code, base.place, base.weekdays, base.start_time,
                        base.duration_minutes, base.capacity, FIRST_DAY, None, base.leaders,
                    )
                )  # fmt: skip
                rehab.append(gi)
                reason = "" if end is None else _weighted(rng, _LEAVE)
                self._join(gi, client, max(start, FIRST_DAY), end, reason)

    def low_threshold(self, busy: set[int]) -> None:
        rng = self.rng
        last = self.region.generated_on
        for gi, g in enumerate(list(self.out.groups)):
            if g.kind != LOW_THRESHOLD:
                continue
            g_end = last if g.period_end is None else min(last, g.period_end)
            spells = [
                s
                for s in self.region.spells
                if s.start <= g_end and (s.end is None or s.end >= g.period_start)
            ]
            if not spells:
                continue
            day = g.period_start
            target = max(1, round(g.capacity * 2 / 3))
            while day <= g_end:
                misses = 0
                while _peak(self.taken[gi], day, day) < target and misses < 40:
                    s = spells[rng.randrange(len(spells))]
                    c = self.clients.get(s.client_key)
                    if (
                        c is None
                        or s.start > day
                        or (s.end is not None and s.end < day)
                        or s.client_key in busy
                        or municipality_on(c, day) != g.municipality_code
                    ):
                        misses += 1
                        continue
                    left: date | None = day + timedelta(days=rng.randint(60, 270))
                    if s.end is not None and left is not None:
                        left = min(left, s.end)
                    if g.period_end is not None and left is not None:
                        left = min(left, g.period_end)
                    if left is not None and left > last:
                        left = None
                    if not self._fits(gi, s.client_key, day, left):
                        misses += 1
                        continue
                    reason = "" if left is None else _weighted(rng, _LEAVE)
                    self._join(gi, s.client_key, day, left, reason)
                day += timedelta(days=14)

    def sessions(self) -> None:
        rng = self.rng
        last = self.region.generated_on
        by_group: dict[int, list[int]] = {}
        for pi, p in enumerate(self.out.participations):
            by_group.setdefault(p.group, []).append(pi)
        propensity = {pi: rng.uniform(0.6, 0.95) for pi in range(len(self.out.participations))}
        for gi, g in enumerate(self.out.groups):
            members = by_group.get(gi, [])
            for day in _session_days(g, last + timedelta(days=PLANNED_AHEAD_DAYS)):
                if day > last:
                    self.out.sessions.append(SynthSession(gi, day, "planned"))
                    continue
                if rng.random() < 0.03:
                    reason = rng.choice(_CANCEL_REASONS)
                    self.out.sessions.append(SynthSession(gi, day, "cancelled", reason))
                    continue
                si = len(self.out.sessions)
                self.out.sessions.append(SynthSession(gi, day, "held"))
                for pi in members:
                    p = self.out.participations[pi]
                    if p.joined_on <= day and (p.left_on is None or day <= p.left_on):
                        if rng.random() < propensity[pi]:
                            self.out.attendance.append((si, pi, True, ""))
                        else:
                            self.out.attendance.append((si, pi, False, _weighted(rng, _ABSENCE)))


def generate_groups(
    region: Region, *, social_rehabilitation: Sequence[tuple[int, date, date | None]]
) -> GroupData:
    """The region's groups. ``social_rehabilitation``: (client key, first day, last day
    or None) of every social rehabilitation period (the case-work data's)."""
    b = _Builder(region, region.seed)
    b.groups()
    b.social_rehabilitation(social_rehabilitation)
    b.low_threshold({client for client, _s, _e in social_rehabilitation})
    b.sessions()
    return b.out


def participants(data: GroupData, year: int, kind: str = SOCIAL_REHABILITATION) -> int:
    """Distinct clients of ``kind`` groups during the year (the report's terms)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return len(
        {
            p.client_key
            for p in data.participations
            if data.groups[p.group].kind == kind
            and p.joined_on <= last
            and (p.left_on is None or p.left_on >= first)
        }
    )
