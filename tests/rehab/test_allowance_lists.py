"""The allowance lists explain themselves (issue 15): Kela's expense allowance and the
activity allowance list, per participant and month, the days counted and for every
other attendance day the reason; together they account for every attendance day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from tests import factories

from silta.core import dates
from silta.funding.models import BenefitPayment
from silta.rehab import selectors, services
from silta.rehab.attendance import DayEntry
from silta.rehab.rates import default_rates

T = dates.HELSINKI


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=T), tick=False
    )


def _week(monday: dt.date, absent_on: int | None = None) -> list[DayEntry]:
    return [
        DayEntry(monday + dt.timedelta(days=i), False, None, "ill")
        if i == absent_on
        else DayEntry(monday + dt.timedelta(days=i), True, Decimal(6))
        for i in range(4)
    ]


@pytest.mark.django_db
def test_both_lists_account_for_every_day_with_the_reason(region, monkeypatch) -> None:
    with at(dt.date(2025, 1, 6)):
        w = factories.rehab_world(region["272"], start=dt.date(2025, 1, 6))
    staff, worker, placement = w["a"]["staff"], w["worker"], w["placement"]
    feb = dt.date(2025, 2, 1)
    with at(dt.date(2025, 3, 3)):
        # four weeks of February, one absence; unemployment benefit for the first two
        for n, monday in enumerate(dt.date(2025, 2, d) for d in (3, 10, 17, 24)):
            services.attendance_record(
                actor=staff, placement=placement, entries=_week(monday, 0 if n == 2 else None)
            )
        BenefitPayment.objects.create(
            person_id=w["client"].personal_id,
            client=w["client"],
            municipality_code="272",
            benefit="LMS",
            basis="unemployment",
            period_start=dt.date(2025, 2, 1),
            period_end=dt.date(2025, 2, 16),
            paid_days=10,
            amount_eur=Decimal("372.10"),
            payment_date=dt.date(2025, 2, 20),
        )
        # without social assistance the last two weeks have no basis
        kela = selectors.kela_list_for(actor=worker, month=feb)
        activity = selectors.activity_list_for(actor=worker, month=feb)
        (k,) = kela.rows
        assert (k.days, k.eligible_days, k.amount) == (16, 8, Decimal("72.00"))
        assert k.not_counted == {"absent": 1, "no_basis": 7}
        assert activity.rows[0].eligible_days == 0
        # the participant gets social assistance: the days move to the activity list
        placement.social_assistance = True
        placement.save()
        kela = selectors.kela_list_for(actor=worker, month=feb)
        activity = selectors.activity_list_for(actor=worker, month=feb)
        (k,), (a,) = kela.rows, activity.rows
        assert k.not_counted == {"absent": 1, "other_list": 7}
        assert (a.eligible_days, a.amount) == (7, Decimal("63.00"))
        assert a.not_counted == {"absent": 1, "other_list": 8}
        # together: every attendance day once, counted or with its reason
        assert k.eligible_days + a.eligible_days + k.not_counted["absent"] == k.days == 16
        for data in (kela, activity):
            row = data.rows[0]
            assert row.eligible_days + sum(row.not_counted.values()) == row.days
        # a weekly maximum of 3 (as if the rule were 3): the fourth day says why
        tight = dataclasses.replace(default_rates(), kela_max_days_per_week=3)
        monkeypatch.setattr(selectors, "default_rates", lambda: tight)
        (k,) = selectors.kela_list_for(actor=worker, month=feb).rows
        assert k.eligible_days == 6 and k.not_counted["over_week"] == 2
        monkeypatch.undo()
        # the page and the CSV show the same reasons; the provider does not see lists
        worker.language = "en"
        worker.save()
        http = HttpClient()
        http.force_login(worker)
        page = http.get("/rehab/lists/activity/?month=2025-02").content.decode()
        assert "on the other allowance list" in page and 'data-total="recorded">16<' in page
        lines = (
            http.get("/rehab/lists/kela/?month=2025-02&format=csv").content.decode().splitlines()
        )
        assert lines[0].endswith(
            "not_counted_absent,not_counted_over_week,not_counted_other_list,not_counted_no_basis"
        )
        assert lines[1].endswith(",16,8,9.00,72.00,1,0,7,0")
        own = HttpClient()
        own.force_login(staff)
        assert own.get("/rehab/lists/activity/").status_code == 403
        assert http.get("/rehab/lists/other/").status_code == 404
