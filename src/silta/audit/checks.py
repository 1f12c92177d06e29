"""``silta check --deploy``: a production server needs its audit key."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from silta.audit.keys import AuditKeyError, keyring


@register(Tags.security, deploy=True)
def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    try:
        ring = keyring()
    except AuditKeyError as exc:
        return [Error(str(exc), id="silta.audit.E001")]
    except OSError as exc:
        return [Error(f"The audit key file cannot be read: {exc}", id="silta.audit.E002")]
    if ring.source == str(settings.SILTA_AUDIT_KEY_FILE) and os.stat(ring.source).st_mode & 0o077:
        return [
            Error(
                f"The audit key file {ring.source} can be read by other users (chmod 600 it).",
                id="silta.audit.E003",
            )
        ]
    return []
