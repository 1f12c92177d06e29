"""Registry upkeep (issue 16): add, correct, move, death — page, API and attackers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import ChangeLog, SecurityEvent
from silta.casework.models import Referral, ReferralStatus
from silta.clients.models import Client, HomeMunicipality, UnemploymentSpell
from silta.clients.registry import (
    client_mark_deceased,
    client_move_home,
    municipality_on,
)
from silta.core import dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(region):
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    other = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    worker = factories.staff(Role.CASE_WORKER, employment)
    stranger = factories.staff(Role.CASE_WORKER, other)
    nurse = factories.staff(Role.HEALTH_PROFESSIONAL, employment)
    c = factories.client(region["272"], organisation=employment)
    return {
        "employment": employment,
        "worker": worker,
        "stranger": stranger,
        "nurse": nurse,
        "client": c,
        "region": region,
    }


def _add_data(region, personal_id: str, **over: object) -> dict[str, object]:
    data = {
        "personal_id": personal_id,
        "last_name": "Niemi",
        "first_names": "Liisa",
        "language": "fi",
        "phone": "",
        "email": "",
        "occupational_health_care": "no",
        "home_municipality": str(region["272"].pk),
        "home_since": "2020-01-01",
    }
    data.update(over)
    return data


def test_add_a_client_opens_the_relationship(client, world) -> None:
    client.force_login(world["worker"])
    code = factories.synthetic_hetu()
    r = client.post(reverse("client-add"), _add_data(world["region"], code))
    assert r.status_code == 302
    added = Client.objects.get(personal_id=code)
    assert added.occupational_health_care is False
    assert r["Location"] == reverse("client-detail", args=[added.pk])
    assert client.get(r["Location"]).status_code == 200


def test_duplicate_code_links_to_the_visible_client(client, world) -> None:
    client.force_login(world["worker"])
    r = client.post(reverse("client-add"), _add_data(world["region"], world["client"].personal_id))
    assert r.status_code == 400
    assert reverse("client-detail", args=[world["client"].pk]) in r.content.decode()
    assert Client.objects.count() == 1


def test_duplicate_code_of_a_hidden_client_says_nothing_about_them(client, world) -> None:
    client.force_login(world["stranger"])
    r = client.post(reverse("client-add"), _add_data(world["region"], world["client"].personal_id))
    body = r.content.decode()
    assert r.status_code == 400
    assert str(world["client"].pk) not in body
    assert world["client"].last_name not in body
    assert Client.objects.count() == 1
    assert SecurityEvent.objects.filter(kind="client_access_refused").exists()


def test_bad_identity_code_is_refused_next_to_the_field(client, world) -> None:
    client.force_login(world["worker"])
    r = client.post(reverse("client-add"), _add_data(world["region"], "131052-308X"))
    assert r.status_code == 400
    assert "personal_id" in r.context["form"].errors
    assert Client.objects.count() == 1


def test_a_health_professional_may_not_add_clients(client, world) -> None:
    client.force_login(world["nurse"])
    r = client.post(reverse("client-add"), _add_data(world["region"], factories.synthetic_hetu()))
    assert r.status_code == 403
    assert Client.objects.count() == 1


def test_correction_keeps_the_old_values_and_a_stale_page_is_refused(client, world) -> None:
    c = world["client"]
    client.force_login(world["worker"])
    url = reverse("client-correct", args=[c.pk])
    data = {
        "personal_id": c.personal_id,
        "last_name": "Korhonen-Niemi",
        "first_names": c.first_names,
        "language": "sv",
        "phone": "",
        "email": "",
        "occupational_health_care": "",
        "version": c.version,
    }
    assert client.post(url, data).status_code == 302
    c.refresh_from_db()
    assert c.last_name == "Korhonen-Niemi" and c.language == "sv"
    row = ChangeLog.objects.get(event="client.corrected", target_id=str(c.pk))
    assert row.changes["last_name"] == ["Korhonen", "Korhonen-Niemi"]
    # the same form again (the old version): refused, nothing written
    data["last_name"] = "Toinen"
    r = client.post(url, data)
    assert r.status_code == 409
    c.refresh_from_db()
    assert c.last_name == "Korhonen-Niemi"


def test_another_organisation_cannot_correct_or_move(client, world) -> None:
    c = world["client"]
    client.force_login(world["stranger"])
    for name in ("client-correct", "client-move", "client-deceased"):
        assert client.get(reverse(name, args=[c.pk])).status_code == 404
    r = client.post(
        reverse("client-move", args=[c.pk]),
        {"municipality": str(world["region"]["074"].pk), "moved_on": "2024-01-01", "version": 1},
    )
    assert r.status_code == 404
    c.refresh_from_db()
    assert c.home_municipality.code == "272"


def test_move_keeps_history_and_the_municipality_on_any_date(client, world) -> None:
    c = world["client"]
    client.force_login(world["worker"])
    r = client.post(
        reverse("client-move", args=[c.pk]),
        {"municipality": str(world["region"]["074"].pk), "moved_on": "2024-03-01", "version": 1},
    )
    assert r.status_code == 302
    assert HomeMunicipality.objects.filter(client=c).count() == 2
    assert municipality_on([c.personal_id], dt.date(2024, 2, 29)) == {c.personal_id: "272"}
    assert municipality_on([c.personal_id], dt.date(2024, 3, 1)) == {c.personal_id: "074"}


@pytest.mark.parametrize("moved_on", ["1980-01-01", "2099-01-01"])
def test_move_before_birth_or_in_the_future_writes_nothing(client, world, moved_on) -> None:
    c = world["client"]
    client.force_login(world["worker"])
    r = client.post(
        reverse("client-move", args=[c.pk]),
        {"municipality": str(world["region"]["074"].pk), "moved_on": moved_on, "version": 1},
    )
    assert r.status_code == 400
    assert "moved_on" in r.context["form"].errors
    assert HomeMunicipality.objects.filter(client=c).count() == 1
    assert not ChangeLog.objects.filter(event="client.moved").exists()


def test_future_move_by_service_is_refused(world) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        client_move_home(
            actor=world["worker"],
            client=world["client"],
            version=1,
            municipality=world["region"]["074"],
            moved_on=dates.today() + dt.timedelta(days=1),
        )
    assert "moved_on" in exc.value.message_dict


def test_death_closes_open_work_and_keeps_records(world) -> None:
    c = world["client"]
    health = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    svc = factories.service(health, "health_check")
    referral = Referral.objects.create(
        client=c,
        service=svc,
        from_organisation=world["employment"],
        to_organisation=health,
        sent_at=dates.now(),
        reason="x",
    )
    UnemploymentSpell.objects.create(client=c, start=dt.date(2021, 1, 1))
    died = dates.today() - dt.timedelta(days=3)
    done, closed = client_mark_deceased(
        actor=world["worker"], client=c, version=c.version, died_on=died
    )
    assert done.deceased_on == died
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    assert closed.referrals == 1 and closed.spells == 1
    assert UnemploymentSpell.objects.get(client=c).end == died
    assert Client.objects.filter(pk=c.pk).exists()


def test_api_adds_and_refuses_the_duplicate_without_revealing(client, world) -> None:
    client.force_login(world["worker"])
    code = factories.synthetic_hetu()
    body = {
        "personal_id": code,
        "last_name": "Niemi",
        "first_names": "Liisa",
        "home_municipality_code": "272",
        "home_since": "2020-01-01",
    }
    r = client.post("/api/v1/registry/clients", body, content_type="application/json")
    assert r.status_code == 201, r.content
    client.force_login(world["stranger"])
    r = client.post("/api/v1/registry/clients", body, content_type="application/json")
    assert r.status_code == 409
    assert r.json().get("client_id") is None
    assert r.json()["code"] == "clients.not_added"


def test_api_move_by_another_organisation_is_404(client, world) -> None:
    client.force_login(world["stranger"])
    r = client.post(
        f"/api/v1/registry/clients/{world['client'].pk}/moves",
        {"version": 1, "municipality_code": "074", "moved_on": "2024-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 404
    client.force_login(world["worker"])
    r = client.post(
        f"/api/v1/registry/clients/{world['client'].pk}/moves",
        {"version": 1, "municipality_code": "074", "moved_on": "1950-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "clients.move_before_birth"
