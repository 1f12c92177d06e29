"""Attendance rules (laki 189/2001): at most 4 days a week, 4-8 hours a day, at most 32
hours a week, no day outside the placement, no future day. Every refusal names the
day and the rule; nothing is saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from tests import factories

from silta.audit.models import ChangeLog
from silta.core import dates
from silta.rehab.attendance import DayEntry, attendance_problems
from silta.rehab.errors import RehabError as E
from silta.rehab.models import Attendance
from silta.rehab.rates import default_rates
from silta.rehab.services import attendance_import, attendance_record

NOW = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dates.HELSINKI)  # a Wednesday
RULES = default_rates().attendance
START, LAST = dt.date(2025, 1, 6), dt.date(2025, 12, 31)
MON = dt.date(2025, 3, 3)


def present(day: dt.date, hours: str = "6", line: int | None = None) -> DayEntry:
    return DayEntry(day, True, Decimal(hours), "", line)


def check(entries, existing=None, rules=RULES):  # type: ignore[no-untyped-def]
    return attendance_problems(
        entries=entries,
        existing=existing or {},
        start=START,
        last_day=LAST,
        today=NOW.date(),
        rules=rules,
    )


def days(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


def test_four_days_a_week_are_fine_and_a_fifth_is_refused_naming_it() -> None:
    # given Monday to Thursday present, then no problem
    assert check([present(d) for d in days(MON, 4)]) == []
    # when Friday is added too
    problems = check([present(d) for d in days(MON, 5)])
    # then the fifth day is named with the weekly rule
    assert [p.code for p in problems] == [E.ATT_DAYS_WEEK]
    assert problems[0].day == dt.date(2025, 3, 7)
    assert problems[0].message.startswith("7.3.2025: ")
    assert "4" in problems[0].message and "10/2025" in problems[0].message


def test_the_fifth_day_counts_days_already_recorded() -> None:
    # given Monday to Thursday already recorded present
    existing = {d: (True, Decimal(6)) for d in days(MON, 4)}
    # when Friday is given, then it is refused
    problems = check([present(dt.date(2025, 3, 7))], existing)
    assert [(p.code, p.day) for p in problems] == [(E.ATT_DAYS_WEEK, dt.date(2025, 3, 7))]
    # and when Thursday is changed to absent at the same time, Friday is fine
    fine = check(
        [DayEntry(dt.date(2025, 3, 6), False, None, "ill"), present(dt.date(2025, 3, 7))], existing
    )
    assert fine == []


def test_week_boundary_is_sunday_to_monday() -> None:
    # given Thursday to Sunday present (4 days in week 10)
    week10 = days(dt.date(2025, 3, 6), 4)
    # when Monday of the next week is added, then no week has more than four days
    assert check([present(d) for d in [*week10, dt.date(2025, 3, 10)]]) == []
    # but a fifth day inside week 10 (Wednesday) is refused
    problems = check([present(d) for d in [*week10, dt.date(2025, 3, 5)]])
    assert [p.code for p in problems] == [E.ATT_DAYS_WEEK]
    assert "10/2025" in problems[0].message


@pytest.mark.parametrize(
    ("hours", "code"),
    [
        ("9", E.ATT_HOURS_DAY),
        ("3.5", E.ATT_HOURS_DAY),
        ("-2", E.ATT_NEGATIVE),
    ],
)
def test_hours_a_day_must_be_four_to_eight(hours: str, code: E) -> None:
    assert check([present(MON, "4")]) == []
    assert check([present(MON, "8")]) == []
    problems = check([present(MON, hours)])
    assert [p.code for p in problems] == [code]
    assert problems[0].message.startswith("3.3.2025: ")


def test_hours_a_week_at_most_the_weekly_limit() -> None:
    # given a rules file with a 30-hour week (the law's 32 cannot be passed with
    # 4 days of 8 hours), when four 8-hour days are given, the last is named
    rules = replace(RULES, max_hours_per_week=Decimal(30))
    problems = check([present(d, "8") for d in days(MON, 4)], rules=rules)
    assert [(p.code, p.day) for p in problems] == [(E.ATT_HOURS_WEEK, dt.date(2025, 3, 6))]
    assert problems[0].message == (
        "6.3.2025: at most 30 hours a week; week 10/2025 would have 32 hours."
    )


def test_no_future_day_and_no_day_outside_the_placement() -> None:
    problems = check([present(dt.date(2025, 3, 13)), present(dt.date(2025, 1, 3))])
    assert {(p.code, p.day) for p in problems} == {
        (E.ATT_FUTURE, dt.date(2025, 3, 13)),
        (E.ATT_OUTSIDE, dt.date(2025, 1, 3)),
    }
    outside = next(p for p in problems if p.code == E.ATT_OUTSIDE)
    assert outside.message == "3.1.2025: the day is outside the placement (6.1.2025–31.12.2025)."


def test_absence_needs_a_reason_and_presence_needs_hours() -> None:
    problems = check(
        [DayEntry(MON, False, None, ""), DayEntry(dt.date(2025, 3, 4), True, None, "")]
    )
    assert {p.code for p in problems} == {E.ATT_REASON_MISSING, E.ATT_HOURS_MISSING}


@pytest.fixture
def world(region):
    with time_machine.travel(NOW, tick=False):
        yield factories.rehab_world(region["272"])


@pytest.mark.django_db
def test_service_refuses_a_bad_week_and_saves_nothing(world) -> None:
    with time_machine.travel(NOW, tick=False):
        staff, placement = world["a"]["staff"], world["placement"]
        logs = ChangeLog.objects.count()
        # when the provider records five days, one of them 9 hours
        entries = [present(d) for d in days(MON, 4)] + [present(dt.date(2025, 3, 7), "9")]
        with pytest.raises(ValidationError) as caught:
            attendance_record(actor=staff, placement=placement, entries=entries)
        # then every problem names its day and nothing is saved
        messages = caught.value.messages  # type: ignore[attr-defined]
        assert any(m.startswith("7.3.2025: a day of attendance is 4–8 hours") for m in messages)
        assert not Attendance.objects.exists()
        assert ChangeLog.objects.count() == logs
        # and a good week is saved, with one change-log row
        rows = attendance_record(actor=staff, placement=placement, entries=entries[:4])
        assert len(rows) == 4
        log = ChangeLog.objects.filter(event="rehab_attendance.recorded").get()
        assert log.target_id == str(placement.pk)
        assert len(log.changes["days"][1]) == 4


CSV_HEADER = "personal_id,date,status,hours,absence_reason\n"


@pytest.mark.django_db
def test_csv_import_names_every_bad_line_and_saves_nothing(world) -> None:
    with time_machine.travel(NOW, tick=False):
        staff, c = world["a"]["staff"], world["client"]
        pid = c.personal_id
        text = CSV_HEADER + "\n".join(
            [
                f"{pid},2025-03-03,present,6,",
                f"{pid},2025-03-04,present,6,",
                f"{pid},2025-03-05,present,6,",
                f"{pid},2025-03-06,present,6,",
                f"{pid},2025-03-07,present,6,",  # fifth day
                f"{pid},2025-01-03,present,6,",  # before the placement
                f"{pid},2025-02-10,present,9,",  # 9 hours
                f"{pid},2025-02-11,present,-1,",  # negative
                "010101-9999,2025-02-12,present,6,",  # unknown client
                f"{pid},2025-02-13,absent,,",  # no reason
            ]
        )
        with pytest.raises(ValidationError) as caught:
            attendance_import(actor=staff, text=text)
        messages = caught.value.messages  # type: ignore[attr-defined]
        expected = {
            "Line 6: 7.3.2025: at most 4 days a week",
            "Line 7: 3.1.2025: the day is outside the placement",
            "Line 8: 10.2.2025: a day of attendance is 4–8 hours, not 9.",
            "Line 9: 11.2.2025: the hours cannot be a negative number.",
            "Line 10: 12.2.2025: no placement of yours has a client with this identity code.",
            "Line 11: 13.2.2025: give the reason for the absence.",
        }
        for start in expected:
            assert any(m.startswith(start) for m in messages), (start, messages)
        assert len(messages) == len(expected)
        assert not Attendance.objects.exists()
        # when the file is fixed, all lines are saved
        good = CSV_HEADER + "\n".join(
            [f"{pid},2025-03-0{d},present,6," for d in (3, 4, 5, 6)]
            + [f"{pid},2025-02-13,absent,,ill"]
        )
        assert attendance_import(actor=staff, text=good) == 5
        assert Attendance.objects.count() == 5


@pytest.mark.django_db
def test_csv_import_refuses_a_wrong_header_and_other_providers_clients(world) -> None:
    with time_machine.travel(NOW, tick=False):
        other_staff, pid = world["b"]["staff"], world["client"].personal_id
        with pytest.raises(ValidationError) as caught:
            attendance_import(actor=other_staff, text="id,day\n1,2\n")
        assert "personal_id,date,status,hours,absence_reason" in caught.value.messages[0]  # type: ignore[attr-defined]
        # provider B cannot record for provider A's client: the client is unknown to B
        with pytest.raises(ValidationError) as caught:
            attendance_import(actor=other_staff, text=CSV_HEADER + f"{pid},2025-03-03,present,6,\n")
        assert "no placement of yours" in caught.value.messages[0]  # type: ignore[attr-defined]
        assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_week_grid_form_shows_the_rule_next_to_the_day(world, client) -> None:
    with time_machine.travel(NOW, tick=False):
        staff, placement = world["a"]["staff"], world["placement"]
        staff.language = "en"
        staff.save()
        client.force_login(staff)
        data = {f"d{i}_status": "present" for i in range(5)} | {
            f"d{i}_hours": "6" for i in range(5)
        }
        data["d2_hours"] = "9"
        url = f"/rehab/placements/{placement.pk}/attendance/?week=2025-03-03"
        response = client.post(url, data)
        assert response.status_code == 400
        body = response.content.decode()
        assert "5.3.2025: a day of attendance is 4–8 hours, not 9." in body
        assert not Attendance.objects.exists()
        # when the hours are fixed and Friday left out, the week is saved
        data["d2_hours"] = "7,5"
        data["d4_status"] = ""
        response = client.post(url, data)
        assert response.status_code == 302
        assert Attendance.objects.filter(present=True).count() == 4
        assert Attendance.objects.get(day=dt.date(2025, 3, 5)).hours == Decimal("7.5")
