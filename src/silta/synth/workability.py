"""The work ability path in the synthetic region (issue 16): identifications, the
assessments' results, rehabilitation and pension applications and their decisions,
and the occupational health care fact of the unemployed.

It starts from the work ability assessments case work already generated (the
referrals to ``work_ability_assessment``, calibrated to DOMAIN.md §4: 120 completed in
2023 with Soite's adult social work — those counts are not touched here) and adds the
later steps at rates from public sources. Everything is dated on or before the
region's end (``region.generated_on``): a decision not yet due then stays pending.

Rates and their sources (the share of each step among those who reached the one
before; figures for the whole of Finland, applied to the region):

- Result of the assessment among long-term unemployed who are assessed: no work
  ability 35 %, partial 40 %, full 25 %. Assumption (no published distribution for
  municipal assessments was found); consistent with the estimate that about half of
  the long-term unemployed have an illness or injury reducing their work ability and
  about a third of those are fully incapable of work (fi.wikipedia.org/wiki/
  Työkyvyttömyys, citing the Finnish Federation of the Visually Impaired / THL
  estimates) — the assessed are the ones whose work ability was uncertain.
- Rejected disability pension applications in the earnings-related system: 37 % in
  2023 (Eläketurvakeskus, "Työkyvyttömyyseläkeratkaisujen määrä pienessä kasvussa",
  etk.fi, 31.1.2024). In the national pension system (Kela) higher, 42 % in 2016
  (Kela 2017, cited by Perhoniemi, Blomgren & Laaksonen, "Mitä hylkäävän
  työkyvyttömyyseläkepäätöksen jälkeen?", Yhteiskuntapolitiikka 2018).
- Rejected earnings-related vocational rehabilitation applications: 57 % at Keva in
  2024, with the same trend in the private sector (Keva's study reported by
  Verkkouutiset, "Yhä harvempi saa työkyvyttömyyden eläkettä", 2025).
- Time to a decision: disability pension applications 43 days on average in the
  private sector and 41 in the public sector in Q1 2023 (TELP, telp.fi, 2023); 62 days
  in 2017 (ETK). Kela: assumption 45 days (not verified).
- Rejected Kela vocational rehabilitation applications: assumption 20 % (not verified).

Unemployed health checks (ADR 0030): every health-check referral the checking unit
completed gets the unit's own record with an invitation (the referral's day), the booked
time and the check's content; a referral not completed because the client did not come
or declined gets a no-show or a refusal. The content's distribution is an assumption
(not verified): health problems needing follow-up in about half, significant ones in a
fifth, consistent with the finding that about half of the long-term unemployed have an
illness reducing their work ability (above); a check that found a work ability concern
refers onward to a work ability assessment.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.db.models import Q

from silta.accounts.models import Membership, Organisation
from silta.casework.models import Referral, ReferralStatus
from silta.catalogue.models import ApplicationReceiver, ServiceCode
from silta.catalogue.services import receivers_load
from silta.clients.models import Client, UnemploymentSpell
from silta.core import dates
from silta.synth.region import Region

SOCIAL_WORK_KEY = "soite-adult-social-work"

RESULT_SHARES = (("none", 0.35), ("partial", 0.40), ("full", 0.25))
DURATION_SHARES = (("temporary", 0.30), ("expected_to_last", 0.50), ("permanent", 0.20))
APPLY_SHARE = 0.85
"""Of those recommended to apply, the share who do (assumption)."""
REJECT = {
    ("kela", "pension"): 0.42,
    ("pension_provider", "pension"): 0.37,
    ("pension_provider", "rehabilitation"): 0.57,
    ("kela", "rehabilitation"): 0.20,
}
DECISION_DAYS = {"kela": 45, "pension_provider": 43}
PENSION_APPLICATIONS = frozenset(
    {"rehabilitation_subsidy", "disability_pension", "partial_disability_pension"}
)
IDENTIFY_REASONS = (
    "long_benefit_history",
    "services_not_completed",
    "rehab_over_24_months",
    "low_assessment_ratings",
)


@dataclass(frozen=True)
class WorkabilityCounts:
    identifications: int
    results: int
    applications: int
    granted: int


def _pick(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    acc = 0.0
    for value, share in shares:
        acc += share
        if x < acc:
            return value
    return shares[-1][0]


def _day(at: dt.datetime) -> dt.date:
    return at.astimezone(dates.HELSINKI).date()


def workability_load(
    region: Region, *, organisations: dict[str, Organisation]
) -> WorkabilityCounts:
    """Load the path's later steps for the assessments already in the database."""
    from silta.workability.models import (
        BenefitApplication,
        Identification,
        WorkAbilityResult,
    )

    if SOCIAL_WORK_KEY not in organisations:
        return WorkabilityCounts(0, 0, 0, 0)
    receivers_load()
    end = region.generated_on
    rng = random.Random(f"workability:{region.seed}")  # noqa: S311 - synthetic data
    social = organisations[SOCIAL_WORK_KEY]
    assessors = list(
        Membership.objects.filter(organisation=social, role="social_worker")
        .order_by("user__username")
        .values_list("user_id", flat=True)
    )
    kela = ApplicationReceiver.objects.get(key="kela")
    providers = list(ApplicationReceiver.objects.filter(kind="pension_provider").order_by("key"))
    _occupational_health_care(rng, end)
    referrals = list(
        Referral.objects.filter(
            service__code=ServiceCode.WORK_ABILITY_ASSESSMENT, status=ReferralStatus.COMPLETED
        )
        .select_related("client")
        .order_by("sent_at", "pk")
    )
    idents: list[Identification] = []
    results: list[WorkAbilityResult] = []
    apps: list[BenefitApplication] = []
    granted = 0
    for n, ref in enumerate(referrals):
        assert ref.closed_at is not None
        sent = _day(ref.sent_at)
        done = min(_day(ref.closed_at), end)
        identified = max(sent - dt.timedelta(days=rng.randint(7, 60)), ref.client.birth_date)
        idents.append(
            Identification(
                id=uuid.uuid4(),
                client_id=ref.client_id,
                organisation_id=ref.from_organisation_id,
                identified_on=identified,
                reasons=sorted(rng.sample(IDENTIFY_REASONS, rng.randint(1, 2))),
                identified_by_id=ref.sent_by_id,
            )
        )
        ability = _pick(rng, RESULT_SHARES)
        duration = "" if ability == "full" else _pick(rng, DURATION_SHARES)
        recs = _recommendations(rng, ability)
        pension = "pension_application" in recs
        result = WorkAbilityResult(
            id=uuid.uuid4(),
            referral_id=ref.pk,
            client_id=ref.client_id,
            organisation_id=ref.to_organisation_id,
            assessed_on=done,
            work_ability=ability,
            duration=duration,
            recommendations=recs,
            statement_kind=("c_statement" if pension else "b_statement")
            if ability != "full"
            else "",
            statement_date=done - dt.timedelta(days=rng.randint(0, 30))
            if ability != "full"
            else None,
            statement_reference=f"SYN-{region.seed}-{n:05d}" if ability != "full" else "",
            made_by_id=rng.choice(assessors) if assessors else None,
            made_by_role="social_worker",
        )
        results.append(result)
        for kind in _applications(rng, ability, duration, recs):
            applied = done + dt.timedelta(days=rng.randint(7, 45))
            if applied > end:
                continue
            receiver = (
                kela
                if kind == "kela_rehabilitation"
                or (kind != "pension_rehabilitation" and rng.random() < 0.5)
                else rng.choice(providers)
            )
            group = "pension" if kind in PENSION_APPLICATIONS else "rehabilitation"
            days = max(10, int(rng.gauss(DECISION_DAYS[receiver.kind], 15)))
            decided = applied + dt.timedelta(days=days)
            app = BenefitApplication(
                id=uuid.uuid4(),
                client_id=ref.client_id,
                organisation_id=ref.to_organisation_id,
                result_id=result.pk,
                kind=kind,
                receiver=receiver,
                applied_on=applied,
                decision_due_on=applied + dt.timedelta(days=receiver.typical_decision_days),
                recorded_by_id=result.made_by_id,
            )
            if decided <= end:
                app.decided_on = decided
                if rng.random() < REJECT[(receiver.kind, group)]:
                    app.status = "rejected"
                else:
                    app.status = "granted"
                    granted += 1
                    app.benefit_from = min(applied + dt.timedelta(days=30), decided)
                    if kind == "rehabilitation_subsidy":
                        app.benefit_to = app.benefit_from + dt.timedelta(
                            days=rng.choice((365, 730))
                        )
                    elif kind in ("kela_rehabilitation", "pension_rehabilitation"):
                        app.benefit_to = app.benefit_from + dt.timedelta(days=rng.randint(90, 365))
            apps.append(app)
    Identification.objects.bulk_create(idents, batch_size=1000)
    WorkAbilityResult.objects.bulk_create(results, batch_size=1000)
    BenefitApplication.objects.bulk_create(apps, batch_size=1000)
    _health_checks(rng, end)
    return WorkabilityCounts(len(idents), len(results), len(apps), granted)


HEALTH_SHARES = (("good", 0.30), ("some", 0.50), ("significant", 0.20))
CHANNEL_SHARES = (("letter", 0.4), ("phone", 0.3), ("text_message", 0.2), ("in_person", 0.1))


def _health_checks(rng: random.Random, end: dt.date) -> None:
    """The checking unit's record of each health-check referral it completed, or that
    ended in a no-show or a refusal (see the module's notes)."""
    from silta.workability.models import HealthCheck

    rows: list[HealthCheck] = []
    for ref in (
        Referral.objects.filter(
            service__code=ServiceCode.HEALTH_CHECK,
            status__in=[ReferralStatus.COMPLETED, ReferralStatus.NOT_COMPLETED],
            closed_at__isnull=False,
        )
        .select_related("to_organisation")
        .order_by("sent_at", "pk")
    ):
        assert ref.closed_at is not None
        closed = min(_day(ref.closed_at), end)
        invited = min(_day(ref.sent_at), closed)
        booked_at = ref.first_appointment_at or ref.closed_at
        check = HealthCheck(
            id=uuid.uuid4(),
            client_id=ref.client_id,
            organisation_id=ref.to_organisation_id,
            invited_on=invited,
            channel=_pick(rng, CHANNEL_SHARES),
            booked_at=booked_at,
            unit=ref.to_organisation.name_fi,
            closed_on=closed,
        )
        if ref.status == ReferralStatus.COMPLETED:
            health = _pick(rng, HEALTH_SHARES)
            reduced = health != "good"
            onward = ["work_ability_assessment"] if ref.work_ability_concern else []
            if health == "significant":
                onward.append("treatment")
            check.status = "done"
            check.checked_on = closed
            check.health = health
            check.work_capacity = (
                "unclear" if ref.work_ability_concern else ("reduced" if reduced else "full")
            )
            check.functional_capacity = "reduced" if health == "significant" else "full"
            check.rehabilitation_need = (
                "clear" if health == "significant" else ("possible" if reduced else "none")
            )
            check.onward = sorted(onward) or ["none"]
        elif ref.not_completed_reason == "no_show":
            check.status = "no_show"
        elif ref.not_completed_reason == "client_declined":
            check.status = "declined"
            check.booked_at = None
        else:
            continue
        rows.append(check)
    HealthCheck.objects.bulk_create(rows, batch_size=1000)


def _recommendations(rng: random.Random, ability: str) -> list[str]:
    if ability == "full":
        return [rng.choice(("rehabilitative_work_activity", "other", "treatment"))]
    if ability == "partial":
        recs = {"job_search_partial"}
        if rng.random() < 0.40:
            recs.add("kela_vocational_rehabilitation")
        if rng.random() < 0.20:
            recs.add("pension_vocational_rehabilitation")
        if rng.random() < 0.25:
            recs.add("medical_rehabilitation")
        if rng.random() < 0.15:
            recs.add("pension_application")
        return sorted(recs)
    recs = {"pension_application"} if rng.random() < 0.75 else {"treatment"}
    if rng.random() < 0.25:
        recs.add("medical_rehabilitation")
    return sorted(recs)


def _applications(rng: random.Random, ability: str, duration: str, recs: list[str]) -> list[str]:
    out: list[str] = []
    if "kela_vocational_rehabilitation" in recs and rng.random() < APPLY_SHARE:
        out.append("kela_rehabilitation")
    if "pension_vocational_rehabilitation" in recs and rng.random() < APPLY_SHARE:
        out.append("pension_rehabilitation")
    if "pension_application" in recs and rng.random() < APPLY_SHARE:
        if ability == "partial":
            out.append("partial_disability_pension")
        elif duration == "permanent":
            out.append("disability_pension")
        else:
            out.append("rehabilitation_subsidy")
    return out


def _occupational_health_care(rng: random.Random, end: dt.date) -> None:
    """The unemployed of over a year on the region's end have no occupational health
    care (it comes with employment); for 5 % it is not recorded."""
    since = end - dt.timedelta(days=365)
    long_term = list(
        UnemploymentSpell.objects.filter(start__lte=since)
        .filter(Q(end__isnull=True) | Q(end__gte=end))
        .values_list("client_id", flat=True)
        .distinct()
        .order_by("client_id")
    )
    known = [cid for cid in long_term if rng.random() >= 0.05]
    for i in range(0, len(known), 1000):
        Client.objects.filter(pk__in=known[i : i + 1000]).update(occupational_health_care=False)
