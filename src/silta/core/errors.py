"""Coded errors. Each app defines its codes as a StrEnum; the API returns the code,
pages show the translated message next to the field."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied


class AccessError(StrEnum):
    NOT_PERMITTED = "access.not_permitted"
    NO_RELATIONSHIP = "access.no_relationship"


class AccessDenied(PermissionDenied):
    """The actor may not do this. Views turn it into 403, selectors of single objects
    into 404 (so that the existence of a client is not revealed)."""

    def __init__(self, code: AccessError, message: str = "") -> None:
        super().__init__(message or code.value)
        self.code = code
