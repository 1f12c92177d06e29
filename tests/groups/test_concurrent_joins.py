"""Two joins for the last place at the same moment: the group's row lock lets one
through and refuses the other (PostgreSQL; SQLite serialises writers anyway)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from tests import factories

from silta.core import dates
from silta.groups.models import Participant
from silta.groups.services import participant_add

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_joins_cannot_exceed_the_capacity(region) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    world = factories.group_world(region["272"], capacity=1)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def join(client) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            participant_add(
                actor=world["organiser"], intake_met_on=dates.today(), intake_in_person=True, group=world["group"], client=client,
                joined_on=world["start"],
            )  # fmt: skip
            results.append("joined")
        except ValidationError as exc:
            results.append(str(exc.error_dict["joined_on"][0].code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join, args=(c,)) for c in world["clients"][:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["groups.capacity_full", "joined"]
    assert Participant.objects.filter(group=world["group"]).count() == 1
