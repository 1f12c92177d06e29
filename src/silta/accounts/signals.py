"""Sign-in events into the security log (silta.audit.SecurityEvent)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from silta.audit.models import SecurityEventKind
from silta.audit.services import security_event_write


def _username(credentials: dict[str, Any] | None) -> str:
    return str((credentials or {}).get("username", ""))[:150]


@receiver(user_logged_in, dispatch_uid="silta.security.logged_in")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if getattr(user, "backend", "").startswith("silta.sso."):
        return  # single sign-on writes its own event, with the provider and the MFA claim
    security_event_write(SecurityEventKind.LOGIN_SUCCEEDED, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="silta.security.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username: the password is never logged (Django masks it too).
    security_event_write(
        SecurityEventKind.LOGIN_FAILED,
        request=request,
        username=_username(credentials),
        detail={
            "username": _username(credentials),
            "locked": bool(getattr(request, "axes_locked_out", False)),
        },
    )


@receiver(user_locked_out, dispatch_uid="silta.security.locked_out")
def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    security_event_write(
        SecurityEventKind.LOCKED_OUT,
        request=request,
        username=str(username or "")[:150],
        detail={"step": "password"},
    )


@receiver(user_logged_out, dispatch_uid="silta.security.logged_out")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        security_event_write(SecurityEventKind.LOGGED_OUT, request=request, actor=user)
