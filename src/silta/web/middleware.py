"""Refuse requests that carry NUL characters; answer 503 while the database is down.

PostgreSQL text cannot hold NUL (0x00); letting one through turns a bad request into
a server error (found by the API fuzz test). Forms already refuse it field by field;
this catches query strings and request bodies everywhere, before any view runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
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
