"""Bearer tokens of registered machine clients for the JSON API.

A token is issued by the OAuth2 token endpoint (``/oauth/token/``, client credentials,
django-oauth-toolkit) and checked here with the library's own validator (checksum,
expiry, scope). The request then acts as the client's service user, limited to the
client's named permissions (``silta_perm_limit``, honoured by
``silta.accounts.policies.memberships_with``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security.base import AuthBase

API_SCOPE = "api"
TOKEN_PATH = "/oauth/token/"  # noqa: S105 - an address, not a secret


class MachineClientAuth(AuthBase):
    openapi_type = "oauth2"
    openapi_description = (
        "A registered machine client (integration) exchanges its client id and secret "
        "for a short-lived bearer token at the token endpoint (OAuth2 client "
        "credentials) and sends it as 'Authorization: Bearer <token>'. The client acts "
        "for one organisation with a named set of permissions."
    )
    openapi_flows = {
        "clientCredentials": {
            "tokenUrl": TOKEN_PATH,
            "scopes": {API_SCOPE: "Use the Silta API within the client's permissions"},
        }
    }

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        from oauth2_provider.oauth2_backends import get_oauthlib_core

        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[API_SCOPE])
        if not valid:
            return None
        application = oauth_request.client
        client = getattr(application, "machine_client", None)
        if client is None or not client.is_active or not client.user.is_active:
            return None
        user = client.user
        user.silta_perm_limit = client.perm_set
        user.silta_machine_client = client
        request.user = user
        return client
