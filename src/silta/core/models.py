from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID key and creation/update stamps for domain rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
