"""A synthetic Central Ostrobothnia: organisations, staff, unemployed clients, their
unemployment spells, services, Kela benefit payments and person events.

Pure and deterministic: no Django import, no clock. One ``random.Random(seed)`` is
threaded through every draw, lists are built in a fixed order, so the same ``seed``
and ``scale`` always give the same region, whatever the date or the dict order.

How the region is made
----------------------
* Newcomers to the unemployed pool arrive per municipality and year at a rate
  proportional to working-age population x register-based unemployment rate
  (DOMAIN.md §4 priors) x a yearly business-cycle factor, from ``SIMULATION_START``
  (2000) so that the pool is in steady state long before 2019.
* Each person then lives a renewal process: an unemployment spell whose length follows
  the 2023 spell-length distribution (tilted longer with age and a personal
  "frailty"), then maybe work and a new spell, until 65 or until they leave the pool.
  Work of 12 months or more between spells emits ``employment_condition_met``.
* A *client* is anyone with a spell overlapping ``[start, end]``. Their whole spell
  history is emitted, including spells before ``start``; benefit payments go back to
  ``HISTORY_START`` (2010-01-01) so that the old-regime counter (days over the whole
  history) is right for people who were long-term unemployed on ``start``. So
  ``start`` bounds who is a client (their spells reach into the window), not how far
  back their payments go.
* Benefits: with a work history, earnings-related (basic part) or basic allowance for
  300/400/500 days, then labour market subsidy; without one (young, first-time,
  most recent immigrants) labour market subsidy from the start. Five waiting
  weekdays at the start of each spell. Payment periods of 28 days from the spell
  start, the last one cut at the spell end; paid days are the weekdays of the period
  (max 5 per calendar week); days in a service (rehabilitative work activity on its
  1-4 days a week, training, work trial) are paid on basis ``service``; a few travel
  grant days on basis ``other``; some periods adjusted for part-time work; rare
  recoveries as negative rows with 0 days.
* Only payments made on or before ``end`` exist (``generated_on == end``); a spell
  still running on ``end`` is open (``end=None``).

Calibration (``bench/synth.py`` prints the figures): about 3 156 open spells on
2026-01-15 at scale 1, and about 3.4 M EUR municipal share of labour market subsidy
paid January-October 2023 under the pre-2025 rules. Scale 1 has about 16 700 clients
(everyone unemployed at some time 2019-2026) and 440 000 payment rows in about 3 s;
about 100 000 clients need scale 6 (about 20 s, 1 GB). Time and size are linear.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import gc
import itertools
import math
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO

from silta.engine.rules import load_rules
from silta.synth import names

DEFAULT_SEED = 2023

SIMULATION_START = date(2000, 1, 1)
"""Arrivals into the unemployed pool are simulated from here (burn-in, never emitted
on its own)."""
HISTORY_START = date(2010, 1, 1)
"""No benefit payment is emitted for a period starting before this date."""
CALIBRATION_DAY = date(2026, 1, 15)
PINNED_AS_OF = date(2026, 10, 31)
"""``generate_region``'s default generation day (tests and benchmarks pin it; ``silta
synth`` uses the day it runs)."""
HORIZON = date(2027, 12, 31)
"""The region is simulated to here and cut at the generation day, so that the history
is the same whichever day up to here the demo is made on."""
TARGET_OPEN_SPELLS = 3156
"""Unemployed jobseekers in the region in January 2026 (DOMAIN.md §4)."""


# --- reference data ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Municipality:
    code: str
    key: str
    name_fi: str
    name_sv: str
    org_fi: str
    org_sv: str
    org_en: str
    population: int
    unemployment_rate: float  # register-based, January 2025 (DOMAIN.md §4)
    working_age_share: float  # share aged 15-64, approximate prior
    swedish_share: float  # Swedish-speaking share among clients


# fmt: off
MUNICIPALITIES: tuple[_Municipality, ...] = (
    # code, key, name fi, sv, organisation fi, sv, en, population 31.12.2024,
    # unemployment rate 1/2025, working-age share, Swedish-speaking share of clients
    _Municipality("272", "kokkola", "Kokkola", "Karleby", "Kokkolan kaupunki",
                  "Karleby stad", "City of Kokkola", 48367, 0.099, 0.61, 0.12),
    _Municipality("217", "kannus", "Kannus", "Kannus", "Kannuksen kaupunki",
                  "Kannus stad", "Town of Kannus", 5264, 0.090, 0.57, 0.02),
    _Municipality("236", "kaustinen", "Kaustinen", "Kaustby", "Kaustisen kunta",
                  "Kaustby kommun", "Municipality of Kaustinen", 4118, 0.076, 0.56, 0.02),
    _Municipality("924", "veteli", "Veteli", "Vetil", "Vetelin kunta",
                  "Vetil kommun", "Municipality of Veteli", 2931, 0.073, 0.55, 0.02),
    _Municipality("849", "toholampi", "Toholampi", "Toholampi", "Toholammin kunta",
                  "Toholampi kommun", "Municipality of Toholampi", 2799, 0.086, 0.55, 0.02),
    _Municipality("584", "perho", "Perho", "Perho", "Perhon kunta",
                  "Perho kommun", "Municipality of Perho", 2594, 0.114, 0.55, 0.02),
    _Municipality("074", "halsua", "Halsua", "Halsua", "Halsuan kunta",
                  "Halsua kommun", "Municipality of Halsua", 985, 0.100, 0.52, 0.02),
    _Municipality("421", "lestijarvi", "Lestijärvi", "Lestijärvi", "Lestijärven kunta",
                  "Lestijärvi kommun", "Municipality of Lestijärvi", 665, 0.054, 0.53, 0.02),
)
# fmt: on

DAILY_AMOUNT_CENTS: dict[int, int] = {
    # 2010-2016 are approximate (history only); from 2017 on the funding rules file's
    # dated amounts are used (_daily_amount_changes), these only name a year's start.
    2010: 2563, 2011: 2563, 2012: 3136, 2013: 3246, 2014: 3268, 2015: 3280,
    2016: 3268, 2017: 3240, 2018: 3240,
}  # fmt: skip


def _daily_amount_changes() -> tuple[list[int], list[int]]:
    """(first day as an ordinal, cents) of each daily amount: the approximate history
    before 2017, then the dated amounts of the funding rules (34.50 € January-July
    2022, 35.72 € from August 2022, ...), which also apply to yleistuki."""
    rules = load_rules()
    changes = [(date(y, 1, 1).toordinal(), c) for y, c in sorted(DAILY_AMOUNT_CENTS.items())]
    first = rules.daily_amounts[0].valid_from.toordinal()
    changes = [(d, c) for d, c in changes if d < first]
    changes += [(a.valid_from.toordinal(), int(a.amount.value * 100)) for a in rules.daily_amounts]
    return [d for d, _c in changes], [c for _d, c in changes]


_AMOUNT_DAYS, _AMOUNT_CENTS = _daily_amount_changes()

#: Yleistuki (code GEN) replaces labour market subsidy and basic allowance for payment
#: periods starting on or after this day (the funding rules' 1.5.2026 version).
GENERAL_SUPPORT_FROM = next(
    v.valid_from.value for v in load_rules().versions if "GEN" in v.benefits.value
).toordinal()


def daily_amount_cents_on(day: int | date) -> int:
    """Full daily amount of the basic unemployment benefits on ``day`` (an ordinal or
    a date), in cents."""
    ordinal = day.toordinal() if isinstance(day, date) else day
    i = bisect.bisect_right(_AMOUNT_DAYS, ordinal) - 1
    return _AMOUNT_CENTS[max(i, 0)]


def daily_amount_cents(year: int) -> int:
    """Full daily amount of labour market subsidy / basic allowance at the end of a
    year (see :func:`daily_amount_cents_on` for amounts that change within a year)."""
    return daily_amount_cents_on(date(max(year, 2010), 12, 31))


def _period_rate(first: int, last: int, days: int) -> float:
    """The mean daily amount over a period's paid weekdays ``first..last``
    (ordinals): a period across a change of amount blends the two by weekdays."""
    low = bisect.bisect_right(_AMOUNT_DAYS, first) - 1
    high = bisect.bisect_right(_AMOUNT_DAYS, last) - 1
    if low == high:
        return float(_AMOUNT_CENTS[max(low, 0)])
    total, start = 0, first
    for i in range(max(low, 0), high + 1):
        end = min(last, _AMOUNT_DAYS[i + 1] - 1) if i + 1 < len(_AMOUNT_DAYS) else last
        total += weekdays_between(start, end) * _AMOUNT_CENTS[i]
        start = end + 1
    return total / days


# Yearly factor on newcomers into unemployment (shape of the national cycle: the
# 2009 and 2013-2016 recessions, 2020 pandemic, low 2022-2023, rise 2024-2025).
_INFLOW_FACTOR: dict[int, float] = {
    2000: 0.95, 2001: 0.95, 2002: 0.95, 2003: 0.95, 2004: 0.95, 2005: 0.9,
    2006: 0.85, 2007: 0.8, 2008: 0.85, 2009: 1.15, 2010: 1.0, 2011: 0.95,
    2012: 1.0, 2013: 1.1, 2014: 1.15, 2015: 1.15, 2016: 1.05, 2017: 0.95,
    2018: 0.9, 2019: 0.9, 2020: 1.2, 2021: 0.95, 2022: 0.85, 2023: 0.95,
    2024: 1.15, 2025: 1.25, 2026: 1.15,
}  # fmt: skip
_MONTH_WEIGHT = (1.15, 0.9, 0.9, 0.9, 1.0, 1.25, 1.1, 1.0, 0.95, 0.95, 0.95, 1.15)

# Calibration constants (tuned with bench/synth.py, seed 2023).
NEWCOMERS_PER_YEAR = 1460.0
"""Newcomers into the unemployed pool per year at scale 1 and factor 1."""
_SPELL_BUCKETS = (0.28, 0.19, 0.13, 0.27, 0.13)
"""Base weights of spell lengths <3, 3-6, 6-12, 12-36, >36 months. The two long ones
are tilted by age and frailty; the weights are tuned so that spells starting in 2023
come out near the 2023 shares 33/22/14/20/10 % (DOMAIN.md §4)."""
_LONG_SKEW = 2.5
"""Spells of 12-36 months: 12 + 24 * u**skew months (skew > 1 favours the short end)."""
_VERY_LONG_MEAN_DAYS = 250
"""Spells over 36 months: 36 months + exponential days with this mean (cap ~11 years)."""
_AGE_TILT = ((18, 0.04), (24, 0.09), (30, 0.6), (40, 1.0), (55, 1.35), (64, 2.0))
"""(age, weight on spells over 12 months): the long-term share rises with age."""
_FRAILTY_SIGMA = 0.6
_REPEAT_FRAILTY = 0.48
_GAP_FRAILTY = 0.7
_NO_BENEFIT_SHARE = 0.055
_FUND_MEMBER_SHARE = 0.8
_REHAB_SHARE = 0.19
_STATE_FUNDED_SHARE = 0.06
"""Share of recent immigrants (language "other", arrived 2021-) with a state-funded date."""
"""Share of spells of 300+ days with a rehabilitative work activity period."""


# --- public data classes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SynthOrganisation:
    key: str
    name_fi: str
    name_sv: str
    name_en: str
    kind: str
    municipality_code: str | None
    business_id: str | None


@dataclass(frozen=True, slots=True)
class SynthStaff:
    username: str
    first_name: str
    last_name: str
    email: str
    organisation_key: str
    role: str
    language: str


@dataclass(frozen=True, slots=True)
class SynthClient:
    key: int
    personal_id: str
    last_name: str
    first_names: str
    birth_date: date
    sex: str
    language: str
    phone: str
    email: str
    municipality_history: tuple[tuple[str, date, date | None], ...]
    """(code, valid_from, valid_to): both ends inclusive; the next entry starts the
    day after ``valid_to``; ``None`` = current."""


@dataclass(frozen=True, slots=True)
class SynthSpell:
    client_key: int
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class SynthServicePeriod:
    client_key: int
    kind: str
    start: date
    end: date
    days_per_week: int = 5
    """Rehabilitative work activity 1-4; training and work trial 5."""


@dataclass(frozen=True, slots=True)
class SynthPayment:
    person_id: str
    municipality_code: str
    benefit: str
    basis: str
    period_start: date
    period_end: date
    paid_days: int
    amount_cents: int
    payment_date: date


@dataclass(frozen=True, slots=True)
class SynthEvent:
    person_id: str
    event: str
    date: date


@dataclass(slots=True)
class Region:
    seed: int
    scale: float
    generated_on: date
    organisations: list[SynthOrganisation]
    staff: list[SynthStaff]
    clients: list[SynthClient]
    spells: list[SynthSpell]
    service_periods: list[SynthServicePeriod]
    payments: list[SynthPayment]
    events: list[SynthEvent]


# --- helpers -------------------------------------------------------------------------


def municipality_on(client: SynthClient, day: date) -> str | None:
    """The client's home municipality code on ``day`` (None before the history)."""
    for code, valid_from, valid_to in client.municipality_history:
        if valid_from <= day and (valid_to is None or day <= valid_to):
            return code
    return None


def open_spell_count(spells: Iterable[SynthSpell], day: date) -> int:
    """Clients with a spell covering ``day`` (registered unemployed on that day)."""
    return len({s.client_key for s in spells if s.start <= day and (s.end is None or s.end >= day)})


def _weekdays_before(ordinal: int) -> int:
    """Weekdays among ordinals 1 .. ordinal-1 (ordinal 1, 0001-01-01, is a Monday)."""
    n = ordinal - 1
    return (n // 7) * 5 + min(n % 7, 5)


def weekdays_between(first: int, last: int) -> int:
    """Mon-Fri days in [first, last], both date ordinals; 0 if last < first."""
    if last < first:
        return 0
    return _weekdays_before(last + 1) - _weekdays_before(first)


def _next_weekday(ordinal: int) -> int:
    wd = (ordinal - 1) % 7
    return ordinal + (7 - wd if wd >= 5 else 0)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_HETU_CONTROL = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def make_personal_id(birth: date, individual: int, sign: str) -> str:
    """A HETU for ``birth`` with the given individual number and century sign."""
    digits = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}{individual:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{_HETU_CONTROL[int(digits) % 31]}"


def _ytunnus(base: int) -> str | None:
    """The Y-tunnus for a 7-digit base number, None if no check digit exists."""
    digits = f"{base:07d}"
    total = sum(w * int(d) for w, d in zip((7, 9, 10, 5, 8, 4, 2), digits, strict=True))
    check = -total % 11
    if check == 10:
        return None
    return f"{digits}-{check}"


def _ascii(text: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "Ä": "a", "Ö": "o"})
    cleaned = text.translate(table).lower().replace(" ", "").replace("'", "")
    return "".join(ch for ch in cleaned if ch.isascii() and (ch.isalnum() or ch in ".-"))


# --- organisations and staff --------------------------------------------------------

EMPLOYMENT_AREA_KEY = "kokkola-employment-area"
KELA_KEY = "kela-kokkola"

_SOITE_UNITS = (
    ("soite-adult-social-work", "Aikuissosiaalityö", "Socialt arbete för vuxna",
     "Adult social work"),
    ("soite-health-services", "Terveyspalvelut ja työttömien terveystarkastukset",
     "Hälsovårdstjänster och hälsokontroller för arbetslösa",
     "Health services and unemployed health checks"),
    ("soite-mental-health-substance", "Mielenterveys- ja päihdepalvelut",
     "Mentalvårds- och missbrukartjänster", "Mental health and substance services"),
    ("soite-ips", "IPS-työhönvalmennus", "IPS-arbetscoachning",
     "IPS supported employment"),
    ("soite-ohjaamo", "Ohjaamo", "Ohjaamo", "Ohjaamo youth one-stop guidance"),
)  # fmt: skip

_PROVIDERS = (
    ("mello-ry", "Mello ry", "Mello rf", "Mello ry", "service_provider"),
    ("ykspihlajan-pienkiinteistoyhdistys", "Ykspihlajan pienkiinteistöyhdistys ry",
     "Yxpila småfastighetsförening rf", "Ykspihlaja Small Property Association",
     "service_provider"),
    ("kotipesa-ry", "Kotipesä ry", "Kotipesä rf", "Kotipesä ry", "service_provider"),
    ("kokkolan-tyottomat-ry", "Kokkolan Työttömät ry", "Karleby Arbetslösa rf",
     "Kokkola Unemployed Association", "service_provider"),
    ("kokkolan-seurakuntayhtyma", "Kokkolan seurakuntayhtymä",
     "Karleby kyrkliga samfällighet", "Kokkola Parish Union", "parish_association"),
)  # fmt: skip

SYNTHETIC_BUSINESS_ID_BASE = 3990010
"""Business IDs are synthetic: 7-digit numbers from here up, above those assigned so
far, with a correct check digit (stdnum.fi.ytunnus validates them)."""


def _organisations() -> list[SynthOrganisation]:
    orgs = [
        SynthOrganisation(m.key, m.org_fi, m.org_sv, m.org_en, "municipality", m.code, None)
        for m in MUNICIPALITIES
    ]
    orgs.append(
        SynthOrganisation(
            EMPLOYMENT_AREA_KEY,
            "Keski-Pohjanmaan työllisyysalue",
            "Mellersta Österbottens sysselsättningsområde",
            "Central Ostrobothnia Employment Area",
            "employment_services",
            "272",
            None,
        )
    )
    for key, fi, sv, en in _SOITE_UNITS:
        orgs.append(
            SynthOrganisation(
                key,
                f"Soite – {fi}",
                f"Soite – {sv}",
                f"Soite – {en}",
                "wellbeing_county_unit",
                None,
                None,
            )
        )
    orgs.append(
        SynthOrganisation(
            KELA_KEY,
            "Kela, Kokkolan palvelupiste",
            "FPA, Karleby serviceställe",
            "Kela, Kokkola service point",
            "kela",
            None,
            None,
        )
    )
    base = SYNTHETIC_BUSINESS_ID_BASE
    for key, fi, sv, en, kind in _PROVIDERS:
        business_id = _ytunnus(base)
        while business_id is None:
            base += 1
            business_id = _ytunnus(base)
        base += 1
        orgs.append(SynthOrganisation(key, fi, sv, en, kind, None, business_id))
    return orgs


# (username or "", organisation key, role, count); "" = realistic generated staff
_STAFF_PLAN: tuple[tuple[str, str, str, int], ...] = (
    ("caseworker", EMPLOYMENT_AREA_KEY, "case_worker", 1),
    ("socialworker", "soite-adult-social-work", "social_worker", 1),
    ("instructor", "soite-adult-social-work", "social_instructor", 1),
    ("nurse", "soite-health-services", "health_professional", 1),
    ("kela", KELA_KEY, "kela_expert", 1),
    ("provider", "mello-ry", "provider_staff", 1),
    ("coordinator", "soite-adult-social-work", "network_coordinator", 1),
    ("manager", EMPLOYMENT_AREA_KEY, "manager", 1),
    ("admin", EMPLOYMENT_AREA_KEY, "administrator", 1),
    # Joint service person-years (DOMAIN.md §4): municipalities 3.7 + TE 1.5.
    ("", EMPLOYMENT_AREA_KEY, "case_worker", 6),
    ("", KELA_KEY, "kela_expert", 1),
    # Adult social work on activation plans: 4 social workers, 4 instructors.
    ("", "soite-adult-social-work", "social_worker", 3),
    ("", "soite-adult-social-work", "social_instructor", 3),
    ("", "soite-health-services", "health_professional", 2),
    ("", "soite-mental-health-substance", "health_professional", 2),
    ("", "soite-ips", "health_professional", 2),
    ("", "soite-ohjaamo", "social_instructor", 2),
    ("", "soite-adult-social-work", "manager", 1),
    ("", "ykspihlajan-pienkiinteistoyhdistys", "provider_staff", 1),
    ("", "kotipesa-ry", "provider_staff", 1),
    ("", "kokkolan-tyottomat-ry", "provider_staff", 1),
    ("", "kokkolan-seurakuntayhtyma", "provider_staff", 1),
    ("", "mello-ry", "provider_staff", 1),
)
_SCALING_ROLES = frozenset({"case_worker", "social_worker", "social_instructor"})


def _staff(rng: random.Random, scale: float) -> list[SynthStaff]:
    """Demo users with predictable usernames, then realistic staff. Casework staff
    grow with the square root of ``scale``; the rest does not scale."""
    used: set[str] = set()
    staff: list[SynthStaff] = []
    provider_orgs = {p[0] for p in _PROVIDERS}
    factor = max(1, round(math.sqrt(scale)))

    def person(username: str, org: str, role: str) -> None:
        swedish = rng.random() < 0.15
        female = rng.random() < 0.7
        if swedish:
            first = rng.choice(names.SWEDISH_FEMALE if female else names.SWEDISH_MALE)
            last = rng.choice(names.SWEDISH_SURNAMES)
        else:
            first = rng.choice(names.FINNISH_FEMALE if female else names.FINNISH_MALE)
            last = rng.choice(names.FINNISH_SURNAMES)
        if not username:
            stem = f"{_ascii(first)}.{_ascii(last)}"
            username, n = stem, 1
            while username in used:
                n += 1
                username = f"{stem}{n}"
        used.add(username)
        domain = "example.org" if org in provider_orgs else "example.fi"
        staff.append(
            SynthStaff(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{domain}",
                organisation_key=org,
                role=role,
                language="sv" if swedish else "fi",
            )
        )

    for username, org, role, count in _STAFF_PLAN:
        if not username and role in _SCALING_ROLES:
            count *= factor
        for _ in range(count):
            person(username, org, role)
    for m in MUNICIPALITIES:
        person(f"finance.{m.key}", m.key, "finance_analyst")
    return staff


# --- the unemployed pool -------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    municipality: str
    birth: date
    sex: str
    language: str
    arrived: int | None  # immigrants: arrival in Finland (ordinal)
    frailty: float
    fund_member: bool
    work_history: bool
    spells: list[tuple[int, int | None]]
    condition_met: list[int]  # ordinals on which 12 months of work were completed


def _age_tilt(age: int) -> float:
    """Weight on long spells by age (piecewise linear through ``_AGE_TILT``)."""
    points = _AGE_TILT
    if age <= points[0][0]:
        return points[0][1]
    for (a0, t0), (a1, t1) in itertools.pairwise(points):
        if age <= a1:
            return t0 + (t1 - t0) * (age - a0) / (a1 - a0)
    return points[-1][1]


def _draw_spell_days(rng: random.Random, age: int, frailty: float) -> int:
    tilt = frailty * _age_tilt(age)
    b = _SPELL_BUCKETS
    weights = (b[0], b[1], b[2], b[3] * tilt, b[4] * tilt)
    u = rng.random() * sum(weights)
    if u < weights[0]:
        return rng.randint(7, 91)
    u -= weights[0]
    if u < weights[1]:
        return rng.randint(92, 182)
    u -= weights[1]
    if u < weights[2]:
        return rng.randint(183, 365)
    u -= weights[2]
    if u < weights[3]:
        return 366 + int(730 * rng.random() ** _LONG_SKEW)
    return min(1096 + int(rng.expovariate(1 / _VERY_LONG_MEAN_DAYS)), 4000)


def _draw_gap_days(rng: random.Random, frailty: float) -> int:
    """Days of work between two spells; frail people mostly find short jobs."""
    short = min(0.9, 0.4 * frailty**_GAP_FRAILTY)
    u = rng.random()
    if u < short:
        return rng.randint(14, 182)
    if u < short + (1 - short) * 0.45:
        return rng.randint(183, 364)
    return 365 + int(1825 * rng.random() ** 1.5)


def _repeat_probability(age: int, frailty: float) -> float:
    base = 0.6 if age < 30 else 0.5 if age < 50 else 0.4
    return min(0.9, base * frailty**_REPEAT_FRAILTY)


def _arrival_dates(rng: random.Random, year: int, count: int, lo: int, hi: int) -> list[int]:
    """``count`` ordinals in [lo, hi] within ``year``, seasonally weighted."""
    first = max(lo, date(year, 1, 1).toordinal())
    last = min(hi, date(year, 12, 31).toordinal())
    top = max(_MONTH_WEIGHT)
    out: list[int] = []
    while len(out) < count:
        day = rng.randint(first, last)
        if rng.random() * top <= _MONTH_WEIGHT[date.fromordinal(day).month - 1]:
            out.append(day)
    return out


def _simulate_pool(rng: random.Random, scale: float, sim_start: date, end: date) -> list[_Person]:
    weights = [m.population * m.working_age_share * m.unemployment_rate for m in MUNICIPALITIES]
    total = sum(weights)
    end_ord = end.toordinal()
    arrivals: list[tuple[int, int, int]] = []  # (ordinal, municipality index, seq)
    seq = 0
    for year in range(sim_start.year, end.year + 1):
        first = max(sim_start, date(year, 1, 1))
        last = min(end, date(year, 12, 31))
        if last < first:
            continue
        fraction = ((last - first).days + 1) / ((date(year, 12, 31) - date(year, 1, 1)).days + 1)
        factor = _INFLOW_FACTOR.get(year, 1.0)
        for i, w in enumerate(weights):
            expected = NEWCOMERS_PER_YEAR * scale * factor * fraction * w / total
            count = int(expected) + (1 if rng.random() < expected % 1 else 0)
            for day in _arrival_dates(rng, year, count, first.toordinal(), last.toordinal()):
                arrivals.append((day, i, seq))
                seq += 1
    arrivals.sort()

    people: list[_Person] = []
    for day, i, _seq in arrivals:
        m = MUNICIPALITIES[i]
        arrival = date.fromordinal(day)
        u = rng.random()
        immigrant_language = "other" if u < 0.05 else "en" if u < 0.06 else None
        if immigrant_language:
            age = rng.randint(18, 55)
        elif rng.random() < 0.45:
            age = rng.randint(17, 29)
        else:
            age = rng.randint(30, 63)
        birth = date.fromordinal(day - age * 365 - rng.randint(0, 364) - age // 4)
        if _age(birth, arrival) < 17:
            birth = _add_years(birth, -1)
        language = immigrant_language or ("sv" if rng.random() < m.swedish_share else "fi")
        sex = "M" if rng.random() < 0.54 else "F"
        frailty = math.exp(rng.gauss(0.0, _FRAILTY_SIGMA) - _FRAILTY_SIGMA**2 / 2)
        if immigrant_language:
            frailty *= 1.3
            work_history = rng.random() < 0.15
            arrived: int | None = day - rng.randint(30, 720)
        else:
            work_history = rng.random() < (
                0.05 if age < 20 else 0.35 if age < 25 else 0.75 if age < 35 else 0.85
            )
            arrived = None
        person = _Person(
            municipality=m.code,
            birth=birth,
            sex=sex,
            language=language,
            arrived=arrived,
            frailty=frailty,
            fund_member=rng.random() < _FUND_MEMBER_SHARE,
            work_history=work_history,
            spells=[],
            condition_met=[],
        )
        retire = _add_years(birth, 65).toordinal() - 1
        start = day
        while True:
            age = _age(birth, date.fromordinal(start))
            spell_end = min(start + _draw_spell_days(rng, age, frailty) - 1, retire)
            if spell_end >= end_ord:
                person.spells.append((start, None))
                break
            person.spells.append((start, spell_end))
            if rng.random() >= _repeat_probability(age, frailty):
                break
            gap = _draw_gap_days(rng, frailty)
            start = spell_end + 1 + gap
            if gap >= 365 and spell_end + 365 <= end_ord:
                person.condition_met.append(spell_end + 365)
            if start > end_ord or start >= retire:
                break
        people.append(person)
    return people


# --- clients: identity, services, payments, events --------------------------------


def _names_for(rng: random.Random, language: str, sex: str) -> tuple[str, str]:
    female = sex == "F"
    if language == "sv":
        firsts = names.SWEDISH_FEMALE if female else names.SWEDISH_MALE
        lasts = names.SWEDISH_SURNAMES
    elif language in ("other", "en"):
        firsts = names.INTERNATIONAL_FEMALE if female else names.INTERNATIONAL_MALE
        lasts = names.INTERNATIONAL_SURNAMES
    else:
        firsts = names.FINNISH_FEMALE if female else names.FINNISH_MALE
        lasts = names.FINNISH_SURNAMES
    count = 1 if language in ("other", "en") or rng.random() < 0.3 else 2
    chosen: list[str] = []
    while len(chosen) < count:
        name = rng.choice(firsts)
        if name not in chosen:
            chosen.append(name)
    if count == 2 and language == "fi" and rng.random() < 0.15:
        extra = rng.choice(firsts)
        if extra not in chosen:
            chosen.append(extra)
    return " ".join(chosen), rng.choice(lasts)


def _personal_id(
    rng: random.Random, birth: date, sex: str, taken: set[tuple[int, int]]
) -> tuple[str, date]:
    """A unique HETU in the 900-999 range; odd individual numbers are men."""
    while True:
        ordinal = birth.toordinal()
        for _ in range(20):
            individual = rng.randrange(900 if sex == "F" else 901, 1000, 2)
            if (ordinal, individual) not in taken:
                taken.add((ordinal, individual))
                new_sign = rng.random() < 0.1
                if birth.year >= 2000:
                    sign = rng.choice("BCDEF") if new_sign else "A"
                else:
                    sign = rng.choice("YXWVU") if new_sign else "-"
                return make_personal_id(birth, individual, sign), birth
        birth = birth + timedelta(days=1)  # this birth date is full: shift a day


def _municipality_history(
    rng: random.Random, person: _Person, end_ord: int
) -> list[tuple[int, str]]:
    first_spell = person.spells[0][0]
    if person.arrived is not None:
        since = person.arrived
    else:
        since = max(person.birth.toordinal(), first_spell - rng.randint(365, 7300))
    history = [(since, person.municipality)]
    if rng.random() < 0.05:
        last_end = person.spells[-1][1]
        hi = min(end_ord, last_end + 365 if last_end is not None else end_ord)
        lo = first_spell + 30
        moves = 2 if rng.random() < 0.15 else 1
        for _ in range(moves):
            if hi <= lo:
                break
            day = rng.randint(lo, hi)
            current = history[-1][1]
            options = [m for m in MUNICIPALITIES if m.code != current]
            target = rng.choices(options, weights=[m.population for m in options])[0]
            history.append((day, target.code))
            lo = day + 30
    return history


def _service_periods(
    rng: random.Random, start: int, end: int | None, end_ord: int
) -> list[tuple[str, int, int, int]]:
    """(kind, start, end, days_per_week) within one spell, not overlapping."""
    last = end if end is not None else end_ord
    length = last - start + 1
    out: list[tuple[str, int, int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b < s or a > e for _k, s, e, _d in out)

    if length >= 300 and rng.random() < _REHAB_SHARE:
        a = start + rng.randint(150, min(540, length - 60))
        months = rng.choice((3, 6, 6, 6, 9, 12, 12, 12, 18, 24))
        b = a + int(months * 30.44) - 1
        if end is not None:
            b = min(b, end)
        if b - a >= 30:
            out.append(("rehabilitative_work_activity", a, b, rng.choice((1, 2, 2, 3, 3, 3, 4, 4))))
    if length >= 120 and rng.random() < 0.12:
        a = start + rng.randint(30, length - 60)
        b = a + rng.randint(60, 270)
        if end is not None:
            b = min(b, end)
        if b - a >= 30 and free(a, b):
            out.append(("training", a, b, 5))
    if length >= 90 and rng.random() < 0.05:
        a = start + rng.randint(20, length - 40)
        b = a + rng.randint(30, 180)
        if end is not None:
            b = min(b, end)
        if b - a >= 20 and free(a, b):
            out.append(("work_trial", a, b, 5))
    out.sort(key=lambda p: p[1])
    return out


def _max_benefit_days(spell_start: int, age: int) -> int:
    if spell_start < _ORD_2017:
        return 500
    if age < 25:
        return 300
    if age >= 58:
        return 500
    return 400


_ORD_2017 = date(2017, 1, 1).toordinal()
_DATE = date.fromordinal


def _split(total: int, parts: Sequence[int]) -> list[int]:
    """Share ``total`` (<= sum(parts)) over ``parts`` proportionally, capped per part."""
    whole = sum(parts)
    if whole == 0 or total == 0:
        return [0] * len(parts)
    out = [total * p // whole for p in parts]
    rest = total - sum(out)
    for i, p in enumerate(parts):
        take = min(rest, p - out[i])
        out[i] += take
        rest -= take
    return out


def _emit_client(
    rng: random.Random,
    key: int,
    person: _Person,
    taken: set[tuple[int, int]],
    end_ord: int,
    history_start: int,
    region: Region,
) -> None:
    first_names, last_name = _names_for(rng, person.language, person.sex)
    personal_id, birth = _personal_id(rng, person.birth, person.sex, taken)
    phone = (
        f"+358 40 0{rng.randint(10, 99)} {rng.randint(0, 9999):04d}" if rng.random() < 0.85 else ""
    )
    email = (
        f"{_ascii(first_names.split()[0])}.{_ascii(last_name)}.{key}@example.fi"
        if rng.random() < 0.55
        else ""
    )
    history = _municipality_history(rng, person, end_ord)
    region.clients.append(
        SynthClient(
            key=key,
            personal_id=personal_id,
            last_name=last_name,
            first_names=first_names,
            birth_date=birth,
            sex=person.sex,
            language=person.language,
            phone=phone,
            email=email,
            municipality_history=tuple(
                (
                    code,
                    _DATE(since),
                    _DATE(history[i + 1][0] - 1) if i + 1 < len(history) else None,
                )
                for i, (since, code) in enumerate(history)
            ),
        )
    )
    move_days = [since for since, _code in history]
    move_codes = [code for _since, code in history]
    single_code = move_codes[0] if len(history) == 1 else None

    payments = region.payments
    append = payments.append
    rand = rng.random
    earn_left = 0
    earn_kind = "EARN_BASIC" if person.fund_member else "BASIC"
    condition_met = person.condition_met
    for index, (start, end) in enumerate(person.spells):
        region.spells.append(SynthSpell(key, _DATE(start), _DATE(end) if end is not None else None))
        services = _service_periods(rng, start, end, end_ord)
        for kind, a, b, dpw in services:
            region.service_periods.append(SynthServicePeriod(key, kind, _DATE(a), _DATE(b), dpw))
        age = _age(person.birth, _DATE(start))
        if index == 0:
            earn_left = _max_benefit_days(start, age) if person.work_history else 0
        elif any(person.spells[index - 1][0] < d <= start for d in condition_met):
            earn_left = _max_benefit_days(start, age)
        no_benefit = _NO_BENEFIT_SHARE * (3 if age < 20 else 1)
        if rand() < no_benefit:
            continue
        # Five waiting weekdays at the start of the spell.
        pay_from, waiting = start, 0
        while True:
            if (pay_from - 1) % 7 < 5:
                waiting += 1
                if waiting > 5:
                    break
            pay_from += 1
        last = end if end is not None else end_ord + 400
        period_start = start
        while period_start <= last:
            period_end = min(period_start + 27, last)
            paid_on = _next_weekday(period_end + 2 + int(rand() * 5))
            if paid_on > end_ord:
                break
            a = max(period_start, pay_from)
            days = weekdays_between(a, period_end)
            if days == 0:
                period_start += 28
                continue
            service = 0
            for _kind, s_a, s_b, dpw in services:
                if s_a <= period_end and s_b >= a:
                    overlap = weekdays_between(max(a, s_a), min(period_end, s_b))
                    service += (overlap * dpw + 2) // 5
            service = min(service, days)
            other = 0
            if days - service >= 2 and rand() < 0.005:
                other = 1 + int(rand() * 2)
            unemployed = days - service - other
            parts = [unemployed, service, other]
            earn = min(earn_left, days)
            earn_left -= earn
            if period_start < history_start:
                period_start += 28
                continue
            earn_parts = _split(earn, parts)
            lms_parts = [p - e for p, e in zip(parts, earn_parts, strict=True)]
            # Daily amount; a period over a change of amount blends the two by weekdays.
            rate = _period_rate(a, period_end, days)
            adjust = 0.25 + 0.65 * rand() if rand() < 0.07 else 1.0
            if single_code is not None:
                code = single_code
            else:
                code = move_codes[bisect.bisect_right(move_days, paid_on) - 1]
            pid = personal_id
            p_start, p_end, p_date = _DATE(period_start), _DATE(period_end), _DATE(paid_on)
            first_row: SynthPayment | None = None
            # From 1.5.2026 yleistuki replaces labour market subsidy and basic allowance.
            general = period_start >= GENERAL_SUPPORT_FROM
            kinds = (
                ("GEN" if general and earn_kind == "BASIC" else earn_kind, earn_parts),
                ("GEN" if general else "LMS", lms_parts),
            )
            for benefit, split in kinds:
                for basis, n in zip(("unemployment", "service", "other"), split, strict=True):
                    if n == 0:
                        continue
                    amount = n * rate * (adjust if basis == "unemployment" else 1.0)
                    row = SynthPayment(
                        pid, code, benefit, basis, p_start, p_end, n, round(amount), p_date
                    )
                    append(row)
                    if first_row is None:
                        first_row = row
            if first_row is not None and rand() < 0.003:
                recovered_on = _next_weekday(paid_on + 20 + int(rand() * 100))
                if recovered_on <= end_ord:
                    code = (
                        single_code
                        if single_code is not None
                        else move_codes[bisect.bisect_right(move_days, recovered_on) - 1]
                    )
                    append(
                        SynthPayment(
                            pid,
                            code,
                            first_row.benefit,
                            first_row.basis,
                            p_start,
                            p_end,
                            0,
                            -round(first_row.amount_cents * (0.1 + 0.9 * rand())),
                            _DATE(recovered_on),
                        )
                    )
            period_start += 28

    for day in condition_met:
        region.events.append(SynthEvent(personal_id, "employment_condition_met", _DATE(day)))
    if (
        person.language == "other"
        and person.arrived is not None
        and person.arrived >= _ORD_2021
        and rng.random() < _STATE_FUNDED_SHARE
    ):
        years = 1 if rng.random() < 0.5 else 3
        until = _add_years(_DATE(person.arrived), years) - timedelta(days=1)
        region.events.append(SynthEvent(personal_id, "state_funded_until", until))


_ORD_2021 = date(2021, 1, 1).toordinal()


def generate_region(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    start: date = date(2019, 1, 1),
    end: date = PINNED_AS_OF,
) -> Region:
    """Generate the synthetic region. Same ``seed``, ``scale`` and ``end`` give the same
    region.

    ``scale`` multiplies the unemployed population (staff grow only with its square
    root). ``start`` bounds who is a client: anyone with a spell overlapping
    ``[start, end]``; their earlier spells and payments back to ``HISTORY_START`` are
    included. ``end`` is the generation date ("as of"): nothing later is paid or known.
    ``silta synth`` passes the day it runs; this pure function has no clock, so its
    default is the fixed ``PINNED_AS_OF``.

    The region is simulated up to ``horizon(end)`` and then cut at ``end``, so the
    history up to ``end`` does not depend on ``end``: the demo made on any day up to
    ``HORIZON`` has the same people, spells and payments up to that day (and so the
    same 2023 figures), only more of the recent days.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if end < start:
        raise ValueError("end must not be before start")
    # Millions of small immutable objects and no reference cycles: the cyclic garbage
    # collector would only rescan them again and again (3x slower at scale 5).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        region = _generate(seed=seed, scale=scale, start=start, end=horizon(end))
        return _cut(region, end)
    finally:
        if was_enabled:
            gc.enable()


def horizon(as_of: date) -> date:
    """How far the region is simulated before it is cut at ``as_of``: ``HORIZON``,
    or the end of ``as_of``'s year after it."""
    return HORIZON if as_of <= HORIZON else date(as_of.year, 12, 31)


def _cut(region: Region, as_of: date) -> Region:
    """The region as known on ``as_of``: nothing paid, started, moved or met later;
    spells still running on ``as_of`` are open. Clients whose first spell starts later
    were emitted last (arrival order), so the kept clients keep their keys."""
    if region.generated_on == as_of:
        return region
    spells = [
        s if s.end is None or s.end < as_of else SynthSpell(s.client_key, s.start, None)
        for s in region.spells
        if s.start <= as_of
    ]
    keys = {s.client_key for s in spells}
    clients = []
    for c in region.clients:
        if c.key not in keys:
            continue
        history = tuple(h for h in c.municipality_history if h[1] <= as_of)
        if len(history) < len(c.municipality_history):
            code, since, _until = history[-1]
            history = (*history[:-1], (code, since, None))
            c = dataclasses.replace(c, municipality_history=history)
        clients.append(c)
    assert [c.key for c in clients] == list(range(len(clients)))
    ids = {c.personal_id for c in clients}
    return Region(
        seed=region.seed,
        scale=region.scale,
        generated_on=as_of,
        organisations=region.organisations,
        staff=region.staff,
        clients=clients,
        spells=spells,
        service_periods=[p for p in region.service_periods if p.start <= as_of],
        payments=[p for p in region.payments if p.payment_date <= as_of],
        events=[
            e
            for e in region.events
            if e.person_id in ids and (e.event != "employment_condition_met" or e.date <= as_of)
        ],
    )


def _generate(*, seed: int, scale: float, start: date, end: date) -> Region:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    region = Region(
        seed=seed,
        scale=scale,
        generated_on=end,
        organisations=_organisations(),
        staff=_staff(rng, scale),
        clients=[],
        spells=[],
        service_periods=[],
        payments=[],
        events=[],
    )
    sim_start = min(SIMULATION_START, _add_years(start, -10))
    history_start = min(HISTORY_START, start).toordinal()
    start_ord, end_ord = start.toordinal(), end.toordinal()
    taken: set[tuple[int, int]] = set()
    key = 0
    for person in _simulate_pool(rng, scale, sim_start, end):
        in_window = any(s <= end_ord and (e is None or e >= start_ord) for s, e in person.spells)
        if not in_window:
            continue
        _emit_client(rng, key, person, taken, end_ord, history_start, region)
        key += 1
    return region


# --- CSV writers ------------------------------------------------------------------

PAYMENT_COLUMNS = (
    "person_id",
    "municipality_code",
    "benefit",
    "basis",
    "period_start",
    "period_end",
    "paid_days",
    "amount_eur",
    "payment_date",
)
EVENT_COLUMNS = ("person_id", "event", "date")


def format_cents(cents: int) -> str:
    """Euros with two decimals and a decimal point: -1234 -> '-12.34'."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _write_rows(
    path_or_file: str | os.PathLike[str] | IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[str | int]],
) -> int:
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, "w", encoding="utf-8", newline="") as handle:
            return _write_rows(handle, header, rows)
    writer = csv.writer(path_or_file, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_payments_csv(
    payments: Iterable[SynthPayment], path_or_file: str | os.PathLike[str] | IO[str]
) -> int:
    """Write payments in the DESIGN.md payments format; returns the rows written."""
    return _write_rows(
        path_or_file,
        PAYMENT_COLUMNS,
        (
            (
                p.person_id,
                p.municipality_code,
                p.benefit,
                p.basis,
                p.period_start.isoformat(),
                p.period_end.isoformat(),
                p.paid_days,
                format_cents(p.amount_cents),
                p.payment_date.isoformat(),
            )
            for p in payments
        ),
    )


def write_events_csv(
    events: Iterable[SynthEvent], path_or_file: str | os.PathLike[str] | IO[str]
) -> int:
    """Write person events (person_id, event, date); returns the rows written."""
    return _write_rows(
        path_or_file,
        EVENT_COLUMNS,
        ((e.person_id, e.event, e.date.isoformat()) for e in events),
    )
