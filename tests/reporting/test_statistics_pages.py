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
    assert csv["Content-Type"].startswith("text/csv")
    # UTF-8 with a byte order mark (DESIGN.md: CSV downloads open in Excel)
    assert csv.content.startswith(b"\xef\xbb\xbf")
    lines = csv.content.decode("utf-8-sig").splitlines()
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


# --- PDF exports -----------------------------------------------------------------------


def pdf_lines(content: bytes) -> list[str]:
    """The text lines drawn on the pages (content streams, not the metadata)."""
    import base64
    import re
    import zlib

    lines = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", content, re.S):
        head, data = match.group(1), match.group(2)
        if b"ASCII85Decode" in head:
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        if b"FlateDecode" in head:
            data = zlib.decompress(data)
        for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data, re.S):
            text = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), raw)
            lines.append(re.sub(rb"\\(.)", rb"\1", text).decode("cp1252"))
    return lines


def rule_in(language: str) -> str:
    from django.utils import translation

    from silta.reporting.suppression import RULE_TEXT

    with translation.override(language):
        return str(RULE_TEXT)


def test_a_statistics_table_downloads_as_pdf_with_its_title_and_the_rule(
    manager_http, checks
) -> None:
    query = {"statistic": "health_checks", "year": "2023", "breakdown": "none"}
    response = manager_http.get("/statistics/", {**query, "format": "pdf", "table": "main"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    lines = pdf_lines(response.content)
    text = " ".join(lines)
    # then the title and the rule are printed (in the user's language, English here)
    assert "Unemployed health checks done, 2023" in text
    assert rule_in("en") in text
    # and Kannus (2 checks) shows the hidden mark, as does its complementary partner
    # Kokkola (7); only the region total 9 is published
    kannus = lines.index("Kannus")
    assert lines[kannus + 1] == ".."
    assert "2" not in lines and "7" not in lines
    assert lines[lines.index("Whole region") + 1] == "9"
    comparison = manager_http.get("/statistics/", {**query, "format": "pdf", "table": "comparison"})
    assert "Year over year" in pdf_lines(comparison.content)


def test_the_pdf_is_in_the_users_language(region, checks) -> None:
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    http = HttpClient()
    http.force_login(f.staff(Role.MANAGER, soite, language="sv"))
    response = http.get(
        "/statistics/",
        {"statistic": "health_checks", "year": "2023", "breakdown": "none", "format": "pdf"},
    )
    text = " ".join(pdf_lines(response.content))
    assert rule_in("sv") != rule_in("en")
    assert rule_in("sv") in text and "Hela området" in text and "Kommun" in text


def test_an_organisation_table_names_the_organisation_and_exports_as_pdf(
    manager_http, checks
) -> None:
    query = {"statistic": "health_checks", "year": "2023", "breakdown": "organisation"}
    body = manager_http.get("/statistics/", query).content.decode()
    assert "Organisation: the one that received the referral" in body
    response = manager_http.get("/statistics/", {**query, "format": "pdf"})
    text = " ".join(pdf_lines(response.content))
    assert "Organisation: the one that received the referral" in text
    assert rule_in("en") in text


def test_the_manager_dashboard_downloads_as_pdf(manager_http, checks) -> None:
    response = manager_http.get("/statistics/dashboard/", {"year": "2023", "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    lines = pdf_lines(response.content)
    text = " ".join(lines)
    assert "Manager dashboard 2023" in text
    assert "The region and its municipalities" in text
    assert rule_in("en") in text
    kannus = lines.index("Kannus")
    assert lines[kannus + 3] == ".."  # the health checks column: 2 hidden


def test_a_future_year_on_the_dashboard_is_a_clear_error(manager_http) -> None:
    body = manager_http.get("/statistics/dashboard/", {"year": "2999"}).content.decode()
    assert "The year 2999 has not begun yet." in body


# --- the strategic agreement's indicators ------------------------------------------------


def test_an_indicator_linked_to_a_statistic_shows_and_updates_on_the_dashboard(
    manager_http, checks, region
) -> None:
    from decimal import Decimal

    from silta.governance.services import agreement_create, goal_add, indicator_add

    # given an agreement whose goal has an indicator on the health checks of 2023
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    agreement = agreement_create(
        actor=None,
        key="sopimus",
        name_fi="Strateginen sopimus",
        name_sv="Strategiskt avtal",
        name_en="Strategic agreement",
        owner=soite,
        municipalities=list(region.values()),
        sections=[("Tarkoitus", "Yhteistyö.")],
    )
    goal = goal_add(
        actor=None,
        version=agreement.versions.get(),
        title="Terveystarkastukset",
        description="",
        responsible=soite,
    )
    indicator_add(
        actor=None,
        goal=goal,
        title="Health checks done in 2023",
        target=Decimal(10),
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        statistic="health_checks_done",
    )
    indicator_add(
        actor=None,
        goal=goal,
        title="Integration plans made together",
        target=Decimal(60),
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        manual_value=Decimal(41),
        manual_value_on=dt.date(2023, 12, 31),
    )

    def indicator_row(body: str, title: str) -> str:
        start = body.index(f'<th scope="row">{title}</th>')
        return body[start : body.index("</tr>", start)]

    # then the dashboard shows it with its target, period, value and that it is behind
    body = manager_http.get("/statistics/dashboard/", {"year": "2023"}).content.decode()
    assert "Strategic agreement indicators" in body
    row = indicator_row(body, "Health checks done in 2023")
    assert "1.1.2023" in row or "01.01.2023" in row
    assert "At least the target: 10" in row
    assert "9 (up to 31.12.2023)" in row and "Behind the target" in row
    assert "41" in indicator_row(body, "Integration plans made together")
    # and per municipality, suppressed: Kannus (2) hidden
    split = body[body.index("Indicators by municipality") :]
    kannus = split[split.index('<th scope="row">Kannus</th>') :]
    assert kannus.split("</tr>")[0].endswith('<td class="num">..</td>')
    # when one more check is completed in 2023
    service = Referral.objects.first().service  # type: ignore[union-attr]
    Referral.objects.create(
        client=checks[0],
        service=service,
        from_organisation=soite,
        to_organisation=soite,
        sent_at=dt.datetime(2023, 5, 1, 9, tzinfo=H),
        reason="Testi",
        status="completed",
        closed_at=dt.datetime(2023, 6, 1, 9, tzinfo=H),
    )
    # then the value follows and the target is met
    body = manager_http.get("/statistics/dashboard/", {"year": "2023"}).content.decode()
    row = indicator_row(body, "Health checks done in 2023")
    assert "10 (up to 31.12.2023)" in row and "On track" in row
    pdf = manager_http.get("/statistics/dashboard/", {"year": "2023", "format": "pdf"})
    assert "Health checks done in 2023" in " ".join(pdf_lines(pdf.content))
    csv = manager_http.get(
        "/statistics/dashboard/", {"year": "2023", "format": "csv", "table": "indicators"}
    ).content.decode()
    assert "Health checks done in 2023" in csv and "10 (up to 31.12.2023)" in csv
