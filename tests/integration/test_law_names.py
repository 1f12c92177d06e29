"""The law's names by date: TYP for work until 31.12.2024, multisectoral cooperation
(law 381/2023) from 1.1.2025 — in the council report, in fi and sv; the TYM network's
meetings are a statistic the agreement's indicator reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from silta.governance import indicators as gi
from silta.integration.law_names import joint_service_clients_label, joint_team_name
from silta.reporting import council


def test_names_follow_the_date() -> None:
    with translation.override("fi"):
        assert "TYP" in joint_service_clients_label(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        later = joint_service_clients_label(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        assert "381/2023" in later and "TYP" not in later
    assert joint_team_name(dt.date(2024, 12, 31)) == "Yhteinen TYP-tiimi"
    assert "TYP" not in joint_team_name(dt.date(2025, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_council_report_names_the_law_of_its_year(region, language) -> None:
    old = council.council_report(2024, language)
    new = council.council_report(2025, language)
    label = {r.key: r.label for r in old.figures}["joint_service_clients"]
    assert "TYP" in label and "1369/2014" in label
    label = {r.key: r.label for r in new.figures}["joint_service_clients"]
    assert "381/2023" in label and "TYP" not in label


@pytest.mark.django_db
def test_the_tym_network_meetings_are_counted(region) -> None:
    from tests import factories

    from silta.governance.models import Body, BodyKind, Meeting

    body = Body.objects.create(
        key="tym",
        kind=BodyKind.TYM_NETWORK,
        name_fi="TYM-verkosto",
        name_sv="TYM-nätverket",
        convener=factories.OrganisationFactory(),
    )
    Meeting.objects.create(body=body, held_on=dt.date(2026, 3, 1), status="held")
    Meeting.objects.create(body=body, held_on=dt.date(2026, 4, 1), status="planned")
    assert gi.STATISTICS["tym_network_meetings"].compute(gi.Period.year(2026)) == 1
