"""Each statistic on a small hand-built data set: the right units in the right
municipality, age band and language, at the edges of the period; suppression on the
tables; year over year; bad periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests import factories as f

from silta.accounts.roles import OrganisationKind, Role
from silta.casework.models import JointService, Outcome, Referral
from silta.clients.services import client_move
from silta.core import dates
from silta.rehab.models import Attendance, Placement, Statement
from silta.reporting import statistics as st
from silta.reporting.statistics import Period

H = dates.HELSINKI
Y2023 = dt.date(2023, 1, 1)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=H)


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(region):
    employment = f.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    soite = f.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    services = {
        code: f.service(soite, code)
        for code in ("health_check", "work_ability_assessment", "social_guidance")
    }
    # six Finnish-speaking clients in Kokkola born 1985 (37–38 in 2023), two
    # Swedish-speaking ones in Kannus born 2000 (22–23), one who moves from Kannus to
    # Kokkola on 1.7.2023
    kokkola = [f.client(region["272"], last_name=f"Koski{i}") for i in range(6)]
    kannus = []
    for i in range(2):
        c = f.client(region["217"], last_name=f"Berg{i}", language="sv")
        c.birth_date = dt.date(2000, 5, 1)
        c.save(update_fields=["birth_date"])
        kannus.append(c)
    mover = f.client(region["217"], last_name="Muuttaja", since=dt.date(2020, 1, 1))
    client_move(actor=None, client=mover, municipality=region["272"], moved_on=dt.date(2023, 7, 1))
    return {
        "employment": employment,
        "soite": soite,
        "services": services,
        "kokkola": kokkola,
        "kannus": kannus,
        "mover": mover,
        "region": region,
    }


def referral(world, client, code: str, status: str, **fields) -> Referral:
    return Referral.objects.create(
        client=client,
        service=world["services"][code],
        from_organisation=world["employment"],
        to_organisation=world["soite"],
        sent_at=fields.pop("sent_at", at(2023, 3, 1, 10)),
        reason="Testi",
        status=status,
        **fields,
    )


def cell(table: st.Table, municipality: str, column: str | None = None):
    i = table.row_codes.index(municipality)
    if column is None:
        totals = table.published.row_totals
        return totals[i] if totals is not None else table.published.cells[i][0]
    return table.published.cells[i][table.columns.index(column)]


def counts(table: st.Table) -> dict[str, int]:
    """Unsuppressed per-municipality counts (for checking definitions)."""
    return {
        code: sum(row)
        for code, row in zip(
            table.row_codes,
            [[v or 0 for v in r] for r in table.published.cells],
            strict=True,
        )
    }


@pytest.fixture
def no_suppression(monkeypatch):
    """Check the definitions on a few people: every count published."""
    from silta.reporting import suppression

    monkeypatch.setattr(suppression, "SMALLEST_PUBLISHED", 1)


def test_health_checks_and_assessments_count_completions_in_the_period(
    world, no_suppression
) -> None:
    a, b, c = world["kokkola"][:3]
    # given checks completed on the first and last moment of 2023, one the moment
    # after, one cancelled, and one assessment
    referral(world, a, "health_check", "completed", closed_at=at(2023, 1, 1, 0))
    referral(world, b, "health_check", "completed", closed_at=at(2023, 12, 31, 23, 59))
    referral(world, c, "health_check", "completed", closed_at=at(2024, 1, 1, 0))
    referral(world, c, "health_check", "cancelled", closed_at=at(2023, 5, 1, 0))
    referral(
        world, world["mover"], "work_ability_assessment", "completed", closed_at=at(2023, 8, 1)
    )
    # when counted for 2023
    checks = st.table(st.statistic("health_checks"), Period.year(2023))
    assessments = st.table(st.statistic("work_ability_assessments"), Period.year(2023))
    # then two checks in Kokkola; the mover's assessment in Kokkola (home on 1.8.)
    assert cell(checks, "272") == 2 and checks.published.total == 2
    assert cell(assessments, "272") == 1 and cell(assessments, "217") == 0
    # and a quarter counts only its own months
    assert st.table(st.statistic("health_checks"), Period.quarter(2023, 4)).published.total == 1


def test_the_home_municipality_is_the_one_on_the_event_date(world, no_suppression) -> None:
    referral(world, world["mover"], "health_check", "completed", closed_at=at(2023, 6, 30, 12))
    table = st.table(st.statistic("health_checks"), Period.year(2023))
    assert cell(table, "217") == 1 and cell(table, "272") == 0


def test_clients_per_service_count_each_client_once_per_service(world, no_suppression) -> None:
    a, b = world["kokkola"][:2]
    referral(world, a, "health_check", "completed", closed_at=at(2023, 2, 1))
    referral(world, a, "health_check", "completed", closed_at=at(2023, 9, 1))
    referral(world, a, "social_guidance", "completed", closed_at=at(2023, 9, 1))
    referral(world, b, "social_guidance", "not_completed", closed_at=at(2023, 9, 1))
    table = st.table(st.statistic("clients_per_service"), Period.year(2023), st.CATEGORY)
    assert table.columns == ["Social guidance", "Unemployed health check"]
    assert counts(table)["272"] == 2  # a in two services, b not completed
    assert table.published.total == 2


def test_referrals_sent_accepted_completed_and_waiting_times(world, no_suppression) -> None:
    people = world["kokkola"]
    # given five referrals sent in March 2023 with waits of 2, 4, 6, 8 and 30 days
    for person, wait in zip(people, (2, 4, 6, 8, 30), strict=False):
        referral(
            world,
            person,
            "health_check",
            "completed",
            sent_at=at(2023, 3, 1, 9),
            accepted_at=at(2023, 3, 1, 12),
            first_appointment_at=at(2023, 3, 1 + wait, 9) if wait < 30 else at(2023, 3, 31, 9),
            closed_at=at(2023, 4, 15),
        )
    # and one sent in December 2022, accepted in January 2023, still waiting
    referral(
        world,
        people[5],
        "social_guidance",
        "accepted",
        sent_at=at(2022, 12, 30, 9),
        accepted_at=at(2023, 1, 2, 9),
    )
    march = Period.month(2023, 3)
    year = Period.year(2023)
    assert st.table(st.statistic("referrals_sent"), march).published.total == 5
    assert st.table(st.statistic("referrals_sent"), year).published.total == 5
    assert st.table(st.statistic("referrals_accepted"), year).published.total == 6
    assert st.table(st.statistic("referrals_completed"), march).published.total == 0
    assert st.table(st.statistic("referrals_completed"), year).published.total == 5
    # then the median wait is 6 days and the 90th percentile (⌈4.5⌉ = 5th) 30 days
    assert st.table(st.statistic("waiting_median"), year).published.total == 6
    assert st.table(st.statistic("waiting_p90"), year).published.total == 30
    by_service = st.table(st.statistic("waiting_median"), year, st.CATEGORY)
    assert by_service.columns == ["Unemployed health check"]


def test_joint_service_clients_overlap_the_period(world, no_suppression) -> None:
    a, b, c, d = world["kokkola"][:4]
    JointService.objects.create(
        client=a, started_on=dt.date(2021, 1, 1), ended_on=dt.date(2022, 12, 31)
    )
    JointService.objects.create(client=b, started_on=dt.date(2023, 12, 31))
    JointService.objects.create(client=c, started_on=dt.date(2021, 1, 1))
    JointService.objects.create(
        client=d, started_on=dt.date(2023, 1, 1), ended_on=dt.date(2023, 2, 1)
    )
    JointService.objects.create(client=d, started_on=dt.date(2023, 6, 1))
    assert st.table(st.statistic("joint_service_clients"), Period.year(2023)).published.total == 3


def test_rehab_participants_and_days_present(region, no_suppression) -> None:
    # given a placement in 2025 with four days recorded, and a later row that
    # corrects the third day to absent (the day's latest row counts)
    w = f.rehab_world(region["272"], start=dt.date(2025, 1, 6))
    placement: Placement = w["placement"]
    for day, present in ((6, True), (7, True), (8, True), (9, False)):
        Attendance.objects.create(
            placement=placement,
            day=dt.date(2025, 1, day),
            present=present,
            hours=Decimal(6) if present else None,
            recorded_at=at(2025, 1, day, 16),
        )
    billed = Statement.objects.create(
        provider=placement.provider,
        organiser=placement.organiser,
        month=dt.date(2025, 1, 1),
        participant_days=3,
        attendance_eur=Decimal(90),
        fees_eur=Decimal(0),
        corrections_eur=Decimal(0),
        total_eur=Decimal(90),
        approved_at=at(2025, 2, 1, 9),
    )
    Attendance.objects.filter(placement=placement).update(statement=billed)
    first = Attendance.objects.get(day=dt.date(2025, 1, 8))
    Attendance.objects.create(
        placement=placement,
        day=dt.date(2025, 1, 8),
        present=False,
        corrects=first,
        recorded_at=at(2025, 2, 10, 9),
    )
    january = Period.month(2025, 1)
    assert st.table(st.statistic("rehab_participants"), january).published.total == 1
    assert st.table(st.statistic("rehab_participant_days"), january).published.total == 2
    assert st.table(st.statistic("rehab_participants"), Period.month(2024, 12)).published.total == 0


def test_outcomes_by_kind_and_follow_up(world, no_suppression) -> None:
    a, b = world["kokkola"][:2]
    for person, kind, follow in ((a, "open_market_job", "continues"), (b, "work_trial", "")):
        Outcome.objects.create(
            client=person,
            organisation=world["employment"],
            kind=kind,
            occurred_on=dt.date(2023, 5, 1),
            follow_up_3=follow,
        )
    by_kind = st.table(st.statistic("outcomes"), Period.year(2023), st.CATEGORY)
    assert by_kind.published.column_totals == [1, 1]
    follow = st.table(st.statistic("outcome_follow_up_3"), Period.year(2023), st.CATEGORY)
    assert dict(zip(follow.columns, follow.published.column_totals, strict=True)) == {
        "The situation continues": 1,
        "Not recorded": 1,
    }


def test_age_band_and_language_breakdowns(world, no_suppression) -> None:
    for person in world["kannus"]:
        referral(world, person, "health_check", "completed", closed_at=at(2023, 4, 1))
    referral(world, world["kokkola"][0], "health_check", "completed", closed_at=at(2023, 4, 1))
    by_age = st.table(st.statistic("health_checks"), Period.year(2023), st.AGE)
    assert by_age.published.column_totals[:4] == [2, 0, 1, 0]  # 22 and 38 years old
    by_language = st.table(st.statistic("health_checks"), Period.year(2023), st.LANGUAGE)
    assert by_language.published.column_totals == [1, 2, 0]


def test_managers_never_see_small_cells(world) -> None:
    # given 7 checks in Kokkola and 2 in Kannus
    for person in [*world["kokkola"], world["mover"]]:
        referral(world, person, "health_check", "completed", closed_at=at(2023, 8, 1))
    for person in world["kannus"]:
        referral(world, person, "health_check", "completed", closed_at=at(2023, 8, 1))
    table = st.table(st.statistic("health_checks"), Period.year(2023), st.LANGUAGE)
    # then Kannus (2) is hidden and so is another municipality's total beside it
    assert cell(table, "217") is None
    hidden_totals = [v for v in table.published.row_totals or [] if v is None]
    assert len(hidden_totals) >= 2 or table.published.total is None
    for row in table.published.cells:
        assert not [v for v in row if v is not None and 1 <= v <= 4]


def test_year_over_year_uses_each_years_published_totals(world, no_suppression) -> None:
    referral(world, world["kokkola"][0], "health_check", "completed", closed_at=at(2022, 3, 1))
    referral(world, world["kokkola"][1], "health_check", "completed", closed_at=at(2023, 3, 1))
    referral(world, world["kokkola"][2], "health_check", "completed", closed_at=at(2023, 3, 2))
    comparison = st.year_over_year(st.statistic("health_checks"), Period.year(2023))
    assert comparison.previous.label == "2022"
    assert comparison.total == (1, 2, 1)
    quarter = st.year_over_year(st.statistic("health_checks"), Period.quarter(2023, 1))
    assert quarter.previous.label == "2022 Q1"


def test_bad_periods_are_refused_with_clear_messages(monkeypatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as ended:
        Period.between(dt.date(2023, 5, 1), dt.date(2023, 4, 30))
    assert ended.value.code == "ends_before_start"
    assert "ends (30.04.2023) before it starts (01.05.2023)" in ended.value.messages[0]
    with pytest.raises(ValidationError) as future:
        Period.year(2027)
    assert future.value.code == "future"
    assert "2027 has not begun" in future.value.messages[0]
    with pytest.raises(ValidationError) as later:
        Period.month(2026, 4)
    assert later.value.code == "future"
    with pytest.raises(ValidationError):
        st.statistic("no_such_statistic")
    # and the current year is allowed (it counts up to today)
    assert Period.year(2026).end == dt.date(2026, 12, 31)


def test_every_statistic_has_a_table_on_an_empty_database(region) -> None:
    for stat in st.STATISTICS:
        for breakdown, _label in st.BREAKDOWNS:
            table = st.table(stat, Period.year(2023), breakdown)
            assert len(table.rows) == 8
            assert table.published.total == 0
    _ = Role  # roles are used by the page tests


# --- by organisation ------------------------------------------------------------------


def by_organisation(table: st.Table) -> dict[str, int | None]:
    return dict(zip(table.columns, table.published.column_totals, strict=True))


def test_referrals_and_services_count_for_the_receiving_organisation(world, no_suppression) -> None:
    # given two checks done by Soite and one referral sent to another provider
    other = f.OrganisationFactory(kind=OrganisationKind.SERVICE_PROVIDER, name_fi="Terveystalo")
    a, b, c = world["kokkola"][:3]
    referral(world, a, "health_check", "completed", closed_at=at(2023, 4, 1))
    referral(world, b, "health_check", "completed", closed_at=at(2023, 4, 2))
    Referral.objects.create(
        client=c,
        service=world["services"]["health_check"],
        from_organisation=world["employment"],
        to_organisation=other,
        sent_at=at(2023, 3, 1, 10),
        reason="Testi",
        status="sent",
    )
    year = Period.year(2023)
    # then checks and sent referrals land in the receiver's column, by its name
    checks = st.table(st.statistic("health_checks"), year, st.ORGANISATION)
    assert by_organisation(checks) == {world["soite"].name: 2}
    sent = st.table(st.statistic("referrals_sent"), year, st.ORGANISATION)
    assert by_organisation(sent) == {world["soite"].name: 2, other.name: 1}
    assert cell(sent, "272", world["soite"].name) == 2
    # and the sender is not a column; the note says which organisation it is
    assert world["employment"].name not in sent.columns
    assert "received the referral" in str(sent.statistic.organisation_label)
    per_service = st.table(st.statistic("clients_per_service"), year, st.ORGANISATION)
    assert by_organisation(per_service) == {world["soite"].name: 2}


def test_joint_service_counts_for_the_enrolling_workers_organisation(world, no_suppression) -> None:
    from silta.casework.models import JointServiceMember

    worker = f.staff(Role.CASE_WORKER, world["employment"])
    nurse = f.staff(Role.HEALTH_PROFESSIONAL, world["soite"])
    a, b = world["kokkola"][:2]
    js = JointService.objects.create(client=a, started_on=dt.date(2023, 2, 1), started_by=worker)
    for user, org in ((worker, world["employment"]), (nurse, world["soite"])):
        JointServiceMember.objects.create(joint_service=js, user=user, organisation=org, role="x")
    JointService.objects.create(client=b, started_on=dt.date(2023, 3, 1))  # nobody recorded
    table = st.table(st.statistic("joint_service_clients"), Period.year(2023), st.ORGANISATION)
    assert by_organisation(table) == {
        world["employment"].name: 1,
        "No organisation recorded": 1,
    }


def test_rehab_and_outcomes_count_for_the_provider_and_the_recorder(region, no_suppression) -> None:
    w = f.rehab_world(region["272"], start=dt.date(2025, 1, 6))
    placement: Placement = w["placement"]
    for day in (6, 7):
        Attendance.objects.create(
            placement=placement,
            day=dt.date(2025, 1, day),
            present=True,
            hours=Decimal(6),
            recorded_at=at(2025, 1, day, 16),
        )
    Outcome.objects.create(
        client=w["client"],
        organisation=w["soite"],
        kind="work_trial",
        occurred_on=dt.date(2025, 1, 20),
    )
    january = Period.month(2025, 1)
    mello = w["a"]["org"].name
    people = st.table(st.statistic("rehab_participants"), january, st.ORGANISATION)
    days = st.table(st.statistic("rehab_participant_days"), january, st.ORGANISATION)
    assert by_organisation(people) == {mello: 1}
    assert by_organisation(days) == {mello: 2}
    done = st.table(st.statistic("outcomes"), january, st.ORGANISATION)
    assert by_organisation(done) == {w["soite"].name: 1}


def test_organisation_tables_are_suppressed_like_the_others(world) -> None:
    # given 7 checks by Soite and 2 by a small provider, in Kokkola and Kannus
    other = f.OrganisationFactory(kind=OrganisationKind.SERVICE_PROVIDER, name_fi="Pieni Oy")
    for person in [*world["kokkola"], world["mover"]]:
        referral(world, person, "health_check", "completed", closed_at=at(2023, 8, 1))
    for person in world["kannus"]:
        Referral.objects.create(
            client=person,
            service=world["services"]["health_check"],
            from_organisation=world["employment"],
            to_organisation=other,
            sent_at=at(2023, 3, 1, 10),
            reason="Testi",
            status="completed",
            closed_at=at(2023, 8, 1),
        )
    year = Period.year(2023)
    table = st.table(st.statistic("health_checks"), year, st.ORGANISATION)
    # then no figure of 1–4 is published, the small provider's column is hidden
    p = table.published
    published = [v for row in p.cells for v in row] + list(p.column_totals)
    published += [*(p.row_totals or []), p.total]
    assert not [v for v in published if v is not None and 1 <= v <= 4]
    assert by_organisation(table)[other.name] is None
    # and the municipality totals are those of every other breakdown
    language = st.table(st.statistic("health_checks"), year, st.LANGUAGE)
    assert p.row_totals == language.published.row_totals and p.total == language.published.total
