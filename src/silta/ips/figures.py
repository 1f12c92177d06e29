"""IPS fidelity and results, per coach and for the region.

``episode_facts`` turns episodes into plain facts; everything else is pure functions
over those facts (no database), so the figures can be checked by hand.

Definitions (docs/adr/0010-ips.md):

- **Coached clients** of a cohort: episodes whose coaching started (``started_on``) in
  the chosen year (or ever) and not after the cut-off date. A referral that never
  started coaching is not counted.
- **Open-market work within N months**: an open-market job (``open_market``, with or
  without pay subsidy) that started on or before the day N months after the start of
  coaching. Counted over the clients *followed* N months, i.e. whose start plus N
  months is on or before the cut-off; a client who left early still counts in the
  denominator (the national evaluation reports 40–49 % within 12 months).
- **Time to first job**: days from the start of coaching to the start of the first
  open-market job (started by the cut-off), median over the clients who got one.
- **Job tenure**: days in that first open-market job, both ends counted; a job still
  going counts to the cut-off. Median over the same clients.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from silta.ips.models import CoachingEpisode


@dataclass(frozen=True)
class JobFact:
    start_on: dt.date
    end_on: dt.date | None
    open_market: bool


@dataclass(frozen=True)
class EpisodeFact:
    coach_id: uuid.UUID
    coach_name: str
    started_on: dt.date | None
    jobs: tuple[JobFact, ...]


@dataclass(frozen=True)
class Results:
    coached: int
    followed_6: int
    open_market_6: int
    followed_12: int
    open_market_12: int
    employed: int
    """Coached clients with an open-market job by the cut-off (the medians' count)."""
    median_days_to_first_job: float | None
    median_tenure_days: float | None

    @property
    def share_6(self) -> float | None:
        return _share(self.open_market_6, self.followed_6)

    @property
    def share_12(self) -> float | None:
        return _share(self.open_market_12, self.followed_12)


@dataclass(frozen=True)
class CoachResults:
    coach_id: uuid.UUID
    coach_name: str
    results: Results


@dataclass(frozen=True)
class ResultsReport:
    year: int | None
    as_of: dt.date
    coaches: list[CoachResults]
    region: Results


def _share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None when there is nobody to count."""
    return round(100 * part / whole, 1) if whole else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def episode_facts(episodes: QuerySet[CoachingEpisode]) -> list[EpisodeFact]:
    """The facts the figures need, in two queries."""
    rows = episodes.select_related("coach").prefetch_related("placements").order_by("pk")
    return [
        EpisodeFact(
            coach_id=e.coach_id,
            coach_name=e.coach.get_full_name() or e.coach.username,
            started_on=e.started_on,
            jobs=tuple(JobFact(p.start_on, p.end_on, p.open_market) for p in e.placements.all()),
        )
        for e in rows
    ]


def first_open_market_job(fact: EpisodeFact, as_of: dt.date) -> JobFact | None:
    jobs = [
        j
        for j in fact.jobs
        if j.open_market and fact.started_on is not None and j.start_on <= as_of
    ]
    return min(jobs, key=lambda j: j.start_on) if jobs else None


def tenure_days(job: JobFact, as_of: dt.date) -> int:
    end = job.end_on if job.end_on is not None and job.end_on <= as_of else as_of
    return max((end - job.start_on).days + 1, 0)


def in_cohort(fact: EpisodeFact, *, year: int | None, as_of: dt.date) -> bool:
    return (
        fact.started_on is not None
        and fact.started_on <= as_of
        and (year is None or fact.started_on.year == year)
    )


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def results_of(facts: Iterable[EpisodeFact], *, year: int | None, as_of: dt.date) -> Results:
    """The figures of one group of episodes (a coach's, or the region's)."""
    coached = followed_6 = open_6 = followed_12 = open_12 = 0
    to_first: list[int] = []
    tenure: list[int] = []
    for fact in facts:
        if not in_cohort(fact, year=year, as_of=as_of):
            continue
        assert fact.started_on is not None
        coached += 1
        first = first_open_market_job(fact, as_of)
        for months in (6, 12):
            horizon = add_months(fact.started_on, months)
            if horizon > as_of:
                continue
            hit = first is not None and first.start_on <= horizon
            if months == 6:
                followed_6 += 1
                open_6 += hit
            else:
                followed_12 += 1
                open_12 += hit
        if first is not None:
            to_first.append((first.start_on - fact.started_on).days)
            tenure.append(tenure_days(first, as_of))
    return Results(
        coached=coached,
        followed_6=followed_6,
        open_market_6=open_6,
        followed_12=followed_12,
        open_market_12=open_12,
        employed=len(to_first),
        median_days_to_first_job=_median(to_first),
        median_tenure_days=_median(tenure),
    )


def results_report(
    facts: Sequence[EpisodeFact], *, year: int | None, as_of: dt.date
) -> ResultsReport:
    """The region's figures and each coach's (coaches with someone in the cohort),
    coaches by name."""
    by_coach: dict[uuid.UUID, list[EpisodeFact]] = {}
    names: dict[uuid.UUID, str] = {}
    for fact in facts:
        if in_cohort(fact, year=year, as_of=as_of):
            by_coach.setdefault(fact.coach_id, []).append(fact)
            names[fact.coach_id] = fact.coach_name
    coaches = [
        CoachResults(coach_id, names[coach_id], results_of(group, year=year, as_of=as_of))
        for coach_id, group in sorted(by_coach.items(), key=lambda kv: (names[kv[0]], kv[0]))
    ]
    return ResultsReport(
        year=year,
        as_of=as_of,
        coaches=coaches,
        region=results_of(facts, year=year, as_of=as_of),
    )
