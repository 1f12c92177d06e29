"""The IPS cast: two job coaches of Soite's IPS unit, a manager who sees figures only,
an administrator, an employment case worker, a client referred from psychiatric
outpatient care and an employer."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.core import dates
from silta.ips import services
from silta.ips.models import Sector


@pytest.fixture
def cast(region):
    ips = factories.OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Soite – IPS-työhönvalmennus"
    )
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    client = factories.client(region["272"], last_name="Valmennettava", organisation=employment)
    return {
        "ips": ips,
        "coach": factories.staff(Role.IPS_COACH, ips, first_name="Iida", last_name="Coach"),
        "other_coach": factories.staff(Role.IPS_COACH, ips, first_name="Olli", last_name="Toinen"),
        "manager": factories.staff(Role.MANAGER, ips),
        "admin": factories.staff(Role.ADMINISTRATOR, ips),
        "worker": factories.staff(Role.CASE_WORKER, employment),
        "client": client,
        "kokkola": region["272"],
    }


@pytest.fixture
def employer(cast):
    return services.employer_create(
        actor=cast["coach"],
        name="Kokkolan Kone Oy",
        business_id=factories.business_id(),
        sector=Sector.MANUFACTURING,
        municipality=cast["kokkola"],
    )


@pytest.fixture
def episode(cast):
    """An active episode: referred 60 days ago, coaching started 50 days ago."""
    e = services.episode_refer(
        actor=cast["coach"],
        client=cast["client"],
        referred_on=dates.today() - dt.timedelta(days=60),
        referring_unit="Psykiatrian poliklinikka, Kokkola",
        job_interests="Varastotyö, ei asiakaspalvelua.",
    )
    return services.episode_start(
        actor=cast["coach"],
        episode=e,
        started_on=dates.today() - dt.timedelta(days=50),
        version=e.version,
    )
