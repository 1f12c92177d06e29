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
    """When SILTA_REQUIRE_2FA is on, a signed-in user with a person-level role must
    confirm a TOTP code (or set up their authenticator first) before any other page."""

    ALLOWED = ("two-factor-setup", "two-factor-verify", "logout", "language-switch", "health")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from silta.accounts.two_factor import needs_second_factor, next_step_url

        user = getattr(request, "user", None)
        if (
            settings.SILTA_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and needs_second_factor(user)  # type: ignore[arg-type]
            and not user.is_verified()  # type: ignore[union-attr]
        ):
            match = request.resolver_match or _resolve(request.path_info)
            name = getattr(match, "url_name", None)
            if name not in self.ALLOWED and not request.path_info.startswith(
                settings.STATIC_URL
                if settings.STATIC_URL.startswith("/")
                else "/" + settings.STATIC_URL
            ):
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {"code": "access.second_factor_required", "message": "Confirm your code."},
                        status=401,
                    )
                return redirect(next_step_url(user, request.get_full_path()))  # type: ignore[arg-type]
        return self.get_response(request)


def _resolve(path: str) -> object:
    try:
        return resolve(path)
    except Resolver404:
        return None
