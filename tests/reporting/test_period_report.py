"""`silta report period`: every yearly figure — rehabilitative work activity, the work
ability network and group activities included — is computed for any period: a whole
year gives exactly `report year`, and January–October gives the rows counted by hand."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from tests import factories

from silta.core import dates
from silta.governance.models import AgendaItem, Meeting, MeetingStatus, NetworkCase
from silta.governance.services import body_create
from silta.groups.models import Participant
from silta.reporting import yearly

pytestmark = pytest.mark.django_db

D = dt.date


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dates.HELSINKI)


@pytest.fixture
def rows(region):
    home = region["272"]
    # rehabilitative work activity: one placement from March, one from November 2023
    # (registered as the worker would have then: a plan's review day is never past)
    for start, end in ((D(2023, 3, 1), D(2023, 12, 31)), (D(2023, 11, 1), D(2024, 3, 31))):
        with time_machine.travel(at(start.year, start.month, start.day, 12), tick=False):
            factories.rehab_world(home, start=start, end=end)
    # the work ability network: held meetings in February and November, a planned one
    # in June that was never held; referrals on 20 January, 31 October at 23.30 and
    # 1 November at midnight (Helsinki time)
    soite = factories.OrganisationFactory()
    network = body_create(
        actor=None,
        key="tyokykyverkosto",
        kind="work_ability_network",
        name_fi="Työkykyverkosto",
        name_sv="Arbetsförmågenätverket",
        name_en="Work ability network",
        convener=soite,
    )
    people = [factories.client(home, last_name=f"Verkosto{i}") for i in range(3)]
    cases = [
        NetworkCase.objects.create(
            client=person,
            network=network,
            from_organisation=soite,
            referred_at=when,
            reason="Työkyky epäselvä",
        )
        for person, when in zip(
            people, (at(2023, 1, 20, 9), at(2023, 10, 31, 23, 30), at(2023, 11, 1)), strict=True
        )
    ]
    held = MeetingStatus.HELD
    february = Meeting.objects.create(body=network, held_on=D(2023, 2, 10), status=held)
    november = Meeting.objects.create(body=network, held_on=D(2023, 11, 15), status=held)
    june = Meeting.objects.create(body=network, held_on=D(2023, 6, 1))
    assert june.status != held
    for meeting, case in ((february, cases[0]), (november, cases[1]), (june, cases[2])):
        AgendaItem.objects.create(meeting=meeting, number=1, title="Asiakas", network_case=case)
    # social rehabilitation groups: January only, from November on, and 2022 only
    groups = factories.group_world(home, capacity=10, start=D(2022, 1, 1))
    a, b, c, _d = groups["clients"]
    for client, joined, left in (
        (a, D(2023, 1, 1), D(2023, 1, 31)),
        (b, D(2023, 11, 1), None),
        (c, D(2022, 6, 1), D(2022, 12, 31)),
    ):
        Participant.objects.create(
            group=groups["group"], client=client, joined_on=joined, left_on=left
        )


def run(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("report", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


NEW_FIGURES = (
    "rehab_participants",
    "network_clients",
    "network_new_referrals",
    "network_meetings",
    "social_rehabilitation_group_participants",
)


def test_a_whole_year_period_is_the_year_report(rows) -> None:
    year = run("year", "2023")
    period = run("period", "--from", "2023-01-01", "--to", "2023-12-31")
    assert period == year
    assert set(NEW_FIGURES) <= set(period)
    assert {k: year[k] for k in NEW_FIGURES} == {
        "rehab_participants": 2,
        "network_clients": 2,
        "network_new_referrals": 3,
        "network_meetings": 2,
        "social_rehabilitation_group_participants": 1 + 1,
    }


def test_january_to_october_counts_the_rows_by_hand(rows) -> None:
    values = run("period", "--from", "2023-01-01", "--to", "2023-10-31")
    # every key of the yearly report is there, none left out for a part of a year
    assert list(values) == [f.key for f in yearly.figures()]
    assert {k: values[k] for k in NEW_FIGURES} == {
        "rehab_participants": 1,  # the March placement; November's starts after
        "network_clients": 1,  # the February meeting's client; June's was not held
        "network_new_referrals": 2,  # 20.1. and 31.10. 23.30; 1.11. 00.00 is after
        "network_meetings": 1,  # February
        "social_rehabilitation_group_participants": 1,  # January's; not 2022's
    }


def test_a_part_of_a_year_leaves_no_figure_out_of_the_text_table(rows) -> None:
    out = StringIO()
    call_command(
        "report",
        "period",
        "--from",
        "2023-01-01",
        "--to",
        "2023-10-31",
        "--language",
        "fi",
        stdout=out,
    )
    text = out.getvalue()
    from silta.integration.law_names import joint_service_clients_label

    with translation.override("fi"):
        # the joint service by the law's name of the period (TYP in 2023)
        labels = [
            joint_service_clients_label(dt.date(2023, 1, 1), dt.date(2023, 10, 31))
            if f.key == "joint_service_clients"
            else str(f.label)
            for f in yearly.figures()
        ]
        left_out = gettext("Not available for a part of a year: %(figures)s").split("%")[0]
    for label in labels:
        assert label in text
    assert left_out not in text
