"""IPS supported employment of the synthetic region: three job coaches of Soite's IPS
unit, about 40 employers with synthetic business IDs, and 60-80 coaching episodes
referred from psychiatric outpatient care since 2022, about 18 a year, up to two
weeks before the day the region is generated (the demo lives today).

Pure and deterministic: no Django import, no clock; draws come from one
``random.Random(region.seed ^ IPS_SEED_XOR)``.

How the results come out (DOMAIN.md §4: "about 40 % of coached clients find a job";
the national evaluation reports 40-49 % in open-market work within 12 months): of the
clients followed 12 months, ``OPEN_MARKET_12_SHARE`` get an open-market job within 12
months of the start of coaching (a little over half of them within 6 months); a few
more find one later, some get a pay-subsidised job outside the open market, the rest
none. Clients not yet followed 12 months get a job with the same probability.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from silta.synth import names
from silta.synth.region import MUNICIPALITIES, Region

IPS_SEED_XOR = 0x1B5
IPS_KEY = "soite-ips"
FIRST_REFERRAL = date(2022, 1, 10)
EPISODES_PER_YEAR = 18
"""Three coaches, each starting about six clients a year (caseloads of 15-20 in IPS
fidelity terms, coaching lasting a year or more)."""
OPEN_MARKET_12_SHARE = 0.45
EMPLOYERS = 40
BUSINESS_ID_BASE = 3995000
"""Synthetic business IDs from here up (above the rehab providers' and the tests')."""

COACHES: tuple[tuple[str, str, str], ...] = (
    ("ipscoach", "Iida", "Koskinen"),
    ("ipscoach2", "Jonas", "Backman"),
    ("ipscoach3", "Sari", "Rautio"),
)
"""(username, first name, last name); ``ipscoach`` is the demo login."""

SUPERVISOR: tuple[str, str, str] = ("ipssupervisor", "Helena", "Ojala")
"""The supervisor of the IPS unit (yksikön esihenkilö; ADR 0028), the demo login
``ipssupervisor``: sees the unit's open coaching and moves a client between coaches."""

REFERRING_UNITS = (
    "Soite, psykiatrian poliklinikka, Kokkola",
    "Soite, psykiatrian poliklinikka, Kannus",
    "Soite, aikuispsykiatrian avohoito, Kaustinen",
    "Soite, nuorisopsykiatrian poliklinikka",
)

# (sector, name stems, job titles)
_SECTORS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("retail", ("Market", "Kauppa", "Rauta"), ("Myyjä", "Hyllyttäjä", "Varastotyöntekijä")),
    ("hospitality", ("Kahvila", "Ravintola", "Lounas"), ("Keittiöapulainen", "Tarjoilija")),
    ("property", ("Siivous", "Kiinteistöhuolto", "Puhtaus"), ("Siivooja", "Kiinteistötyöntekijä")),
    ("manufacturing", ("Kone", "Metalli", "Puutyö"), ("Kokoonpanija", "Koneenkäyttäjä")),
    ("construction", ("Rakennus", "Remontti"), ("Rakennusapulainen", "Maalari")),
    ("logistics", ("Kuljetus", "Logistiikka"), ("Lähetti", "Keräilijä", "Autonkuljettaja")),
    ("care", ("Hoiva", "Palvelukoti"), ("Hoiva-avustaja", "Laitosapulainen")),
    ("agriculture", ("Maatila", "Puutarha", "Metsä"), ("Maataloustyöntekijä", "Puutarhuri")),
    ("other", ("Pesula", "Kierrätys", "Digi"), ("Pesulatyöntekijä", "Kierrätystyöntekijä")),
)  # fmt: skip
STEP_KINDS = ("employer_contact", "application", "interview", "cv", "work_trial")
SUPPORT_NOTES = ("Työpaikkakäynti.", "Puhelu työnantajalle.", "Tapaaminen työpäivän jälkeen.")
_FORMS = ("Oy", "Ky", "Oy Ab", "Tmi")
_INTERESTS = (
    "Varastotyö, rauhallinen työympäristö.",
    "Ulkotyöt ja liikunta, ei asiakaspalvelua.",
    "Keittiötyö, aamuvuorot.",
    "Koneet ja korjaaminen; haluaa oppia lisää.",
    "Eläinten hoito tai maatilatyö.",
    "Siivous- ja kiinteistötyö, osa-aikaisesti aluksi.",
    "Kaupan ala, hyllytys ja varasto.",
    "Kuljetus, ajokortti B.",
)


@dataclass(frozen=True)
class IpsEmployer:
    key: int
    name: str
    business_id: str
    sector: str
    municipality_code: str
    people: tuple[tuple[str, str, str], ...]  # name, title, phone
    contacts: tuple[tuple[str, date, str, str], ...]  # coach, on, kind, notes
    opportunities: tuple[tuple[str, int, str, date], ...]  # title, hours, status, noted_on
    adjustments: tuple[tuple[str, date, str], ...]  # kind, agreed_on, description


@dataclass(frozen=True)
class IpsJob:
    employer_key: int
    title: str
    start_on: date
    end_on: date | None
    hours_per_week: int
    pay_subsidised: bool
    open_market: bool


@dataclass(frozen=True)
class IpsEpisode:
    client_key: int
    coach: str
    referred_on: date
    referring_unit: str
    started_on: date | None
    job_interests: str
    steps: tuple[tuple[date, str, str], ...]
    jobs: tuple[IpsJob, ...]
    support: tuple[tuple[date, str, int | None], ...]  # on, note, job index
    status: str
    ended_on: date | None
    outcome: str


@dataclass(frozen=True)
class IpsData:
    coaches: tuple[tuple[str, str, str], ...]
    employers: list[IpsEmployer]
    episodes: list[IpsEpisode]


def business_id(base: int) -> str | None:
    """The Y-tunnus of a 7-digit base number, None if no check digit exists."""
    digits = f"{base:07d}"
    total = sum(w * int(d) for w, d in zip((7, 9, 10, 5, 8, 4, 2), digits, strict=True))
    check = -total % 11
    return None if check == 10 else f"{digits}-{check}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _employers(rng: random.Random, today: date) -> list[IpsEmployer]:
    codes = [m.code for m in MUNICIPALITIES]
    weights = [12 if code == "272" else 2 for code in codes]
    employers: list[IpsEmployer] = []
    used: set[str] = set()
    base = BUSINESS_ID_BASE
    while len(employers) < EMPLOYERS:
        sector, stems, titles = _SECTORS[len(employers) % len(_SECTORS)]
        code = rng.choices(codes, weights)[0]
        stem = rng.choice(stems)
        owner = rng.choice(names.FINNISH_SURNAMES)
        name = rng.choice(
            [f"{owner}n {stem} {rng.choice(_FORMS)}", f"{stem} {owner} {rng.choice(_FORMS)}"]
        )
        if name in used:
            continue
        used.add(name)
        bid = business_id(base)
        while bid is None:
            base += 1
            bid = business_id(base)
        base += 1
        first = rng.choice(names.FINNISH_FEMALE + names.FINNISH_MALE)
        contact_name = f"{first} {rng.choice(names.FINNISH_SURNAMES)}"
        since = _day_between(rng, date(2022, 1, 1), date(2025, 6, 30))
        contacts = tuple(
            (
                COACHES[rng.randrange(len(COACHES))][0],
                _day_between(rng, since, today),
                rng.choice(("visit", "phone", "email", "meeting")),
                rng.choice(("Esittäytyminen ja IPS-mallin kertominen.", "Työtehtävien läpikäynti.",
                            "Seurantasoitto.", "Avoimista paikoista keskustelu.")),
            )
            for _ in range(rng.randint(1, 4))
        )  # fmt: skip
        opportunities = tuple(
            (
                rng.choice(titles),
                rng.choice((10, 15, 20, 25, 30, 37)),
                rng.choices(("open", "filled", "closed"), (3, 4, 2))[0],
                _day_between(rng, since, today),
            )
            for _ in range(rng.randint(0, 2))
        )
        adjustments = tuple(
            (
                kind,
                _day_between(rng, since, today),
                "Työtehtävät rajattu keräilyyn ja hyllytykseen."
                if kind == "job_carving"
                else "Lyhyemmät päivät ja tauot aluksi.",
            )
            for kind in rng.sample(("job_carving", "modified_duties"), rng.choice((0, 0, 1, 1, 2)))
        )
        employers.append(
            IpsEmployer(
                key=len(employers),
                name=name,
                business_id=bid,
                sector=sector,
                municipality_code=code,
                people=((contact_name, rng.choice(("Toimitusjohtaja", "Esimies", "Työnjohtaja")),
                         f"040 {rng.randint(1000000, 9999999)}"),),
                contacts=contacts,
                opportunities=opportunities,
                adjustments=adjustments,
            )
        )  # fmt: skip
    return employers


def _referral_quota(last: date) -> dict[int, int]:
    """Referrals per year from ``FIRST_REFERRAL`` to ``last``, ``EPISODES_PER_YEAR``
    for a whole year and its share for a part of one."""
    quota: dict[int, int] = {}
    for year in range(FIRST_REFERRAL.year, last.year + 1):
        start = max(FIRST_REFERRAL, date(year, 1, 1))
        end = min(last, date(year, 12, 31))
        days = (end - start).days + 1
        quota[year] = round(EPISODES_PER_YEAR * days / 365) if days > 0 else 0
    return quota


def _clients(rng: random.Random, region: Region) -> list[tuple[int, date]]:
    """(client key, referral date): distinct clients unemployed at the referral."""
    last = region.generated_on - timedelta(days=14)
    candidates: list[tuple[int, date]] = []
    for s in region.spells:
        end = s.end or region.generated_on
        first = max(s.start + timedelta(days=60), FIRST_REFERRAL)
        stop = min(end, last)
        if first <= stop and (end - s.start).days >= 180:
            candidates.append((s.client_key, _day_between(rng, first, stop)))
    rng.shuffle(candidates)
    quota = _referral_quota(last)
    chosen: dict[int, date] = {}
    for key, day in candidates:
        if key not in chosen and quota.get(day.year, 0) > 0:
            chosen[key] = day
            quota[day.year] -= 1
    return sorted(chosen.items(), key=lambda kv: (kv[1], kv[0]))


def _job(
    rng: random.Random, employers: list[IpsEmployer], start: date, today: date, *, open_market: bool
) -> IpsJob:
    employer = rng.choice(employers)
    titles = next(t for s, _stems, t in _SECTORS if s == employer.sector)
    months = rng.choice((2, 4, 6, 9, 12, 18, 24, 36))
    end: date | None = _add_months(start, months) - timedelta(days=rng.randint(0, 20))
    if end is not None and (end > today or rng.random() < 0.35):
        end = None  # still working
    return IpsJob(
        employer_key=employer.key,
        title=rng.choice(titles),
        start_on=start,
        end_on=end,
        hours_per_week=rng.choice((10, 15, 20, 25, 30, 37)),
        pay_subsidised=(not open_market) or rng.random() < 0.2,
        open_market=open_market,
    )


def generate_ips(region: Region) -> IpsData:
    rng = random.Random(region.seed ^ IPS_SEED_XOR)  # noqa: S311 - synthetic data
    today = region.generated_on
    employers = _employers(rng, today)
    picked = _clients(rng, region)
    plan: list[tuple[int, date, date | None]] = []  # key, referred, started
    for key, referred in picked:
        first_meeting = referred + timedelta(days=rng.randint(7, 35))
        # a tenth never start coaching (or have not yet)
        keep = rng.random() >= 0.1 and first_meeting <= today
        plan.append((key, referred, first_meeting if keep else None))
    followed = [i for i, (_k, _r, s) in enumerate(plan) if s and _add_months(s, 12) <= today]
    hits = set(rng.sample(followed, round(OPEN_MARKET_12_SHARE * len(followed))))
    episodes: list[IpsEpisode] = []
    for i, (key, referred, start) in enumerate(plan):
        coach = COACHES[i % len(COACHES)][0]
        unit = rng.choice(REFERRING_UNITS)
        interests = rng.choice(_INTERESTS)
        if start is None:
            late = (today - referred).days > 60
            episodes.append(
                IpsEpisode(
                    client_key=key, coach=coach, referred_on=referred, referring_unit=unit,
                    started_on=None, job_interests=interests, steps=(), jobs=(), support=(),
                    status="ended" if late else "referred",
                    ended_on=referred + timedelta(days=rng.randint(20, 60)) if late else None,
                    outcome="did_not_start" if late else "",
                )
            )  # fmt: skip
            continue
        started: date = start
        jobs: list[IpsJob] = []
        if i in hits or (i not in followed and rng.random() < OPEN_MARKET_12_SHARE):
            # within 6 months a little over half the time, otherwise within 12
            days = rng.randint(14, 182) if rng.random() < 0.55 else rng.randint(183, 360)
            jobs.append(
                _job(rng, employers, started + timedelta(days=days), today, open_market=True)
            )
        elif i in followed:
            roll = rng.random()
            if roll < 0.2:  # a job found only after 12 months
                later = _add_months(started, 12) + timedelta(days=rng.randint(10, 200))
                jobs.append(_job(rng, employers, later, today, open_market=True))
            elif roll < 0.4:  # a pay-subsidised job outside the open market
                day = started + timedelta(days=rng.randint(30, 300))
                jobs.append(_job(rng, employers, day, today, open_market=False))
        jobs = [j for j in jobs if j.start_on <= today]
        steps_end = jobs[0].start_on if jobs else min(today, _add_months(started, 10))
        steps = tuple(
            sorted(
                (
                    _day_between(rng, started, steps_end),
                    rng.choice(STEP_KINDS),
                    rng.choice(("", "Yhdessä työnantajan luona.", "Hakemus lähetetty.")),
                )
                for _ in range(rng.randint(1, 6))
            )
        )  # fmt: skip
        support: list[tuple[date, str, int | None]] = []
        for j_index, job in enumerate(jobs):
            last = min(job.end_on or today, today)
            for _ in range(rng.randint(1, 4)):
                note = rng.choice(SUPPORT_NOTES)
                support.append((_day_between(rng, job.start_on, last), note, j_index))
        # coaching goes on 3-12 months after the job starts, or ends after 6-20 months
        if jobs:
            end = _add_months(jobs[0].start_on, rng.randint(3, 12))
            outcome = "employed_open_market" if jobs[0].open_market else "employed_subsidised"
        else:
            end = _add_months(started, rng.randint(6, 20))
            outcome = rng.choice(("client_ended", "education", "other_service", "ended_other"))
        ended = end <= today
        support = [s for s in support if not ended or s[0] <= end]
        steps = tuple(s for s in steps if not ended or s[0] <= end)
        episodes.append(
            IpsEpisode(
                client_key=key, coach=coach, referred_on=referred, referring_unit=unit,
                started_on=started, job_interests=interests, steps=steps, jobs=tuple(jobs),
                support=tuple(sorted(support)), status="ended" if ended else "active",
                ended_on=end if ended else None, outcome=outcome if ended else "",
            )
        )  # fmt: skip
    return IpsData(coaches=COACHES, employers=employers, episodes=episodes)
