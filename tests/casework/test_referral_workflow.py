"""Referral workflow: every legal move works, every illegal one is refused with a
coded error and nothing written; the waiting time is from sending to the first
appointment."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import ChangeLog
from silta.casework import workflow
from silta.casework.models import Referral, ReferralStatus, ReferralStatusChange
from silta.casework.services import referral_move, referral_send
from silta.catalogue.errors import StaleEdit
from silta.clients.models import ServiceRelationship
from silta.core import dates

S = ReferralStatus
TZ = dates.HELSINKI

# extra arguments each target status needs
ARGS = {
    S.ACCEPTED: {},
    S.DECLINED: {"reason": "Ei tarvetta nyt"},
    S.SCHEDULED: {
        "appointment_at": dt.datetime(2025, 3, 20, 9, 0, tzinfo=TZ),
        "place": "Terveysasema, Kokkola",
        "participants": "Asiakas, hoitaja",
    },
    S.COMPLETED: {},
    S.NOT_COMPLETED: {"not_completed_reason": "no_show"},
    S.CANCELLED: {"reason": "Asiakas muutti"},
}
APPOINTMENT_DAY = dt.datetime(2025, 3, 20, 11, 0, tzinfo=TZ)
PATH_TO = {
    S.SENT: [],
    S.ACCEPTED: [S.ACCEPTED],
    S.SCHEDULED: [S.ACCEPTED, S.SCHEDULED],
    S.DECLINED: [S.DECLINED],
    S.COMPLETED: [S.ACCEPTED, S.SCHEDULED, S.COMPLETED],
    S.NOT_COMPLETED: [S.ACCEPTED, S.SCHEDULED, S.NOT_COMPLETED],
    S.CANCELLED: [S.CANCELLED],
}


def _actor(cast, to_status):
    return cast["worker"] if to_status == S.CANCELLED else cast["nurse"]


def _send(cast) -> Referral:
    return referral_send(
        actor=cast["worker"],
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus, pitkä työttömyys",
    )


def _walk(cast, referral: Referral, path) -> Referral:
    for status in path:
        # a referral is completed on its appointment day at the earliest (issue 15)
        when = APPOINTMENT_DAY if status in {S.COMPLETED, S.NOT_COMPLETED} else dates.now()
        with time_machine.travel(when, tick=False):
            referral = referral_move(
                actor=_actor(cast, status),
                referral=referral,
                to_status=status,
                version=referral.version,
                **ARGS[status],
            )
    return referral


@pytest.fixture
def cast(region):
    return factories.two_organisations(region["272"])


LEGAL = [(old, new) for old, nexts in workflow.REFERRAL_ALLOWED.items() for new in nexts]
ILLEGAL = [
    (old, new)
    for old in workflow.REFERRAL_ALLOWED
    for new in S.values
    if new not in workflow.REFERRAL_ALLOWED[old] and new != S.SENT
]


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2025, 3, 10, 10, 0, tzinfo=TZ), tick=False)
@pytest.mark.parametrize(("old", "new"), LEGAL)
def test_every_legal_move_works_and_is_logged(cast, old, new) -> None:
    # given a referral in status `old`
    referral = _walk(cast, _send(cast), PATH_TO[old])
    assert referral.status == old
    # when the right side moves it to `new`
    moved = _walk(cast, referral, [new])
    # then it has the new status, a status-change row and a change-log row
    assert Referral.objects.get(pk=moved.pk).status == new
    last = ReferralStatusChange.objects.get(referral=moved, new_status=new)
    assert last.old_status == old
    log = ChangeLog.objects.filter(event=f"referral.{new}", target_id=str(moved.pk)).get()
    assert log.changes["status"] == [old, new]


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2025, 3, 10, 10, 0, tzinfo=TZ), tick=False)
@pytest.mark.parametrize(("old", "new"), ILLEGAL)
def test_every_illegal_move_is_refused(cast, old, new) -> None:
    referral = _walk(cast, _send(cast), PATH_TO[old])
    logs = ChangeLog.objects.count()
    actor = _actor(cast, new)
    if old in {S.DECLINED, S.CANCELLED} and actor == cast["nurse"]:
        # a receiver that never worked with the client loses a closed referral at
        # once (issue 13): refused as not its record, nothing written
        with pytest.raises(PermissionDenied):
            referral_move(
                actor=actor, referral=referral, to_status=new, version=referral.version,
                **ARGS[new],
            )  # fmt: skip
        assert ChangeLog.objects.count() == logs
        return
    # when anybody tries an illegal move
    with pytest.raises(ValidationError) as exc:
        referral_move(
            actor=_actor(cast, new),
            referral=referral,
            to_status=new,
            version=referral.version,
            **ARGS[new],
        )
    # then it is refused with a clear coded message, and nothing is written
    err = exc.value.error_dict["to_status"][0]
    assert err.code == "referral.illegal_status_move"
    assert "ei voi merkitä tilaan" in err.message  # Finnish, the default language
    assert Referral.objects.get(pk=referral.pk).status == old
    assert ChangeLog.objects.count() == logs


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2025, 3, 10, 10, 0, tzinfo=TZ), tick=False)
def test_waiting_time_is_from_sending_to_the_first_appointment(cast) -> None:
    referral = _send(cast)
    assert referral.waiting_days is None
    referral = _walk(cast, referral, [S.ACCEPTED, S.SCHEDULED])
    # sent 10.3., first appointment 20.3. -> 10 days
    assert Referral.objects.get(pk=referral.pk).waiting_days == 10


@pytest.mark.django_db
def test_only_the_receiver_handles_and_only_the_sender_cancels(cast) -> None:
    referral = _send(cast)
    # the sender cannot accept its own referral
    with pytest.raises(ValidationError) as exc:
        referral_move(actor=cast["worker"], referral=referral, to_status=S.ACCEPTED, version=1)
    assert exc.value.error_dict["to_status"][0].code == "referral.not_your_move"
    # the receiver cannot cancel it
    with pytest.raises(ValidationError) as exc:
        referral_move(
            actor=cast["nurse"], referral=referral, to_status=S.CANCELLED, version=1, reason="x"
        )
    assert exc.value.error_dict["to_status"][0].code == "referral.not_your_move"
    # a third organisation cannot touch it at all
    outsider = factories.staff(factories.Role.HEALTH_PROFESSIONAL)
    with pytest.raises(PermissionDenied):
        referral_move(actor=outsider, referral=referral, to_status=S.ACCEPTED, version=1)


@pytest.mark.django_db
def test_decline_needs_a_reason_and_not_completed_a_coded_reason(cast) -> None:
    referral = _send(cast)
    with pytest.raises(ValidationError) as exc:
        referral_move(actor=cast["nurse"], referral=referral, to_status=S.DECLINED, version=1)
    assert exc.value.error_dict["reason"][0].code == "referral.reason_required"
    referral = _walk(cast, referral, [S.ACCEPTED])
    referral = referral_move(
        actor=cast["nurse"],
        referral=referral,
        to_status=S.SCHEDULED,
        version=referral.version,
        appointment_at=dates.now() + dt.timedelta(days=3),
        place="Kokkola",
    )
    with pytest.raises(ValidationError) as exc:
        referral_move(
            actor=cast["nurse"],
            referral=referral,
            to_status=S.NOT_COMPLETED,
            version=referral.version,
            not_completed_reason="forgot",
        )
    assert exc.value.error_dict["not_completed_reason"][0].code == "referral.reason_required"


@pytest.mark.django_db
def test_a_stale_version_is_refused(cast) -> None:
    referral = _send(cast)
    _walk(cast, referral, [S.ACCEPTED])
    with pytest.raises(StaleEdit):
        referral_move(
            actor=cast["nurse"], referral=referral, to_status=S.DECLINED, version=1, reason="x"
        )
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED


@pytest.mark.django_db
def test_accepting_opens_a_relationship_for_the_receiver(cast) -> None:
    referral = _send(cast)
    assert not ServiceRelationship.objects.filter(organisation=cast["health"]).exists()
    _walk(cast, referral, [S.ACCEPTED])
    rel = ServiceRelationship.objects.get(organisation=cast["health"])
    assert rel.kind == "referral" and rel.valid_to is None


@pytest.mark.django_db
def test_bad_referrals_are_refused_field_by_field(cast) -> None:
    other_org = factories.OrganisationFactory()
    inactive = factories.service(cast["health"], "doctor_appointment", is_active=False)
    cases = [
        ({"to_organisation": other_org}, "service", "referral.service_not_offered"),
        ({"service": inactive}, "service", "referral.service_inactive"),
        ({"reason": "  "}, "reason", "casework.required"),
        ({"shares": "health"}, "shares", "referral.no_consent_or_basis"),
    ]
    for change, field, code in cases:
        args = {
            "actor": cast["worker"],
            "client": cast["client"],
            "service": cast["health_check"],
            "to_organisation": cast["health"],
            "reason": "Syy",
        } | change
        with pytest.raises(ValidationError) as exc:
            referral_send(**args)
        assert exc.value.error_dict[field][0].code == code, change
    assert Referral.objects.count() == 0


@pytest.mark.django_db
def test_caseload_lists_exactly_the_referrals_waiting_longer_than_their_target(cast) -> None:
    """The caseload's "waiting too long" list: no first appointment and more days since
    sending (Helsinki dates) than the service's target, whatever the target."""
    from silta.casework.selectors import caseload_for

    target = cast["health_check"].target_wait_days
    today = dt.date(2025, 6, 2)
    sent = {}
    for days in (target - 1, target, target + 1, target + 30):
        sent_on = today - dt.timedelta(days=days)
        # sent just after midnight in Helsinki: still the previous day in UTC
        with time_machine.travel(dt.datetime.combine(sent_on, dt.time(0, 30), TZ), tick=False):
            sent[days] = _send(cast)
    with time_machine.travel(dt.datetime.combine(today, dt.time(9, 0), TZ), tick=False):
        scheduled = _walk(cast, _send(cast), [S.ACCEPTED])
        scheduled.first_appointment_at = dates.now()
        scheduled.sent_at = dates.now() - dt.timedelta(days=target + 40)
        scheduled.save()
        waiting = caseload_for(actor=cast["worker"]).waiting
    assert [row.referral.pk for row in waiting] == [sent[target + 30].pk, sent[target + 1].pk]
    assert [row.days_waiting for row in waiting] == [target + 30, target + 1]


@pytest.mark.django_db
def test_caseload_shows_the_most_urgent_rows_and_the_whole_list_on_request(cast) -> None:
    """Each caseload list shows its first rows with a link to the whole list; the whole
    list shows every row (up to its cap); only what is shown is in the access log."""
    from django.test import Client as HttpClient

    from silta.audit.models import AccessLogSubject
    from silta.casework.selectors import CASELOAD_ROWS

    target = cast["health_check"].target_wait_days
    with time_machine.travel(dt.datetime(2025, 1, 2, 9, 0, tzinfo=TZ), tick=False):
        for _ in range(CASELOAD_ROWS + 2):
            _send(cast)
    http = HttpClient()
    http.force_login(cast["worker"])
    later = dt.datetime(2025, 1, 2, 9, 0, tzinfo=TZ) + dt.timedelta(days=target + 5)
    with time_machine.travel(later, tick=False):
        short = http.get("/caseload/")
        whole = http.get("/caseload/?more=waiting")
        unknown = http.get("/caseload/?more=nonsense")
    assert short.status_code == whole.status_code == unknown.status_code == 200
    short_html, whole_html = short.content.decode(), whole.content.decode()

    def rows(html: str) -> int:
        return len(re.findall(r'href="/referrals/[0-9a-f-]{36}/"', html))

    assert rows(short_html) == CASELOAD_ROWS
    assert 'href="/caseload/?more=waiting"' in short_html
    assert rows(whole_html) == CASELOAD_ROWS + 2
    assert 'href="/caseload/?more=waiting"' not in whole_html
    assert rows(unknown.content.decode()) == CASELOAD_ROWS
    logged = AccessLogSubject.objects.filter(log__section="casework:caseload")
    # the same client on every row: one subject per page view
    assert logged.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today",
    [
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
        dt.date(2024, 8, 30),
        dt.date(2024, 2, 29),
        dt.date(2025, 5, 1),
    ],
)
def test_caseload_follow_ups_are_exactly_the_due_ones(cast, today) -> None:
    """The SQL filter of due follow-ups is exact: it selects the same outcomes as the
    row-by-row rule, over outcomes on every day of the past 400 days (month ends
    included, where the due date is clipped), and the list shows them all."""
    from silta.casework.models import FOLLOW_UP_MONTHS, Outcome
    from silta.casework.selectors import CASELOAD_ROWS_ALL, _follow_up_due_q, caseload_for
    from silta.casework.services import follow_up_due_on

    # every day around each follow-up's cut-off, every week elsewhere
    near = {round(m * 30.44) + d for m in FOLLOW_UP_MONTHS for d in range(-8, 9)}
    outcomes = []
    for back in sorted(near | set(range(0, 400, 7))):
        day = today - dt.timedelta(days=back)
        filled = {f"follow_up_{m}": "continues" for m in FOLLOW_UP_MONTHS if back % (m + 1) == 0}
        outcomes.append(
            Outcome(
                client=cast["client"],
                organisation=cast["employment"],
                kind="open_market_job",
                occurred_on=day,
                **filled,
            )
        )
    Outcome.objects.bulk_create(outcomes)
    expected = []
    for o in sorted(outcomes, key=lambda o: o.occurred_on):
        for m in FOLLOW_UP_MONTHS:
            if not getattr(o, f"follow_up_{m}") and follow_up_due_on(o, m) <= today:
                expected.append((o.occurred_on, m))
                break
    assert 0 < len(expected) < CASELOAD_ROWS_ALL
    with time_machine.travel(dt.datetime.combine(today, dt.time(12, 0), TZ), tick=False):
        data = caseload_for(actor=cast["worker"], expand="follow_ups")
    assert [(o.occurred_on, m) for o, m, _due in data.follow_ups] == expected
    selected = Outcome.objects.filter(_follow_up_due_q(today), occurred_on__lte=today)
    assert sorted(selected.values_list("occurred_on", flat=True)) == [d for d, _m in expected]


@pytest.mark.django_db
def test_caseload_my_clients_are_the_visible_ones_by_name(cast, region) -> None:
    """My clients: those with my open referrals (or plans, or joint teams), ordered by
    name, cut at the list's length with the link to the rest; a colleague's referral
    does not make a client mine, and a client the organisation no longer works with
    is not shown."""
    from silta.casework.selectors import CASELOAD_ROWS, caseload_for
    from silta.clients.models import ServiceRelationship

    names = [f"Asiakas{i:02d}" for i in range(CASELOAD_ROWS + 1)]
    people = {}
    for name in reversed(names):
        person = factories.client(region["272"], last_name=name, organisation=cast["employment"])
        referral_send(
            actor=cast["worker"],
            client=person,
            service=cast["health_check"],
            to_organisation=cast["health"],
            reason="Terveystarkastus",
        )
        people[name] = person
    colleague = factories.staff(Role.CASE_WORKER, cast["employment"])
    referral_send(
        actor=colleague,
        client=cast["client"],
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="Terveystarkastus",
    )
    ServiceRelationship.objects.filter(client=people["Asiakas00"]).delete()
    data = caseload_for(actor=cast["worker"])
    assert [c.last_name for c in data.my_clients] == names[1 : CASELOAD_ROWS + 1]
    assert "mine" not in data.more
    whole = caseload_for(actor=cast["worker"], expand="mine")
    assert [c.last_name for c in whole.my_clients] == names[1:]
