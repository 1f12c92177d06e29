"""PostgreSQL connections carry Silta's planner settings (docs/OPERATIONS.md)."""

from __future__ import annotations

import pytest
from django.db import connection

from silta.config import settings as silta_settings


def test_planner_options_join_the_urls_own_and_can_be_turned_off(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db?options=-c%20work_mem%3D8MB")
    monkeypatch.delenv("SILTA_PG_OPTIONS", raising=False)
    options = silta_settings._database_from_env()["OPTIONS"]
    assert options == {"options": f"-c work_mem=8MB {silta_settings.DEFAULT_PG_OPTIONS}"}
    monkeypatch.setenv("SILTA_PG_OPTIONS", "")
    assert silta_settings._database_from_env()["OPTIONS"] == {"options": "-c work_mem=8MB"}
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert silta_settings._database_from_env()["OPTIONS"] == {}


@pytest.mark.django_db
def test_postgresql_connection_uses_the_planner_settings() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
