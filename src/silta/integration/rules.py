"""The integration act as dated data with its sources (issue 17, ADR 0024).

Act on the promotion of integration (laki kotoutumisen edistämisestä) 681/2023, in
force since 1.1.2025 (it repealed 1386/2010), as amended by 1215/2024 [verify the
amending act's number] before it came into force (HaVM 24/2024 vp repealed sections 15,
17, 21 and 48 and rewrote 14, 16 and 18–20). Source: finlex.fi/fi/lainsaadanto/2023/681,
HE 208/2022 vp, HaVM 24/2024 vp; tem.fi and kotoutuminen.fi (KOTO24 FAQ).

Values marked ``verified=False`` are our best reading and are shown with the mark on
the rules page; an operator corrects them here without touching the code that reads
them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LAW = "681/2023"
IN_FORCE_FROM = dt.date(2025, 1, 1)


@dataclass(frozen=True)
class Section:
    key: str
    section: str
    title_fi: str
    verified: bool


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section("interpreting", "6 §", "Tulkitseminen ja kääntäminen", False),
        Section("programme", "12 §", "Kunnan kotoutumisohjelma", False),
        Section("programme_target", "13 §", "Kotoutumisohjelman kohderyhmä", False),
        Section(
            "initial_assessment",
            "14 §",
            "Osaamisen ja kotoutumisen palvelutarpeen arviointi (alkukartoitus)",
            False,
        ),
        Section("plan", "16 §", "Kotoutumissuunnitelma", False),
        Section("plan_period", "18 §", "Kotoutumissuunnitelman kesto", False),
        Section("plan_review", "19 §", "Kotoutumissuunnitelman tarkistaminen", False),
    )
}


def cite(key: str) -> str:
    """'681/2023 14 §' for a section key."""
    return f"{LAW} {SECTIONS[key].section}"


ASSESSMENT_DEADLINE_DAYS = 30
"""The initial assessment is to start within this many days of the day the person
became an integration client (the start of the client relationship, or arrival when
no relationship date is known). [verify] HE 208/2022 speaks of a month; the indicator
'within the time limit' reads this value."""

PLAN_MAX_MONTHS = 12
"""One integration plan covers at most a year at a time; the plans of one person
together at most three years from the first (tem.fi, 681/2023 18 §) [verify]."""

PROGRAMME_MAX_YEARS = 3
"""The municipal integration programme: the first three years in Finland (13 §)
[verify]."""


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
