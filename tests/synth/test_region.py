"""The synthetic region generator: deterministic, valid identity codes, benefit
payments that respect the payment rules, calibrated to the region's figures."""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from stdnum.fi import hetu, ytunnus

from silta.synth.region import (
    CALIBRATION_DAY,
    HISTORY_START,
    MUNICIPALITIES,
    PAYMENT_COLUMNS,
    TARGET_OPEN_SPELLS,
    Region,
    SynthEvent,
    SynthPayment,
    daily_amount_cents_on,
    generate_region,
    municipality_on,
    open_spell_count,
    weekdays_between,
    write_events_csv,
    write_payments_csv,
)

SMALL = 0.1


@pytest.fixture(scope="module")
def region() -> Region:
    return generate_region()


@pytest.fixture(scope="module")
def small() -> Region:
    return generate_region(scale=SMALL)


def _weekdays(first: date, last: date) -> int:
    return weekdays_between(first.toordinal(), last.toordinal())


# --- determinism --------------------------------------------------------------------


def test_same_seed_and_scale_give_identical_region(small: Region) -> None:
    # given a region generated once
    # when the same seed and scale are generated again on another day of the calendar
    with time_machine.travel(date(2031, 6, 1), tick=False):
        again = generate_region(scale=SMALL)
    # then every list is identical, element by element
    assert again.clients == small.clients
    assert again.payments == small.payments
    assert again.spells == small.spells
    assert again.service_periods == small.service_periods
    assert again.events == small.events
    assert again.staff == small.staff
    assert again.organisations == small.organisations


def test_different_seed_gives_different_region(small: Region) -> None:
    # given the default seed's region
    # when another seed is generated
    other = generate_region(seed=7, scale=SMALL)
    # then clients and payments differ
    assert other.clients != small.clients
    assert other.payments != small.payments


def test_end_bounds_the_data() -> None:
    # given an earlier generation date
    end = date(2024, 3, 31)
    # when the region is generated
    r = generate_region(scale=SMALL, end=end)
    # then nothing is paid, started or known after it
    assert r.generated_on == end
    assert max(p.payment_date for p in r.payments) <= end
    assert all(s.start <= end and (s.end is None or s.end < end) for s in r.spells)
    assert all(e.date <= end for e in r.events if e.event == "employment_condition_met")


# --- identities -----------------------------------------------------------------------


def test_personal_ids_are_synthetic_valid_and_unique(region: Region) -> None:
    # given every client of the scale-1 region
    ids = [c.personal_id for c in region.clients]
    # then each is valid only as a temporary code (individual number 900-999)
    for client in region.clients:
        pid = client.personal_id
        assert hetu.validate(pid, allow_temporary=True) == pid
        assert not hetu.is_valid(pid)
        assert 900 <= int(pid[7:10]) <= 999
        # and matches the birth date and the sex (odd individual number = male)
        assert hetu.compact(pid)[:6] == client.birth_date.strftime("%d%m%y")
        assert (int(pid[7:10]) % 2 == 1) == (client.sex == "M")
    # and they are unique, with the classic and the 2023 century signs in use
    assert len(set(ids)) == len(ids)
    signs = {pid[6] for pid in ids}
    assert {"-", "A"} <= signs
    assert signs & set("YXWVU")
    assert signs & set("BCDEF")


def test_client_contacts_use_example_domains(region: Region) -> None:
    # given all clients and staff
    emails = [c.email for c in region.clients if c.email] + [s.email for s in region.staff]
    # then every e-mail address is in a reserved example domain
    assert emails
    assert all(e.endswith(("@example.fi", "@example.org")) for e in emails)
    # and some clients have no phone or e-mail
    assert any(not c.phone for c in region.clients)
    assert any(not c.email for c in region.clients)


def test_languages_follow_the_region(region: Region) -> None:
    # given the clients whose first home municipality is Kokkola, and the others
    kokkola = [c for c in region.clients if c.municipality_history[0][0] == "272"]
    others = [c for c in region.clients if c.municipality_history[0][0] != "272"]

    def share(clients: list, language: str) -> float:
        return sum(c.language == language for c in clients) / len(clients)

    # then Swedish is common in Kokkola, rare elsewhere, and ~5 % speak another language
    assert 0.08 < share(kokkola, "sv") < 0.15
    assert share(others, "sv") < 0.05
    assert 0.03 < share(region.clients, "other") < 0.08
    assert {"fi", "sv", "en", "other"} == {c.language for c in region.clients}


# --- organisations and staff ----------------------------------------------------------


def test_organisations_and_demo_staff(region: Region) -> None:
    # given the organisations and staff
    orgs = {o.key: o for o in region.organisations}
    # then the keys are unique and the fixed ones exist
    assert len(orgs) == len(region.organisations)
    for key in (
        "kokkola-employment-area",
        "soite-adult-social-work",
        "kela-kokkola",
        "mello-ry",
        "kokkolan-seurakuntayhtyma",
    ):
        assert key in orgs
    assert orgs["kokkola-employment-area"].municipality_code == "272"
    municipal = [o for o in region.organisations if o.kind == "municipality"]
    assert sorted(o.municipality_code for o in municipal) == sorted(m.code for m in MUNICIPALITIES)
    # and providers and parishes carry a valid, synthetic business ID
    providers = [
        o for o in region.organisations if o.kind in ("service_provider", "parish_association")
    ]
    assert len(providers) == 5
    for org in providers:
        assert org.business_id is not None and ytunnus.is_valid(org.business_id)
        assert org.business_id.startswith("399")
    # and each role has a predictable demo user in an existing organisation
    staff = {s.username: s for s in region.staff}
    assert len(staff) == len(region.staff)
    demo = {
        "caseworker": "case_worker",
        "socialworker": "social_worker",
        "instructor": "social_instructor",
        "nurse": "health_professional",
        "kela": "kela_expert",
        "provider": "provider_staff",
        "coordinator": "network_coordinator",
        "finance.kannus": "finance_analyst",
        "manager": "manager",
        "admin": "administrator",
    }
    for username, role in demo.items():
        assert staff[username].role == role
    assert all(s.organisation_key in orgs for s in region.staff)
    # and there is one finance analyst per municipality organisation
    analysts = [s for s in region.staff if s.role == "finance_analyst"]
    assert sorted(orgs[s.organisation_key].municipality_code or "" for s in analysts) == (
        sorted(m.code for m in MUNICIPALITIES)
    )


# --- population and calibration --------------------------------------------------


def test_open_spells_in_january_2026_match_the_region(region: Region) -> None:
    # when the unemployed are counted on the calibration day
    count = open_spell_count(region.spells, CALIBRATION_DAY)
    # then they are 3 156 within 5 %
    assert abs(count / TARGET_OPEN_SPELLS - 1) <= 0.05


def test_scale_multiplies_the_population(region: Region, small: Region) -> None:
    # when the region is generated at a tenth of the scale
    ratio = len(small.clients) / len(region.clients)
    # then it has about a tenth of the clients
    assert 0.085 < ratio < 0.115


def test_spells_are_ordered_and_ages_working_age(region: Region) -> None:
    # given each client's spells
    births = {c.key: c.birth_date for c in region.clients}
    spells = defaultdict(list)
    for s in region.spells:
        spells[s.client_key].append(s)
    # then every client has at least one spell, reaching into 2019 or later
    assert set(spells) == set(births)
    for key, own in spells.items():
        assert any(s.end is None or s.end >= date(2019, 1, 1) for s in own)
        for before, after in itertools.pairwise(own):
            assert before.end is not None and before.end < after.start
        for s in own:
            # and each starts at age 17-64 and ends after it starts
            age = (
                s.start.year
                - births[key].year
                - ((s.start.month, s.start.day) < (births[key].month, births[key].day))
            )
            assert 17 <= age <= 64
            assert s.end is None or s.end >= s.start


def test_municipality_history_is_contiguous(region: Region) -> None:
    # given every client's home municipality history
    codes = {m.code for m in MUNICIPALITIES}
    movers = 0
    for client in region.clients:
        history = client.municipality_history
        # then it is ordered, contiguous, valid codes, and only the last one is open
        assert history[-1][2] is None
        for (code, since, until), (next_code, next_since, _) in itertools.pairwise(history):
            assert until is not None and until >= since
            assert next_since == until + timedelta(days=1)
            assert code != next_code
        assert all(code in codes for code, _, _ in history)
        movers += len(history) > 1
    # and a few per cent moved between the municipalities
    assert 0.02 < movers / len(region.clients) < 0.08


# --- payments -----------------------------------------------------------------------


def test_payment_rows_are_well_formed(region: Region) -> None:
    # given every payment
    for p in region.payments:
        # then the period is at most 28 days, within history, paid a few days after
        assert p.period_start <= p.period_end
        assert (p.period_end - p.period_start).days <= 27
        assert p.period_start >= HISTORY_START
        assert p.payment_date > p.period_end
        assert p.payment_date <= region.generated_on
        assert p.payment_date.weekday() < 5
        assert p.benefit in ("LMS", "BASIC", "EARN_BASIC", "GEN")
        # yleistuki from 1.5.2026, labour market subsidy and basic allowance before
        if p.benefit == "GEN":
            assert p.period_start >= date(2026, 5, 1)
        elif p.benefit in ("LMS", "BASIC"):
            assert p.period_start < date(2026, 5, 1)
        assert p.basis in ("unemployment", "service", "other")
        # and the amount is at most the full daily amount per day; recoveries have 0 days
        if p.amount_cents < 0:
            assert p.paid_days == 0
        else:
            top = max(daily_amount_cents_on(p.period_start), daily_amount_cents_on(p.period_end))
            assert 0 < p.paid_days <= 20
            assert p.amount_cents <= p.paid_days * top
    # and all three bases and benefits occur, with a few recoveries
    assert {p.basis for p in region.payments} == {"unemployment", "service", "other"}
    assert {p.benefit for p in region.payments} == {"LMS", "BASIC", "EARN_BASIC", "GEN"}
    assert any(p.amount_cents < 0 for p in region.payments)


def test_paid_days_are_weekdays_within_the_period_and_the_spell(region: Region) -> None:
    # given the payments grouped by person and period, and the spells by person
    key_of = {c.personal_id: c.key for c in region.clients}
    spells = defaultdict(list)
    for s in region.spells:
        spells[s.client_key].append(s)
    per_period: dict[tuple[str, date, date], int] = defaultdict(int)
    for p in region.payments:
        per_period[(p.person_id, p.period_start, p.period_end)] += p.paid_days
    for (person_id, first, last), days in per_period.items():
        # then each period lies within one of the person's spells
        assert any(
            s.start <= first and (s.end is None or last <= s.end) for s in spells[key_of[person_id]]
        )
        # and the days paid for it are at most its weekdays
        assert days <= _weekdays(first, last)


def test_no_person_is_paid_more_than_five_days_a_calendar_week(region: Region) -> None:
    # given each person's distinct payment periods with the days paid in them
    periods: dict[str, dict[tuple[date, date], int]] = defaultdict(lambda: defaultdict(int))
    for p in region.payments:
        periods[p.person_id][(p.period_start, p.period_end)] += p.paid_days
    for person_periods in periods.values():
        ordered = sorted(person_periods.items())
        # then the periods do not overlap
        for ((_, end), _), ((start, _), _) in itertools.pairwise(ordered):
            assert end < start
        # and no calendar week can hold more than 5 paid days: each period contributes
        # at most its paid days and at most its weekdays inside that week
        weeks: dict[date, int] = defaultdict(int)
        for (first, last), days in ordered:
            monday = first - timedelta(days=first.weekday())
            while monday <= last:
                inside = _weekdays(max(first, monday), min(last, monday + timedelta(days=6)))
                weeks[monday] += min(days, inside)
                monday += timedelta(days=7)
        assert max(weeks.values()) <= 5


def test_payment_municipality_is_the_home_on_the_payment_date(region: Region) -> None:
    # given the clients by personal id
    clients = {c.personal_id: c for c in region.clients}
    # then every payment is billed to the home municipality on its payment date
    for p in region.payments:
        assert p.municipality_code == municipality_on(clients[p.person_id], p.payment_date)


def test_service_days_fall_in_service_periods(small: Region) -> None:
    # given each client's service periods
    key_of = {c.personal_id: c.key for c in small.clients}
    services = defaultdict(list)
    for s in small.service_periods:
        services[s.client_key].append(s)
        assert s.start <= s.end
        assert 1 <= s.days_per_week <= 5
    # then every payment on basis "service" overlaps one of them
    for p in small.payments:
        if p.basis == "service":
            assert any(
                s.start <= p.period_end and s.end >= p.period_start
                for s in services[key_of[p.person_id]]
            )


def test_events(region: Region) -> None:
    # given the person events
    ids = {c.personal_id: c for c in region.clients}
    kinds = defaultdict(int)
    for e in region.events:
        kinds[e.event] += 1
        assert e.person_id in ids
        # then state funding is only for people speaking another language
        if e.event == "state_funded_until":
            assert ids[e.person_id].language == "other"
    # and both kinds occur, state funding only a handful of times
    assert kinds["employment_condition_met"] > 100
    assert 0 < kinds["state_funded_until"] < 150


# --- CSV --------------------------------------------------------------------------


def test_payments_csv_round_trip() -> None:
    # given two payments, one of them a recovery
    payments = [
        SynthPayment(
            "010190-901X",
            "272",
            "LMS",
            "unemployment",
            date(2023, 1, 2),
            date(2023, 1, 29),
            20,
            74420,
            date(2023, 2, 2),
        ),
        SynthPayment(
            "010190-901X",
            "074",
            "LMS",
            "unemployment",
            date(2023, 1, 2),
            date(2023, 1, 29),
            0,
            -5,
            date(2023, 3, 1),
        ),
    ]
    out = io.StringIO()
    # when they are written
    rows = write_payments_csv(payments, out)
    # then the header is the contract's and amounts have two decimals and a point
    assert rows == 2
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(PAYMENT_COLUMNS)
    assert lines[1] == "010190-901X,272,LMS,unemployment,2023-01-02,2023-01-29,20,744.20,2023-02-02"
    assert lines[2].endswith(",0,-0.05,2023-03-01")


def test_generated_payments_csv_round_trip(small: Region, tmp_path) -> None:
    # given the small region's payments written to a file
    path = tmp_path / "payments.csv"
    rows = write_payments_csv(small.payments, path)
    # when the file is read back
    with open(path, encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    # then every row comes back with the same values
    assert rows == len(read) == len(small.payments)
    for p, r in zip(small.payments, read, strict=True):
        assert r["person_id"] == p.person_id
        assert r["municipality_code"] == p.municipality_code
        assert date.fromisoformat(r["period_start"]) == p.period_start
        assert int(r["paid_days"]) == p.paid_days
        assert round(float(r["amount_eur"]) * 100) == p.amount_cents
        assert len(r["amount_eur"].split(".")[1]) == 2
        assert date.fromisoformat(r["payment_date"]) == p.payment_date


def test_events_csv() -> None:
    # given one event
    out = io.StringIO()
    # when it is written
    rows = write_events_csv(
        [SynthEvent("010190-901X", "state_funded_until", date(2026, 3, 31))], out
    )
    # then the file has the contract's header and ISO dates
    assert rows == 1
    assert out.getvalue() == "person_id,event,date\n010190-901X,state_funded_until,2026-03-31\n"


def test_daily_amounts_follow_the_dated_rules() -> None:
    # 34.50 € in January-July 2022, 35.72 € from August 2022, 37.21 € from 2023
    assert daily_amount_cents_on(date(2022, 7, 31)) == 3450
    assert daily_amount_cents_on(date(2022, 8, 1)) == 3572
    assert daily_amount_cents_on(date(2023, 1, 2)) == 3721
    assert daily_amount_cents_on(date(2026, 6, 1)) == 3721
