"""Fixtures for the engine tests; the builders live in silta.engine.testing."""

from __future__ import annotations

import pytest

from silta.engine.rules import FundingRules, load_rules


@pytest.fixture(scope="session")
def rules() -> FundingRules:
    return load_rules()
