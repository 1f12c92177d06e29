"""Two rules every person-level response follows, whatever view produced it:

- a refused request for a client (403 or 404 on an address that names a client) writes
  a security-log row with the user and the target, so that probing is visible to the
  administrator (issue 13, item 7);
- responses to a signed-in user or to the API are never stored by a browser or proxy
  (``Cache-Control: no-store``): they may carry identity codes and client data.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from silta.audit.models import SecurityEventKind

# URL keyword arguments that name a client, directly or through a record of one.
CLIENT_KWARGS = ("client_id",)


class ClientAccessGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path_info.startswith("/api/"):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, " + response.headers["Cache-Control"]
        if signed_in and response.status_code in (403, 404):
            match = request.resolver_match
            kwargs = getattr(match, "kwargs", None) or {}
            target = next((str(kwargs[k]) for k in CLIENT_KWARGS if k in kwargs), "")
            if target:
                from silta.audit.services import security_event_write

                security_event_write(
                    SecurityEventKind.CLIENT_ACCESS_REFUSED,
                    request=request,
                    target_type="clients.client",
                    target_id=target,
                    detail={"status": response.status_code, "method": request.method},
                )
        return response
