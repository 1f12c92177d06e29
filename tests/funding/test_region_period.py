"""The region view of the funding dashboard takes the period too (issue 14): every
municipality over the chosen payment months, summing to the region's total, with a
download of the same period, in fi/sv with no English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from silta.funding.selectors import funding_dashboard_for

pytestmark = pytest.mark.django_db


def _http(user) -> HttpClient:  # type: ignore[no-untyped-def]
    http = HttpClient()
    http.force_login(user)
    return http


def _section(body: str) -> str:
    start = body.index('id="region-heading"')
    return body[start : body.index("</section>", start)]


def test_each_municipality_over_the_chosen_period_sums_to_the_region(world) -> None:
    manager = world["manager"]
    for period in (("2025-10", "2026-01"), ("2024-01", "2024-05")):
        region = funding_dashboard_for(actor=manager, municipality_code="", period=period)
        rows = {r.municipality.code: r for r in region.by_municipality}
        assert len(rows) == len(region.municipalities)
        assert sum((r.municipal_share_eur for r in rows.values()), Decimal(0)) == (
            region.period_total_eur
        )
        for code in ("272", "217"):
            one = funding_dashboard_for(actor=manager, municipality_code=code, period=period)
            assert rows[code].municipal_share_eur == one.period_total_eur, (period, code)
            assert one.by_municipality == []  # one municipality has no region table
    # Kannus's resident was first paid in summer 2024: nothing in January–May 2024
    early = funding_dashboard_for(
        actor=manager, municipality_code="", period=("2024-01", "2024-05")
    )
    by_code = {r.municipality.code: r for r in early.by_municipality}
    assert by_code["217"].paid_days == 0 and by_code["272"].paid_days > 0


def test_the_page_and_its_download_follow_the_period(world) -> None:
    http = _http(world["manager"])
    body = http.get("/funding/", {"from": "2025-10", "to": "2026-01"}).content.decode()
    table = _section(body)
    assert "The region by municipality, 2025-10 to 2026-01" in table
    assert "?municipality=272&amp;from=2025-10&amp;to=2026-01" in table
    # two Kokkola residents: a manager sees the count hidden
    assert "&lt;5" in table
    csv_text = http.get(
        "/funding/",
        {"table": "municipalities", "from": "2025-10", "to": "2026-01", "format": "csv"},
    ).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("municipality_code,municipality,persons")
    kokkola = next(line for line in lines if line.startswith("272,"))
    assert ",<5," in kokkola
    # a municipality's own page has no region table
    one = http.get("/funding/", {"municipality": "272", "from": "2025-10", "to": "2026-01"})
    assert 'id="region-heading"' not in one.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", "Alue kunnittain, 2023-01–2023-10"), ("sv", "Regionen per kommun, 2023-01–2023-10")],
)
def test_the_region_table_in_finnish_and_swedish(world, language, heading) -> None:
    world["manager"].language = language
    world["manager"].save()
    body = _http(world["manager"]).get("/funding/", {"from": "2023-01", "to": "2023-10"})
    table = _section(body.content.decode())
    assert heading in table
    for english in ("The region by municipality", "State share", "Each municipality"):
        assert english not in table
