"""The council answer report for some months of a year (issue 14: January–October is
one click): the figures of those months beside the same months a year earlier, and a
clear error in the user's language on months that are not a period."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories as f
from tests.reporting.test_statistics_pages import checks  # noqa: F401 - the fixture

from silta.accounts.roles import OrganisationKind, Role
from silta.reporting import council, yearly

pytestmark = pytest.mark.django_db


def http_for(language: str) -> HttpClient:
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    http = HttpClient()
    http.force_login(f.staff(Role.MANAGER, soite, language=language))
    return http


def test_the_months_count_only_their_own_events(checks) -> None:  # noqa: F811
    # the nine health checks were completed on 1 April 2023
    spring = {r.key: r.value for r in council.council_report(2023, "fi", 4, 10).figures}
    winter = {r.key: r.value for r in council.council_report(2023, "fi", 1, 3).figures}
    assert spring["health_checks"] == 9
    assert winter["health_checks"] == 0
    # every figure of the yearly report is there for the months too
    assert list(spring) == [fig.key for fig in yearly.figures()]
    # the whole year is the yearly report
    whole = {r.key: r.value for r in council.council_report(2023, "fi", 1, 12).figures}
    assert whole["health_checks"] == yearly.year_figures(2023)["health_checks"]
    with pytest.raises(council.MonthsError):
        council.council_report(2023, "fi", 11, 10)


def test_the_page_shows_january_to_october_in_finnish_and_swedish(region, checks) -> None:  # noqa: F811
    http = http_for("fi")
    for language, word in (("fi", "Tehdyt työttömien terveystarkastukset"), ("sv", "Utförda")):
        response = http.get(
            "/statistics/council/2023/", {"lang": language, "from": "1", "to": "10"}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert word in body
        assert "1–10/2023" in body and "1–10/2022" in body
    pdf = http.get(
        "/statistics/council/2023/", {"lang": "sv", "from": "1", "to": "10", "format": "pdf"}
    )
    assert pdf.content.startswith(b"%PDF")
    assert "council-2023-01-10-sv.pdf" in pdf["Content-Disposition"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "13"}, "council-from-error", "Anna kuukausi numerona 1–12."),
        ({"to": "lokakuu"}, "council-to-error", "Anna kuukausi numerona 1–12."),
        ({"from": "11", "to": "10"}, "council-to-error", "Loppukuukausi on ennen alkukuukautta."),
    ],
)
def test_bad_months_are_refused_next_to_the_field_in_finnish(
    region, query: dict[str, str], field: str, message: str
) -> None:
    response = http_for("fi").get("/statistics/council/2023/", query)
    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="{field}"' in body and message in body
    assert "council-heading" not in body  # no report is shown for bad months
