"""The IPS cast: two job coaches of Soite's IPS unit, a manager who sees figures only,
an administrator, an employment case worker, a client referred from psychiatric
outpatient care and an employer."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.casework.services import referral_move, referral_send
from silta.core import dates
from silta.ips import services
from silta.ips.models import CoachingEpisode, Sector


def take_in(
    cast,
    client,
    *,
    coach=None,
    referred_on: dt.date | None = None,
    referring_unit: str = "Psykiatrian poliklinikka, Kokkola",
) -> CoachingEpisode:
    """The way in (issue 13): the employment case worker refers the client to the IPS
    unit, a coach accepts the referral in the inbox and takes the client into coaching."""
    coach = coach or cast["coach"]
    service = cast.get("ips_service")
    if service is None:
        service = cast["ips_service"] = factories.service(
            cast["ips"], "ips_job_coaching", data_class="none"
        )
    from silta.clients.services import relationship_open

    if (
        not cast["worker"]
        .memberships.get()
        .organisation.client_relationships.filter(client=client)
        .exists()
    ):
        relationship_open(
            actor=None, client=client, organisation=cast["worker"].memberships.get().organisation,
            kind="jobseeker", valid_from=dt.date(2020, 1, 1),
        )  # fmt: skip
    sent = referral_send(
        actor=cast["worker"], client=client, service=service, to_organisation=cast["ips"],
        reason="Haluaa avoimille työmarkkinoille.",
    )  # fmt: skip
    accepted = referral_move(actor=coach, referral=sent, to_status="accepted", version=sent.version)
    return services.episode_refer(
        actor=coach, client=client, referral=accepted,
        referred_on=referred_on or dates.today(), referring_unit=referring_unit,
        job_interests="Varastotyö, ei asiakaspalvelua.",
    )  # fmt: skip


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
    e = take_in(cast, cast["client"], referred_on=dates.today() - dt.timedelta(days=60))
    return services.episode_start(
        actor=cast["coach"],
        episode=e,
        started_on=dates.today() - dt.timedelta(days=50),
        version=e.version,
    )
