"""The group cast: Soite's social worker organises a weekly group (Tuesdays, capacity 3)
led by an association's staff member; four clients; a colleague of the leader who is
not named leader and another association's leader of its own group."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories

from silta.core import dates
from silta.groups.models import GroupSession


def last_tuesday(weeks_back: int = 1) -> dt.date:
    """The latest Tuesday before today (``weeks_back`` > 1: that many weeks earlier)."""
    today = dates.today()
    back = (today.weekday() - 1) % 7 or 7
    return today - dt.timedelta(days=back + 7 * (weeks_back - 1))


@pytest.fixture
def world(region):
    return factories.group_world(region["272"])


@pytest.fixture
def session(world) -> GroupSession:
    """A past session of the group (last week's Tuesday or earlier)."""
    return GroupSession.objects.create(
        group=world["group"],
        date=last_tuesday(),
        start_time=dt.time(10, 0),
        duration_minutes=120,
        place="Toimintakeskus",
    )
