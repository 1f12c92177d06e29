from __future__ import annotations

import datetime as dt

import pytest
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.casework.models import Referral
from silta.casework.services import referral_move, referral_send
from silta.catalogue.models import ApplicationReceiver
from silta.catalogue.services import receivers_load
from silta.core import dates


@pytest.fixture
def path_world(region):
    """An employment case worker with a jobseeker client; Soite's adult social work
    (a social worker, assessing) offers the work ability assessment; a nurse of Soite's
    health services; another employment organisation's case worker (the stranger)."""
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    social = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    health = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    other = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    worker = factories.staff(Role.CASE_WORKER, employment)
    social_worker = factories.staff(Role.SOCIAL_WORKER, social)
    instructor = factories.staff(Role.SOCIAL_INSTRUCTOR, social)
    nurse = factories.staff(Role.HEALTH_PROFESSIONAL, health)
    stranger = factories.staff(Role.CASE_WORKER, other)
    c = factories.client(region["272"], organisation=employment)
    factories.client(region["272"], organisation=other)
    wa = factories.service(social, "work_ability_assessment")
    receivers_load()
    return {
        "employment": employment,
        "social": social,
        "health": health,
        "worker": worker,
        "social_worker": social_worker,
        "instructor": instructor,
        "nurse": nurse,
        "stranger": stranger,
        "client": c,
        "wa": wa,
        "kela": ApplicationReceiver.objects.get(key="kela"),
        "elo": ApplicationReceiver.objects.get(key="elo"),
        "region": region,
    }


@pytest.fixture
def assessment(path_world) -> Referral:
    """A work ability assessment the employment area asked for, scheduled by adult
    social work."""
    w = path_world
    r = referral_send(
        actor=w["worker"],
        client=w["client"],
        service=w["wa"],
        to_organisation=w["social"],
        reason="Työkyky epäselvä",
    )
    r = referral_move(actor=w["social_worker"], referral=r, to_status="accepted", version=r.version)
    return referral_move(
        actor=w["social_worker"],
        referral=r,
        to_status="scheduled",
        version=r.version,
        appointment_at=dates.now() + dt.timedelta(hours=1),
        place="Kokkola",
    )
