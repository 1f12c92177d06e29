"""January–October 2023, the council's question (issue 14), in Finnish and Swedish with
no English word: ``silta report period --from 2023-01-01 --to 2023-10-31``, the council
report for months 1–10 of 2023 and the funding dashboard for 2023-01…2023-10, each
checked with the words crawl's rules (tests/web/test_words_crawl.py) on a region with
2023 benefit payments, so that the municipal-share row has a figure to show."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from tests import factories as f
from tests.web.test_words_crawl import (
    _Text,
    english_messages,
    enum_values,
    finnish_messages,
    problems_in,
)

from silta.accounts.roles import OrganisationKind, Role
from silta.engine.testing import fortnights, payments_frame
from silta.funding import figures, results
from silta.funding.results import municipal_share_between
from silta.funding.services import payments_import
from silta.reporting import council, yearly

pytestmark = pytest.mark.django_db

FIRST, LAST = dt.date(2023, 1, 1), dt.date(2023, 10, 31)
PHRASES = {
    "fi": ("Kuntien rahoitusosuus", "Kunnan rahoitusosuus"),
    "sv": ("Kommunernas finansieringsandel", "Kommunens finansieringsandel"),
}


@pytest.fixture
def paid_2023(region) -> dict:
    """Labour market subsidy for two Kokkola residents and one in Kannus from January
    2021 to the end of 2023: days 300-1000 fall in 2023, so the municipalities pay."""
    results.forget_cached()
    with figures._LOCK:
        figures._MEMO.clear()
    rows = []
    for code, name in (("272", "Pitkä"), ("272", "Kestävä"), ("217", "Kannuslainen")):
        client = f.client(region[code], last_name=name)
        rows += fortnights(
            dt.date(2021, 1, 4), [10] * 78, person=client.personal_id, municipality=code
        )
    payments_import(actor=None, payments=payments_frame(rows), source="fixture")
    employment = f.OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES, municipality=region["272"]
    )
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    yield {
        "funding_manager": f.staff(Role.MANAGER, employment, language="en"),
        "council_manager": f.staff(Role.MANAGER, soite, language="en"),
    }
    results.forget_cached()


@pytest.fixture(scope="module")
def catalogue() -> tuple[set[str], set[str], list[str], frozenset[str]]:
    whole, phrases = english_messages()
    return enum_values(), whole, phrases, frozenset(finnish_messages())


def _page_problems(html: str, language: str, catalogue, names: frozenset[str]) -> list[str]:
    values, whole, phrases, finnish = catalogue
    parser = _Text()
    parser.feed(html)
    # the report's own language is the page's here, so its text is checked too
    texts = parser.texts + parser.foreign
    return problems_in(texts, language, values, whole, phrases, names, finnish)


def _http(user, language: str) -> HttpClient:
    user.language = language
    user.save()
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_report_period_january_to_october_2023_has_no_english(
    paid_2023, catalogue, language
) -> None:
    # given the 2023 payments; when the period is asked for on the command line
    out = StringIO()
    call_command(
        "report",
        "period",
        "--from",
        FIRST.isoformat(),
        "--to",
        LAST.isoformat(),
        "--language",
        language,
        stdout=out,
    )
    text = out.getvalue()
    # then the municipal share row is there, in the language asked, with its figure
    label = PHRASES[language][0]
    row = next(line for line in text.splitlines() if line.startswith(label))
    share = municipal_share_between(FIRST, LAST)
    assert share > Decimal("0")
    digits = re.sub(r"\D", "", row.removeprefix(label))
    assert digits == re.sub(r"\D", "", f"{share:.2f}")
    # and no label is an English message or a figure's key
    values, whole, phrases, finnish = catalogue
    cells = [c.strip() for line in text.splitlines() for c in re.split(r"\s{2,}", line)]
    labels = [c for c in cells if c]
    assert problems_in(labels, language, values, whole, phrases, frozenset(), finnish) == []
    keys = {fig.key for fig in yearly.figures()}
    assert not keys & set(re.findall(r"[a-z_]+", text))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_council_report_for_months_1_to_10_of_2023_has_no_english(
    paid_2023, catalogue, language
) -> None:
    user = paid_2023["council_manager"]
    response = _http(user, language).get(
        "/statistics/council/2023/", {"lang": language, "from": "1", "to": "10"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "1–10/2023" in body
    # the municipal share row is in the report's language, not "Municipal share"
    assert any(phrase in body for phrase in PHRASES[language])
    assert "Municipal share" not in body
    # and its municipalities' table holds the share of the payments dated January-October
    report = council.council_report(2023, language, 1, 10)
    assert report.funding_total == municipal_share_between(FIRST, LAST) > 0
    total_row = body[body.rindex('<th scope="row">') :]
    total_row = total_row[: total_row.index("</tr>")]
    assert re.sub(r"\D", "", total_row) == re.sub(r"\D", "", f"{report.funding_total:.2f}")
    problems = _page_problems(body, language, catalogue, frozenset({user.username}))
    assert problems == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_funding_dashboard_january_to_october_2023_has_no_english(
    paid_2023, catalogue, language
) -> None:
    user = paid_2023["funding_manager"]
    response = _http(user, language).get("/funding/", {"from": "2023-01", "to": "2023-10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert any(phrase in body for phrase in PHRASES[language])
    assert "2023-01" in body and "2023-10" in body
    problems = _page_problems(body, language, catalogue, frozenset({user.username}))
    assert problems == []
