"""Failed sign-ins: django-axes counts them per username and address (its
AXES_LOCKOUT_PARAMETERS), and this handler adds a second limit per address across all
usernames, so one address cannot guess a few passwords for each of many users
(docs/adr/0017-second-factor-enrolment.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from silta.core import dates


def client_ip(request: HttpRequest) -> str:
    """The address axes counts (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, as in the
    security log. Never a client-supplied header such as X-Forwarded-For, which an
    attacker would vary to escape the limits; a proxy in front sets REMOTE_ADDR."""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off time, summed over
    every username tried."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    since = dates.now() - (get_cool_off(request) or dt.timedelta(hours=1))
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.SILTA_LOGIN_ADDRESS_FAILURE_LIMIT


class SiltaAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]
    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return bool(super().is_locked(request, credentials)) or address_locked(request)

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_locked(request):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=getattr(request, "axes_ip_address", None),
            )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The lockout page (AXES_LOCKOUT_CALLABLE): which limit was met, and for how long."""
    by_username = AxesDatabaseHandler().get_failures(request, credentials) >= get_failure_limit(
        request, credentials
    )
    cool_off = get_cool_off(request) or dt.timedelta(hours=1)
    return render(
        request,
        "accounts/locked_out.html",
        {
            "reason": "username" if by_username else "address",
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": max(1, int(cool_off.total_seconds() // 60)),
        },
        status=429,
    )
