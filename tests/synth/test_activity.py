"""The case-work activity generator: deterministic, and its rows keep the rules of case
work (workflow, dates, who may act, who is eligible)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

import pytest

from silta.casework import workflow
from silta.casework.models import (
    AssessmentDomain,
    FollowUpStatus,
    JointServiceEndReason,
    NotCompletedReason,
    NoteVisibility,
    OutcomeKind,
    PlanKind,
    PlanStatus,
    ReferralStatus,
)
from silta.catalogue.reference import SERVICES
from silta.privacy.policy import CONSENT_CLASSES
from silta.synth import activity as act
from silta.synth.activity import HELSINKI, Activity, generate_activity, year_counts
from silta.synth.region import Region, generate_region


@pytest.fixture(scope="module")
def region() -> Region:
    return generate_region(seed=7, scale=0.1)


@pytest.fixture(scope="module")
def activity(region: Region) -> Activity:
    return generate_activity(region)


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(HELSINKI).date()


def test_same_region_gives_the_same_activity(region: Region, activity: Activity) -> None:
    # given the same region twice / when generated again / then every row is equal
    again = generate_activity(region)
    for name in ("joint_services", "plans", "referrals", "appointments", "assessments",
                 "notes", "consents", "outcomes"):  # fmt: skip
        assert getattr(again, name) == getattr(activity, name), name
    # a different seed gives different activity
    other = generate_activity(generate_region(seed=8, scale=0.1))
    assert other.referrals != activity.referrals


def test_every_kind_of_activity_is_there(activity: Activity) -> None:
    assert activity.joint_services and activity.plans and activity.appointments
    assert activity.assessments and activity.notes and activity.consents and activity.outcomes
    codes = {r.service_code for r in activity.referrals}
    assert codes == set(act.SERVICE_PROVIDER)
    kinds = {p.kind for p in activity.plans}
    assert kinds == {"activation", "multisectoral", "youth"}
    # on generated_on some referrals are still waiting in an inbox or scheduled
    statuses = {r.status for r in activity.referrals}
    assert statuses >= set(ReferralStatus.values) - {ReferralStatus.ACCEPTED}


def test_stored_values_are_the_models_choices(activity: Activity) -> None:
    assert set(act.ASSESSMENT_DOMAINS) == set(AssessmentDomain.values)
    assert set(act.FOLLOW_UP_MONTHS) == {3, 6, 12}
    for r in activity.referrals:
        assert all(m.status in ReferralStatus.values for m in r.moves)
        assert r.not_completed_reason in {"", *NotCompletedReason.values}
    for p in activity.plans:
        assert p.kind in PlanKind.values
        assert all(v.status in PlanStatus.values for v in p.versions)
    for j in activity.joint_services:
        assert j.end_reason in {"", *JointServiceEndReason.values}
    for o in activity.outcomes:
        assert o.kind in OutcomeKind.values
        assert all(f in {"", *FollowUpStatus.values} for f in o.follow_ups)
    assert {n.visibility for n in activity.notes} <= set(NoteVisibility.values)
    assert all(set(c.data_classes) <= set(CONSENT_CLASSES) for c in activity.consents)
    assert all(c.controller != c.recipient and c.given_reference for c in activity.consents)


def test_referral_histories_follow_the_workflow(region: Region, activity: Activity) -> None:
    end = dt.datetime.combine(region.generated_on, dt.time(23, 59), tzinfo=HELSINKI)
    for r in activity.referrals:
        # given a referral / then it starts sent, moves only along allowed steps, in time
        assert r.moves[0].status == ReferralStatus.SENT
        for a, b in itertools.pairwise(r.moves):
            assert workflow.referral_can_move(a.status, b.status), (a.status, b.status)
            assert a.at < b.at
        assert r.moves[-1].at <= end
        # the stored fields agree with the history
        assert (r.closed_at is not None) == (r.status in workflow.REFERRAL_CLOSED)
        assert (r.first_appointment_at is not None) == any(
            m.status == ReferralStatus.SCHEDULED for m in r.moves
        )
        if r.first_appointment_at is not None:
            assert r.first_appointment_at > r.sent_at
            scheduled = next(m.at for m in r.moves if m.status == ReferralStatus.SCHEDULED)
            assert scheduled <= r.first_appointment_at
        if r.status in (ReferralStatus.DECLINED, ReferralStatus.CANCELLED):
            assert r.status_reason
        assert bool(r.not_completed_reason) == (r.status == ReferralStatus.NOT_COMPLETED)
        if r.work_ability_concern:
            assert r.service_code == "health_check" and r.status == ReferralStatus.COMPLETED


def test_referrals_go_between_the_right_organisations(region: Region, activity: Activity) -> None:
    offered = {(s.code, s.provider_key) for s in SERVICES}
    org_of = {s.username: s.organisation_key for s in region.staff}
    receivers = workflow.REFERRAL_BY_RECEIVER
    for r in activity.referrals:
        assert (r.service_code, r.to_org) in offered
        assert r.from_org != r.to_org
        assert r.sent_by is None or org_of[r.sent_by] == r.from_org
        for m in r.moves[1:]:
            acting = r.to_org if m.status in receivers else r.from_org
            assert m.actor is None or org_of[m.actor] == acting, (r.service_code, m.status)


def test_clients_are_unemployed_and_eligible_when_referred(
    region: Region, activity: Activity
) -> None:
    spells = defaultdict(list)
    for s in region.spells:
        spells[s.client_key].append(s)
    births = {c.key: c.birth_date for c in region.clients}
    concerns = defaultdict(list)
    for r in activity.referrals:
        if r.work_ability_concern and r.closed_at is not None:
            concerns[r.client_key].append(_day(r.closed_at))

    def spell_age(client: int, day: dt.date) -> int | None:
        for s in spells[client]:
            if s.start <= day and (s.end is None or s.end >= day):
                return (day - s.start).days
        return None

    for r in activity.referrals:
        sent = _day(r.sent_at)
        age = spell_age(r.client_key, sent)
        assert age is not None, f"{r.service_code} sent to a client who is not unemployed"
        if r.service_code == "health_check":
            assert age >= 30
        if r.service_code == "work_ability_assessment" and r.status == "completed":
            assert age >= 365 or any(d <= sent for d in concerns[r.client_key])
        if r.service_code == "youth_guidance":
            b = births[r.client_key]
            assert sent.year - b.year - ((sent.month, sent.day) < (b.month, b.day)) < 30


def test_plans_and_joint_services_are_in_order(region: Region, activity: Activity) -> None:
    org_of = {s.username: s.organisation_key for s in region.staff}
    for p in activity.plans:
        assert [v.number for v in p.versions] == list(range(1, len(p.versions) + 1))
        assert p.versions[0].status == PlanStatus.DRAFT
        for a, b in itertools.pairwise(p.versions):
            assert workflow.plan_can_move(a.status, b.status), (a.status, b.status)
            assert a.saved_at <= b.saved_at
        assert p.versions[-1].saved_at.date() <= region.generated_on
        if p.closed_on is not None and p.agreed_on is not None:
            assert p.agreed_on <= p.closed_on
    for j in activity.joint_services:
        assert j.ended_on is None or j.started_on <= j.ended_on <= region.generated_on
        assert bool(j.end_reason) == (j.ended_on is not None)
        assert len({org for _u, org, _r in j.members}) >= 2
        assert all(org_of[u] == org for u, org, _r in j.members)


def test_a_client_has_one_joint_service_at_a_time(activity: Activity) -> None:
    by_client = defaultdict(list)
    for j in activity.joint_services:
        by_client[j.client_key].append(j)
    for items in by_client.values():
        items.sort(key=lambda j: j.started_on)
        for a, b in itertools.pairwise(items):
            assert a.ended_on is not None and a.ended_on < b.started_on


def test_outcomes_and_follow_ups_fall_within_the_data(region: Region, activity: Activity) -> None:
    for o in activity.outcomes:
        assert o.occurred_on <= region.generated_on
        for months, status in zip((3, 6, 12), o.follow_ups, strict=True):
            due = o.occurred_on + dt.timedelta(days=round(months * 30.44))
            assert (status != "") == (due <= region.generated_on)


def test_yearly_counts_hit_the_scaled_targets(region: Region, activity: Activity) -> None:
    # given scale 0.1 / then the generator's 2023 counts are the targets x 0.1
    counts = year_counts(activity, 2023)
    targets = {
        "joint_service_clients": "joint_service",
        "activation_clients": "activation",
        "social_guidance_clients": "social_guidance",
        "social_rehabilitation_clients": "social_rehabilitation",
        "health_checks": "health_check",
        "work_ability_assessments": "work_ability_assessment",
    }
    for key, kind in targets.items():
        expected = act.YEAR_TARGETS[kind][2023] * region.scale
        assert abs(counts[key] - expected) <= max(1, 0.05 * expected), key


def test_activity_grows_linearly_with_scale(activity: Activity) -> None:
    double = generate_activity(generate_region(seed=7, scale=0.2))
    ratio = len(double.referrals) / len(activity.referrals)
    assert 1.7 < ratio < 2.3


def test_no_referral_is_completed_before_its_appointment(
    region: Region, activity: Activity
) -> None:
    # issue 15: the demo keeps the rule the services keep (casework.services
    # referral_move): completed, or not completed, on the appointment day at the
    # earliest, and never an appointment after the demo's today for a closed one
    closed = [
        r
        for r in activity.referrals
        if r.status in (ReferralStatus.COMPLETED, ReferralStatus.NOT_COMPLETED)
    ]
    assert closed
    for r in closed:
        assert r.first_appointment_at is not None and r.closed_at is not None
        appointment = _day(r.first_appointment_at)
        assert appointment <= _day(r.closed_at) <= region.generated_on, r
