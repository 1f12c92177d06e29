"""Monthly statements: participant-days × price plus approved fees minus corrections;
the approved statements add up to the attendance and fee rows; billed rows and
contract versions are never edited afterwards (corrections are new rows, new terms a
new version)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.core import dates
from silta.rehab import services
from silta.rehab.attendance import DayEntry
from silta.rehab.errors import RehabError as E
from silta.rehab.models import Attendance, ContractVersion, OutcomeFee, Statement
from silta.rehab.statements import statement_compute

T = dates.HELSINKI


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=T), tick=False
    )


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errs in exc.error_dict.values() for e in errs}  # type: ignore[misc]


def week(monday: dt.date, n: int = 4, hours: str = "6") -> list[DayEntry]:
    return [DayEntry(monday + dt.timedelta(days=i), True, Decimal(hours)) for i in range(n)]


def _colleague(actor):  # type: ignore[no-untyped-def]
    """Another organiser of the actor's organisation (the four-eyes rule), or the actor
    when there is none (a provider's staff)."""
    from silta.accounts.models import Membership

    other = (
        Membership.objects.filter(
            organisation__in=Membership.objects.filter(user=actor).values("organisation"),
            role__in=["social_worker", "social_instructor"],
        )
        .exclude(user=actor)
        .order_by("user__username")
        .first()
    )
    return other.user if other is not None else actor


def approve(*, actor, provider, month, expected_total):  # type: ignore[no-untyped-def]
    """The organiser checks the draft, then a colleague approves it (the lifecycle's two
    steps, four eyes)."""
    stored = Statement.objects.filter(provider=provider, month=month).first()
    if stored is None or stored.status == "checked":
        stored = services.statement_check(
            actor=actor,
            provider=provider,
            month=month,
            version=stored.version if stored else 0,
            expected_total=expected_total,
        )
    return services.statement_approve(
        actor=_colleague(actor),
        provider=provider,
        month=month,
        version=stored.version,
        expected_total=expected_total,
    )


@pytest.fixture
def world(region):
    with at(dt.date(2025, 1, 10)):
        return factories.rehab_world(region["272"], start=dt.date(2025, 1, 6))


def _compute(world, month: dt.date):  # type: ignore[no-untyped-def]
    return statement_compute(provider=world["a"]["provider"], organiser=world["soite"], month=month)


@pytest.mark.django_db
def test_statement_totals_reconcile_to_attendance_and_fees(world) -> None:
    staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
    feb, mar = dt.date(2025, 2, 1), dt.date(2025, 3, 1)
    with at(dt.date(2025, 3, 3)):
        # given 4 + 3 days present in February and one absence
        services.attendance_record(
            actor=staff, placement=placement, entries=week(dt.date(2025, 2, 3))
        )
        services.attendance_record(
            actor=staff,
            placement=placement,
            entries=[
                *week(dt.date(2025, 2, 10), 3),
                DayEntry(dt.date(2025, 2, 13), False, None, "ill"),
            ],
        )
        preview = _compute(world, feb)
        # then the preview bills 7 participant-days × 30 €
        assert preview.participant_days == 7
        assert preview.total_eur == Decimal("210.00")
        # the month is not over before it ends: approval waits
        with at(dt.date(2025, 2, 20)), pytest.raises(ValidationError) as caught:
            approve(
                actor=worker,
                provider=world["a"]["provider"],
                month=feb,
                expected_total=Decimal("210.00"),
            )
        assert E.STATEMENT_MONTH_OPEN in _codes(caught.value)
        # a provider cannot approve
        with pytest.raises(PermissionDenied):
            approve(
                actor=staff,
                provider=world["a"]["provider"],
                month=feb,
                expected_total=Decimal("210.00"),
            )
        # an outdated preview answers 409
        with pytest.raises(ValidationError) as caught:
            approve(
                actor=worker,
                provider=world["a"]["provider"],
                month=feb,
                expected_total=Decimal("180.00"),
            )
        assert getattr(caught.value, "http_status", None) == 409
        february = approve(
            actor=worker,
            provider=world["a"]["provider"],
            month=feb,
            expected_total=Decimal("210.00"),
        )
        assert february.participant_days == 7 and february.total_eur == Decimal("210.00")
        assert Attendance.objects.filter(statement=february).count() == 8
        assert ContractVersion.objects.get(contract=world["a"]["contract"]).used_at is not None
    with at(dt.date(2025, 4, 2)):
        # when a billed February day is corrected to absent, and a forgotten day added
        services.attendance_record(
            actor=staff,
            placement=placement,
            entries=[
                DayEntry(dt.date(2025, 2, 3), False, None, "ill"),  # was present: -1
                DayEntry(dt.date(2025, 2, 17), True, Decimal(6)),  # late entry: +1
            ],
        )
        # then the billed row is untouched and a correcting row points at it
        billed = Attendance.objects.get(day=dt.date(2025, 2, 3), statement=february)
        assert billed.present is True
        correction = Attendance.objects.get(corrects=billed)
        assert correction.present is False and correction.statement is None
        # and March bills its own days plus the correction and the late day
        services.attendance_record(
            actor=staff, placement=placement, entries=week(dt.date(2025, 3, 3), 2)
        )
        march = _compute(world, mar)
        assert {line.kind: line.days for line in march.lines} == {
            "attendance": 2,
            "attendance_correction": -1,
            "late_attendance": 1,
        }
        assert march.participant_days == 2
        assert march.corrections_eur == Decimal("-30.00")
        assert march.total_eur == Decimal("60.00")
        approve(
            actor=worker, provider=world["a"]["provider"], month=mar, expected_total=march.total_eur
        )
        # February's statement is not changed
        february.refresh_from_db()
        assert february.total_eur == Decimal("210.00")
        # reconciliation: all statements = effective present days × price
        present_days = sum(
            1
            for day in {a.day for a in Attendance.objects.all()}
            if Attendance.objects.filter(day=day).order_by("-recorded_at").first().present  # type: ignore[union-attr]
        )
        assert present_days == 9
        total = sum(s.total_eur for s in Statement.objects.all())
        assert total == present_days * Decimal("30.00")


@pytest.mark.django_db
def test_fees_and_their_reversal_are_billed_once(world) -> None:
    staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
    provider = world["a"]["provider"]
    with at(dt.date(2025, 6, 20)):
        services.attendance_record(
            actor=staff, placement=placement, entries=week(dt.date(2025, 6, 2))
        )
        services.placement_end(
            actor=worker,
            placement=placement,
            version=1,
            ended_on=dt.date(2025, 6, 13),
            reason="transition",
            outcome_kind="degree_education",
            outcome_on=dt.date(2025, 6, 16),
        )
        placement.refresh_from_db()
        services.placement_outcome_confirm(
            actor=worker, placement=placement, version=placement.version
        )
        placement.refresh_from_db()
        claim = services.fee_claim_create(actor=staff, placement=placement)
        services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
    with at(dt.date(2025, 7, 3)):
        june = _compute(world, dt.date(2025, 6, 1))
        assert june.participant_days == 4
        assert june.attendance_eur == Decimal("120.00") and june.fees_eur == Decimal("800.00")
        assert june.total_eur == Decimal("920.00")
        approve(
            actor=worker,
            provider=provider,
            month=dt.date(2025, 6, 1),
            expected_total=Decimal("920.00"),
        )
        fee = OutcomeFee.objects.get()
        services.outcome_fee_reverse(actor=worker, fee=fee, reason="Opinnot eivät alkaneet.")
        july = _compute(world, dt.date(2025, 7, 1))
        assert july.corrections_eur == Decimal("-800.00") and july.total_eur == Decimal("-800.00")
    with at(dt.date(2025, 8, 4)):
        approve(
            actor=worker,
            provider=provider,
            month=dt.date(2025, 7, 1),
            expected_total=Decimal("-800.00"),
        )
        assert sum(s.total_eur for s in Statement.objects.all()) == Decimal("120.00")
        assert _compute(world, dt.date(2025, 8, 1)).lines == []


@pytest.mark.django_db
def test_a_used_contract_version_is_never_edited(world) -> None:
    staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
    contract = world["a"]["contract"]
    terms = {
        "outcome_fee": Decimal("800.00"),
        "qualifying_transitions": ["open_market_job"],
        "max_places": 20,
        "valid_to": None,
    }
    with at(dt.date(2025, 1, 20)):
        # before any statement the version is edited in place
        v = services.contract_revise(
            actor=worker,
            contract=contract,
            version=1,
            effective_from=dt.date(2024, 1, 1),
            price_per_day=Decimal("31.00"),
            **terms,
        )
        assert v.number == 1 and v.price_per_day == Decimal("31.00")
        services.attendance_record(
            actor=staff, placement=placement, entries=week(dt.date(2025, 1, 13))
        )
    with at(dt.date(2025, 2, 3)):
        approve(
            actor=worker,
            provider=world["a"]["provider"],
            month=dt.date(2025, 1, 1),
            expected_total=Decimal("124.00"),
        )
        # once used, a change inside the billed month is refused
        with pytest.raises(ValidationError) as caught:
            services.contract_revise(
                actor=worker,
                contract=contract,
                version=2,
                effective_from=dt.date(2025, 1, 15),
                price_per_day=Decimal("35.00"),
                **terms,
            )
        assert E.EFFECTIVE_BEFORE_BILLED in _codes(caught.value)
        # and a change from February is a new version; version 1 keeps its price
        new = services.contract_revise(
            actor=worker,
            contract=contract,
            version=2,
            effective_from=dt.date(2025, 2, 1),
            price_per_day=Decimal("35.00"),
            **terms,
        )
        assert new.number == 2
        assert contract.versions.get(number=1).price_per_day == Decimal("31.00")
        services.attendance_record(
            actor=staff, placement=placement, entries=week(dt.date(2025, 1, 27), 1)
        )
    with at(dt.date(2025, 2, 5)):
        services.attendance_record(
            actor=staff, placement=placement, entries=week(dt.date(2025, 2, 3), 2)
        )
        feb = _compute(world, dt.date(2025, 2, 1))
        by_kind = {(line.kind, line.contract_version.number): line.amount for line in feb.lines}
        # the late January day at January's price, February days at the new price
        assert by_kind == {
            ("late_attendance", 1): Decimal("31.00"),
            ("attendance", 2): Decimal("70.00"),
        }


@pytest.mark.django_db
def test_statement_page_and_exports(world) -> None:
    staff, worker, placement = world["a"]["staff"], world["worker"], world["placement"]
    provider = world["a"]["provider"]
    with at(dt.date(2025, 3, 3)):
        services.attendance_record(
            actor=staff, placement=placement, entries=week(dt.date(2025, 2, 3))
        )
        http = HttpClient()
        http.force_login(worker)
        page = http.get(f"/rehab/providers/{provider.pk}/statements/2025-02/")
        assert page.status_code == 200
        assert "120.00" in page.content.decode()
        base = f"/rehab/providers/{provider.pk}/statements/2025-02"
        # approval before the check is refused with the reason, nothing written
        refused = http.post(f"{base}/approve/", {"expected_total": "120.00", "version": "0"})
        assert refused.status_code == 400
        assert "Järjestäjä tarkastaa tilityksen" in refused.content.decode()  # in Finnish
        assert not Statement.objects.exists()
        assert (
            http.post(f"{base}/check/", {"expected_total": "120.00", "version": "0"}).status_code
            == 302
        )
        checked = Statement.objects.get()
        assert checked.status == "checked" and checked.number is None
        # who checked does not approve (four eyes): refused in Finnish, nothing written
        mine = http.post(
            f"{base}/approve/", {"expected_total": "120.00", "version": str(checked.version)}
        )
        assert mine.status_code == 400
        assert "neljän silmän periaate" in mine.content.decode()
        assert Statement.objects.get().status == "checked"
        http.force_login(world["approver"])
        response = http.post(
            f"{base}/approve/", {"expected_total": "120.00", "version": str(checked.version)}
        )
        assert response.status_code == 302
        http.force_login(worker)
        csv_response = http.get(f"/rehab/providers/{provider.pk}/statements/2025-02/export.csv")
        rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert [r["line"] for r in rows] == ["attendance", "total"]
        assert rows[0]["days"] == "4" and rows[0]["amount_eur"] == "120.00"
        assert rows[-1]["status"] == "approved"
        xlsx = http.get(f"/rehab/providers/{provider.pk}/statements/2025-02/export.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None and sheet.cell(2, 12).value == 120.0
        pdf = http.get(f"/rehab/providers/{provider.pk}/statements/2025-02/export.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert (
            http.get(f"/rehab/providers/{provider.pk}/statements/2025-02/export.doc").status_code
            == 404
        )
        # the provider sees the statement too, but has no approve button
        own = HttpClient()
        own.force_login(staff)
        assert own.get(f"/rehab/providers/{provider.pk}/statements/2025-02/").status_code == 200
        assert (
            own.post(
                f"/rehab/providers/{provider.pk}/statements/2025-02/approve/",
                {"expected_total": "0"},
            ).status_code
            == 403
        )
