"""IPS results on a small hand-built data set (exact numbers), per coach and for the
region, and the disclosure control applied before a manager sees them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.ips import selectors
from silta.ips.figures import EpisodeFact, JobFact, add_months, results_of, results_report
from silta.ips.models import CoachingEpisode, WorkPlacement

D = dt.date
A, B = uuid.UUID(int=1), uuid.UUID(int=2)
AS_OF = D(2025, 1, 1)

FACTS = [
    # coach A: a job 50 days after the start, still going on 1.1.2025 (673 days)
    EpisodeFact(A, "Aalto", D(2023, 1, 10), (JobFact(D(2023, 3, 1), None, True),)),
    # a job after 287 days: within 12 months but not 6; it lasted 92 days
    EpisodeFact(A, "Aalto", D(2023, 2, 1), (JobFact(D(2023, 11, 15), D(2024, 2, 14), True),)),
    # a pay-subsidised job outside the open market does not count
    EpisodeFact(A, "Aalto", D(2023, 3, 1), (JobFact(D(2023, 4, 1), None, False),)),
    # started in 2024: not yet followed 6 months on the cut-off
    EpisodeFact(A, "Aalto", D(2024, 9, 1), ()),
    # coach B: no job; a job on the first day that lasted the month of June
    EpisodeFact(B, "Berg", D(2023, 5, 5), ()),
    EpisodeFact(B, "Berg", D(2023, 6, 1), (JobFact(D(2023, 6, 1), D(2023, 6, 30), True),)),
    # referred only: coaching never started, not a coached client
    EpisodeFact(B, "Berg", None, ()),
]


def test_region_figures() -> None:
    r = results_of(FACTS, year=None, as_of=AS_OF)
    assert (r.coached, r.followed_6, r.open_market_6, r.followed_12, r.open_market_12) == (
        6, 5, 2, 5, 3,
    )  # fmt: skip
    assert (r.share_6, r.share_12) == (40.0, 60.0)
    assert r.employed == 3
    assert r.median_days_to_first_job == 50.0  # of 0, 50 and 287
    assert r.median_tenure_days == 92.0  # of 30, 92 and 673


def test_per_coach_figures() -> None:
    report = results_report(FACTS, year=None, as_of=AS_OF)
    a, b = report.coaches
    assert (a.coach_name, b.coach_name) == ("Aalto", "Berg")
    assert (a.results.coached, a.results.followed_6, a.results.open_market_6) == (4, 3, 1)
    assert (a.results.followed_12, a.results.open_market_12) == (3, 2)
    assert a.results.share_12 == 66.7
    assert a.results.median_days_to_first_job == 168.5  # of 50 and 287
    assert a.results.median_tenure_days == 382.5  # of 92 and 673
    assert (b.results.coached, b.results.open_market_6, b.results.open_market_12) == (2, 1, 1)
    assert (b.results.median_days_to_first_job, b.results.median_tenure_days) == (0.0, 30.0)


def test_cohort_year_and_cutoff() -> None:
    # the 2024 cohort has one client, not yet followed 6 months
    r = results_of(FACTS, year=2024, as_of=AS_OF)
    assert (r.coached, r.followed_6, r.followed_12, r.share_6) == (1, 0, 0, None)
    # on 1.8.2023 the first two clients are followed 6 months, nobody 12
    r = results_of(FACTS, year=2023, as_of=D(2023, 8, 1))
    assert (r.coached, r.followed_6, r.open_market_6, r.followed_12) == (5, 2, 1, 0)
    # the job of 15.11.2023 is not yet counted; the ongoing job counts to the cut-off
    # (1.3.-1.8.2023 is 154 days), June's job lasted 30 days
    assert r.employed == 2
    assert r.median_tenure_days == (154 + 30) / 2


def test_add_months_keeps_the_month_end() -> None:
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 10), 12) == D(2024, 1, 10)


@pytest.mark.django_db
def test_manager_sees_suppressed_figures(cast) -> None:
    # given the hand-built data in the database
    coaches = {A: cast["coach"], B: cast["other_coach"]}
    employer = factories.business_id()
    from silta.ips.models import Employer

    emp = Employer.objects.create(
        name="Oy", business_id=employer, sector="other", municipality=cast["kokkola"]
    )
    for i, fact in enumerate(FACTS):
        client = factories.client(cast["kokkola"], last_name=f"Asiakas{i}")
        e = CoachingEpisode.objects.create(
            client=client, coach=coaches[fact.coach_id], organisation=cast["ips"],
            status="active" if fact.started_on else "referred",
            referred_on=fact.started_on or D(2024, 1, 1), referring_unit="Psykiatria",
            started_on=fact.started_on,
        )  # fmt: skip
        for j in fact.jobs:
            WorkPlacement.objects.create(
                episode=e, employer=emp, job_title="Työ", start_on=j.start_on, end_on=j.end_on,
                hours_per_week=Decimal(20), open_market=j.open_market,
            )  # fmt: skip
    # when the manager asks for all years on 1.1.2025
    report = selectors.results_for(actor=cast["manager"], year=None, as_of=AS_OF)
    # then the region's 6 coached clients are shown, every count of 1-4 is hidden, and so
    # is each share resting on a hidden count
    assert report.region.coached == 6
    assert report.region.followed_6 == 5 and report.region.open_market_6 is None
    assert report.region.share_6 is None and report.region.median_tenure_days is None
    assert all(c.coached is None and c.share_12 is None for c in report.coaches)
    # the API answers the same, and the page shows the hidden mark
    http = HttpClient()
    http.force_login(cast["manager"])
    body = http.get("/api/v1/ips/results", {"as_of": "2025-01-01"}).json()
    assert body["region"]["coached"] == 6 and body["coaches"][0]["coached"] is None
    page = http.get("/ips/results/", {"as_of": "2025-01-01"})
    assert page.status_code == 200 and "..</td>" in page.content.decode()
    # a coach sees the same suppressed figures; an administrator sees none
    coach = HttpClient()
    coach.force_login(cast["coach"])
    assert coach.get("/ips/results/").status_code == 200
    admin = HttpClient()
    admin.force_login(cast["admin"])
    assert admin.get("/ips/results/").status_code == 403
