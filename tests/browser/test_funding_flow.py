"""A finance analyst opens the funding dashboard and the cost radar, and uploads Kela's
specification; every page passes the accessibility check."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from tests.browser.conftest import assert_accessible
from tests.funding.conftest import world  # noqa: F401 - the funding world fixture

from silta.engine import funding, reconcile
from silta.engine.testing import payments_frame

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_analyst_dashboard_radar_and_upload(
    live_server: Any,
    page: Any,
    world: Any,  # noqa: F811 - the imported fixture
    tmp_path: Any,
) -> None:
    # given a finance analyst of Kokkola (English, for readable selectors)
    analyst = world["analyst"]
    analyst.language = "en"
    analyst.save()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("analyytikko")
    page.get_by_label("Salasana").fill("test-pass-123")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(f"{live_server.url}/")

    # when they open the dashboard from the main navigation
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Funding share").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Monthly cost by regime and benefit").is_visible()
    assert page.locator("svg[role=img]").first.is_visible()
    assert_accessible(page)

    # and the cost radar
    nav.get_by_role("link", name="Cost radar").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Pitkänen, Pekka").is_visible()
    assert_accessible(page)

    # and upload Kela's specification with one planted difference
    result = funding.compute(payments_frame(world["rows"]))
    spec = reconcile.specification_from_result(result).filter(pl.col("municipality_code") == "272")
    spec = spec.with_columns(
        municipal_share_eur=pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.col("municipal_share_eur") + 3)
        .otherwise(pl.col("municipal_share_eur"))
    )
    path = tmp_path / "spec.csv"
    spec.with_columns(pl.col(pl.Decimal).cast(pl.String)).write_csv(path)
    nav.get_by_role("link", name="Kela invoice").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Kela's invoice specification (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Reconcile").click()
    page.wait_for_load_state()

    # then the one difference is listed with Silta's reasoning
    assert page.get_by_role("heading", name="1 difference over 0.01 €").is_visible()
    assert_accessible(page)
