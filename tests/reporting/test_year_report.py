"""`silta report year YYYY`: each yearly figure counted from hand-built events, at the
edges of the year; the command's text and JSON; bad years."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import NamedTuple

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests import factories as f

from silta.accounts.roles import OrganisationKind
from silta.casework.models import JointService, Plan, PlanKind, PlanStatus, Referral
from silta.core import dates
from silta.reporting import yearly

H = dates.HELSINKI
CASEWORK_ONLY = ["silta.reporting.yearly.CASEWORK_FIGURES"]


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=H)


@pytest.fixture
def world(region):
    employment = f.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    services = {
        code: f.service(soite, code)
        for code in (
            "social_guidance",
            "social_rehabilitation",
            "health_check",
            "work_ability_assessment",
        )
    }
    clients = [f.client(region["272"], last_name=f"Asiakas{i}") for i in range(6)]
    return {"employment": employment, "soite": soite, "services": services, "clients": clients}


def referral(world, client, code: str, status: str, **fields) -> Referral:
    return Referral.objects.create(
        client=client,
        service=world["services"][code],
        from_organisation=world["employment"],
        to_organisation=world["soite"],
        sent_at=fields.pop("sent_at", at(2022, 6, 1, 10)),
        reason="Testi",
        status=status,
        **fields,
    )


def joint(client, start: dt.date, end: dt.date | None) -> None:
    JointService.objects.create(client=client, started_on=start, ended_on=end)


def plan(world, client, kind: str, agreed: dt.date | None, closed: dt.date | None) -> None:
    Plan.objects.create(
        client=client,
        organisation=world["employment"],
        kind=kind,
        status=PlanStatus.CLOSED if closed else PlanStatus.AGREED if agreed else PlanStatus.DRAFT,
        agreed_on=agreed,
        closed_on=closed,
    )


@pytest.fixture
def events(world):
    a, b, c, d, e, g = world["clients"]
    # joint service: a ended the day before 2023, b starts on its last day, c still
    # runs since 2021, d has two memberships in 2023 (one client)
    joint(a, dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    joint(b, dt.date(2023, 12, 31), None)
    joint(c, dt.date(2021, 5, 1), None)
    joint(d, dt.date(2023, 1, 1), dt.date(2023, 3, 1))
    joint(d, dt.date(2023, 6, 1), dt.date(2023, 9, 1))
    # activation plans: only a's counts in 2023 (closed on 1.1.); b's is a draft, c's is
    # another kind, d's was agreed in 2024
    plan(world, a, PlanKind.ACTIVATION, dt.date(2022, 6, 1), dt.date(2023, 1, 1))
    plan(world, b, PlanKind.ACTIVATION, None, None)
    plan(world, c, PlanKind.MULTISECTORAL, dt.date(2023, 3, 1), None)
    plan(world, d, PlanKind.ACTIVATION, dt.date(2024, 1, 1), None)
    # social guidance: a began 2022 and ended 2023; e is still in it; b ended on
    # 31.12.2022 late in the evening; c did not complete; d was declined
    referral(
        world,
        a,
        "social_guidance",
        "completed",
        first_appointment_at=at(2022, 11, 1, 9),
        closed_at=at(2023, 2, 1, 12),
    )
    referral(world, e, "social_guidance", "scheduled", first_appointment_at=at(2023, 5, 2, 9))
    referral(
        world,
        b,
        "social_guidance",
        "completed",
        first_appointment_at=at(2022, 10, 1, 9),
        closed_at=at(2022, 12, 31, 23, 30),
    )
    referral(
        world,
        c,
        "social_guidance",
        "not_completed",
        first_appointment_at=at(2023, 3, 1, 9),
        closed_at=at(2023, 3, 1, 10),
        not_completed_reason="no_show",
    )
    referral(world, d, "social_guidance", "declined", closed_at=at(2023, 2, 1, 9))
    # social rehabilitation: g began at half past midnight on 1.1.2024 (not 2023)
    referral(
        world, g, "social_rehabilitation", "scheduled", first_appointment_at=at(2024, 1, 1, 0, 30)
    )
    referral(
        world,
        a,
        "social_rehabilitation",
        "completed",
        first_appointment_at=at(2023, 4, 1, 9),
        closed_at=at(2023, 10, 1, 9),
    )
    # health checks: two in 2023 at its Helsinki edges, one of them a's second; one in
    # 2024; one not completed; a's earlier one in 2022
    referral(world, a, "health_check", "completed", closed_at=at(2023, 1, 1, 0, 30))
    referral(world, b, "health_check", "completed", closed_at=at(2023, 12, 31, 23, 30))
    referral(world, c, "health_check", "completed", closed_at=at(2024, 1, 1, 0, 10))
    referral(
        world,
        d,
        "health_check",
        "not_completed",
        closed_at=at(2023, 5, 1, 10),
        not_completed_reason="no_show",
    )
    referral(world, a, "health_check", "completed", closed_at=at(2022, 3, 1, 10))
    # work ability assessments: one completed in 2023, one still scheduled
    referral(world, e, "work_ability_assessment", "completed", closed_at=at(2023, 8, 1, 14))
    referral(world, g, "work_ability_assessment", "scheduled",
             first_appointment_at=at(2023, 9, 1, 9))  # fmt: skip
    return world


EXPECTED_2023 = {
    "joint_service_clients": 3,
    "activation_clients": 1,
    "social_guidance_clients": 2,
    "social_rehabilitation_clients": 1,
    "health_checks": 2,
    "work_ability_assessments": 1,
}


@pytest.fixture
def casework_only(monkeypatch):
    monkeypatch.setattr(yearly, "FIGURE_SOURCES", CASEWORK_ONLY)


@pytest.mark.django_db
def test_each_figure_counts_the_events_of_the_year(events, casework_only) -> None:
    # given the events above / when 2023 is counted / then each edge falls right
    assert yearly.year_figures(2023) == EXPECTED_2023
    # and 2022 sees its own
    assert yearly.year_figures(2022) == {
        "joint_service_clients": 2,
        "activation_clients": 1,
        "social_guidance_clients": 2,
        "social_rehabilitation_clients": 0,
        "health_checks": 1,
        "work_ability_assessments": 0,
    }


@pytest.mark.django_db
def test_json_has_the_contract_keys_as_integers(events, casework_only) -> None:
    out = StringIO()
    call_command("report", "year", "2023", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data == EXPECTED_2023
    assert list(data) == [k for k in yearly.KEY_ORDER if k in EXPECTED_2023]
    assert all(type(v) is int for v in data.values())


@pytest.mark.django_db
def test_json_keys_are_those_of_design_md_whatever_the_sources(events) -> None:
    # the funding side may add its figure (municipal_share_eur); no key is unknown
    out = StringIO()
    call_command("report", "year", "2023", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) <= set(yearly.KEY_ORDER)
    assert {k: data[k] for k in EXPECTED_2023} == EXPECTED_2023


@pytest.mark.django_db
def test_text_table_is_in_finnish_by_default_and_in_swedish_on_request(
    events, casework_only
) -> None:
    out = StringIO()
    call_command("report", "year", "2023", stdout=out)
    text = out.getvalue()
    assert "Vuoden 2023 luvut, koko alue" in text
    # the joint service by the law's name of 2023: TYP (law 1369/2014)
    assert "monialaisen yhteispalvelun (TYP, laki 1369/2014) asiakkaat" in text
    lines = {line.rsplit(" ", 1)[0].strip(): line.rsplit(" ", 1)[1] for line in
             text.splitlines()[4:]}  # fmt: skip
    assert lines["Tehdyt työttömien terveystarkastukset"] == "2"
    assert lines["Aktivoinnin asiakkaat"] == "1"
    out = StringIO()
    call_command("report", "year", "2023", "--language", "sv", stdout=out)
    assert "Klienter inom socialhandledning" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("20x3", "neljällä numerolla"),
        ("202", "neljällä numerolla"),
        ("1999", "Vuodelle 1999 ei ole lukuja"),
        ("2999", "Vuodelle 2999 ei ole lukuja"),
    ],
)
def test_a_bad_year_is_a_clear_error(year: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("report", "year", year)


@pytest.mark.django_db
def test_the_year_is_required() -> None:
    with pytest.raises(CommandError):
        call_command("report", "year")


class _Figure(NamedTuple):
    key: str
    label: str
    compute: object


EXTRA = [_Figure("municipal_share_eur", "Kunnan rahoitusosuus", lambda y: Decimal("1234.5"))]
TWICE = [_Figure("health_checks", "Kaksi kertaa", lambda y: 0)]


@pytest.mark.django_db
def test_other_apps_add_figures_through_the_sources(events, monkeypatch) -> None:
    # given a source of another app (not importing reporting) and a missing one
    monkeypatch.setattr(
        yearly,
        "FIGURE_SOURCES",
        [*CASEWORK_ONLY, "tests.reporting.test_year_report.EXTRA", "silta.nowhere.FIGURES"],
    )
    out = StringIO()
    call_command("report", "year", "2023", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    # then its key comes last as in DESIGN.md, euros as a number; the missing one is skipped
    assert list(data)[-1] == "municipal_share_eur"
    assert data["municipal_share_eur"] == 1234.5
    out = StringIO()
    call_command("report", "year", "2023", stdout=out)
    assert "Kunnan rahoitusosuus" in out.getvalue()
    assert "1 234,50" in out.getvalue().replace("\xa0", " ")
    # a key defined twice is refused
    monkeypatch.setattr(
        yearly, "FIGURE_SOURCES", [*CASEWORK_ONLY, "tests.reporting.test_year_report.TWICE"]
    )
    with pytest.raises(yearly.ImproperlyDefined, match="health_checks"):
        yearly.year_figures(2023)
