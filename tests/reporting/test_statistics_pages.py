"""The statistics pages: managers only, suppressed tables with the rule under each,
an SVG chart, CSV/XLSX/PDF downloads, the council report in Finnish and Swedish, the
manager dashboard, and bad periods answered next to their field."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client as HttpClient
from openpyxl import load_workbook
from tests import factories as f

from silta.accounts.roles import OrganisationKind, Role
from silta.casework.models import Referral
from silta.core import dates

H = dates.HELSINKI


@pytest.fixture
def manager_http(region):
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    manager = f.staff(Role.MANAGER, soite, language="en")
    http = HttpClient()
    http.force_login(manager)
    return http


@pytest.fixture
def checks(region):
    """Health checks completed in 2023: 7 in Kokkola, 2 in Kannus."""
    employment = f.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    service = f.service(soite, "health_check")
    people = [f.client(region["272"], last_name=f"Koski{i}") for i in range(7)]
    people += [f.client(region["217"], last_name=f"Berg{i}") for i in range(2)]
    for person in people:
        Referral.objects.create(
            client=person,
            service=service,
            from_organisation=employment,
            to_organisation=soite,
            sent_at=dt.datetime(2023, 3, 1, 9, tzinfo=H),
            reason="Testi",
            status="completed",
            closed_at=dt.datetime(2023, 4, 1, 9, tzinfo=H),
        )
    return people


def test_the_statistics_page_shows_suppressed_tables_a_chart_and_the_rule(
    manager_http, checks
) -> None:
    response = manager_http.get(
        "/statistics/", {"statistic": "health_checks", "year": "2023", "breakdown": "language"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and 'role="img"' in body
    assert "Figures of 1–4 people are hidden" in body
    # the two checks of Kannus are hidden; no small count is published
    assert ">2<" not in body
    assert "Year over year" in body


def test_every_table_downloads_as_csv_and_xlsx(manager_http, checks) -> None:
    query = {"statistic": "health_checks", "year": "2023", "breakdown": "none"}
    csv = manager_http.get("/statistics/", {**query, "format": "csv", "table": "main"})
    assert csv["Content-Type"] == "text/csv"
    lines = csv.content.decode().splitlines()
    assert lines[0] == "Municipality,checks" or lines[0].startswith("Municipality,")
    assert "Kannus,.." in lines
    assert lines[-1] == "Whole region,9"
    xlsx = manager_http.get("/statistics/", {**query, "format": "xlsx", "table": "comparison"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["Municipality", "2022", "2023", "Change from last year"]
    assert [c.value for c in sheet[sheet.max_row]] == ["Whole region", 0, 9, 9]


def test_a_period_that_ends_before_it_starts_is_an_error_next_to_the_field(manager_http) -> None:
    response = manager_http.get(
        "/statistics/",
        {
            "statistic": "health_checks",
            "year": "2023",
            "start": "2023-05-01",
            "end": "2023-04-30",
            "breakdown": "none",
        },
    )
    body = response.content.decode()
    assert "The period ends (30.04.2023) before it starts (01.05.2023)." in body
    future = manager_http.get(
        "/statistics/", {"statistic": "health_checks", "year": "2999", "breakdown": "none"}
    )
    assert "The year 2999 has not begun yet." in future.content.decode()


def test_the_council_report_in_finnish_and_swedish_and_as_pdf(manager_http, checks) -> None:
    fi = manager_http.get("/statistics/council/2023/", {"lang": "fi"}).content.decode()
    assert "Tehdyt työttömien terveystarkastukset" in fi
    sv = manager_http.get("/statistics/council/2023/", {"lang": "sv"}).content.decode()
    assert "Utförda hälsokontroller för arbetslösa" in sv
    pdf = manager_http.get("/statistics/council/2023/", {"lang": "sv", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert manager_http.get("/statistics/council/2999/").status_code == 404


def test_the_council_report_figures_match_the_yearly_figures(checks) -> None:
    # hand-built data (the demo calibration test already checks year_figures on the
    # demo region against DOMAIN.md §4; the report shows year_figures unchanged)
    from silta.reporting import council, yearly

    report = council.council_report(2023, "fi")
    figures = {r.key: r.value for r in report.figures}
    expected = yearly.year_figures(2023)
    assert figures["health_checks"] == expected["health_checks"] == 9
    assert set(figures) == set(expected)
    assert len(report.funding) == 8


def test_the_manager_dashboard_shows_region_and_municipalities(manager_http, checks) -> None:
    response = manager_http.get("/statistics/dashboard/", {"year": "2023"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Whole region" in body and "Kannus" in body and "Municipal share (€)" in body
    bad = manager_http.get("/statistics/dashboard/", {"year": "20x3"}).content.decode()
    assert "The year must be four digits" in bad
    csv = manager_http.get("/statistics/dashboard/", {"year": "2023", "format": "csv"})
    assert "Kannus,0,0,..," in csv.content.decode()


def test_staff_without_the_statistics_permission_are_refused(region) -> None:
    worker = f.staff(Role.CASE_WORKER)
    http = HttpClient()
    http.force_login(worker)
    for url in ("/statistics/", "/statistics/dashboard/", "/statistics/council/2023/"):
        assert http.get(url).status_code == 403
