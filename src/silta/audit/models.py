"""The access log (every read of a person's data) and the change log (every write,
with old and new values). Both are append-only: rows are never updated, and only the
documented retention job deletes them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit rows are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit rows are deleted only by the retention job.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit rows are deleted only by the retention job.")


class AccessLog(AppendOnlyModel):
    """One row per read of person-level data: a client page, a search result page.

    The clients concerned are in AccessLogSubject (a search page names every client
    shown). Client ids are stored as values, not foreign keys, so that the log
    outlives the records it speaks of.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.UUIDField(_("user"), db_index=True)
    actor_username = models.CharField(_("username"), max_length=150)
    organisation_id = models.UUIDField(_("organisation"), null=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    section = models.CharField(_("data"), max_length=80)
    basis = models.CharField(_("access basis"), max_length=120)
    path = models.CharField(_("address"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("access log row")


class AccessLogSubject(AppendOnlyModel):
    id = models.BigAutoField(primary_key=True)
    log = models.ForeignKey(AccessLog, on_delete=models.PROTECT, related_name="subjects")
    client_id = models.UUIDField(db_index=True)

    class Meta:
        ordering = ["id"]


class ChangeLog(AppendOnlyModel):
    """One row per write: who, when, which event, which object, old and new values."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.UUIDField(_("user"), null=True)
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    event = models.CharField(_("event"), max_length=80, db_index=True)
    target_type = models.CharField(_("object type"), max_length=80)
    target_id = models.CharField(_("object"), max_length=64, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["id"]
        verbose_name = _("change log row")
