"""The policy table walked over real database rows (issue 13): every client-work role
of five organisations (working with the client, in the joint service team, holding a
consent, with an ended relationship, never related) reads and writes every kind of
case-work record through the pages and the API. What the table allows is shown or
done; nothing else is. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from tests import factories
from tests.privacy import world as W
from tests.privacy.test_service_matrix import SERVICE_KINDS

from silta.accounts.roles import Role
from silta.casework.models import Consent, Note, Outcome, Plan, Referral
from silta.privacy.policy import Action, DataClass, RecordKind, Relation, allowed


def _http(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _finding_relations(w: W.World, viewer_org: str, referral: Referral) -> set[str]:
    s = w.scenario
    owner = w.org_key(referral.to_organisation_id)
    held: set[str] = set()
    if owner == viewer_org:
        held.add(Relation.CONTROLLER if viewer_org in s.active else Relation.CONTROLLER_ENDED)
    if viewer_org in s.active and (owner, viewer_org, DataClass.HEALTH) in set(s.consents):
        held.add(Relation.CONSENT)
    return held


def _expect(w: W.World, role: Role, viewer_org: str, record: object, action: str) -> bool:
    kind, data_class = W.expected_kind_class(record)
    return (
        w.may_open(viewer_org)
        and allowed(role, kind, data_class, w.relations(viewer_org, record), action) is not None
    )


def _reads(http: HttpClient, w: W.World) -> dict[str, str]:
    cid = w.client.pk
    out = {"page": http.get(f"/clients/{cid}/casework/").content.decode()}
    for section in ("notes", "assessments", "plans", "referrals", "appointments", "outcomes",
                    "consents"):  # fmt: skip
        out[section] = http.get(f"/api/v1/clients/{cid}/{section}").content.decode()
    return out


# where each kind's marker must show exactly when allowed (the API list, and the case
# file where it lists every row); anywhere else it may show only when allowed
EXACT = {
    Note: ("notes", "page"),
    Plan: ("plans",),
    Referral: ("referrals",),
    Outcome: ("outcomes",),
    Consent: ("consents", "page"),
}


def _exact_surfaces(record: object) -> tuple[str, ...]:
    from silta.casework.models import Appointment, AssessmentRating

    if isinstance(record, AssessmentRating):
        return ("assessments",)
    if isinstance(record, Appointment):
        return ("appointments", "page")
    return EXACT[type(record)]


@pytest.mark.django_db
def test_every_role_reads_exactly_what_the_table_allows(region) -> None:
    w = W.build(region)
    checked = 0
    outcomes: dict[str, set[bool]] = {}
    findings: dict[tuple[str, str], tuple[bool, bool]] = {}
    for user, org, role in w.viewers:
        seen = _reads(_http(user), w)
        every = "\n".join(seen.values())
        for record, marker in w.records:
            expected = _expect(w, role, org, record, Action.READ)
            outcomes.setdefault(W.expected_kind_class(record)[0], set()).add(expected)
            for surface in _exact_surfaces(record):
                assert (marker in seen[surface]) == expected, (role, org, marker, surface)
            if not expected:
                assert marker not in every, (role, org, marker)
            checked += 1
        # the health finding of the completed health check (case file)
        referral = next(
            r for r, _m in w.records if isinstance(r, Referral) and r.status == "completed"
        )
        finding = (
            _expect(w, role, org, referral, Action.READ)
            and allowed(role, RecordKind.FINDING, DataClass.HEALTH,
                        _finding_relations(w, org, referral), Action.READ) is not None
        )  # fmt: skip
        assert ("Work ability should be assessed" in seen["page"]) == finding, (role, org)
        # the referral's own page shows the finding to the same people, never to others
        detail = _http(user).get(f"/referrals/{referral.pk}/")
        shown = detail.status_code == 200 and "Work ability should be assessed" in (
            detail.content.decode()
        )
        findings.setdefault((role, org), (finding, shown))
    assert checked == len(w.viewers) * len(w.records)
    assert {k: v for k, v in findings.items() if v[1] and not v[0]} == {}, "finding leaked"
    assert {k: v for k, v in findings.items() if v[0] and not v[1]} == {}, "finding hidden"
    assert {v[0] for v in findings.values()} == {True, False}  # both sides were walked
    # every record kind was both shown and refused to somebody
    # (the finding: below; the header: its ratings; the services:
    # test_service_matrix.py)
    assert {k for k, seen in outcomes.items() if seen == {True, False}} == set(
        RecordKind.values
    ) - {
        RecordKind.FINDING,  # below
        RecordKind.ASSESSMENT,  # the header: its ratings
        RecordKind.WORK_ABILITY_RESULT,  # tests/workability/test_privacy.py
        RecordKind.BENEFIT_APPLICATION,  # tests/workability/test_privacy.py
        RecordKind.HEALTH_CHECK,  # test_health_checks_walk_the_table below
        RecordKind.HEALTH_CHECK_CONTENT,  # test_health_checks_walk_the_table below
    } - SERVICE_KINDS


@pytest.mark.django_db
def test_health_checks_walk_the_table(region) -> None:
    """An unemployed health check of each organisation that worked with the client
    (issue 16): its invitation and booking are case-work data, what it found is health
    data of the checking unit. Every client-work role of the five organisations reads,
    through the path's API, exactly what the table allows; an organisation that never
    worked with the client gets 404."""
    from silta.workability.models import HealthCheck

    w = W.build(region)
    s = w.scenario
    today = dates_today()
    checks = []
    for key in ("hea", "soc"):
        hc = HealthCheck.objects.create(
            client=w.client, organisation=w.orgs[key], invited_on=today, channel="letter",
            status="done", unit=f"@HCU-{key}@", checked_on=today, closed_on=today,
            health="some", work_capacity="reduced", functional_capacity="reduced",
            rehabilitation_need="possible", onward=["treatment"], summary=f"@HCS-{key}@",
        )  # fmt: skip
        checks.append((key, hc))
    outcomes: dict[str, set[bool]] = {"basic": set(), "content": set()}
    for user, org, role in w.viewers:
        r = _http(user).get(f"/api/v1/work-ability/clients/{w.client.pk}/path")
        if org not in s.active:
            # the path opens to organisations that work with the client now
            assert r.status_code == 404, (role, org)
            continue
        body = r.content.decode()
        for key, hc in checks:
            relations = w.relations(org, hc)
            basic = allowed(role, RecordKind.HEALTH_CHECK, DataClass.BASIC, relations, Action.READ)
            content_rel = relations - {Relation.CONSENT}
            if (key, org, DataClass.HEALTH) in set(s.consents):
                content_rel.add(Relation.CONSENT)
            content = allowed(role, RecordKind.HEALTH_CHECK_CONTENT, DataClass.HEALTH,
                              content_rel, Action.READ)  # fmt: skip
            assert (f"@HCU-{key}@" in body) == (basic is not None), (role, org, key)
            assert (f"@HCS-{key}@" in body) == (content is not None), (role, org, key)
            outcomes["basic"].add(basic is not None)
            outcomes["content"].add(content is not None)
    assert outcomes == {"basic": {True}, "content": {True, False}}


def dates_today():  # type: ignore[no-untyped-def]
    from silta.core import dates

    return dates.today()


def _attempt(call) -> int:  # type: ignore[no-untyped-def]
    """Run one write and undo it, so each attempt starts from the same rows."""
    sid = transaction.savepoint()
    try:
        return call().status_code
    finally:
        transaction.savepoint_rollback(sid)


def _json(http: HttpClient, method: str, url: str, body: dict) -> object:
    return lambda: getattr(http, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_every_role_writes_exactly_what_the_table_allows(region) -> None:
    from silta.core import dates

    w = W.build(region)
    review = dates.today().toordinal() + 40
    import datetime as dt

    review_on = dt.date.fromordinal(review).isoformat()
    for user, org, role in w.viewers:
        http = _http(user)
        for record, _marker in w.records:
            if isinstance(record, Plan):
                ok = _attempt(_json(http, "put", f"/api/v1/plans/{record.pk}",
                                    {"version": 1, "goals": "x", "next_review_on": review_on}))  # fmt: skip
                assert (ok == 200) == _expect(w, role, org, record, Action.CHANGE), (role, org)
                ok = _attempt(_json(http, "post", f"/api/v1/plans/{record.pk}/status",
                                    {"version": 1, "to_status": "agreed"}))  # fmt: skip
                assert (ok == 200) == _expect(w, role, org, record, Action.END), (role, org)
            elif isinstance(record, Consent):
                ok = _attempt(lambda r=record, h=http: h.post(f"/api/v1/consents/{r.pk}/withdraw"))
                assert (ok == 200) == _expect(w, role, org, record, Action.END), (role, org)
            elif isinstance(record, Outcome):
                ok = _attempt(_json(http, "post", f"/api/v1/outcomes/{record.pk}/follow-ups",
                                    {"months": 3, "status": "continues", "version": 1}))  # fmt: skip
                assert (ok == 200) == _expect(w, role, org, record, Action.CHANGE), (role, org)
            elif isinstance(record, Referral) and record.status == "sent":
                to = w.org_key(record.to_organisation_id)
                move = "accepted" if to == org else "cancelled"
                body = {"version": 1, "to_status": move, "reason": "x"}
                ok = _attempt(_json(http, "post", f"/api/v1/referrals/{record.pk}/moves", body))
                assert (ok == 200) == _expect(w, role, org, record, Action.CHANGE), (role, org)
        # recording a new record of one's own organisation: a team note
        note = Note(organisation=w.orgs[org], visibility="joint_team")
        ok = _attempt(_json(http, "post", f"/api/v1/clients/{w.client.pk}/notes",
                            {"visibility": "joint_team", "text": "uusi"}))  # fmt: skip
        kind, data_class = W.expected_kind_class(note)
        may = org in w.scenario.active and allowed(
            role, kind, data_class, {Relation.CONTROLLER}, Action.CREATE
        )
        assert (ok == 201) == bool(may), (role, org)


@pytest.mark.parametrize(
    "role",
    [Role.MANAGER, Role.PROVIDER_STAFF, Role.FINANCE_ANALYST, Role.ADMINISTRATOR, Role.IPS_COACH],
)
@pytest.mark.django_db
def test_roles_outside_client_work_see_no_case_work(region, role) -> None:
    w = W.build(region, roles=[])
    user = factories.staff(role, w.orgs["emp"], language="en")
    seen = _reads(_http(user), w)
    for _record, marker in w.records:
        assert marker not in "\n".join(seen.values()), (role, marker)
