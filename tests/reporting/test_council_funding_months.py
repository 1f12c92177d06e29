"""The council report's funding share per municipality for some months of a year,
computed over real month rows (the crawl found a 500 here: the month bounds were read
as column names)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from silta.funding import figures, results
from silta.reporting.council import funding_share_by_municipality


@pytest.mark.django_db
def test_months_of_a_year_are_summed_per_municipality(region, monkeypatch) -> None:
    months = pl.DataFrame(
        {
            "municipality_code": ["272", "272", "272", "924"],
            "month": ["2025-01", "2025-10", "2025-11", "2025-03"],
            "municipal_share_eur": [10.0, 5.5, 99.0, 2.25],
        }
    )
    monkeypatch.setattr(results, "funding_data", lambda: None)
    monkeypatch.setattr(figures, "municipality_months", lambda data: months)
    rows, total = funding_share_by_municipality(2025, 1, 10)
    by_name = dict(rows)
    assert by_name[region["272"].name] == Decimal("15.50")
    assert by_name[region["924"].name] == Decimal("2.25")
    assert total == Decimal("17.75")
