"""The task list's providers of group activities, IPS coaching and council initiatives
(issue 18 item 5): what the leader, the coach, the preparer and the manager act on,
for them only, and in Finnish and Swedish words."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.core import dates
from silta.web.tasks import Task, task_providers

pytestmark = pytest.mark.django_db

TSV = Path(__file__).resolve().parents[2] / "tools" / "translations" / "pages2.tsv"


def _tasks(key: str, user: object) -> list[Task]:
    return [t for t in task_providers()[key](user) if t.count > 0]  # type: ignore[arg-type]


def test_the_three_apps_register_their_providers() -> None:
    assert {"groups", "ips", "initiatives"} <= set(task_providers())


def test_every_task_text_has_finnish_and_swedish_words() -> None:
    rows = {r[0]: r for r in csv.reader(TSV.open(encoding="utf-8"), delimiter="\t") if r}
    for app in ("groups", "ips", "initiatives"):
        source = (Path(__file__).resolve().parents[2] / "src/silta" / app / "tasks.py").read_text()
        texts = [
            line.strip().strip(",").strip('"')
            for line in source.splitlines()
            if line.strip().startswith('"%(n)s')
        ]
        assert len(texts) >= 2 and len(texts) % 2 == 0, app
        for singular in texts[::2]:  # ngettext's singular; its row holds both forms
            assert singular in rows, singular
            fi, sv = rows[singular][1], rows[singular][2]
            assert "|" in fi and "|" in sv, singular
            assert fi != singular and sv != singular, singular


# --- groups: attendance to record -------------------------------------------------------


def test_sessions_without_attendance_are_the_named_leaders_task(region) -> None:
    from silta.groups.models import GroupSession
    from silta.groups.services import participant_add

    world = factories.group_world(region["272"])
    group = world["group"]
    today = dates.today()
    participant_add(
        actor=world["organiser"],  # type: ignore[arg-type]
        group=group,  # type: ignore[arg-type]
        client=world["clients"][0],  # type: ignore[index]
        joined_on=today - dt.timedelta(days=20),
        intake_met_on=today - dt.timedelta(days=20),
        intake_in_person=True,
    )
    old = GroupSession.objects.create(
        group=group, date=today - dt.timedelta(days=60), start_time=dt.time(10), duration_minutes=60
    )
    waiting = GroupSession.objects.create(
        group=group, date=today - dt.timedelta(days=7), start_time=dt.time(10), duration_minutes=60
    )
    GroupSession.objects.create(
        group=group, date=today, start_time=dt.time(10), duration_minutes=60
    )
    GroupSession.objects.create(
        group=group, date=today + dt.timedelta(days=7), start_time=dt.time(10), duration_minutes=60
    )
    GroupSession.objects.create(
        group=group,
        date=today - dt.timedelta(days=14),
        start_time=dt.time(10),
        duration_minutes=60,
        status="cancelled",
    )
    # before the participant joined: nobody to record
    GroupSession.objects.create(
        group=group, date=today - dt.timedelta(days=25), start_time=dt.time(10), duration_minutes=60
    )
    (task,) = _tasks("groups", world["leader"])
    assert task.count == 2  # last week's and today's; not the old, future or cancelled one
    assert task.url == f"/groups/sessions/{waiting.pk}/"
    assert task.overdue
    assert old.pk != waiting.pk
    # the leader's colleague, the other group's leader and the organiser record nothing
    for user in ("colleague", "outsider", "organiser"):
        assert _tasks("groups", world[user]) == [], user
    # recorded: no task for that session
    from silta.groups.models import Attendance

    Attendance.objects.create(
        session=waiting,
        participant=group.participants.get(),  # type: ignore[attr-defined]
        present=True,
        recorded_at=dates.now(),
    )
    (task,) = _tasks("groups", world["leader"])
    assert task.count == 1 and not task.overdue


# --- IPS: clients without contact, referrals to take -------------------------------------


def test_a_coachs_clients_without_contact_in_30_days(region) -> None:
    from silta.ips.models import CoachingEpisode, JobSearchStep

    ips = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    coach = factories.staff(Role.IPS_COACH, ips)
    other = factories.staff(Role.IPS_COACH, ips)
    today = dates.today()

    def episode(started_days_ago: int, status: str = "active") -> CoachingEpisode:
        return CoachingEpisode.objects.create(
            client=factories.client(region["272"], organisation=ips),
            coach=coach,
            organisation=ips,
            status=status,
            referred_on=today - dt.timedelta(days=started_days_ago + 5),
            referring_unit="Psykiatrian poliklinikka",
            started_on=today - dt.timedelta(days=started_days_ago),
        )

    quiet = episode(90)
    stepped = episode(90)
    JobSearchStep.objects.create(episode=stepped, on=today - dt.timedelta(days=3), kind="cv")
    episode(10)  # started recently
    episode(90, status="ended")
    old_step = episode(120)
    JobSearchStep.objects.create(episode=old_step, on=today - dt.timedelta(days=45), kind="cv")
    (task,) = _tasks("ips", coach)
    assert task.count == 2  # quiet and old_step
    assert task.url == "/ips/"
    assert task.overdue
    assert quiet.coach_id == coach.pk
    assert _tasks("ips", other) == []
    assert _tasks("ips", factories.staff(Role.CASE_WORKER)) == []


def test_accepted_referrals_to_ips_wait_for_a_coach(region) -> None:
    from silta.casework.services import referral_move, referral_send
    from silta.clients.services import relationship_open

    ips = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    coach = factories.staff(Role.IPS_COACH, ips)
    worker = factories.staff(Role.CASE_WORKER, employment)
    client = factories.client(region["272"], organisation=employment)
    service = factories.service(ips, "ips_job_coaching", data_class="none")
    if not employment.client_relationships.filter(client=client).exists():
        relationship_open(
            actor=None,
            client=client,
            organisation=employment,
            kind="jobseeker",
            valid_from=dt.date(2020, 1, 1),
        )
    sent = referral_send(
        actor=worker, client=client, service=service, to_organisation=ips, reason="Töihin."
    )
    assert [t for t in _tasks("ips", coach) if t.count] == []  # not accepted yet
    referral_move(actor=coach, referral=sent, to_status="accepted", version=sent.version)
    (task,) = _tasks("ips", coach)
    assert task.count == 1 and task.url == "/ips/" and not task.overdue
    another_unit = factories.staff(Role.IPS_COACH)
    assert _tasks("ips", another_unit) == []


# --- council initiatives ------------------------------------------------------------------


def test_initiatives_to_prepare_to_send_and_to_decide(region) -> None:
    from silta.initiatives.models import Initiative
    from silta.initiatives.services import initiative_send_to_preparation, initiative_submit

    soite = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    manager = factories.staff(Role.MANAGER, soite)
    preparer = factories.staff(Role.SOCIAL_WORKER, soite)
    other_manager = factories.staff(Role.MANAGER, employment)
    reader = factories.staff(Role.CASE_WORKER, employment)
    today = dates.today()

    def submit(title: str) -> Initiative:
        return initiative_submit(
            actor=manager,
            organisation=soite,
            title=title,
            submitted_on=today - dt.timedelta(days=60),
            council_group="RKP",
            submitters="RKP:n valtuustoryhmä",
            text="Yhteistyö.",
        )

    first, second = submit("Ensimmäinen"), submit("Toinen")
    (task,) = _tasks("initiatives", manager)
    assert task.count == 2 and task.url == "/initiatives/"
    initiative_send_to_preparation(
        actor=manager,
        initiative=first,
        preparers=[(preparer, "")],
        deadline=today - dt.timedelta(days=1),
        on=today - dt.timedelta(days=30),
    )
    (to_prepare,) = _tasks("initiatives", preparer)
    assert to_prepare.count == 1
    assert to_prepare.url == f"/initiatives/{first.pk}/"
    assert to_prepare.overdue  # past the deadline
    (to_send,) = _tasks("initiatives", manager)
    assert to_send.count == 1 and to_send.url == f"/initiatives/{second.pk}/"
    Initiative.objects.filter(pk=first.pk).update(status="answered")
    texts = {t.url: t.count for t in _tasks("initiatives", manager)}
    assert texts == {f"/initiatives/{second.pk}/": 1, f"/initiatives/{first.pk}/": 1}
    assert _tasks("initiatives", other_manager) == []
    assert _tasks("initiatives", reader) == []
