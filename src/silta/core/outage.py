"""A database outage answers 503, not 500 (issue 19, item 8; ADR 0020).

While the database cannot be reached (``OperationalError``: refused, terminated,
restarting; ``InterfaceError``: the connection is closed), a page or API request
gets a short message in the user's language and ``Retry-After``. The page is
rendered without the database: no session, no user, no context processors.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

#: Seconds a client should wait before trying again.
RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_outage(exc: BaseException | None) -> bool:
    """Whether an exception means the database is unreachable (or was, mid-request)."""
    seen = 0
    while exc is not None and seen < 5:  # Django wraps the driver's error
        if isinstance(exc, OUTAGE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: JSON for the API, a standalone page otherwise."""
    message = _(
        "Silta cannot reach its database right now. Nothing was saved from this request. "
        "Please try again in a minute."
    )
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"code": "service.unavailable", "message": message}, status=503)
    else:
        html = render_to_string(
            "web/unavailable.html", {"title": _("Service unavailable"), "message": message}
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
