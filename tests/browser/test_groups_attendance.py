"""A group's leader records a session's attendance on the attendance page with the
keyboard and the mouse, and it is saved (issue 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests import factories
from tests.browser.conftest import assert_accessible

from silta.core import dates
from silta.groups.models import Attendance, GroupSession, SessionStatus
from silta.groups.services import participant_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_records_a_sessions_attendance(live_server: Any, page: Any, region: Any) -> None:
    # given a group with three participants and last week's session
    world = factories.group_world(region["272"], capacity=5)
    leader = world["leader"]
    leader.language = "en"
    leader.save()
    group = world["group"]
    people = [
        participant_add(
            actor=world["organiser"],
            intake_met_on=dates.today(),
            intake_in_person=True,
            group=group,
            client=c,
            joined_on=world["start"],
        )
        for c in world["clients"][:3]
    ]
    today = dates.today()
    day = today - dt.timedelta(days=(today.weekday() - 1) % 7 or 7)
    session = GroupSession.objects.create(
        group=group, date=day, start_time=dt.time(10), duration_minutes=120, place="Olohuone"
    )

    # when the leader signs in and opens the group from the navigation
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(leader.username)
    page.locator("input[name=password]").fill("test-pass-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Group activities"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Olohuoneryhmä").click()
    assert page.get_by_role("cell", name="Aalto, Testi").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"{day:%a} {day.day}.{day.month}.{day.year}").click()
    page.wait_for_url(f"**/groups/sessions/{session.pk}/")
    assert_accessible(page)

    # and marks Aalto present with the keyboard, Björk present, Heikkinen absent (ill)
    aalto, bjork, heikkinen = people
    page.locator(f"#id_status_{aalto.pk}_0").focus()
    page.keyboard.press("Space")
    page.locator(f"#id_status_{bjork.pk}_0").check()
    page.locator(f"#id_status_{heikkinen.pk}_1").check()
    # an absence without a reason is refused first, and nothing is saved
    page.get_by_role("button", name="Save the attendance").click()
    page.wait_for_load_state()
    assert page.get_by_text("Heikkinen Testi: give the reason for the absence.").is_visible()
    assert not Attendance.objects.exists()
    assert_accessible(page)
    page.locator(f"#id_reason_{heikkinen.pk}").select_option("ill")
    page.get_by_role("button", name="Save the attendance").click()
    page.wait_for_load_state()

    # then the attendance is saved and the session is held
    assert page.get_by_text("Attendance saved: 3 rows changed.").is_visible()
    assert page.get_by_text("2 present, capacity 5").is_visible()
    saved = {a.participant_id: (a.present, a.absence_reason) for a in Attendance.objects.all()}
    assert saved == {aalto.pk: (True, ""), bjork.pk: (True, ""), heikkinen.pk: (False, "ill")}
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert page.locator(f"#id_status_{aalto.pk}_0").is_checked()
