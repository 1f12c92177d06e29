from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service-level messages are asserted in English (pages follow the user's language)."""
    with translation.override("en"):
        yield
