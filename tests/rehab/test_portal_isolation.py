"""Provider portal: provider staff see only their own organisation's placements and the
minimum the placement needs; another provider cannot see or guess them (404, by page
and by API); every read writes exactly one access-log row."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient
from tests import factories

from silta.audit.models import AccessLog, AccessLogSubject
from silta.core import dates
from silta.rehab.models import Attendance

NOW = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dates.HELSINKI)


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


@pytest.mark.django_db
def test_provider_staff_see_their_placement_with_the_minimum_data(world) -> None:
    with time_machine.travel(NOW, tick=False):
        c, placement = world["client"], world["placement"]
        http = _http(world["a"]["staff"])
        # when provider A's staff open the portal and the placement
        listing = http.get("/rehab/")
        page = http.get(f"/rehab/placements/{placement.pk}/")
        # then they see the name, contacts and plan goals, but not the identity code
        assert listing.status_code == 200 and page.status_code == 200
        body = page.content.decode()
        assert "Hakala, Eino Olavi" in listing.content.decode()
        assert "Päivärytmi ja työelämätaidot." in body and "+358 40 000 1234" in body
        assert c.personal_id not in body and c.personal_id not in listing.content.decode()
        # and each read wrote exactly one access row naming the client and the basis
        rows = list(AccessLog.objects.order_by("at", "id"))
        assert [r.section for r in rows] == [
            "rehab_placements:active",
            "rehab_placement:name,contacts,plan_goals,attendance",
        ]
        assert {r.basis for r in rows} == {"client_relationship:placement"}
        assert all(r.organisation_id == world["a"]["org"].pk for r in rows)
        assert list(AccessLogSubject.objects.values_list("client_id", flat=True)) == [c.pk, c.pk]


@pytest.mark.django_db
def test_another_provider_cannot_see_or_guess_the_placement(world) -> None:
    with time_machine.travel(NOW, tick=False):
        placement, c = world["placement"], world["client"]
        http = _http(world["b"]["staff"])
        # the list of provider B does not show A's placement
        listing = http.get("/rehab/?status=all")
        assert listing.status_code == 200
        assert c.last_name not in listing.content.decode()
        # and every page or API address of the placement answers 404, like a random id
        for pid in (placement.pk, "7f0e8a52-0000-4000-8000-000000000001"):
            for url in (
                f"/rehab/placements/{pid}/",
                f"/api/v1/rehab/placements/{pid}",
                f"/api/v1/rehab/placements/{pid}/attendance",
            ):
                assert http.get(url).status_code == 404, url
            assert http.post(f"/rehab/placements/{pid}/attendance/", {}).status_code == 404
            response = http.post(
                f"/api/v1/rehab/placements/{pid}/attendance",
                {"days": [{"day": "2025-03-03", "status": "present", "hours": "6"}]},
                content_type="application/json",
            )
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"
        assert not Attendance.objects.exists()
        # nor does B see A's statement
        a_provider = world["a"]["provider"]
        assert http.get(f"/rehab/providers/{a_provider.pk}/statements/2025-03/").status_code == 404
        assert (
            http.get(f"/api/v1/rehab/providers/{a_provider.pk}/statements/2025-03").status_code
            == 404
        )
        # and nothing about the client was logged as read by B
        assert not AccessLogSubject.objects.filter(client_id=c.pk).exists()


@pytest.mark.django_db
def test_api_lists_only_own_placements_and_records_attendance(world) -> None:
    with time_machine.travel(NOW, tick=False):
        placement = world["placement"]
        a = _http(world["a"]["staff"])
        b = _http(world["b"]["staff"])
        assert [p["id"] for p in a.get("/api/v1/rehab/placements").json()] == [str(placement.pk)]
        assert b.get("/api/v1/rehab/placements").json() == []
        # when A records a day through the API
        url = f"/api/v1/rehab/placements/{placement.pk}/attendance"
        ok = a.post(
            url,
            {"days": [{"day": "2025-03-03", "status": "present", "hours": "6"}]},
            content_type="application/json",
        )
        assert ok.status_code == 200 and ok.json() == {"saved": 1}
        # then a bad day is refused with the day's rule code and nothing saved
        bad = a.post(
            url,
            {"days": [{"day": "2025-03-04", "status": "present", "hours": "9"}]},
            content_type="application/json",
        )
        assert bad.status_code == 400
        assert bad.json()["code"] == "rehab.attendance.hours_per_day"
        assert bad.json()["fields"]["2025-03-04"][0]["message"].startswith("4.3.2025:")
        assert Attendance.objects.count() == 1
        week = a.get(f"{url}?week=2025-03-03").json()
        assert [d["day"] for d in week] == ["2025-03-03"]


@pytest.mark.django_db
def test_soite_sees_its_placements_with_identity_and_other_staff_see_nothing(world, region) -> None:
    from silta.accounts.roles import OrganisationKind, Role

    with time_machine.travel(NOW, tick=False):
        placement, c = world["placement"], world["client"]
        page = _http(world["worker"]).get(f"/rehab/placements/{placement.pk}/")
        assert page.status_code == 200 and c.personal_id in page.content.decode()
        assert AccessLog.objects.get().basis == "task:rehab_organiser"
        # a social worker of another Soite unit, or a case worker, gets nothing
        other = factories.staff(
            Role.SOCIAL_WORKER,
            factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT),
        )
        assert _http(other).get(f"/rehab/placements/{placement.pk}/").status_code == 404
        worker = factories.staff(Role.CASE_WORKER, factories.OrganisationFactory())
        assert _http(worker).get(f"/rehab/placements/{placement.pk}/").status_code == 403
        assert _http(worker).get("/rehab/").status_code == 403
