"""Integration and youth rows in the statistics and the council report, in Finnish and
Swedish, computed from the records; small cells hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.core import dates
from silta.integration import services
from silta.reporting import statistics as st


@pytest.fixture
def assessed(region):
    """Six initial assessments in Kokkola this year: five in time, one late."""
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    worker = factories.staff(Role.CASE_WORKER, employment)
    today = dates.today()
    for i in range(6):
        person = factories.client(region["272"], last_name=f"Ali{i}", organisation=employment)
        services.initial_assessment_sign(
            actor=worker,
            client=person,
            client_since=today - dt.timedelta(days=60 if i == 5 else 10),
            assessed_on=today,
            finnish_level="A1",
            swedish_level="none",
            english_level="B1",
            education="higher",
            service_need="Kieliopinnot",
        )


@pytest.mark.django_db
def test_the_initial_assessment_table_counts_and_hides_small_cells(assessed) -> None:
    today = dates.today()
    period = st.Period(dt.date(today.year, 1, 1), today, str(today.year))
    table = st.table(st.statistic("initial_assessments"), period, st.CATEGORY)
    kokkola = table.row_codes.index("272")
    # five in time are shown, the one late is hidden, and its complement with it
    row = table.published.cells[kokkola]
    assert None in row
    _values, total = st.municipality_values(
        st.table(st.statistic("initial_assessments"), period, st.NONE)
    )
    assert total == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ("Kotoutumisen alkukartoitukset", "Nuorten yhteispalvelun asiakkaat")),
        ("sv", ("Inledande kartläggningar för integration", "Kunder i ungdomarnas samservice")),
    ],
)
def test_the_council_report_has_integration_and_youth_rows(assessed, language, words) -> None:
    soite = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    manager = factories.staff(Role.MANAGER, soite, language=language)
    http = HttpClient()
    http.force_login(manager)
    year = dates.today().year
    response = http.get(f"/statistics/council/{year}/", {"lang": language})
    body = response.content.decode()
    assert response.status_code == 200
    for word in words:
        assert word in body
    page = http.get("/statistics/", {"statistic": "initial_assessments", "year": str(year)})
    assert page.status_code == 200
