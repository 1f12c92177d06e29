"""Refuse requests that carry NUL characters; answer 503 while the database is down.

PostgreSQL text cannot hold NUL (0x00); letting one through turns a bad request into
a server error (found by the API fuzz test). Forms already refuse it field by field;
this catches query strings and request bodies everywhere, before any view runs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils.translation import gettext as _

from silta.core.outage import is_outage, outage_response

logger = logging.getLogger(__name__)

_NUL_MARKERS = (b"\x00", b"%00", b"\\u0000")


def _has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        return True
    if request.method in {"POST", "PUT", "PATCH"}:
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/"):
            return False  # uploaded files are validated by their importers
        body = request.body
        return any(marker in body for marker in _NUL_MARKERS)
    return False


class NullCharacterGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The request contains a null character, which is not allowed.")
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"code": "request.null_character", "message": message}, status=400
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable answers 503 with
    ``Retry-After`` (``silta.core.outage``). A failure in another middleware (the
    session or the user is read before any view) reaches ``handler500``, which
    answers the same way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            logger.error("Database unavailable: %s %s", request.method, request.path, exc_info=True)
            return outage_response(request)
        return None


# An identity code with its century sign, or without it (10 characters); the check
# character of a code without a sign is verified in ``_is_identity_code``.
_HETU_WITH_SIGN = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Ya-y](?![0-9A-Za-z])")
_HETU_NO_SIGN = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{3})([0-9A-Ya-y])(?![0-9A-Za-z])")
_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def _is_identity_code(value: str) -> bool:
    if _HETU_WITH_SIGN.search(value):
        return True
    return any(
        _CHECK[int(m.group(1) + m.group(2)) % 31] == m.group(3).upper()
        for m in _HETU_NO_SIGN.finditer(value)
    )


class IdentityCodeInAddressMiddleware:
    """An identity code is never part of an address (issue 18): addresses end up in
    server and proxy logs, browser histories and the access log. A page request (GET)
    whose query holds one is not answered: it is redirected to the same address
    without those parameters, with a note to use the form (which posts). The API is for
    machine clients and answers on its own terms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in {"GET", "HEAD"}
            and request.GET
            and not request.path.startswith(("/api/", "/static/"))
        ):
            kept = request.GET.copy()
            dropped = [
                k for k, values in request.GET.lists() if any(map(_is_identity_code, values))
            ]
            if dropped:
                for key in dropped:
                    kept.pop(key, None)
                if getattr(request, "_messages", None) is not None:
                    messages.info(
                        request, _("Search by identity code with the form, not in the address.")
                    )
                query = kept.urlencode()
                return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        return self.get_response(request)
