"""Markers shared by test modules."""

from __future__ import annotations

import os

import pytest

whole_region_sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason=(
        "loads the whole synthetic region (1-2 minutes): runs in the SQLite pass only; the "
        "PostgreSQL pass loads smaller regions (tests/synth/test_loader.py and others)"
    ),
)
