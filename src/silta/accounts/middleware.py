from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Pages redirect anonymous users to the login page; the JSON API answers 401
    itself (its routers are authenticated by default), so it is left to the API."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class UserLanguageMiddleware:
    """A signed-in user's language choice is remembered on the user and wins over the
    browser's; anonymous visitors get the cookie or browser language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        lang = getattr(user, "language", None) if user and user.is_authenticated else None
        if lang and lang in dict(settings.LANGUAGES):
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        if lang:
            response.headers.setdefault("Content-Language", lang)
        return response


class TwoFactorRequiredMiddleware:
    """A signed-in user must pass the second step before any other page: always when
    they have an authenticator; when SILTA_REQUIRE_2FA is on and their role sees
    person-level data, they must also enrol one first, which needs an activation code
    (docs/adr/0017). The JSON API answers 401 until then."""

    ALLOWED = (
        "two-factor-activate",
        "two-factor-setup",
        "two-factor-recovery-codes",
        "two-factor-verify",
        "two-factor-recovery",
        "login",
        # single sign-on (silta.sso): signing in as someone else is always possible
        "sso-login",
        "sso-callback",
        "logout",
        "language-switch",
        "health",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from silta.accounts.two_factor import next_step_name, next_step_url

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        step = next_step_name(user, request.session)  # type: ignore[arg-type]
        if step is None:
            return self.get_response(request)
        match = request.resolver_match or _resolve(request.path_info)
        name = getattr(match, "url_name", None)
        static = (
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + (settings.STATIC_URL)
        )
        if name in self.ALLOWED or request.path_info.startswith(static):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"code": "access.second_factor_required", "message": "Confirm your code."},
                status=401,
            )
        return redirect(next_step_url(user, request.session, request.get_full_path()))  # type: ignore[arg-type]


def _resolve(path: str) -> object:
    try:
        return resolve(path)
    except Resolver404:
        return None
