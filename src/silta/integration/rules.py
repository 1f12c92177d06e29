"""The integration act as dated data with its sources (issue 17, ADRs 0024 and 0031).

Two laws, by date:

- **1386/2010** (laki kotoutumisen edistämisestä), for work until 31.12.2024: the initial
  assessment (alkukartoitus) and the integration plan; the first plan within three years
  of the first residence permit and "a year at a time", at most three years in all,
  extendable by two (12 §; tem.fi "Alkukartoitus ja kotoutumissuunnitelma",
  kotouttaminen.fi "Laatimisen aikataulu ja suunnitelman kesto").
- **681/2023**, in force since 1.1.2025 (it repealed 1386/2010; kotoutuminen.fi KOTO24
  FAQ), as amended before it came into force (HaVM 24/2024 vp: sections 15, 17, 21 and 48
  repealed; 14, 16 and 18–20 rewritten): the assessment of competence and integration
  service need (osaamisen ja kotoutumisen palvelutarpeen arviointi, 14 §) and the
  integration plan (16 §) — both section numbers confirmed by VNA 874/2024 1–2 §, which
  cites them; the first plan for at most one year and as a rule no more than two years
  in all (kotoutuminen.fi "When is the integration plan drawn up?").

Which law applies: the law in force on the day the time limit of the assessment starts
(the integration-client date) sets the assessment's deadline; the law in force on the
plan's first day sets its period. [verify] 681/2023's transitional provisions for plans
made under 1386/2010 that run into 2025 were not checked; a plan keeps the law of its
first day.

Values with ``verified=False`` (shown with the mark on the client's integration page) are
our best reading; an operator corrects them here without touching the code that reads
them."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

LAW = "681/2023"
IN_FORCE_FROM = dt.date(2025, 1, 1)
OLD_LAW = "1386/2010"


@dataclass(frozen=True)
class Section:
    key: str
    section: str
    title_fi: str
    verified: bool


@dataclass(frozen=True)
class LawVersion:
    law: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    assessment_deadline_days: int
    assessment_deadline_verified: bool
    plan_max_months: int
    plans_max_years: int
    sections: dict[str, Section]
    source: str


def _sections(*rows: Section) -> dict[str, Section]:
    return {s.key: s for s in rows}


LAW_2010 = LawVersion(
    law=OLD_LAW,
    valid_from=None,
    valid_to=dt.date(2024, 12, 31),
    # "the initial assessment is started within two months" of registering as a
    # jobseeker or applying for social assistance: our reading of 10 §, not confirmed
    assessment_deadline_days=60,
    assessment_deadline_verified=False,
    plan_max_months=12,
    plans_max_years=3,
    sections=_sections(
        Section("interpreting", "7 §", "Tulkitseminen ja kääntäminen", False),
        Section("initial_assessment", "9 §", "Alkukartoitus", False),
        Section("plan", "11 §", "Kotoutumissuunnitelma", False),
        Section("plan_period", "12 §", "Kotoutumissuunnitelman kesto", True),
        Section("plan_review", "11 §", "Kotoutumissuunnitelman tarkistaminen", False),
    ),
    source="finlex.fi/fi/laki/ajantasa/2010/20101386; tem.fi; kotouttaminen.fi",
)

LAW_2023 = LawVersion(
    law=LAW,
    valid_from=IN_FORCE_FROM,
    valid_to=None,
    # HE 208/2022 speaks of starting the assessment within a month; not confirmed
    # in the amended text
    assessment_deadline_days=30,
    assessment_deadline_verified=False,
    plan_max_months=12,
    plans_max_years=2,
    sections=_sections(
        Section("interpreting", "6 §", "Tulkitseminen ja kääntäminen", False),
        Section("programme", "12 §", "Kunnan kotoutumisohjelma", False),
        Section("programme_target", "13 §", "Kotoutumisohjelman kohderyhmä", False),
        Section(
            "initial_assessment",
            "14 §",
            "Osaamisen ja kotoutumisen palvelutarpeen arviointi (alkukartoitus)",
            True,
        ),
        Section("plan", "16 §", "Kotoutumissuunnitelma", True),
        Section("plan_period", "18 §", "Kotoutumissuunnitelman kesto", False),
        Section("plan_review", "19 §", "Kotoutumissuunnitelman tarkistaminen", False),
    ),
    source="finlex.fi/fi/lainsaadanto/2023/681; HE 208/2022 vp; HaVM 24/2024 vp; "
    "VNA 874/2024; kotoutuminen.fi",
)

LAWS = (LAW_2010, LAW_2023)


def law_on(day: dt.date) -> LawVersion:
    """The integration act in force on ``day``."""
    return LAW_2023 if day >= IN_FORCE_FROM else LAW_2010


SECTIONS: dict[str, Section] = LAW_2023.sections
"""The sections of the law in force now (pages that cite without a date)."""


def cite(key: str, on: dt.date | None = None) -> str:
    """'681/2023 14 §' for a section key, of the law in force on ``on`` (today's law
    when no day is given)."""
    law = LAW_2023 if on is None else law_on(on)
    section = law.sections.get(key) or LAW_2023.sections[key]
    return f"{law.law} {section.section}"


ASSESSMENT_DEADLINE_DAYS = LAW_2023.assessment_deadline_days
"""The time limit under the law in force now; a dated record reads
``assessment_due(client_since)``. [verify]"""

PLAN_MAX_MONTHS = LAW_2023.plan_max_months
"""One integration plan covers at most a year (both laws; kotoutuminen.fi, tem.fi)."""

PROGRAMME_MAX_YEARS = 3
"""The municipal integration programme: the first three years in Finland (13 §)
[verify]."""


def assessment_due(client_since: dt.date) -> dt.date:
    """The last day of the initial assessment's time limit, under the law in force on
    the day the client became an integration client."""
    return client_since + dt.timedelta(days=law_on(client_since).assessment_deadline_days)


def in_time(client_since: dt.date, assessed_on: dt.date) -> bool:
    return assessed_on <= assessment_due(client_since)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
