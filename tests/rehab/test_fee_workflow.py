"""Outcome fee: the provider claims it for an ended placement; Soite's worker verifies
it against the recorded outcome (the transition within the window after the end) and
approves it (an immutable fee row with the contract version, amount and facts) or
rejects it with a reason. A correction is a reversing row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.audit.models import ChangeLog
from silta.casework.models import Outcome
from silta.core import dates
from silta.rehab import services
from silta.rehab.errors import RehabError as E
from silta.rehab.models import FeeClaim, OutcomeFee

START = dt.datetime(2025, 1, 10, 12, 0, tzinfo=dates.HELSINKI)
LATER = dt.datetime(2025, 7, 10, 12, 0, tzinfo=dates.HELSINKI)


@pytest.fixture
def world(region):
    with time_machine.travel(START, tick=False):
        w = factories.rehab_world(region["272"], start=dt.date(2025, 1, 6))
    return w


def _end(  # type: ignore[no-untyped-def]
    world,
    *,
    kind: str = "open_market_job",
    on: dt.date = dt.date(2025, 6, 20),
    confirm: bool = True,
) -> None:
    services.placement_end(
        actor=world["worker"],
        placement=world["placement"],
        version=world["placement"].version,
        ended_on=dt.date(2025, 6, 13),
        reason="transition",
        outcome_kind=kind,
        outcome_on=on,
    )
    world["placement"].refresh_from_db()
    if confirm:
        services.placement_outcome_confirm(
            actor=world["worker"],
            placement=world["placement"],
            version=world["placement"].version,
        )
        world["placement"].refresh_from_db()


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errs in exc.error_dict.values() for e in errs}  # type: ignore[misc]


@pytest.mark.django_db
def test_claim_approve_and_reverse(world) -> None:
    with time_machine.travel(LATER, tick=False):
        staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
        # given the placement ended in an open-market job a week later (recorded as outcome)
        _end(world)
        outcome = Outcome.objects.get()
        assert placement.outcome == outcome and outcome.kind == "open_market_job"
        # when the provider claims the fee
        claim = services.fee_claim_create(actor=staff, placement=placement, note="Työpaikka")
        assert claim.status == "claimed"
        # a second claim is refused while this one lives
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=placement)
        assert E.FEE_ALREADY_CLAIMED in _codes(caught.value)
        # the provider cannot decide its own claim
        with pytest.raises(PermissionDenied):
            services.fee_claim_decide(actor=staff, claim=claim, version=1, to_status="approved")
        # when Soite's worker approves it
        services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
        # then an immutable fee row states the contract version, amount and facts used
        fee = OutcomeFee.objects.get()
        assert fee.amount == Decimal("800.00")
        assert fee.contract_version.number == 1
        assert fee.facts["transition"] == "open_market_job"
        assert fee.facts["days_after_end"] == 7
        assert fee.facts["window_days"] == 30
        assert ChangeLog.objects.filter(event="rehab_fee.approved").count() == 1
        # an approved claim is final
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_decide(
                actor=worker, claim=claim, version=2, to_status="rejected", reason="x"
            )
        assert E.FEE_ILLEGAL_MOVE in _codes(caught.value)
        # a stale decision answers 409 without writing
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
        assert getattr(caught.value, "http_status", None) == 409
        # when the fee is corrected, a reversing row is added and the fee row is untouched
        reversal = services.outcome_fee_reverse(actor=worker, fee=fee, reason="Työ ei alkanut.")
        assert reversal.amount == Decimal("-800.00") and reversal.reverses == fee
        fee.refresh_from_db()
        assert fee.amount == Decimal("800.00")
        with pytest.raises(ValidationError):
            services.outcome_fee_reverse(actor=worker, fee=fee, reason="again")
        assert OutcomeFee.objects.count() == 2


@pytest.mark.django_db
def test_claim_without_an_outcome_is_refused_and_nothing_saved(world) -> None:
    with time_machine.travel(LATER, tick=False):
        staff, placement = world["a"]["staff"], world["placement"]
        # a placement still running
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=placement)
        assert E.FEE_PLACEMENT_ACTIVE in _codes(caught.value)
        # ended without a transition
        services.placement_end(
            actor=world["worker"],
            placement=placement,
            version=1,
            ended_on=dt.date(2025, 6, 13),
            reason="client_interrupted",
        )
        placement.refresh_from_db()
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=staff, placement=placement)
        assert E.FEE_NO_OUTCOME in _codes(caught.value)
        assert "13.6.2025" in " ".join(caught.value.messages)
        assert not FeeClaim.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "on", "code"),
    [
        ("work_trial", dt.date(2025, 6, 20), E.FEE_NOT_QUALIFYING),
        ("open_market_job", dt.date(2025, 7, 14), E.FEE_OUTSIDE_WINDOW),
    ],
)
def test_transition_must_qualify_and_start_within_the_window(world, kind, on, code) -> None:
    with time_machine.travel(LATER + dt.timedelta(days=10), tick=False):
        _end(world, kind=kind, on=on)
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_create(actor=world["a"]["staff"], placement=world["placement"])
        assert code in _codes(caught.value)
        assert not FeeClaim.objects.exists()


@pytest.mark.django_db
def test_reject_needs_a_reason_and_allows_a_new_claim(world, settings) -> None:
    with time_machine.travel(LATER, tick=False):
        staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
        _end(world)
        claim = services.fee_claim_create(actor=staff, placement=placement)
        with pytest.raises(ValidationError) as caught:
            services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="rejected")
        assert E.FEE_REASON_REQUIRED in _codes(caught.value)
        services.fee_claim_decide(
            actor=worker, claim=claim, version=1, to_status="rejected", reason="Puuttuva sopimus"
        )
        claim.refresh_from_db()
        assert claim.status == "rejected" and claim.decision_reason == "Puuttuva sopimus"
        assert [m.new_status for m in claim.moves.all()] == ["claimed", "rejected"]
        assert not OutcomeFee.objects.exists()
        assert services.fee_claim_create(actor=staff, placement=placement).status == "claimed"


@pytest.mark.django_db
def test_fee_pages_and_api(world) -> None:
    with time_machine.travel(LATER, tick=False):
        staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
        _end(world)
        provider = HttpClient()
        provider.force_login(staff)
        response = provider.post(
            f"/api/v1/rehab/placements/{placement.pk}/fee-claims",
            {},
            content_type="application/json",
        )
        assert response.status_code == 201
        claim_id = response.json()["id"]
        # provider B cannot see the claim
        other = HttpClient()
        other.force_login(world["b"]["staff"])
        assert other.get(f"/rehab/fee-claims/{claim_id}/").status_code == 404
        # the provider cannot decide through the API
        assert (
            provider.post(
                f"/api/v1/rehab/fee-claims/{claim_id}/decision",
                {"to_status": "approved", "version": 1},
                content_type="application/json",
            ).status_code
            == 403
        )
        soite = HttpClient()
        soite.force_login(worker)
        page = soite.get(f"/rehab/fee-claims/{claim_id}/")
        assert page.status_code == 200
        response = soite.post(
            f"/rehab/fee-claims/{claim_id}/decide/", {"to_status": "approved", "version": 1}
        )
        assert response.status_code == 302
        assert OutcomeFee.objects.get().amount == Decimal("800.00")


@pytest.mark.django_db
def test_a_fee_without_an_outcome_is_refused_by_page_and_api(world) -> None:
    # issue 15 "done when": the provider's button and the API both say why, nothing saved
    with time_machine.travel(LATER, tick=False):
        staff, placement = world["a"]["staff"], world["placement"]
        services.placement_end(
            actor=world["worker"],
            placement=placement,
            version=1,
            ended_on=dt.date(2025, 6, 13),
            reason="client_interrupted",
        )
        logs = ChangeLog.objects.count()
        http = HttpClient()
        http.force_login(staff)
        by_api = http.post(
            f"/api/v1/rehab/placements/{placement.pk}/fee-claims",
            {},
            content_type="application/json",
        )
        assert by_api.status_code == 400
        assert E.FEE_NO_OUTCOME in by_api.content.decode()
        by_page = http.post(f"/rehab/placements/{placement.pk}/fee-claim/", {}, follow=True)
        assert by_page.status_code == 200
        messages = [str(m) for m in by_page.context["messages"]]
        assert any("13.6.2025" in m for m in messages), messages
        assert not FeeClaim.objects.exists() and ChangeLog.objects.count() == logs
