"""The demo region's rehabilitative work activity: deterministic, calibrated to the
2023 participant count (DOMAIN.md §4: 345, ±5 %), consistent with the attendance
rules, and loaded with the region."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from silta.accounts.models import Organisation, User
from silta.audit.models import ChangeLog
from silta.rehab import selectors
from silta.rehab.figures import YEARLY_FIGURES
from silta.rehab.models import Attendance, OutcomeFee, Placement, Provider, Statement
from silta.rehab.selectors import rehab_participants
from silta.rehab.statements import month_end, statement_compute
from silta.synth.loader import region_load
from silta.synth.region import generate_region
from silta.synth.rehab import (
    FEE_PROCUREMENT_FROM,
    QUALIFYING,
    SOITE_UNIT_KEY,
    generate_rehab,
    participants,
)


@pytest.fixture(scope="module")
def full_region():
    return generate_region()


def test_participants_match_the_2023_figure_and_generation_is_deterministic(full_region) -> None:
    data = generate_rehab(full_region)
    assert abs(participants(data, 2023) - 345) <= 345 * 0.05
    assert abs(participants(data, 2022) - 339) <= 339 * 0.05
    again = generate_rehab(full_region)
    assert again.placements == data.placements
    assert again.attendance[:1000] == data.attendance[:1000]
    # "a few" positive transitions with fees a year (seed 003), from the procurement at
    # the end of 2020, work trials among them; none at Soite's own unit or the town
    fees = [p for p in data.placements if p.fee]
    per_year = Counter(p.ended.year for p in fees if p.ended)
    assert min(per_year) >= 2020 and all(p.ended >= FEE_PROCUREMENT_FROM for p in fees if p.ended)
    assert all(
        1 <= n <= 9 for year, n in per_year.items() if 2021 <= year < full_region.generated_on.year
    )
    assert {p.outcome_kind for p in fees} <= set(QUALIFYING) and "work_trial" in QUALIFYING
    assert not [p for p in fees if p.provider_key in {SOITE_UNIT_KEY, "kannus"}]
    assert {p.provider_key for p in data.placements} >= {SOITE_UNIT_KEY, "kannus"}


def test_generated_attendance_keeps_the_rules(full_region) -> None:
    data = generate_rehab(full_region)
    per_week: dict[tuple[int, dt.date], int] = defaultdict(int)
    for index, day, present, hours, reason in data.attendance:
        p = data.placements[index]
        assert p.start <= day <= (p.ended or p.planned_end) and day <= full_region.generated_on
        if present:
            assert 40 <= hours <= 80 and not reason
            per_week[(index, day - dt.timedelta(days=day.weekday()))] += 1
        else:
            assert reason
    assert max(per_week.values()) <= 4


@pytest.mark.django_db
def test_region_load_brings_placements_attendance_and_fees() -> None:
    region = generate_region(seed=11, scale=0.05)
    region_load(region)
    assert Provider.objects.count() == 7
    kinds = set(Provider.objects.values_list("organisation__kind", flat=True))
    assert {"municipality", "wellbeing_county_unit", "service_provider"} <= kinds
    assert Placement.objects.exists() and Attendance.objects.exists()
    assert ChangeLog.objects.filter(event="synth.rehab_loaded").count() == 1
    for fee in OutcomeFee.objects.select_related("placement__outcome"):
        assert fee.placement.outcome is not None
        assert fee.facts["transition"] == fee.placement.outcome.kind
    year = 2023
    figure = next(f for f in YEARLY_FIGURES if f.key == "rehab_participants")
    assert figure.compute(year) == rehab_participants(year) > 0


@pytest.mark.django_db
def test_demo_statements_are_approved_up_to_last_month_and_the_lists_account_for_every_day() -> (
    None
):
    region = generate_region(seed=11, scale=0.05)
    region_load(region)
    this_month = region.generated_on.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    organiser = Organisation.objects.get(key="soite-adult-social-work")
    # every month up to last month is approved, numbered; all but the last sent
    statements = list(Statement.objects.order_by("number"))
    assert statements and all(s.status in {"approved", "sent"} for s in statements)
    assert max(s.month for s in statements) == last_month
    assert [s.number for s in statements] == list(range(1, len(statements) + 1))
    assert all(s.invoice_reference for s in statements if s.month < last_month)
    # four eyes: one demo organiser checked, another approved each of them
    assert all(
        s.checked_by_id and s.approved_by_id and s.checked_by_id != s.approved_by_id
        for s in statements
    )
    assert {(s.checked_by.username, s.approved_by.username) for s in statements} == {
        ("instructor", "socialworker")
    }
    # every billed row belongs to one of them; what is left is this month's
    assert not Attendance.objects.filter(statement__isnull=True, day__lt=this_month).exists()
    assert not OutcomeFee.objects.filter(
        statement__isnull=True, decided_at__date__lt=this_month
    ).exists()
    for s in statements:
        assert s.lines.aggregate(t=Sum("amount"))["t"] == s.total_eur
    # this month's draft is a real one: only this month's days, no old fees again
    for provider in Provider.objects.all():
        draft = statement_compute(provider=provider, organiser=organiser, month=this_month)
        assert {line.kind for line in draft.lines} <= {"attendance", "outcome_fee"}
        assert draft.fees_eur <= 3 * Decimal("800.00")
    # the allowance lists of the generation month account for every attendance day
    worker = User.objects.filter(
        memberships__organisation=organiser, memberships__role="social_worker"
    ).first()
    assert worker is not None
    # ... and so do last month's and October 2026's (issue 15's "done when")
    months = {this_month, last_month}
    if region.generated_on >= dt.date(2026, 10, 1):
        months.add(dt.date(2026, 10, 1))
    for month in sorted(months):
        kela = selectors.kela_list_for(actor=worker, month=month)
        activity = selectors.activity_list_for(actor=worker, month=month)
        state = selectors.state_list_for(actor=worker, month=month)
        days = (
            Attendance.objects.filter(
                day__gte=month,
                day__lte=min(month_end(month), region.generated_on),
                placement__organiser=organiser,
            )
            .values_list("placement_id", "day")
            .distinct()
            .count()
        )
        assert days > 0, month
        assert kela.total_recorded == activity.total_recorded == days, month
        for data in (kela, activity):
            for row in data.rows:
                assert row.eligible_days + sum(row.not_counted.values()) == row.days
        absent = sum(r.not_counted.get("absent", 0) for r in kela.rows)
        no_basis = sum(r.not_counted.get("no_basis", 0) for r in kela.rows)
        over = sum(r.not_counted.get("over_week", 0) for r in kela.rows + activity.rows)
        assert kela.total_days + activity.total_days + absent + no_basis + over == days, month
        if month == this_month:  # a small region may have no activity days some months
            assert kela.total_days > 0 and activity.total_days > 0, month
        # the state reimbursement list: the days present, the rest absent
        assert state.total_days + absent == days, month
