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


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_statistics_page_names_the_law_of_its_period(region, language) -> None:
    import re

    from django.test import Client as HttpClient
    from tests import factories

    from silta.accounts.roles import OrganisationKind, Role

    soite = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    http = HttpClient()
    http.force_login(factories.staff(Role.MANAGER, soite, language=language))

    def heading(**query: str) -> str:
        page = http.get(
            "/statistics/", {"statistic": "joint_service_clients", "breakdown": "none", **query}
        )
        assert page.status_code == 200
        found = re.search(r'<h2 id="table-heading">(.*?)</h2>', page.content.decode(), re.S)
        assert found is not None
        return found.group(1)

    old, new = heading(year="2024"), heading(year="2025")
    assert "TYP" in old and "1369/2014" in old
    assert "381/2023" in new and "TYP" not in new
    # a period across the change names both laws with their dates
    both = heading(year="2024", start="2024-07-01", end="2025-06-30")
    assert "TYP" in both and "381/2023" in both


def test_the_synthetic_data_names_the_law_of_each_day() -> None:
    from silta.integration import law_names
    from silta.synth.governance import generate_governance
    from silta.synth.region import generate_region

    assert law_names.joint_meeting_name(dt.date(2024, 12, 31)) == "TYP-tiimitapaaminen"
    assert "TYP" not in law_names.joint_meeting_name(dt.date(2025, 1, 1))
    assert "TYP" not in law_names.joint_start_meeting_name(dt.date(2025, 1, 1))
    governance = generate_governance(generate_region(seed=7, scale=0.05))
    titles = [
        (m.held_on.year, item.title)
        for m in governance.meetings
        for item in m.agenda
        if "tilannekatsaus" in item.title
    ]
    assert any(y <= 2024 for y, _t in titles) and any(y >= 2025 for y, _t in titles)
    for year, title in titles:
        assert ("TYP" in title) == (year <= 2024), (year, title)
    goals = governance.agreement.goals if governance.agreement else ()
    names = [i.title for g in goals for i in g.indicators]
    assert "Monialaisen yhteistyön asiakkaat" in names
    assert not any("yhteispalvelun" in n.lower() and "nuorten" not in n.lower() for n in names)
