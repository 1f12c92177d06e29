"""The work ability network's figures for `silta report year` and `report period`:
a whole year by either is the same, and a period counts held meetings, their agenda's
clients and referrals sent within its days (Helsinki time) only."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.core import dates
from silta.governance.figures import YEARLY_FIGURES
from silta.governance.models import AgendaItem, Meeting, MeetingStatus, NetworkCase

pytestmark = pytest.mark.django_db

D = dt.date


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dates.HELSINKI)


@pytest.fixture
def network_rows(world):
    network, soite = world["network"], world["soite"]
    case = NetworkCase.objects.create(
        client=world["client"],
        network=network,
        from_organisation=soite,
        referred_at=at(2023, 3, 31, 23, 59),
        reason="Työkyky epäselvä",
    )
    NetworkCase.objects.create(
        client=world["client"],
        network=network,
        from_organisation=soite,
        referred_at=at(2023, 4, 1),
        reason="Uusi lähete",
    )
    march = Meeting.objects.create(body=network, held_on=D(2023, 3, 31), status=MeetingStatus.HELD)
    AgendaItem.objects.create(meeting=march, number=1, title="Asiakas", network_case=case)
    Meeting.objects.create(body=network, held_on=D(2023, 4, 1), status=MeetingStatus.HELD)


def test_figures_of_a_period_and_of_its_year(network_rows) -> None:
    figures = {f.key: f for f in YEARLY_FIGURES}
    for key, figure in figures.items():
        assert figure.compute_period(D(2023, 1, 1), D(2023, 12, 31)) == figure.compute(2023), key
    q1 = {k: f.compute_period(D(2023, 1, 1), D(2023, 3, 31)) for k, f in figures.items()}
    assert q1 == {"network_clients": 1, "network_new_referrals": 1, "network_meetings": 1}
    april = {k: f.compute_period(D(2023, 4, 1), D(2023, 4, 30)) for k, f in figures.items()}
    assert april == {"network_clients": 0, "network_new_referrals": 1, "network_meetings": 1}
