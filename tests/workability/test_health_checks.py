"""Unemployed health checks on the path (issue 16, item 5): the checking unit invites a
client of the target list, books a time, records a no-show or a refusal, or the check's
content (health data of the unit). Who may do and see what follows the policy table;
bad input is refused next to the field and writes nothing; coverage counts the checks
done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from tests import factories

from silta.accounts.policies import can
from silta.accounts.roles import OrganisationKind, Perm, Role
from silta.audit.models import ChangeLog
from silta.casework.services import consent_record
from silta.clients.models import UnemploymentSpell
from silta.clients.services import relationship_open
from silta.core import dates
from silta.privacy.policy import Action, DataClass, RecordKind, Relation, allowed
from silta.workability import selectors, services
from silta.workability.models import HealthCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_world(path_world):
    """``path_world`` and its health unit as the checking unit: it offers the health
    check and works with the client (health services); a practical nurse's colleague
    who is a social instructor there (not a health role); another health unit."""
    w = dict(path_world)
    factories.service(w["health"], "health_check")
    relationship_open(
        actor=None,
        client=w["client"],
        organisation=w["health"],
        kind="health_services",
        valid_from=dt.date(2020, 1, 1),
    )
    w["health_instructor"] = factories.staff(Role.SOCIAL_INSTRUCTOR, w["health"])
    other = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    factories.service(other, "health_check")
    w["other_nurse"] = factories.staff(Role.HEALTH_PROFESSIONAL, other)
    UnemploymentSpell.objects.create(
        client=w["client"], start=dates.today() - dt.timedelta(days=800)
    )
    return w


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


def _invite(w) -> HealthCheck:  # type: ignore[no-untyped-def]
    return services.health_check_invite(
        actor=w["nurse"],
        client=w["client"],
        invited_on=dates.today() - dt.timedelta(days=5),
        channel="letter",
    )


def _content(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "checked_on": dates.today().isoformat(),
        "health": "some",
        "work_capacity": "unclear",
        "functional_capacity": "reduced",
        "rehabilitation_need": "possible",
        "onward": ["work_ability_assessment"],
        "summary": "Selkävaivat, ohjaus työkyvyn arviointiin",
    }
    data.update(over)
    return data


def test_the_nurse_invites_books_and_records_the_check_on_the_pages(check_world) -> None:
    w = check_world
    http = _http(w["nurse"])
    cid = w["client"].pk
    url = reverse("workability-check-invite", args=[cid])
    assert http.get(url).status_code == 200
    r = http.post(url, {"invited_on": dates.today().isoformat(), "channel": "phone"})
    assert r.status_code == 302
    check = HealthCheck.objects.get()
    # the target list shows the invitation
    body = http.get(reverse("workability-targets")).content.decode()
    assert 'data-invitation="invited"' in body
    when = (dates.now() + dt.timedelta(days=3)).astimezone(dates.HELSINKI)
    r = http.post(
        reverse("workability-check-book", args=[check.pk]),
        {
            "booked_at": when.strftime("%Y-%m-%dT%H:%M"),
            "unit": "Kokkolan terveysasema",
            "version": 1,
        },
    )
    assert r.status_code == 302
    body = http.get(reverse("workability-targets")).content.decode()
    assert 'data-invitation="booked"' in body and "Kokkolan terveysasema" in body
    r = http.post(reverse("workability-check-content", args=[check.pk]), _content(version=2))
    assert r.status_code == 302
    check.refresh_from_db()
    assert check.status == "done" and check.onward == ["work_ability_assessment"]
    # done: off the target list, counted for coverage, a step on the path
    body = http.get(reverse("workability-targets")).content.decode()
    assert w["client"].last_name not in body
    target, checked = selectors.coverage_on(dates.today())
    assert sum(checked.values()) == 1 and sum(target.values()) == 1
    page = http.get(reverse("workability-path", args=[cid])).content.decode()
    assert "Selkävaivat" in page
    assert ChangeLog.objects.filter(event="workability.health_check_done").exists()


def test_the_content_is_health_data_of_the_checking_unit(check_world) -> None:
    w = check_world
    check = _invite(w)
    services.health_check_content_record(
        actor=w["nurse"], check=check, version=1, **{
            k: v for k, v in _content().items() if k != "checked_on"
        }, checked_on=dates.today(),
    )  # fmt: skip
    cid = w["client"].pk

    def seen(user):  # type: ignore[no-untyped-def]
        return _http(user).get(f"/api/v1/work-ability/clients/{cid}/path").json()["health_checks"]

    # the nurse of the unit reads the content; the employment worker and the unit's
    # instructor see that the check was done, not what it found
    assert seen(w["nurse"])[0]["content"]["health"] == "some"
    for user in (w["worker"], w["health_instructor"]):
        got = seen(user)[0]
        assert got["status"] == "done" and got["content"] is None and got["content_hidden"]
        page = _http(user).get(reverse("workability-path", args=[cid])).content.decode()
        assert "Selkävaivat" not in page
    # a health consent of the checking unit opens it to the employment area
    consent_record(
        actor=w["nurse"],
        client=w["client"],
        recipient=w["employment"],
        data_classes=["health"],
        purpose="Työkykypolku",
        given_how="in_writing",
        given_reference="SUOST-9",
    )
    assert seen(w["worker"])[0]["content"]["summary"].startswith("Selkävaivat")
    # another health unit that does not work with the client: 404
    r = _http(w["other_nurse"]).get(f"/api/v1/work-ability/clients/{cid}/path")
    assert r.status_code == 404


def test_the_policy_rows_of_a_health_check_walked_over_the_roles(check_world) -> None:
    """Every client-work role of the checking unit, of another organisation working
    with the client, and the same with a health consent: the API records and shows
    exactly what the table allows."""
    w = check_world
    cid = w["client"].pk
    check = _invite(w)
    services.health_check_content_record(
        actor=w["nurse"], check=check, version=1, checked_on=dates.today(),
        health="good", work_capacity="full", functional_capacity="full",
        rehabilitation_need="none", onward=["none"],
    )  # fmt: skip
    walked: set[tuple[bool, bool]] = set()
    for org_key, consent in (("health", False), ("employment", False), ("employment", True)):
        org = w[org_key]
        if consent:
            consent_record(
                actor=w["nurse"], client=w["client"], recipient=org, data_classes=["health"],
                purpose="Polku", given_how="in_writing", given_reference="S-1",
            )  # fmt: skip
        relations = {Relation.RELATIONSHIP}
        if org_key == "health":
            relations.add(Relation.CONTROLLER)
        if consent:
            relations.add(Relation.CONSENT)
        for role in (Role.CASE_WORKER, Role.SOCIAL_WORKER, Role.SOCIAL_INSTRUCTOR,
                     Role.HEALTH_PROFESSIONAL, Role.KELA_EXPERT):  # fmt: skip
            user = factories.staff(role, org)
            http = _http(user)
            data = http.get(f"/api/v1/work-ability/clients/{cid}/path").json()["health_checks"]
            may_read = allowed(role, RecordKind.HEALTH_CHECK_CONTENT, DataClass.HEALTH,
                               relations, Action.READ) is not None  # fmt: skip
            assert (data[0]["content"] is not None) == may_read, (role, org_key, consent)
            walked.add(("read", may_read))  # type: ignore[arg-type]
            may_invite = allowed(role, RecordKind.HEALTH_CHECK, DataClass.BASIC,
                                 relations, Action.CREATE) is not None  # fmt: skip
            r = http.post(
                f"/api/v1/work-ability/clients/{cid}/health-checks",
                {"invited_on": dates.today().isoformat(), "channel": "letter"},
                content_type="application/json",
            )
            # only the checking unit (it offers the check) invites, with case-work write
            expected = may_invite and org_key == "health" and can(user, Perm.CASEWORK_WRITE)
            assert (r.status_code == 201) == expected, (role, org_key, r.status_code)
            if r.status_code == 201:
                HealthCheck.objects.filter(pk=r.json()["id"]).delete()
            walked.add(("invite", r.status_code == 201))  # type: ignore[arg-type]
    assert walked >= {("read", True), ("read", False), ("invite", True), ("invite", False)}


def test_bad_input_is_refused_next_to_the_field_and_writes_nothing(check_world) -> None:
    w = check_world
    http = _http(w["nurse"])
    url = reverse("workability-check-invite", args=[w["client"].pk])
    future = (dates.today() + dt.timedelta(days=2)).isoformat()
    r = http.post(url, {"invited_on": future, "channel": "letter"})
    assert r.status_code == 400 and "invited_on" in r.context["form"].errors
    assert not HealthCheck.objects.exists()
    check = _invite(w)
    # a second open invitation
    r = http.post(url, {"invited_on": dates.today().isoformat(), "channel": "letter"})
    assert r.status_code == 400 and "invited_on" in r.context["form"].errors
    assert HealthCheck.objects.count() == 1
    # a no-show without a booked time
    r = http.post(
        reverse("workability-check-end", args=[check.pk]),
        {"status": "no_show", "on": dates.today().isoformat(), "version": 1},
    )
    assert r.status_code == 400 and "status" in r.context["form"].errors
    # a check dated before its invitation
    before = (check.invited_on - dt.timedelta(days=1)).isoformat()
    r = http.post(
        reverse("workability-check-content", args=[check.pk]),
        _content(checked_on=before, version=1),
    )
    assert r.status_code == 400 and "checked_on" in r.context["form"].errors
    # "no onward referral" with a referral
    r = http.post(
        reverse("workability-check-content", args=[check.pk]),
        _content(onward=["none", "treatment"], version=1),
    )
    assert r.status_code == 400 and "onward" in r.context["form"].errors
    check.refresh_from_db()
    assert check.status == "invited" and check.version == 1
    # a stale page: somebody declined it meanwhile
    services.health_check_end(
        actor=w["nurse"], check=check, version=1, status="declined", on=dates.today()
    )
    r = http.post(reverse("workability-check-content", args=[check.pk]), _content(version=1))
    assert r.status_code in (404, 409)
    check.refresh_from_db()
    assert check.status == "declined" and check.checked_on is None


def test_others_cannot_handle_the_units_check(check_world) -> None:
    w = check_world
    check = _invite(w)
    # the employment worker reads the invitation but may not book it (page or API)
    http = _http(w["worker"])
    assert http.get(reverse("workability-check-book", args=[check.pk])).status_code == 404
    r = http.post(
        f"/api/v1/work-ability/health-checks/{check.pk}/booking",
        {"version": 1, "booked_at": dates.now().isoformat(), "unit": "X"},
        content_type="application/json",
    )
    assert r.status_code == 404
    # the unit's instructor books it but may not record the content (health role only)
    http = _http(w["health_instructor"])
    assert http.get(reverse("workability-check-book", args=[check.pk])).status_code == 200
    r = http.post(reverse("workability-check-content", args=[check.pk]), _content(version=1))
    assert r.status_code == 404
    # another health unit: nothing
    r = _http(w["other_nurse"]).get(reverse("workability-check-book", args=[check.pk]))
    assert r.status_code == 404
    check.refresh_from_db()
    assert check.version == 1
