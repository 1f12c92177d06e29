"""The council initiative cast of the source minutes: Soite's administration prepares
the initiative (a manager records the board's and the council's decisions, a social
director is named preparer), an employment case worker only reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories

from silta.accounts.roles import OrganisationKind, Role
from silta.core import dates
from silta.initiatives.services import initiative_submit


@pytest.fixture
def cast(region):
    soite = factories.OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Soite – hallinto"
    )
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    return {
        "soite": soite,
        "manager": factories.staff(Role.MANAGER, soite),
        "preparer": factories.staff(
            Role.SOCIAL_WORKER, soite, first_name="Tarja", last_name="Oikarinen"
        ),
        "other_manager": factories.staff(Role.MANAGER, employment),
        "reader": factories.staff(Role.CASE_WORKER, employment),
        "provider": factories.staff(Role.PROVIDER_STAFF),
    }


@pytest.fixture
def initiative(cast):
    return initiative_submit(
        actor=cast["manager"],
        organisation=cast["soite"],
        title="Aloite pitkäaikaistyöttömiä koskevasta yhteistyöstä",
        submitted_on=dates.today() - dt.timedelta(days=90),
        council_group="RKP",
        submitters="RKP:n valtuustoryhmä",
        text="Kokonaisvaltainen strategia ja tiiviimpi yhteistyö.",
        questions="Ovatko palvelut riittäviä?",
        record_number="791/00.03.01/2023",
    )
