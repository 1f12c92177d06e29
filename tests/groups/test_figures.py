"""Yearly participant counts of group activities on a small hand-built data set
(issue 8): distinct clients whose participation overlaps the year, by group kind and
by the client's home municipality; the social rehabilitation figure is in the yearly
report."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories

from silta.clients.services import client_move
from silta.groups import figures
from silta.groups.models import Participant
from silta.reporting import yearly

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def data(region):
    rehab = factories.group_world(region["272"], capacity=10, start=D(2022, 1, 1))
    low = factories.group_world(
        region["217"], capacity=10, start=D(2022, 1, 1), kind="low_threshold_activity"
    )
    a, b, c, d = rehab["clients"]
    e = low["clients"][0]
    # d moved from Kokkola to Kannus in mid-2022
    client_move(actor=None, client=d, municipality=region["217"], moved_on=D(2022, 6, 1))

    def join(world, client, start, end=None, group="group"):  # type: ignore[no-untyped-def]
        Participant.objects.create(group=world[group], client=client, joined_on=start, left_on=end)

    join(rehab, a, D(2022, 3, 1), D(2022, 12, 31))  # 2022 only: not 2023
    join(rehab, b, D(2022, 10, 1), D(2023, 1, 1))  # the last day of 2022 and first of 2023
    join(rehab, b, D(2023, 5, 1), D(2023, 8, 31))  # again in 2023: counted once
    join(rehab, c, D(2023, 12, 31))  # still running
    join(rehab, d, D(2023, 2, 1), D(2023, 3, 1))
    join(rehab, a, D(2024, 1, 1), D(2024, 2, 1), group="other_group")  # 2024 only
    join(low, e, D(2023, 4, 1), D(2023, 6, 30))
    join(low, b, D(2023, 9, 1), D(2023, 10, 1))  # b also in a low-threshold group
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_participants_of_a_year_by_kind(data) -> None:
    assert figures.participants(2022) == 2  # a, b
    assert figures.participants(2023) == 3  # b, c, d
    assert figures.participants(2024) == 2  # a (other group), c
    assert figures.participants(2023, "low_threshold_activity") == 2  # e, b
    assert figures.participants_by_kind(2023) == {
        "social_rehabilitation": 3,
        "low_threshold_activity": 2,
    }
    assert figures.participants_by_kind(2021) == {
        "social_rehabilitation": 0,
        "low_threshold_activity": 0,
    }


def test_participants_by_home_municipality_on_the_first_day(data) -> None:
    # d lived in Kannus by 2023; e lives in Kannus; b and c in Kokkola
    assert figures.participants_by_municipality(2023) == {
        "217": {"social_rehabilitation": 1, "low_threshold_activity": 1},
        "272": {"social_rehabilitation": 2, "low_threshold_activity": 1},
    }
    assert figures.participants_by_municipality(2022, "social_rehabilitation") == {
        "272": {"social_rehabilitation": 2}
    }


def test_the_social_rehabilitation_figure_is_in_the_yearly_report(data) -> None:
    values = yearly.year_figures(2023)
    assert values["social_rehabilitation_group_participants"] == 3
    keys = [f.key for f in yearly.figures()]
    assert "social_rehabilitation_group_participants" in keys


def test_participants_of_any_period(data) -> None:
    # a whole year is the year's count
    for year in (2022, 2023, 2024):
        assert figures.participants_between(D(year, 1, 1), D(year, 12, 31)) == (
            figures.participants(year)
        )
    # January–October 2023: b (1.1. and May–August) and d; c joins on 31.12.
    assert figures.participants_between(D(2023, 1, 1), D(2023, 10, 31)) == 2
    assert (
        figures.participants_between(D(2023, 1, 1), D(2023, 10, 31), "low_threshold_activity") == 2
    )
    # 2.1.–31.1.2023: b left on 1.1., d joins in February
    assert figures.participants_between(D(2023, 1, 2), D(2023, 1, 31)) == 0
    # the last day of 2023 alone: c
    assert figures.participants_between(D(2023, 12, 31), D(2023, 12, 31)) == 1
