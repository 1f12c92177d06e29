"""Fees only for facts (issue 15): a recorded transition of a kind the contract
version names, started on or before today, within the window, confirmed by the
organiser; one fee per placement; a corrected transition reverses the fee. The page
says why no fee is due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.core import dates
from silta.rehab import services
from silta.rehab.errors import RehabError as E
from silta.rehab.models import FeeClaim, OutcomeFee, Placement

T = dates.HELSINKI


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=T), tick=False
    )


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errs in exc.error_dict.values() for e in errs}  # type: ignore[misc]


@pytest.fixture
def world(region):
    with at(dt.date(2025, 1, 6)):
        w = factories.rehab_world(region["272"], start=dt.date(2025, 1, 6))
    for user in (w["worker"], w["a"]["staff"]):
        user.language = "en"  # the pages' messages are asserted in English
        user.save()
    return w


def _end(world, kind: str, on: dt.date) -> Placement:  # type: ignore[no-untyped-def]
    p = world["placement"]
    services.placement_end(
        actor=world["worker"],
        placement=p,
        version=p.version,
        ended_on=dt.date(2025, 6, 13),
        reason="transition",
        outcome_kind=kind,
        outcome_on=on,
    )
    p.refresh_from_db()
    return p


@pytest.mark.django_db
def test_a_future_or_unconfirmed_transition_gets_no_fee_and_the_page_says_why(world) -> None:
    staff, worker = world["a"]["staff"], world["worker"]
    with at(dt.date(2025, 6, 16)):
        # the job starts tomorrow
        p = _end(world, "open_market_job", dt.date(2025, 6, 17))
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=p)
        assert E.FEE_OUTCOME_FUTURE in _codes(caught.value)
        # it cannot be confirmed before it starts either
        with pytest.raises(ValidationError) as caught:
            services.placement_outcome_confirm(actor=worker, placement=p, version=p.version)
        assert E.FEE_OUTCOME_FUTURE in _codes(caught.value)
        page = HttpClient()
        page.force_login(staff)
        html = page.get(f"/rehab/placements/{p.pk}/").content.decode()
        assert 'data-fee="not-due"' in html and "17.6.2025, in the future" in html
    with at(dt.date(2025, 6, 18)):
        # started, but not confirmed: still no fee, with that reason
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=p)
        assert _codes(caught.value) == {E.FEE_NOT_CONFIRMED}
        page.force_login(staff)  # a new day, a new session
        html = page.get(f"/rehab/placements/{p.pk}/").content.decode()
        assert "has not confirmed" in html
        # the provider cannot confirm its own fee's facts
        with pytest.raises(PermissionDenied):
            services.placement_outcome_confirm(actor=staff, placement=p, version=p.version)
        soite = HttpClient()
        soite.force_login(worker)
        assert (
            "Confirm that the transition started"
            in soite.get(f"/rehab/placements/{p.pk}/").content.decode()
        )
        confirmed = soite.post(f"/rehab/placements/{p.pk}/outcome/confirm/", {"version": p.version})
        assert confirmed.status_code == 302
        p.refresh_from_db()
        assert p.outcome_confirmed_at is not None and p.outcome_confirmed_by == worker
        assert 'data-fee="due"' in page.get(f"/rehab/placements/{p.pk}/").content.decode()
        claim = services.fee_claim_create(actor=staff, placement=p)
        services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
        assert OutcomeFee.objects.get().facts["confirmed_at"]


@pytest.mark.django_db
def test_bad_transitions_are_refused_and_nothing_is_written(world) -> None:
    staff, worker, p = world["a"]["staff"], world["worker"], world["placement"]
    with at(dt.date(2025, 6, 20)):
        # no outcome: the placement has not ended, then ended without a transition
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=p)
        assert E.FEE_PLACEMENT_ACTIVE in _codes(caught.value)
        # a transition dated before the placement's end is refused
        with pytest.raises(ValidationError) as caught:
            services.placement_end(
                actor=worker,
                placement=p,
                version=p.version,
                ended_on=dt.date(2025, 6, 13),
                reason="transition",
                outcome_kind="open_market_job",
                outcome_on=dt.date(2025, 6, 12),
            )
        assert E.OUTCOME_BEFORE_END in _codes(caught.value)
        p.refresh_from_db()
        assert p.ended_on is None and p.version == 1
        services.placement_end(
            actor=worker,
            placement=p,
            version=1,
            ended_on=dt.date(2025, 6, 13),
            reason="period_completed",
        )
        p.refresh_from_db()
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=p)
        assert E.FEE_NO_OUTCOME in _codes(caught.value)
        with pytest.raises(ValidationError):
            services.placement_outcome_confirm(actor=worker, placement=p, version=p.version)
        assert not FeeClaim.objects.exists()


@pytest.mark.django_db
def test_kinds_are_contract_data_and_work_trial_qualifies_where_named(world) -> None:
    staff, worker = world["a"]["staff"], world["worker"]
    with at(dt.date(2025, 6, 20)):
        p = _end(world, "work_trial", dt.date(2025, 6, 16))
        services.placement_outcome_confirm(actor=worker, placement=p, version=p.version)
        p.refresh_from_db()
        # the factory's contract does not name work trial
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=p)
        assert E.FEE_NOT_QUALIFYING in _codes(caught.value)
        contract = p.contract
        services.contract_revise(
            actor=worker,
            contract=contract,
            version=contract.version,
            effective_from=contract.versions.get().effective_from,
            valid_to=None,
            price_per_day=Decimal(30),
            outcome_fee=Decimal(800),
            qualifying_transitions=["open_market_job", "work_trial"],
            max_places=10,
        )
        claim = services.fee_claim_create(actor=staff, placement=p)
        services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
        assert OutcomeFee.objects.get().facts["transition"] == "work_trial"


@pytest.mark.django_db
def test_a_corrected_transition_reverses_the_fee_and_allows_a_new_claim(world) -> None:
    staff, worker = world["a"]["staff"], world["worker"]
    with at(dt.date(2025, 6, 20)):
        p = _end(world, "open_market_job", dt.date(2025, 6, 16))
        services.placement_outcome_confirm(actor=worker, placement=p, version=p.version)
        p.refresh_from_db()
        claim = services.fee_claim_create(actor=staff, placement=p)
        services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
        # a reason is needed; a stale page is refused
        with pytest.raises(ValidationError) as caught:
            services.placement_outcome_correct(
                actor=worker,
                placement=p,
                version=p.version,
                outcome_kind="",
                outcome_on=None,
                reason="",
            )
        assert E.FEE_REASON_REQUIRED in _codes(caught.value)
        http = HttpClient()
        http.force_login(worker)
        stale = http.post(
            f"/rehab/placements/{p.pk}/outcome/correct/",
            {"outcome_kind": "", "reason": "Ei alkanut", "version": p.version - 1},
        )
        assert stale.status_code == 409
        assert OutcomeFee.objects.count() == 1
        # the job never started: the transition is withdrawn on the page
        done = http.post(
            f"/rehab/placements/{p.pk}/outcome/correct/",
            {"outcome_kind": "", "reason": "Työsuhde ei alkanut", "version": p.version},
        )
        assert done.status_code == 302
        p.refresh_from_db()
        assert p.outcome is None and p.outcome_confirmed_at is None
        fee, reversal = OutcomeFee.objects.order_by("decided_at", "amount").reverse()
        assert fee.amount + reversal.amount == 0 and reversal.reverses == fee
        claim.refresh_from_db()
        assert claim.status == "rejected"
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=p)
        assert E.FEE_NO_OUTCOME in _codes(caught.value)
