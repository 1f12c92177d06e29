"""Integration clients of the synthetic region (issue 17): the region generator's
immigrant clients (language "other" or "en", whose first home municipality starts on
their arrival in Finland) get a mother tongue, other languages, an interpreter need,
their arrival date and integration-client date, and — for those who became
integration clients under the integration act 681/2023 (from 1.1.2025) — an initial
assessment, an integration plan with language training, reviews and outcomes, and
coming appointments whose interpreting is booked or still missing.

Numbers. The region generator makes about 5 % of the unemployed clients speakers of a
language other than Finnish, Swedish or English and 1 % English speakers
(``silta.synth.region``). The public figure this rests on: at the end of 2019, 2 038
foreign-language speakers lived in Central Ostrobothnia, about 3.0 % of the region's
population, most of them in Kokkola; the largest groups were Russian 269, "other
languages" (groups under 40 people) 233, Estonian 182, Arabic 133, Vietnamese 124,
Thai 121, Chinese 118, English 112, Ukrainian 91 and Persian 56 (Statistics Finland
2019, as published by the Centre of Expertise in Immigrant Integration,
kotouttaminen.fi "Pohjanmaa ja Keski-Pohjanmaa" / "Immigrants in Ostrobothnia and
Central Ostrobothnia"). The unemployed share is higher than the population share
(newcomers look for work), hence 5 % of the clients. The mother tongues below follow
those groups; Ukrainian is raised to a quarter because people under temporary
protection who got a municipality of residence are integration clients since
1.3.2023 (law 1083/2022, kotoutuminen.fi) — that quarter is this module's assumption
[verify against the 2024 population figures], the rest keeps the 2019 proportions,
"other languages" split evenly over six smaller groups.
Everything is dated against ``region.generated_on`` (the
region's end), never the wall clock.

Pure generation (``generate_integration``) and the load (``integration_load``);
the load writes no change-log row per record (see docs/adr/0003), one for the whole."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from silta.synth.region import EMPLOYMENT_AREA_KEY, Region

if TYPE_CHECKING:
    from silta.accounts.models import Organisation
    from silta.clients.models import Client

SEED_XOR = 0x1A7E6

FOREIGN_LANGUAGE_SPEAKERS_2019: tuple[tuple[str, int], ...] = (
    ("ru", 269),
    ("et", 182),
    ("ar", 133),
    ("vi", 124),
    ("th", 121),
    ("zh", 118),
    ("fa", 56),
)
"""Central Ostrobothnia's largest foreign-language groups at the end of 2019 (Statistics
Finland via kotouttaminen.fi; English, 112, is the region generator's own group)."""
OTHER_LANGUAGES_2019 = 233
OTHER_GROUPS = ("so", "ku", "ti", "tr", "pl", "tl")
UKRAINIAN_SHARE = 0.25
"""Assumption: temporary protection since 2022 (see the module docstring) [verify]."""


def _mother_tongues() -> tuple[tuple[str, float], ...]:
    total = sum(n for _c, n in FOREIGN_LANGUAGE_SPEAKERS_2019) + OTHER_LANGUAGES_2019
    rest = 1 - UKRAINIAN_SHARE
    other = OTHER_LANGUAGES_2019 / len(OTHER_GROUPS)
    return (
        ("uk", UKRAINIAN_SHARE),
        *((c, round(rest * n / total, 4)) for c, n in FOREIGN_LANGUAGE_SPEAKERS_2019),
        *((c, round(rest * other / total, 4)) for c in OTHER_GROUPS),
    )


MOTHER_TONGUES: tuple[tuple[str, float], ...] = _mother_tongues()
"""ISO 639-1 codes and weights (from the 2019 figures and the Ukrainian assumption)."""

INTERPRETER_SHARE_RECENT = 0.6
"""Share needing an interpreter among those who arrived within three years."""
INTERPRETER_SHARE_EARLIER = 0.2
ASSESSMENT_IN_TIME_SHARE = 0.8
PLAN_SHARE = 0.85
LANGUAGE_TRAINING_SHARE = 0.75
LAW_FROM = dt.date(2025, 1, 1)


@dataclass(frozen=True, slots=True)
class SynthProfile:
    client_key: int
    mother_tongue: str
    other_languages: tuple[str, ...]
    interpreter_language: str
    arrived_on: dt.date
    integration_client_since: dt.date | None
    in_programme: bool


@dataclass(frozen=True, slots=True)
class SynthAssessment:
    client_key: int
    client_since: dt.date
    assessed_on: dt.date
    finnish_level: str
    education: str
    literacy: bool
    interpreter_used: bool


@dataclass(frozen=True, slots=True)
class SynthIntegrationPlan:
    client_key: int
    starts_on: dt.date
    ends_on: dt.date
    language_training: bool
    reviewed_on: dt.date | None
    closed_on: dt.date | None
    outcome: str


@dataclass(frozen=True, slots=True)
class SynthInterpretedAppointment:
    client_key: int
    starts_at: dt.datetime
    language: str
    state: str  # "booked" | "not_booked" | "not_recorded"


@dataclass
class IntegrationData:
    profiles: list[SynthProfile] = field(default_factory=list)
    assessments: list[SynthAssessment] = field(default_factory=list)
    plans: list[SynthIntegrationPlan] = field(default_factory=list)
    appointments: list[SynthInterpretedAppointment] = field(default_factory=list)


def _add_months(day: dt.date, months: int) -> dt.date:
    from silta.integration.rules import add_months

    return add_months(day, months)


def generate_integration(region: Region) -> IntegrationData:
    rng = random.Random(region.seed ^ SEED_XOR)  # noqa: S311 - synthetic data
    end = region.generated_on
    tongues = [c for c, _w in MOTHER_TONGUES]
    weights = [w for _c, w in MOTHER_TONGUES]
    open_at_end = {
        s.client_key for s in region.spells if s.start <= end and (s.end is None or s.end >= end)
    }
    out = IntegrationData()
    for client in region.clients:
        if client.language not in ("other", "en") or not client.municipality_history:
            continue
        arrived = client.municipality_history[0][1]
        if arrived > end:
            continue
        english = client.language == "en"
        tongue = "en" if english else rng.choices(tongues, weights)[0]
        others = ("en",) if not english and rng.random() < 0.4 else ()
        recent = (end - arrived).days <= 3 * 365
        share = INTERPRETER_SHARE_RECENT if recent else INTERPRETER_SHARE_EARLIER
        interpreter = "" if english or rng.random() >= share else tongue
        since = arrived + dt.timedelta(days=rng.randint(7, 60))
        client_since = since if since <= end and arrived.year >= 2022 else None
        out.profiles.append(
            SynthProfile(client.key, tongue, others, interpreter, arrived, client_since, recent)
        )
        if client_since is None or client_since < LAW_FROM or client_since > end:
            continue
        days = (
            rng.randint(5, 30) if rng.random() < ASSESSMENT_IN_TIME_SHARE else rng.randint(31, 80)
        )
        assessed = client_since + dt.timedelta(days=days)
        if assessed > end:
            continue
        out.assessments.append(
            SynthAssessment(
                client.key,
                client_since,
                assessed,
                rng.choice(("none", "A1", "A1", "A2", "B1")),
                rng.choice(("basic", "upper_secondary", "higher", "none", "unknown")),
                rng.random() < 0.1,
                bool(interpreter),
            )
        )
        if rng.random() >= PLAN_SHARE:
            continue
        starts = assessed + dt.timedelta(days=rng.randint(0, 21))
        if starts > end:
            continue
        ends = _add_months(starts, 12) - dt.timedelta(days=1)
        reviewed = starts + dt.timedelta(days=180)
        closed = ends if ends < end else None
        outcome = (
            rng.choice(("employed", "education", "language_goal_met", "continues_elsewhere",
                        "interrupted"))
            if closed
            else ""
        )  # fmt: skip
        out.plans.append(
            SynthIntegrationPlan(
                client.key,
                starts,
                ends,
                rng.random() < LANGUAGE_TRAINING_SHARE,
                reviewed if reviewed <= end else None,
                closed,
                outcome,
            )
        )
    # coming appointments of clients who need an interpreter and are jobseekers now
    for p in out.profiles:
        if not p.interpreter_language or p.client_key not in open_at_end:
            continue
        day = end + dt.timedelta(days=rng.randint(1, 14))
        at = dt.datetime.combine(day, dt.time(rng.choice((9, 10, 13, 14)), 0), tzinfo=dt.UTC)
        u = rng.random()
        state = "booked" if u < 0.6 else "not_booked" if u < 0.8 else "not_recorded"
        out.appointments.append(
            SynthInterpretedAppointment(p.client_key, at, p.interpreter_language, state)
        )
    return out


def integration_load(
    region: Region,
    *,
    clients: dict[int, Client],
    organisations: dict[str, Organisation],
    data: IntegrationData | None = None,
) -> IntegrationData:
    """Load the region's integration records; nothing when the employment area is
    missing."""
    from silta.accounts.models import User
    from silta.audit.models import ChangeLog
    from silta.casework.models import Appointment
    from silta.core import dates
    from silta.integration.models import (
        AppointmentInterpreting,
        InitialAssessment,
        IntegrationPlan,
        IntegrationPlanReview,
        LanguageProfile,
    )

    gd = data or generate_integration(region)
    org = organisations.get(EMPLOYMENT_AREA_KEY)
    if org is None:
        return IntegrationData()
    worker = User.objects.filter(username="caseworker").first()
    LanguageProfile.objects.bulk_create(
        [
            LanguageProfile(
                client=clients[p.client_key],
                organisation=org,
                mother_tongue=p.mother_tongue,
                other_languages=list(p.other_languages),
                interpreter_needed=bool(p.interpreter_language),
                interpreter_language=p.interpreter_language,
                arrived_on=p.arrived_on,
                integration_client_since=p.integration_client_since,
                in_programme=p.in_programme,
                recorded_by=worker,
            )
            for p in gd.profiles
        ],
        batch_size=2000,
    )
    assessments = {
        a.client_key: InitialAssessment(
            id=uuid.uuid4(),
            client=clients[a.client_key],
            organisation=org,
            client_since=a.client_since,
            assessed_on=a.assessed_on,
            finnish_level=a.finnish_level,
            swedish_level="none",
            english_level="A2",
            literacy_training_needed=a.literacy,
            education=a.education,
            service_need="Kotoutumiskoulutus, työelämätaitojen kartoitus.",
            interpreter_used=a.interpreter_used,
            signed_by=worker,
        )
        for a in gd.assessments
    }
    InitialAssessment.objects.bulk_create(assessments.values(), batch_size=2000)
    plans = [
        IntegrationPlan(
            id=uuid.uuid4(),
            client=clients[p.client_key],
            organisation=org,
            assessment=assessments.get(p.client_key),
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            language_training=p.language_training,
            goals="Suomen kielen taito A2, työkokeilu tai koulutus.",
            other_services="Yhteiskuntaorientaatio, ammatillinen ohjaus.",
            outcome=p.outcome,
            closed_on=p.closed_on,
            created_by=worker,
        )
        for p in gd.plans
    ]
    IntegrationPlan.objects.bulk_create(plans, batch_size=2000)
    IntegrationPlanReview.objects.bulk_create(
        [
            IntegrationPlanReview(
                plan=row, reviewed_on=p.reviewed_on, note="Edistyminen tarkistettu.",
                reviewed_by=worker,
            )
            for row, p in zip(plans, gd.plans, strict=True)
            if p.reviewed_on is not None
        ]
    )  # fmt: skip
    appointments = [
        Appointment(
            id=uuid.uuid4(),
            client=clients[a.client_key],
            organisation=org,
            starts_at=a.starts_at,
            place="Kokkolan työllisyyspalvelut",
            created_by=worker,
        )
        for a in gd.appointments
    ]
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    AppointmentInterpreting.objects.bulk_create(
        [
            AppointmentInterpreting(
                appointment=row, language=a.language, booked=a.state == "booked"
            )
            for row, a in zip(appointments, gd.appointments, strict=True)
            if a.state != "not_recorded"
        ]
    )
    ChangeLog.objects.create(
        at=dates.now(),
        actor_id=None,
        actor_username="system:synth",
        event="synth.integration_loaded",
        target_type="synth.region",
        target_id=f"seed={region.seed},scale={region.scale}",
        changes={
            "language_profiles": [None, len(gd.profiles)],
            "initial_assessments": [None, len(gd.assessments)],
            "integration_plans": [None, len(gd.plans)],
            "interpreted_appointments": [None, len(gd.appointments)],
        },
    )
    return gd
