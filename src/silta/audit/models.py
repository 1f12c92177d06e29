"""The access log (every read of a person's data) and the change log (every write,
with old and new values).

All three logs (access, change, security) are append-only and chained: each row stores
the hash of the previous row of its log, the id of the audit key and its own keyed
hash over its content (``silta.audit.chain``; the key is outside the database). Rows
are never updated; only the retention command deletes, and it records what it removed
in a signed closed segment outside the database.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit rows are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit rows are deleted only by the retention job.")


class ChainedQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, *args: Any, **kwargs: Any) -> list[Any]:
        raise AppendOnlyError("Audit rows are chained one by one; use the audit services.")


class ChainHead(models.Model):
    """The last row of each hash chain, and where the chain starts after retention."""

    name = models.CharField(max_length=40, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    anchor_hash = models.CharField(max_length=64, default="")

    class Meta:
        ordering = ["name"]


class ChainedModel(models.Model):
    """An append-only row that links itself to the previous row of its chain."""

    CHAIN: ClassVar[str] = ""
    prev_hash = models.CharField(max_length=64, editable=False, default="")
    row_hash = models.CharField(max_length=64, editable=False, default="", db_index=True)
    key_id = models.CharField(max_length=40, editable=False, default="")
    objects = ChainedQuerySet.as_manager()

    class Meta:
        abstract = True

    def chain_content(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self, *args: Any, **kwargs: Any) -> None:
        from silta.audit.chain import row_mac
        from silta.audit.keys import keyring

        if not self._state.adding:
            raise AppendOnlyError("Audit rows are append-only.")
        ring = keyring()
        with transaction.atomic():
            head, _ = ChainHead.objects.select_for_update().get_or_create(name=self.CHAIN)
            self.prev_hash = head.last_hash
            self.key_id = ring.current_id
            self.row_hash = row_mac(ring.current, self.key_id, self.prev_hash, self.chain_content())
            super().save(*args, **kwargs)
            head.last_id = int(self.pk)
            head.last_hash = self.row_hash
            head.save(update_fields=["last_id", "last_hash"])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit rows are deleted only by the retention job.")


class AccessLog(ChainedModel):
    """One row per read of person-level data: a client page, a search result page.

    The clients concerned are in AccessLogSubject (a search page names every client
    shown); ``subjects_digest`` puts them into the row's hash. Client ids are stored as
    values, not foreign keys, so that the log outlives the records it speaks of.
    """

    CHAIN = "access"
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.UUIDField(_("user"), db_index=True)
    actor_username = models.CharField(_("username"), max_length=150)
    organisation_id = models.UUIDField(_("organisation"), null=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    # Text, not a bounded column: a read under several consents names all of them.
    section = models.TextField(_("data"))
    basis = models.TextField(_("access basis"))
    path = models.CharField(_("address"), max_length=500, blank=True)
    subjects_digest = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("access log row")

    def chain_content(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor_id": str(self.actor_id),
            "actor_username": self.actor_username,
            "organisation_id": str(self.organisation_id) if self.organisation_id else None,
            "role": self.role,
            "section": self.section,
            "basis": self.basis,
            "path": self.path,
            "subjects": self.subjects_digest,
        }


class AccessLogSubject(models.Model):
    id = models.BigAutoField(primary_key=True)
    log = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="subjects")
    client_id = models.UUIDField(db_index=True)
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]


class ChangeLog(ChainedModel):
    """One row per write: who, when, which event, which object, old and new values."""

    CHAIN = "change"
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

    def chain_content(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor_id": str(self.actor_id) if self.actor_id else None,
            "actor_username": self.actor_username,
            "event": self.event,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "changes": self.changes,
        }


class VerificationRun(models.Model):
    """The result of one check of the three chains (maintenance command or the
    administrator's button); the latest is shown on the administrator's page."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"))
    ok = models.BooleanField(_("intact"))
    access_rows = models.PositiveBigIntegerField(default=0)
    change_rows = models.PositiveBigIntegerField(default=0)
    security_rows = models.PositiveBigIntegerField(default=0)
    problem = models.TextField(_("problem"), blank=True)
    # One entry per chain that failed: {"chain", "row", "intact_through"}, for the page.
    failures = models.JSONField(default=list, blank=True)
    started_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    CHAIN_LABELS: ClassVar[dict[str, Any]] = {
        "access": _("Access log"),
        "change": _("Change log"),
        "security": _("Security log"),
    }

    def failure_lines(self) -> list[str]:
        """What failed, in the reader's language (the English detail is ``problem``)."""
        from django.utils.translation import gettext

        lines = []
        for f in self.failures:
            label = self.CHAIN_LABELS.get(f.get("chain"), f.get("chain"))
            if f.get("row"):
                text = gettext("%(log)s: a check failed at row %(row)s.") % {
                    "log": label,
                    "row": f["row"],
                }
            else:
                text = gettext("%(log)s: the comparison with the signed checkpoint failed.") % {
                    "log": label
                }
            if f.get("intact_through"):
                text += " " + gettext("Intact up to row %(row)s.") % {"row": f["intact_through"]}
            lines.append(text)
        return lines


class SecurityEventKind(models.TextChoices):
    LOGIN_SUCCEEDED = "login_succeeded", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
    LOGGED_OUT = "logged_out", _("Signed out")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Second factor code refused")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor enrolled")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset by an administrator")
    ACTIVATION_CODE_ISSUED = "activation_code_issued", _("Activation code issued")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    CLIENT_ACCESS_REFUSED = "client_access_refused", _("Access to a client refused")
    PERMISSION_CHANGED = "permission_changed", _("Roles or permissions changed")
    API_CLIENT_CHANGED = "api_client_changed", _("Machine client added, changed or revoked")


class SecurityEvent(ChainedModel):
    """One security-relevant event: sign-ins, second-factor changes, refused access to
    a client, permission changes. Chained like the other logs; the administrator
    filters and exports it."""

    CHAIN = "security"
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=SecurityEventKind.choices)
    actor_id = models.UUIDField(_("user"), null=True, db_index=True)
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True)
    target_type = models.CharField(_("object type"), max_length=80, blank=True)
    target_id = models.CharField(_("object"), max_length=64, blank=True, db_index=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    detail = models.JSONField(_("details"), default=dict)

    class Meta:
        ordering = ["id"]
        verbose_name = _("security event")

    def chain_content(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "actor_id": str(self.actor_id) if self.actor_id else None,
            "actor_username": self.actor_username,
            "address": self.address,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "path": self.path,
            "detail": self.detail,
        }
