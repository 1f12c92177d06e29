"""Who needs a work ability assessment: each rule on its own, and the list shows the
reasons that fired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from tests import factories

from silta.casework.services import assessment_sign, consent_record, referral_move, referral_send
from silta.casework.work_ability import Facts, default_rules, evaluate, is_candidate
from silta.core import dates
from silta.funding.models import BenefitPayment

TODAY = dt.date(2026, 5, 1)
RULES = default_rules()


def _keys(facts: Facts) -> list[str]:
    return [r.key for r in evaluate(facts, RULES, TODAY)]


@pytest.mark.parametrize(
    ("facts", "fires"),
    [
        (Facts(benefit_days=500), ["long_benefit_history"]),
        (Facts(benefit_days=499), []),
        (Facts(health_concern_on=TODAY - dt.timedelta(days=30)), ["health_check_finding"]),
        (Facts(health_concern_on=TODAY - dt.timedelta(days=800)), []),
        (
            Facts(not_completed_on=(TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=100))),
            ["services_not_completed"],
        ),
        (
            Facts(not_completed_on=(TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=500))),
            [],
        ),
        (Facts(rehab_since=TODAY - dt.timedelta(days=750)), ["rehab_over_24_months"]),
        (Facts(rehab_since=TODAY - dt.timedelta(days=600)), []),
        (Facts(latest_ratings={"work_ability": 2, "housing": 1}), ["low_assessment_ratings"]),
        (Facts(latest_ratings={"work_ability": 3, "housing": 1}), []),
    ],
)
def test_each_rule_on_its_own(facts: Facts, fires: list[str]) -> None:
    assert _keys(facts) == fires


def test_a_recent_assessment_skips_the_client_and_the_weights_decide() -> None:
    facts = Facts(benefit_days=900, last_assessed_on=TODAY - dt.timedelta(days=100))
    assert evaluate(facts, RULES, TODAY) == []
    # weights: low ratings alone (2) stay under the threshold (3); with failures (2) over it
    low = evaluate(Facts(latest_ratings={"mental_health": 1}), RULES, TODAY)
    assert not is_candidate(low, RULES)
    both = evaluate(
        Facts(
            latest_ratings={"mental_health": 1},
            not_completed_on=(TODAY - dt.timedelta(days=5), TODAY - dt.timedelta(days=6)),
        ),
        RULES,
        TODAY,
    )
    assert is_candidate(both, RULES) and sum(r.weight for r in both) == 4


@pytest.mark.django_db
def test_the_list_shows_the_reasons_that_fired(region) -> None:
    cast = factories.two_organisations(region["272"])
    c, worker = cast["client"], cast["worker"]
    # given a long benefit history and low ratings
    BenefitPayment.objects.create(
        person_id=c.personal_id,
        client=c,
        municipality_code="272",
        benefit="LMS",
        basis="unemployment",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2024, 12, 31),
        paid_days=600,
        amount_eur="22326.00",
        payment_date=dt.date(2025, 1, 5),
    )
    assessment_sign(
        actor=worker,
        client=c,
        assessed_on=dates.today(),
        ratings={
            d: (2 if d == "work_ability" else 4, "")
            for d in [
                "work_ability",
                "physical_health",
                "mental_health",
                "substance_use",
                "housing",
                "finances",
                "education",
                "social_network",
                "life_management",
            ]
        },
    )
    # and a health check that found a work ability concern
    r = referral_send(
        actor=worker,
        client=c,
        service=cast["health_check"],
        to_organisation=cast["health"],
        reason="x",
    )
    for status, extra in [
        ("accepted", {}),
        ("scheduled", {"appointment_at": dates.now() + dt.timedelta(hours=1), "place": "Kokkola"}),
        ("completed", {"work_ability_concern": True}),
    ]:
        r = referral_move(
            actor=cast["nurse"], referral=r, to_status=status, version=r.version, **extra
        )
    http = HttpClient()
    http.force_login(worker)
    # when the case worker (no health consent) lists candidates
    rows = http.get("/api/v1/work-ability/candidates").json()
    # then the reasons are the rules that fired, without the health finding
    assert [x["rule"] for x in rows[0]["reasons"]] == [
        "long_benefit_history",
        "low_assessment_ratings",
    ]
    page = http.get("/work-ability/").content.decode()
    assert (
        'data-rule="long_benefit_history"' in page
        and 'data-rule="health_check_finding"' not in page
    )
    # with a health consent the finding fires too
    # (recorded by the health check's unit, the controller of the finding)
    consent_record(
        actor=cast["nurse"],
        client=c,
        recipient=cast["employment"],
        data_classes=["health"],
        purpose="Työkyky",
        given_how="in_writing",
        given_reference="Suostumuslomake",
    )
    rows = http.get("/api/v1/work-ability/candidates").json()
    assert [x["rule"] for x in rows[0]["reasons"]] == [
        "long_benefit_history",
        "health_check_finding",
        "low_assessment_ratings",
    ]
    assert rows[0]["score"] == 3 + 4 + 2
    # and the help page shows the rules and weights from the data file
    help_page = http.get("/work-ability/help/").content.decode()
    assert "500" in help_page and RULES.version in help_page
