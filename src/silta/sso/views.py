"""Sign-in through the organisation's OpenID provider: the start (redirect to the
provider), the callback (code for tokens, checks, sign-in) and the refusal page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from silta.audit.models import SecurityEventKind
from silta.audit.services import security_event_write
from silta.sso import config
from silta.sso.backends import PROVIDER_SESSION_KEY

REASONS = {
    "mfa_required": _(
        "Your organisation's sign-in did not use a second factor (for example an "
        "authenticator app or a security key). Your role in Silta shows client data, "
        "so Silta accepts the sign-in only with a second factor. Sign in again and "
        "choose a second factor, or ask your organisation's IT support."
    ),
    "no_role": _(
        "Your organisation's account has no role in Silta. Ask your organisation's "
        "administrator to add you to a Silta group."
    ),
    "username_taken": _(
        "A Silta account with the same user name already exists and is not linked to "
        "your organisation's account. Ask Silta's administrator to link them."
    ),
    "no_username": _("Your organisation's sign-in did not tell your user name."),
    "inactive": _("Your Silta account has been closed."),
    "not_configured": _("This sign-in service is not in use."),
    "token_invalid": _(
        "The answer of your organisation's sign-in service could not be verified. "
        "Nothing was changed. Try again; if it happens again, tell Silta's administrator."
    ),
    "cancelled": _("The sign-in was cancelled at your organisation's sign-in service."),
}


class SsoStartView(OIDCAuthenticationRequestView):
    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest, provider: str = "") -> HttpResponse:  # type: ignore[override]
        p = config.provider(provider)
        if p is None:
            raise Http404
        try:
            doc = config.discovery(p)
        except Exception:  # the provider is down or answers nonsense
            return _refused(request, "token_invalid", p.key, status=503)
        self.OIDC_OP_AUTH_ENDPOINT = doc["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = p.client_id
        request.session[PROVIDER_SESSION_KEY] = p.key
        self._scopes = p.scopes
        return super().get(request)

    def get_settings(self, attr: str, *args: Any) -> Any:  # type: ignore[override]
        if attr == "OIDC_RP_SCOPES":
            return self._scopes
        return OIDCAuthenticationRequestView.get_settings(attr, *args)


class SsoCallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self) -> HttpResponse:
        request = self.request
        code = getattr(request, "silta_sso_refusal", "")
        if not code:
            code = "cancelled" if request.GET.get("error") else "token_invalid"
        return _refused(request, code, request.session.get(PROVIDER_SESSION_KEY, ""))

    def login_success(self) -> HttpResponse:
        from django_otp import login as otp_login

        response = super().login_success()
        request = self.request
        device = getattr(self.user, "otp_device", None)
        if device is not None:
            otp_login(request, device)
        security_event_write(
            SecurityEventKind.LOGIN_SUCCEEDED,
            request=request,
            actor=self.user,
            detail={
                "method": "oidc",
                "provider": getattr(request, "silta_sso_provider", ""),
                "mfa": bool(getattr(request, "silta_sso_mfa", False)),
            },
        )
        return response


def _refused(request: HttpRequest, code: str, provider: str, status: int = 403) -> HttpResponse:
    security_event_write(
        SecurityEventKind.LOGIN_FAILED,
        request=request,
        actor=None,
        username="",
        detail={"method": "oidc", "provider": provider, "reason": code},
    )
    return render(
        request,
        "sso/refused.html",
        {"reason": REASONS.get(code, REASONS["token_invalid"])},
        status=status,
    )


sso_start = login_not_required(SsoStartView.as_view())
sso_callback = login_not_required(SsoCallbackView.as_view())
