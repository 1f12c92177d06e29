"""Rehabilitative work activity of the synthetic region: providers' sites and contracts,
placements, daily attendance, transitions and outcome fees.

Pure and deterministic (no Django import, no clock): the same region and seed give
the same data. Every ``rehabilitative_work_activity`` service period of the region
that reaches 2019 or later becomes a placement at one of the providers. The region's
periods give about 325 participants a year; DOMAIN.md §4 says 339 (2022) and 345
(2023), so more long-term unemployed clients get a placement in those years (on an
open spell, never over another service period) until the targets are met.

A placement that ended within 30 days before its client's spell ended may be a
transition (work, education, a work trial, ...): "a few" a year across the providers
(seed 003). From Soite's procurement at the end of 2020 a purchased provider's
contract pays an outcome fee for a qualifying transition (degree-leading education,
pay-subsidised work, open-market work, work trial); Soite's own unit and the
municipality's workshop are providers without a fee. Attendance (from 2023): on the placement's
planned number of weekdays each week, present on most of them (4-8 hours), else absent
with a reason; nothing after the generation date."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from silta.synth.region import Region

FIRST_DAY = date(2019, 1, 1)
"""Placements ending before this are history the region does not show."""
ATTENDANCE_FROM = date(2023, 1, 1)
"""Daily attendance is generated from here on (2023 is the calibration year); older
placements are there without their days, which keeps the demo load fast."""
FEE_PROCUREMENT_FROM = date(2020, 12, 1)
MAX_FEES_A_YEAR = 7
"""Seed 003 says the providers claim "a few" outcome fees a year: later qualifying
transitions of a year that already has this many go without a fee claim (the draws
stay the same, so the rest of the region does not change)."""
"""Soite's procurement "at the end of 2020" (seed 003): the outcome fee from here on."""
TRANSITION_SHARE = 0.06
"""Of the placements ending within 30 days before the spell ends, the share recorded
as a transition (the others: the period was completed)."""
TARGETS = {2022: 339, 2023: 345}
ORGANISER_KEY = "soite-adult-social-work"
QUALIFYING = ("open_market_job", "pay_subsidised_work", "degree_education", "work_trial")
_TRANSITIONS = (
    ("open_market_job", 30),
    ("pay_subsidised_work", 30),
    ("degree_education", 15),
    ("work_trial", 15),
    ("other_education", 10),
)

SOITE_UNIT_KEY = "soite-work-activity-centre"
"""Soite's own unit of rehabilitative work activity; the rehab loader adds it to the
region's organisations when missing."""

# (organisation key, weight, contract reference, price per day in cents, outcome fee in
# cents, places, sites: (name, address, municipality code))
PROVIDERS: tuple[tuple[str, int, str, int, int, int, tuple[tuple[str, str, str], ...]], ...] = (
    ("mello-ry", 30, "SOITE-KTT-2018-01", 2850, 80000, 140,
     (("Mellon kierrätyskeskus", "Prismantie 2, Kokkola", "272"),
      ("Mellon puutyöpaja", "Isokatu 30, Kokkola", "272"),
      ("Kannuksen kirpputori", "Keskustie 9, Kannus", "217"))),
    ("ykspihlajan-pienkiinteistoyhdistys", 15, "SOITE-KTT-2018-02", 2600, 70000, 60,
     (("Kiinteistöhuolto Ykspihlaja", "Satamakatu 120, Kokkola", "272"),)),
    ("kotipesa-ry", 20, "SOITE-KTT-2018-03", 2700, 75000, 80,
     (("Kotipesän keittiö", "Rantakatu 5, Kokkola", "272"),
      ("Kaustisen olohuone", "Kaustintie 12, Kaustinen", "236"))),
    ("kokkolan-tyottomat-ry", 25, "SOITE-KTT-2018-04", 2500, 70000, 110,
     (("Työttömien toimintakeskus", "Pitkänsillankatu 10, Kokkola", "272"),
      ("Vetelin työpaja", "Kirkonkyläntie 3, Veteli", "924"),
      ("Toholammin puutarha", "Sykäräisentie 4, Toholampi", "849"))),
    ("kokkolan-seurakuntayhtyma", 10, "SOITE-KTT-2018-05", 2400, 60000, 40,
     (("Seurakunnan diakoniatyö", "Kokkolan kirkko, Kokkola", "272"),)),
    # Soite's own unit and a municipality's workshop (seed 003: "Soite ja kunnat"):
    # priced for the internal statement, no outcome fee
    (SOITE_UNIT_KEY, 10, "SOITE-KTT-OMA-01", 2200, 0, 30,
     (("Soiten työtoimintakeskus", "Mariankatu 16–20, Kokkola", "272"),)),
    ("kannus", 6, "SOITE-KTT-KANNUS-01", 2300, 0, 15,
     (("Kannuksen kaupungin työpaja", "Keskustie 26, Kannus", "217"),)),
)  # fmt: skip
FEES = {p[0]: p[4] > 0 for p in PROVIDERS}
CONTRACT_FROM = date(2018, 1, 1)
PRICE_RISE_FROM = date(2024, 1, 1)
PRICE_RISE_CENTS = 150
"""Each contract has a second version from 2024 with the price raised by this much."""


@dataclass(frozen=True, slots=True)
class SynthPlacement:
    client_key: int
    provider_key: str
    site_index: int
    start: date
    planned_end: date
    ended: date | None
    days_per_week: int
    hours_tenths: int
    end_reason: str
    outcome_kind: str
    outcome_on: date | None
    fee: bool


@dataclass(slots=True)
class RehabData:
    placements: list[SynthPlacement] = field(default_factory=list)
    attendance: list[tuple[int, date, bool, int, str]] = field(default_factory=list)
    """(placement index, day, present, hours in tenths (0 when absent), absence reason)."""


def _overlaps(a: date, b: date, year: int) -> bool:
    return a <= date(year, 12, 31) and b >= date(year, 1, 1)


def _last_day(p: SynthPlacement) -> date:
    return p.ended or p.planned_end


def generate_rehab(region: Region, *, seed: int | None = None) -> RehabData:
    rng = random.Random((region.seed if seed is None else seed) * 31 + 189)  # noqa: S311
    end = region.generated_on
    spells_by_client: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for s in region.spells:
        spells_by_client[s.client_key].append((s.start, s.end))
    services_by_client: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for sp in region.service_periods:
        services_by_client[sp.client_key].append((sp.start, sp.end))
    weights = [p[1] for p in PROVIDERS]
    fees_a_year: Counter[int] = Counter()

    def provider() -> tuple[str, int]:
        i = rng.choices(range(len(PROVIDERS)), weights=weights)[0]
        return PROVIDERS[i][0], rng.randrange(len(PROVIDERS[i][6]))

    def make(
        client_key: int, start: date, last: date, dpw: int, spell_end: date | None
    ) -> SynthPlacement:
        key, site = provider()
        hours = rng.choice((40, 50, 60, 60, 60, 70, 80))
        planned = last
        ended: date | None = None
        reason, kind, kind_on, fee = "", "", None, False
        if last <= end:
            ended = last
            if (
                spell_end is not None
                and 0 <= (spell_end - last).days <= 30
                and rng.random() < TRANSITION_SHARE
            ):
                reason = "transition"
                kind = rng.choices([k for k, _w in _TRANSITIONS], [w for _k, w in _TRANSITIONS])[0]
                kind_on = spell_end + timedelta(days=1)
                fee = (
                    kind in QUALIFYING
                    and FEES[key]
                    and last >= FEE_PROCUREMENT_FROM
                    and kind_on + timedelta(days=20) <= end
                    and fees_a_year[last.year] < MAX_FEES_A_YEAR
                )
                if fee:
                    fees_a_year[last.year] += 1
            else:
                reason = rng.choices(
                    ("period_completed", "client_interrupted", "health", "moved_away", "other"),
                    (60, 15, 15, 3, 7),
                )[0]
                if reason != "period_completed":
                    # interrupted before the planned end
                    planned = min(
                        last + timedelta(days=rng.randint(30, 150)), end + timedelta(days=180)
                    )
        return SynthPlacement(
            client_key, key, site, start, planned, ended, dpw, hours, reason, kind, kind_on, fee
        )

    data = RehabData()
    for sp in region.service_periods:
        if sp.kind != "rehabilitative_work_activity" or sp.end < FIRST_DAY:
            continue
        spell_end = next(
            (
                e
                for s, e in spells_by_client[sp.client_key]
                if s <= sp.start and (e is None or e >= sp.start)
            ),
            None,
        )
        data.placements.append(make(sp.client_key, sp.start, sp.end, sp.days_per_week, spell_end))

    # Top up to the yearly participant counts of DOMAIN.md §4.
    candidates = sorted(spells_by_client)
    rng.shuffle(candidates)
    for year, full in sorted(TARGETS.items()):
        target = round(full * region.scale)
        have = {p.client_key for p in data.placements if _overlaps(p.start, _last_day(p), year)}
        for client_key in candidates:
            if len(have) >= target:
                break
            if client_key in have:
                continue
            start = date(year, 1, 1) + timedelta(days=rng.randint(0, 300))
            months = rng.choice((3, 4, 6, 6, 9, 12))
            last = start + timedelta(days=int(months * 30.44) - 1)
            spell = next(
                (
                    (s, e)
                    for s, e in spells_by_client[client_key]
                    if (start - s).days >= 300 and (e is None or e >= last)
                ),
                None,
            )
            if spell is None or last > end:
                continue
            taken = services_by_client[client_key] + [
                (p.start, _last_day(p)) for p in data.placements if p.client_key == client_key
            ]
            if any(a <= last and b >= start for a, b in taken):
                continue
            dpw = rng.choice((1, 2, 2, 3, 3, 3, 4, 4))
            data.placements.append(make(client_key, start, last, dpw, spell[1]))
            have.add(client_key)

    data.placements.sort(key=lambda p: (p.start, p.client_key))
    _attendance(rng, data, end)
    return data


_ABSENCES = ("ill", "agreed", "no_notice", "child_ill", "other")
_ABSENCE_WEIGHTS = (55, 25, 10, 5, 5)


def _attendance(rng: random.Random, data: RehabData, end: date) -> None:
    rows = data.attendance
    append = rows.append
    rand = rng.random
    for index, p in enumerate(data.placements):
        # recorded up to yesterday: today's attendance is written in the afternoon
        last = min(_last_day(p), end - timedelta(days=1))
        first = max(p.start, ATTENDANCE_FROM)
        monday = first - timedelta(days=first.weekday())
        # each placement keeps its weekdays (e.g. Mon, Tue and Thu) with small changes
        usual = sorted(rng.sample(range(5), p.days_per_week))
        while monday <= last:
            weekdays = usual if rand() < 0.85 else sorted(rng.sample(range(5), p.days_per_week))
            for wd in weekdays:
                day = monday + timedelta(days=wd)
                if day < first or day > last:
                    continue
                if rand() < 0.88:
                    hours = p.hours_tenths
                    if hours > 40 and rand() < 0.1:
                        hours -= 10
                    append((index, day, True, hours, ""))
                else:
                    reason = rng.choices(_ABSENCES, _ABSENCE_WEIGHTS)[0]
                    append((index, day, False, 0, reason))
            monday += timedelta(days=7)


def participants(data: RehabData, year: int) -> int:
    """Distinct clients with a placement overlapping the year."""
    return len({p.client_key for p in data.placements if _overlaps(p.start, _last_day(p), year)})
