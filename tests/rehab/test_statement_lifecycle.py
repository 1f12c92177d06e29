"""The statement lifecycle finance signs off (issue 15): draft → checked → approved
(numbered, locked) → sent. Every attendance day and fee lands in exactly one approved
statement; later corrections land in the next one and name the statement they
correct; approving twice, changing an approved statement by page or API and a stale
page are refused with the reason and write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import ChangeLog
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.rehab import selectors, services
from silta.rehab.attendance import DayEntry
from silta.rehab.errors import RehabError as E
from silta.rehab.models import Attendance, OutcomeFee, Statement, StatementLine
from silta.rehab.statements import statement_compute

T = dates.HELSINKI


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=T), tick=False
    )


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errs in exc.error_dict.values() for e in errs}  # type: ignore[misc]


def days(monday: dt.date, n: int = 4) -> list[DayEntry]:
    return [DayEntry(monday + dt.timedelta(days=i), True, Decimal(6)) for i in range(n)]


def close(world, month: dt.date) -> Statement:  # type: ignore[no-untyped-def]
    """Check and approve the month's statement as the organisers would from the page:
    one checks, another approves (four eyes)."""
    provider, worker = world["a"]["provider"], world["worker"]
    draft = statement_compute(provider=provider, organiser=world["soite"], month=month)
    checked = services.statement_check(
        actor=worker, provider=provider, month=month, version=0, expected_total=draft.total_eur
    )
    return services.statement_approve(
        actor=world["approver"],
        provider=provider,
        month=month,
        version=checked.version,
        expected_total=draft.total_eur,
    )


@pytest.fixture
def world(region):
    with at(dt.date(2025, 1, 6)):
        w = factories.rehab_world(region["272"], start=dt.date(2025, 1, 6))
    for user in (w["worker"], w["approver"], w["a"]["staff"]):
        user.language = "en"  # the pages' messages are asserted in English
        user.save()
    return w


@pytest.mark.django_db
def test_three_months_each_euro_in_exactly_one_approved_statement(world) -> None:
    staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
    provider = world["a"]["provider"]
    jan, feb, mar, apr = (dt.date(2025, m, 1) for m in (1, 2, 3, 4))
    # January: 8 days present
    with at(dt.date(2025, 1, 31)):
        services.attendance_record(
            actor=staff, placement=placement, entries=days(dt.date(2025, 1, 13))
        )
        services.attendance_record(
            actor=staff, placement=placement, entries=days(dt.date(2025, 1, 20))
        )
    with at(dt.date(2025, 2, 3)):
        january = close(world, jan)
        assert (january.number, january.total_eur) == (1, Decimal("240.00"))
    # February: 4 days, and a late correction of a billed January day (was absent)
    with at(dt.date(2025, 2, 20)):
        services.attendance_record(
            actor=staff, placement=placement, entries=days(dt.date(2025, 2, 3))
        )
        services.attendance_record(
            actor=staff,
            placement=placement,
            entries=[DayEntry(dt.date(2025, 1, 13), False, None, "ill")],
        )
        # January's approved statement is not touched
        january.refresh_from_db()
        assert january.total_eur == Decimal("240.00")
        services.placement_end(
            actor=worker,
            placement=placement,
            version=placement.version,
            ended_on=dt.date(2025, 2, 20),
            reason="transition",
            outcome_kind="open_market_job",
            outcome_on=dt.date(2025, 2, 24),
        )
    with at(dt.date(2025, 3, 3)):
        feb_draft = statement_compute(provider=provider, organiser=world["soite"], month=feb)
        correction = next(line for line in feb_draft.lines if line.kind == "attendance_correction")
        assert correction.days == -1 and correction.corrects_id == january.pk
        assert correction.corrects_number == january.number_label
        february = close(world, feb)
        assert february.number == 2 and february.total_eur == Decimal("90.00")
        line = StatementLine.objects.get(statement=february, kind="attendance_correction")
        assert line.corrects_id == january.pk
        # the fee of the job is claimed and approved in March
        placement.refresh_from_db()
        services.placement_outcome_confirm(
            actor=worker, placement=placement, version=placement.version
        )
        claim = services.fee_claim_create(actor=staff, placement=placement)
        services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
    with at(dt.date(2025, 4, 1)):
        march = close(world, mar)
        assert march.number == 3 and march.fees_eur == Decimal("800.00")
        # the outcome turns out wrong: the fee is reversed, into April's statement
        fee = OutcomeFee.objects.get(reverses__isnull=True)
        services.outcome_fee_reverse(actor=worker, fee=fee, reason="Työsuhde ei alkanut.")
        march.refresh_from_db()
        assert march.total_eur == Decimal("800.00")
    with at(dt.date(2025, 5, 2)):
        april = close(world, apr)
        assert april.total_eur == Decimal("-800.00")
        assert StatementLine.objects.get(statement=april).corrects_id == march.pk

    # every row belongs to exactly one approved statement
    assert not Attendance.objects.filter(statement__isnull=True).exists()
    assert not OutcomeFee.objects.filter(statement__isnull=True).exists()
    approved = Statement.objects.filter(status="approved")
    assert approved.count() == 4
    for s in approved:
        assert s.lines.aggregate(t=Sum("amount"))["t"] == s.total_eur
    # the euros: effective present days × price, plus fees net of reversals
    billed = sum(s.total_eur for s in approved)
    assert billed == 11 * Decimal("30.00") + Decimal("0.00")
    # and the state list's days (each month's effective days) add up to the billed days
    with at(dt.date(2025, 5, 2)):
        listed = sum(
            selectors.state_list_for(actor=worker, month=m).total_days for m in (jan, feb, mar, apr)
        )
    assert listed == sum(s.participant_days for s in approved) == 11


@pytest.mark.django_db
def test_approving_twice_changing_an_approved_statement_and_a_stale_page(world) -> None:
    staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
    provider = world["a"]["provider"]
    jan = dt.date(2025, 1, 1)
    with at(dt.date(2025, 1, 31)):
        services.attendance_record(
            actor=staff, placement=placement, entries=days(dt.date(2025, 1, 13))
        )
    with at(dt.date(2025, 2, 3)):
        # approval needs the check first
        with pytest.raises(ValidationError) as caught:
            services.statement_approve(
                actor=world["approver"],
                provider=provider,
                month=jan,
                version=0,
                expected_total=Decimal(120),
            )
        assert E.STATEMENT_NOT_CHECKED in _codes(caught.value)
        checked = services.statement_check(
            actor=worker, provider=provider, month=jan, version=0, expected_total=Decimal(120)
        )
        # a second page still showing the draft (version 0) is stale
        with pytest.raises(StaleEdit):
            services.statement_check(
                actor=worker, provider=provider, month=jan, version=0, expected_total=Decimal(120)
            )
        # attendance recorded after the check: the approval is refused until checked again
        services.attendance_record(
            actor=staff,
            placement=placement,
            entries=[DayEntry(dt.date(2025, 1, 20), True, Decimal(6))],
        )
        with pytest.raises(StaleEdit):
            services.statement_approve(
                actor=world["approver"],
                provider=provider,
                month=jan,
                version=checked.version,
                expected_total=Decimal(120),
            )
        assert Statement.objects.get().status == "checked"
        assert not Attendance.objects.filter(statement__isnull=False).exists()
        checked = services.statement_check(
            actor=worker,
            provider=provider,
            month=jan,
            version=checked.version,
            expected_total=Decimal(150),
        )
        approved = services.statement_approve(
            actor=world["approver"],
            provider=provider,
            month=jan,
            version=checked.version,
            expected_total=Decimal(150),
        )
        logs = ChangeLog.objects.count()
        # approving twice
        with pytest.raises(ValidationError) as caught:
            services.statement_approve(
                actor=world["approver"],
                provider=provider,
                month=jan,
                version=approved.version,
                expected_total=Decimal(150),
            )
        assert E.STATEMENT_EXISTS in _codes(caught.value)
        # checking (changing) an approved statement
        with pytest.raises(ValidationError) as caught:
            services.statement_check(
                actor=worker,
                provider=provider,
                month=jan,
                version=approved.version,
                expected_total=Decimal(150),
            )
        assert E.STATEMENT_LOCKED in _codes(caught.value)
        # sent with the invoice reference; then the reference is locked too
        with pytest.raises(ValidationError) as caught:
            services.statement_send(
                actor=worker,
                provider=provider,
                month=jan,
                version=approved.version,
                invoice_reference=" ",
            )
        assert E.STATEMENT_REFERENCE in _codes(caught.value)
        assert ChangeLog.objects.count() == logs
        sent = services.statement_send(
            actor=worker,
            provider=provider,
            month=jan,
            version=approved.version,
            invoice_reference="LASKU-2025-17",
        )
        with pytest.raises(ValidationError) as caught:
            services.statement_send(
                actor=worker,
                provider=provider,
                month=jan,
                version=sent.version,
                invoice_reference="X",
            )
        assert E.STATEMENT_LOCKED in _codes(caught.value)
        sent.refresh_from_db()
        assert (sent.status, sent.invoice_reference, sent.total_eur, sent.number) == (
            "sent",
            "LASKU-2025-17",
            Decimal("150.00"),
            1,
        )


@pytest.mark.django_db
def test_page_and_api_refuse_changes_to_an_approved_statement(world) -> None:
    staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
    provider = world["a"]["provider"]
    base = f"/rehab/providers/{provider.pk}/statements/2025-01"
    api = f"/api/v1/rehab/providers/{provider.pk}/statements/2025-01/actions"
    with at(dt.date(2025, 1, 31)):
        services.attendance_record(
            actor=staff, placement=placement, entries=days(dt.date(2025, 1, 13))
        )
    with at(dt.date(2025, 2, 3)):
        http = HttpClient()
        http.force_login(worker)
        # the API checks; the page, still showing version 0, is stale
        checked = http.post(
            api,
            {"action": "check", "version": 0, "expected_total": "120.00"},
            content_type="application/json",
        )
        assert checked.status_code == 200 and checked.json()["status"] == "checked"
        stale = http.post(f"{base}/approve/", {"expected_total": "120.00", "version": "0"})
        assert stale.status_code == 409
        assert "Reload the page" in stale.content.decode()
        version = checked.json()["version"]
        # four eyes: who checked does not approve, by page or API; nothing is written
        logs = ChangeLog.objects.count()
        mine = http.post(f"{base}/approve/", {"expected_total": "120.00", "version": str(version)})
        assert mine.status_code == 400
        assert "another person approves it (four-eyes rule)" in mine.content.decode()
        by_api = http.post(
            api,
            {"action": "approve", "version": version, "expected_total": "120.00"},
            content_type="application/json",
        )
        assert by_api.status_code == 400
        assert by_api.json()["fields"]["month"][0]["code"] == E.STATEMENT_SAME_PERSON
        assert Statement.objects.get().status == "checked" and ChangeLog.objects.count() == logs
        # the checker's page offers no approval, but says who approves
        shown = http.get(f"{base}/").content.decode()
        assert "Approve the statement" not in shown and "four-eyes rule" in shown
        # a colleague approves
        http = HttpClient()
        http.force_login(world["approver"])
        ok = http.post(f"{base}/approve/", {"expected_total": "120.00", "version": str(version)})
        assert ok.status_code == 302
        statement = Statement.objects.get()
        snapshot = (statement.status, statement.version, statement.total_eur, statement.updated_at)
        # approving again or re-checking by page or API: refused, nothing written
        again = http.post(
            f"{base}/approve/", {"expected_total": "120.00", "version": str(statement.version)}
        )
        assert again.status_code == 400 and "already approved" in again.content.decode()
        recheck = http.post(
            f"{base}/check/", {"expected_total": "120.00", "version": str(statement.version)}
        )
        assert recheck.status_code == 400 and "locked" in recheck.content.decode()
        by_api = http.post(
            api,
            {"action": "check", "version": statement.version, "expected_total": "0"},
            content_type="application/json",
        )
        assert by_api.status_code == 400
        assert by_api.json()["code"] == E.STATEMENT_LOCKED
        # approving twice through the API, with the current or a stale version
        for version_sent in (statement.version, 1):
            twice = http.post(
                api,
                {"action": "approve", "version": version_sent, "expected_total": "120.00"},
                content_type="application/json",
            )
            assert twice.status_code == 400
            assert twice.json()["fields"]["month"][0]["code"] == E.STATEMENT_EXISTS
        statement.refresh_from_db()
        assert (
            statement.status,
            statement.version,
            statement.total_eur,
            statement.updated_at,
        ) == snapshot
        # the provider's staff may read but not approve, by page or API
        own = HttpClient()
        own.force_login(staff)
        page = own.get(f"{base}/")
        assert page.status_code == 200 and "Approve the statement" not in page.content.decode()
        assert (
            own.post(f"{base}/send/", {"invoice_reference": "X", "version": "2"}).status_code == 403
        )
        assert (
            own.post(
                api,
                {"action": "send", "version": 2, "invoice_reference": "X"},
                content_type="application/json",
            ).status_code
            == 403
        )
        # another organisation's approver does not find the statement
        other = factories.staff(Role.SOCIAL_WORKER, factories.OrganisationFactory())
        stranger = HttpClient()
        stranger.force_login(other)
        response = stranger.post(
            api,
            {"action": "send", "version": 2, "invoice_reference": "X"},
            content_type="application/json",
        )
        assert response.status_code in {400, 404}
        statement.refresh_from_db()
        assert statement.status == "approved" and statement.invoice_reference == ""
