"""The agreement's path indicators are computed from the path's records (issue 16
item 4), with small cells hidden by municipality."""

from __future__ import annotations

import pytest

from silta.core import dates
from silta.governance import indicators as gi
from silta.workability import services

pytestmark = pytest.mark.django_db


def test_path_indicators_count_the_records_and_hide_small_cells(path_world, assessment) -> None:
    w = path_world
    year = gi.Period.year(dates.today().year)
    before = {
        k: gi.statistic_value(k, year)
        for k in (
            "work_ability_identified",
            "work_ability_result_people",
            "rehabilitation_or_pension_granted_people",
        )
    }
    assert before == dict.fromkeys(before, 0)
    services.identification_record(actor=w["worker"], client=w["client"], reasons=[])
    result = services.result_record(
        actor=w["social_worker"],
        referral=assessment,
        assessed_on=dates.today(),
        work_ability="none",
        duration="permanent",
        recommendations=["pension_application"],
    )
    app = services.application_record(
        actor=w["social_worker"],
        client=w["client"],
        kind="disability_pension",
        receiver=w["elo"],
        applied_on=dates.today(),
        result=result,
    )
    services.decision_record(
        actor=w["social_worker"],
        application=app,
        version=app.version,
        status="granted",
        decided_on=dates.today(),
        benefit_from=dates.today(),
    )
    for key in before:
        assert gi.statistic_value(key, year) == 1, key
        split = gi.STATISTICS[key].by_municipality
        assert split is not None
        published = split(year)
        # one person: hidden in their municipality and in the region total
        assert published.region is None
        assert all(v is None or v == 0 for _c, _n, v in published.rows)
    # the coverage indicator is registered with its published split
    assert gi.STATISTICS["health_check_coverage_pct"].by_municipality is not None
    assert gi.statistic_value("health_check_coverage_pct", year) >= 0


def test_the_client_page_names_the_path_step_and_managers_get_the_statistics_link(
    client, path_world, assessment
) -> None:
    from tests import factories

    from silta.accounts.roles import Role

    w = path_world
    services.result_record(
        actor=w["social_worker"],
        referral=assessment,
        assessed_on=dates.today(),
        work_ability="none",
        duration="permanent",
        recommendations=["pension_application"],
    )
    url = f"/clients/{w['client'].pk}/"
    client.force_login(w["social_worker"])
    body = client.get(url).content.decode()
    assert f"/work-ability/path/{w['client'].pk}/" in body
    # the employment worker sees the assessment step, not the health result
    client.force_login(w["worker"])
    body = client.get(url).content.decode()
    assert f"/work-ability/path/{w['client'].pk}/" in body
    from silta.workability.selectors import client_path_for
    from silta.workability.summary import path_summary

    section = next(iter(path_summary(w["worker"], w["client"].pk, "")))
    assert section.lines and "(" in section.lines[0]
    steps = client_path_for(actor=w["worker"], client_id=w["client"].pk).steps
    reached = [s for s in steps if s.on is not None]
    assert reached[-1].key == "assessment"
    own = next(iter(path_summary(w["social_worker"], w["client"].pk, "")))
    assert own.lines[0] != section.lines[0]  # the assessor's line names the result
    # managers get the statistics page in the menu
    manager = factories.staff(Role.MANAGER, w["employment"])
    client.force_login(manager)
    assert "/work-ability/statistics/" in client.get("/").content.decode()
