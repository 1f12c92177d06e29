"""Issue 13: forms that show a client write one access-log row; a provider keeps its own
records of an ended placement but no longer sees the client's contacts or plan goals;
the new-placement form opens only a client the organiser's organisation works with."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import AccessLog
from silta.core import dates

NOW = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dates.HELSINKI)
AFTER = dt.datetime(2026, 2, 2, 12, 0, tzinfo=dates.HELSINKI)


@pytest.fixture
def world(region):
    with time_machine.travel(NOW, tick=False):
        w = factories.rehab_world(region["272"])
        w["client"].phone = "+358 40 000 1234"
        w["client"].save()
        yield w


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


def _latest() -> AccessLog:
    log = AccessLog.objects.order_by("-at", "-id").first()
    assert log is not None
    return log


@pytest.mark.django_db
def test_the_new_placement_form_logs_the_read(world) -> None:
    with time_machine.travel(NOW, tick=False):
        c = world["client"]
        before = AccessLog.objects.count()
        page = _http(world["worker"]).get(f"/rehab/clients/{c.pk}/placements/new/")
        assert page.status_code == 200 and "Hakala" in page.content.decode()
        assert AccessLog.objects.count() == before + 1
        log = _latest()
        assert log.section == "rehab_placement:new_form"
        assert list(log.subjects.values_list("client_id", flat=True)) == [c.pk]


@pytest.mark.django_db
def test_the_new_placement_form_is_404_for_a_client_not_worked_with(world, region) -> None:
    with time_machine.travel(NOW, tick=False):
        stranger = factories.client(region["272"], last_name="Vieras")
        other = factories.staff(Role.SOCIAL_WORKER, factories.OrganisationFactory())
        assert (
            _http(world["worker"]).get(f"/rehab/clients/{stranger.pk}/placements/new/").status_code
            == 404
        )
        url = f"/rehab/clients/{world['client'].pk}/placements/new/"
        assert _http(other).get(url).status_code == 404


@pytest.mark.django_db
def test_the_end_form_logs_the_read(world) -> None:
    with time_machine.travel(NOW, tick=False):
        p = world["placement"]
        before = AccessLog.objects.count()
        page = _http(world["worker"]).get(f"/rehab/placements/{p.pk}/end/")
        assert page.status_code == 200 and "Hakala" in page.content.decode()
        assert AccessLog.objects.count() == before + 1
        assert _latest().section == "rehab_placement:form"


@pytest.mark.django_db
def test_an_ended_placement_keeps_the_providers_records_not_the_clients_data(world) -> None:
    p = world["placement"]
    with time_machine.travel(NOW, tick=False):
        body = _http(world["a"]["staff"]).get(f"/rehab/placements/{p.pk}/").content.decode()
        assert "+358 40 000 1234" in body and "Päivärytmi" in body
    # the placement ended on 31 December 2025
    with time_machine.travel(AFTER, tick=False):
        page = _http(world["a"]["staff"]).get(f"/rehab/placements/{p.pk}/")
        assert page.status_code == 200  # the provider's own records stay readable
        body = page.content.decode()
        assert "Hakala" in body
        assert "+358 40 000 1234" not in body and "Päivärytmi" not in body
        assert _latest().section == "rehab_placement:name,attendance"
        # the organiser still sees it all
        body = _http(world["worker"]).get(f"/rehab/placements/{p.pk}/").content.decode()
        assert "Päivärytmi" in body
