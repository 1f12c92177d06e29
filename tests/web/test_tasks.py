"""The front page is a task list per role (issue 18 item 5): each app contributes its
provider from ``AppConfig.ready()``; a task is a count and a link, for the user's own
organisation only."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.casework.services import referral_send
from silta.web import tasks
from silta.web.tasks import Task, task_provider_register, task_providers, tasks_for


def test_the_apps_register_their_providers() -> None:
    assert {"casework", "rehab", "governance"} <= set(task_providers())


@pytest.mark.django_db
def test_a_referral_received_is_a_task_of_the_receiver_only(region) -> None:
    cast = factories.two_organisations(region["272"])
    referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus",
    )
    # the receiving organisation's nurse has one referral to answer
    http = HttpClient()
    http.force_login(cast["nurse"])
    body = http.get("/").content.decode()
    assert "1 lähete odottaa vastaustasi" in body
    assert 'href="/referrals/"' in body
    # the sender and a nurse of another organisation have nothing to answer
    other_nurse = factories.staff(Role.HEALTH_PROFESSIONAL)
    for user in (cast["worker"], other_nurse):
        assert not [t for t in tasks_for(user) if t.url == "/referrals/"]
    other = HttpClient()
    other.force_login(other_nurse)
    assert "Sinulle ei ole nyt tehtäviä." in other.get("/").content.decode()


@pytest.mark.django_db
def test_a_failing_provider_leaves_the_others(region, monkeypatch) -> None:
    monkeypatch.setattr(tasks, "_PROVIDERS", dict(tasks._PROVIDERS))

    def broken(user: object) -> list[Task]:
        raise RuntimeError("broken")

    task_provider_register("aaa_broken", broken)
    task_provider_register("zzz_ok", lambda user: [Task("Tee jotain", "/x/", 2)])
    user = factories.staff(Role.CASE_WORKER)
    assert [t.text for t in tasks_for(user)] == ["Tee jotain"]


@pytest.mark.django_db
def test_attendance_to_record_is_the_providers_own(region) -> None:
    import datetime as dt

    from silta.core import dates
    from silta.rehab.models import Placement

    world = factories.rehab_world(region["272"])
    # given a placement that started a month ago with no attendance recorded
    Placement.objects.filter(pk=world["placement"].pk).update(
        start_on=dates.today() - dt.timedelta(days=30),
        planned_end_on=dates.today() + dt.timedelta(days=90),
        ended_on=None,
    )
    # then its provider's staff have attendance to record, provider B's staff do not
    own = [t for t in tasks_for(world["a"]["staff"]) if t.url == "/rehab/"]
    assert [t.count for t in own] == [1] and own[0].overdue
    assert not [t for t in tasks_for(world["b"]["staff"]) if t.url == "/rehab/"]
    # and the organiser has last month's statement of provider A to approve
    organiser = [t for t in tasks_for(world["worker"]) if t.url == "/rehab/"]
    assert any("hyväksyttävänä" in t.text for t in organiser)


@pytest.mark.django_db
def test_the_client_page_summarises_referrals_and_logs_the_read(region) -> None:
    from silta.audit.models import AccessLog

    cast = factories.two_organisations(region["272"])
    referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus",
    )
    http = HttpClient()
    http.force_login(cast["worker"])
    body = http.get(f"/clients/{cast['client'].pk}/").content.decode()
    # the worker sees the open referral in words, with a link to the case work
    assert "vastaanottaja Terveyspalvelut: lähetetty" in body
    assert "Ei avoimia suunnitelmia." in body
    assert f'href="/clients/{cast["client"].pk}/casework/"' in body
    # and the case work read is in the access log with the client page read
    sections = set(AccessLog.objects.values_list("section", flat=True))
    assert any(s.startswith("casework:") for s in sections)
    assert any(s.startswith("client_page:") for s in sections)


@pytest.mark.django_db
def test_the_summary_shows_nothing_to_a_user_without_case_work(region) -> None:
    from silta.web.tasks import client_summary_for

    cast = factories.two_organisations(region["272"])
    analyst = factories.staff(Role.FINANCE_ANALYST)
    assert client_summary_for(analyst, cast["client"].pk) == []
    # another organisation's case worker: the case file is not theirs (404, nothing)
    stranger = factories.staff(Role.CASE_WORKER)
    assert client_summary_for(stranger, cast["client"].pk) == []


@pytest.mark.django_db
def test_the_client_page_offers_no_form_the_user_may_not_send(region) -> None:
    """A refusal shows before a form is filled: a reader without the right to record
    gets no link to the referral or note form, and the page says why."""
    cast = factories.two_organisations(region["272"])
    http = HttpClient()
    http.force_login(cast["worker"])
    url = f"/clients/{cast['client'].pk}/"
    body = http.get(url).content.decode()
    assert f'href="/clients/{cast["client"].pk}/referrals/new/"' in body
    # a finance analyst of the client's home municipality who is also a case worker
    # elsewhere sees the client page, but may record nothing for this client
    import datetime as dt

    from silta.accounts.models import Membership
    from silta.accounts.roles import OrganisationKind

    town = factories.OrganisationFactory(
        kind=OrganisationKind.MUNICIPALITY, municipality=region["272"]
    )
    analyst = factories.staff(Role.FINANCE_ANALYST, town)
    Membership.objects.create(
        user=analyst,
        organisation=factories.OrganisationFactory(),
        role=Role.CASE_WORKER,
        valid_from=dt.date(2020, 1, 1),
    )
    http.force_login(analyst)
    response = http.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "/referrals/new/" not in body and "/notes/new/" not in body
    assert "et kirjata sitä" in body
