"""Coded errors of the catalogue, and the stale-edit error shared by every versioned
edit (catalogue services, referrals, plans, outcomes)."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError


class CatalogueError(StrEnum):
    REQUIRED = "catalogue.required"
    CAPACITY = "catalogue.capacity"
    WAIT_DAYS = "catalogue.wait_days"
    STALE = "catalogue.stale_version"


class StaleEdit(ValidationError):
    """Somebody else saved the record after this edit began. The API answers 409, the
    pages show a conflict message; nothing is written."""

    http_status = 409
