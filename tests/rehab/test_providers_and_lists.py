"""Providers (business ID validated by python-stdnum), placements' own rules, the
Kela expense-allowance list and the state reimbursement list, and the alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import OrganisationKind
from silta.audit.models import AccessLog, ChangeLog
from silta.core import dates
from silta.funding.models import BenefitPayment
from silta.rehab import selectors, services
from silta.rehab.attendance import DayEntry
from silta.rehab.errors import RehabError as E
from silta.rehab.models import Provider

T = dates.HELSINKI


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=T), tick=False
    )


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errs in exc.error_dict.values() for e in errs}  # type: ignore[misc]


@pytest.fixture
def world(region):
    with at(dt.date(2025, 1, 10)):
        return factories.rehab_world(region["272"], start=dt.date(2025, 1, 6))


@pytest.mark.django_db
def test_business_id_is_validated_and_normalised(world) -> None:
    with at(dt.date(2025, 1, 10)):
        org = factories.OrganisationFactory(kind=OrganisationKind.PARISH_ASSOCIATION)
        with pytest.raises(ValidationError) as caught:
            services.provider_register(
                actor=world["worker"], organisation=org, business_id="1234567-8"
            )
        assert E.BUSINESS_ID in _codes(caught.value)
        good = factories.business_id()
        provider = services.provider_register(
            actor=world["worker"], organisation=org, business_id=good.replace("-", "")
        )
        assert provider.business_id == good
        assert ChangeLog.objects.filter(
            event="rehab_provider.registered", target_id=str(provider.pk)
        ).exists()
        # provider staff cannot register providers
        with pytest.raises(PermissionDenied):
            services.provider_register(
                actor=world["a"]["staff"],
                organisation=factories.OrganisationFactory(kind=OrganisationKind.SERVICE_PROVIDER),
                business_id=factories.business_id(),
            )
        assert Provider.objects.count() == 3


@pytest.mark.django_db
def test_placement_rules(world) -> None:
    a = world["a"]
    with at(dt.date(2025, 1, 10)):
        base = {
            "actor": world["worker"],
            "client": world["client"],
            "provider": a["provider"],
            "work_site": world["b"]["site"],
            "contract": a["contract"],
            "plan": None,
            "start_on": dt.date(2025, 3, 1),
            "planned_end_on": dt.date(2028, 3, 1),
            "days_per_week": 5,
            "hours_per_day": Decimal(9),
        }
        with pytest.raises(ValidationError) as caught:
            services.placement_create(**base)  # type: ignore[arg-type]
        assert _codes(caught.value) >= {
            E.SITE_OF_OTHER_PROVIDER,
            E.PLAN_REQUIRED,
            E.DAYS_PER_WEEK,
            E.HOURS_PER_DAY,
            E.DATES_ORDER,
        }
        # the client already has a placement in 2025
        with pytest.raises(ValidationError) as caught:
            services.placement_create(
                **base
                | {
                    "work_site": a["site"],
                    "plan": world["plan"],
                    "planned_end_on": dt.date(2025, 9, 1),
                    "days_per_week": 3,
                    "hours_per_day": Decimal(6),
                }
            )  # type: ignore[arg-type]
        assert _codes(caught.value) == {E.OVERLAPPING}


@pytest.mark.django_db
def test_kela_and_state_lists(world) -> None:
    staff, worker, placement, c = (
        world["a"]["staff"],
        world["worker"],
        world["placement"],
        world["client"],
    )
    with at(dt.date(2025, 3, 3)):
        # given 4 days a week in the first two February weeks
        for monday in (dt.date(2025, 2, 3), dt.date(2025, 2, 10)):
            services.attendance_record(
                actor=staff,
                placement=placement,
                entries=[
                    DayEntry(monday + dt.timedelta(days=i), True, Decimal(6)) for i in range(4)
                ],
            )
        # and a Kela payment on basis "service" covering only the first week
        BenefitPayment.objects.create(
            person_id=c.personal_id,
            client=c,
            municipality_code="272",
            benefit="LMS",
            basis="service",
            period_start=dt.date(2025, 1, 13),
            period_end=dt.date(2025, 2, 9),
            paid_days=20,
            amount_eur=Decimal("700.00"),
            payment_date=dt.date(2025, 2, 12),
        )
        kela = selectors.kela_list_for(actor=worker, month=dt.date(2025, 2, 1), path="/x")
        # then only the days on unemployment benefit entitle to the 9 € allowance
        assert [(r.days, r.eligible_days, r.amount) for r in kela.rows] == [
            (8, 4, Decimal("36.00"))
        ]
        assert kela.verified is True
        state = selectors.state_list_for(actor=worker, month=dt.date(2025, 2, 1), path="/y")
        assert [(r.days, r.amount) for r in state.rows] == [(8, Decimal("80.72"))]
        assert state.verified is False  # the rate is marked to verify
        assert [a.section for a in AccessLog.objects.order_by("at", "id")] == [
            "rehab_kela_list:2025-02",
            "rehab_state_list:2025-02",
        ]
        # the pages: Soite sees them, provider staff do not
        http = HttpClient()
        http.force_login(worker)
        page = http.get("/rehab/lists/state/?month=2025-02")
        assert page.status_code == 200 and c.personal_id in page.content.decode()
        csv_body = http.get("/rehab/lists/kela/?month=2025-02&format=csv").content.decode()
        assert csv_body.splitlines()[1].endswith(",8,4,9.00,36.00,0,0,0,4")
        own = HttpClient()
        own.force_login(staff)
        assert own.get("/rehab/lists/kela/").status_code == 403


@pytest.mark.django_db
def test_alerts_for_plan_review_and_missing_attendance(region) -> None:
    with at(dt.date(2023, 1, 10)):
        w = factories.rehab_world(region["272"], start=dt.date(2023, 1, 9))
        placement = w["placement"]
        placement.planned_end_on = dt.date(2025, 1, 8)
        placement.save()
        services.attendance_record(
            actor=w["a"]["staff"],
            placement=placement,
            entries=[DayEntry(dt.date(2023, 1, 10), True, Decimal(6))],
        )
    with at(dt.date(2024, 12, 20)):
        data = selectors.placements_for(actor=w["worker"], path="/rehab/")
        kinds = {(a.kind, a.since) for a in data.alerts}
        assert kinds == {
            ("plan_review", dt.date(2025, 1, 9)),
            ("no_attendance", dt.date(2023, 1, 10)),
        }
        body = HttpClient()
        body.force_login(w["worker"])
        html = body.get("/rehab/").content.decode()
        assert "review the plan" in html or "suunnitelma" in html


@pytest.mark.django_db
def test_yearly_participants(world) -> None:
    assert selectors.rehab_participants(2025) == 1
    assert selectors.rehab_participants(2024) == 0


@pytest.mark.django_db
def test_participants_of_any_period(world) -> None:
    # the placement runs from 6.1.2025, planned to end 31.12.2025
    between = selectors.rehab_participants_between
    assert between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == selectors.rehab_participants(2025)
    assert between(dt.date(2025, 1, 1), dt.date(2025, 1, 5)) == 0
    assert between(dt.date(2025, 1, 6), dt.date(2025, 1, 6)) == 1
    assert between(dt.date(2025, 12, 31), dt.date(2026, 1, 31)) == 1
    assert between(dt.date(2026, 1, 1), dt.date(2026, 1, 31)) == 0
    # once ended (on 31.10.2025), the end day counts and the planned one no longer does
    placement = world["placement"]
    placement.ended_on = dt.date(2025, 10, 31)
    placement.save()
    assert between(dt.date(2025, 10, 31), dt.date(2025, 11, 30)) == 1
    assert between(dt.date(2025, 11, 1), dt.date(2025, 11, 30)) == 0


@pytest.mark.django_db
def test_soite_pages_register_provider_contract_and_placement(world, region) -> None:
    from silta.casework.services import plan_create
    from silta.clients.services import relationship_open
    from silta.rehab.models import Contract, Placement, ProviderContact, WorkSite

    worker = world["worker"]
    worker.language = "en"
    worker.save()
    http = HttpClient()
    http.force_login(worker)
    with at(dt.date(2025, 2, 3)):
        org = factories.OrganisationFactory(
            kind=OrganisationKind.SERVICE_PROVIDER, name_fi="Uusi ry"
        )
        assert http.get("/rehab/providers/new/").status_code == 200
        bad = http.post(
            "/rehab/providers/new/", {"organisation": str(org.pk), "business_id": "123"}
        )
        assert bad.status_code == 400 and "is not a valid business ID" in bad.content.decode()
        bid = factories.business_id()
        response = http.post(
            "/rehab/providers/new/", {"organisation": str(org.pk), "business_id": bid}
        )
        assert response.status_code == 302
        provider = Provider.objects.get(organisation=org)
        base = f"/rehab/providers/{provider.pk}"
        assert http.get(f"{base}/").status_code == 200
        assert (
            http.post(
                f"{base}/contacts/new/", {"name": "Liisa Ohjaaja", "phone": "040 1"}
            ).status_code
            == 302
        )
        assert (
            http.post(
                f"{base}/sites/new/", {"name": "Paja", "municipality": str(region["217"].pk)}
            ).status_code
            == 302
        )
        response = http.post(
            f"{base}/contracts/new/",
            {
                "reference": "SOITE-UUSI-1",
                "valid_from": "2025-01-01",
                "price_per_day": "27.50",
                "outcome_fee": "500",
                "qualifying_transitions": ["open_market_job"],
                "max_places": "5",
            },
        )
        assert response.status_code == 302
        contract = Contract.objects.get(provider=provider)
        assert ProviderContact.objects.filter(provider=provider).count() == 1
        site = WorkSite.objects.get(provider=provider)
        revise = f"/rehab/contracts/{contract.pk}/revise/"
        assert http.get(revise).status_code == 200
        response = http.post(
            revise,
            {
                "effective_from": "2025-01-01",
                "price_per_day": "28.00",
                "outcome_fee": "500",
                "qualifying_transitions": ["open_market_job", "work_trial"],
                "max_places": "6",
                "version": "1",
            },
        )
        assert response.status_code == 302
        assert contract.versions.get().price_per_day == Decimal("28.00")
        # a new client with an activation plan gets a placement through the page
        c = factories.client(region["217"], last_name="Niemi", first_names="Ella")
        relationship_open(
            actor=None,
            client=c,
            organisation=world["soite"],
            kind="social_work",
            valid_from=dt.date(2025, 1, 1),
        )
        plan = plan_create(
            actor=worker,
            client=c,
            kind="activation",
            goals="Kuntoutuminen",
            actions="",
            next_review_on=dt.date(2025, 8, 1),
        )
        url = f"/rehab/clients/{c.pk}/placements/new/"
        assert http.get(url).status_code == 200
        data = {
            "work_site": str(site.pk),
            "contract": str(contract.pk),
            "plan": str(plan.pk),
            "start_on": "2025-02-10",
            "planned_end_on": "2025-08-09",
            "days_per_week": "3",
            "hours_per_day": "6",
        }
        assert http.post(url, data | {"hours_per_day": "9"}).status_code == 400
        response = http.post(url, data)
        assert response.status_code == 302
        placement = Placement.objects.get(client=c)
        assert placement.plan == plan and placement.organiser == world["soite"]
        assert http.get(f"/rehab/placements/{placement.pk}/end/").status_code == 200
        # another client outside the worker's relationships answers 404
        stranger = factories.client(region["217"], last_name="Vieras")
        assert http.get(f"/rehab/clients/{stranger.pk}/placements/new/").status_code == 404
