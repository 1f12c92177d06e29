"""Sign-in, the second step, enrolment with an activation code, and the
administrator's page for activation codes and resets."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.decorators import acting_user, authenticated, require_perm
from silta.accounts.models import ActivationCode, User
from silta.accounts.policies import users_managed_by
from silta.accounts.roles import Perm
from silta.accounts.two_factor import (
    RECOVERY_CODES_SESSION_KEY,
    activation_code_issue,
    activation_code_redeem,
    confirmed_device,
    enrolment_allowed,
    has_open_code,
    next_step_url,
    qr_svg,
    recovery_code_use,
    recovery_codes_left,
    second_factor_reset,
    second_step_locked_until,
    secret_text,
    totp_device_confirm,
    totp_device_start,
    totp_verify,
)
from silta.core import dates


class LoginView(auth_views.LoginView):
    """Logging in always starts a new session: a session planted in the browser (or
    the user's own earlier one) is flushed, never kept."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def form_valid(self, form: Any) -> HttpResponse:
        self.request.session.flush()
        return super().form_valid(form)


login_view = login_not_required(LoginView.as_view())
logout_view = authenticated(auth_views.LogoutView.as_view())


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return next_url


def _to(name: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _locked(request: HttpRequest, user: User) -> HttpResponse | None:
    until = second_step_locked_until(user)
    if until is None:
        return None
    return render(
        request,
        "accounts/locked_out.html",
        {"reason": "second_factor", "until": until, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def _verified(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session key when the session gains rights


@authenticated
def two_factor_activate(request: HttpRequest) -> HttpResponse:
    """Needs an activation code / enter the activation code (also from the link)."""
    user = acting_user(request)
    next_url = _safe_next(request)
    if confirmed_device(user) is not None:
        return _to("two-factor-verify", next_url)
    if enrolment_allowed(request.session, user):
        return _to("two-factor-setup", next_url)
    locked = _locked(request, user)
    if locked:
        return locked
    error = ""
    code = request.GET.get("code", "")[:64]
    if request.method == "POST":
        code = request.POST.get("code", "")[:64]
        try:
            activation_code_redeem(user=user, code=code, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            locked = _locked(request, user)
            if locked:
                return locked
        else:
            return _to("two-factor-setup", next_url)
    entering = bool(error or code or request.GET.get("enter") or has_open_code(user))
    return render(
        request,
        "accounts/activation_enter.html" if entering else "accounts/activation_needed.html",
        {"error": error, "code": code, "next": next_url},
        status=400 if error else 200,
    )


@authenticated
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator: only in a session that just used an activation code."""
    user = acting_user(request)
    next_url = _safe_next(request)
    if confirmed_device(user) is not None:
        return _to("two-factor-verify", next_url)
    if not enrolment_allowed(request.session, user):
        return _to("two-factor-activate", next_url)
    device = totp_device_start(actor=user)
    error = ""
    if request.method == "POST":
        try:
            device, codes = totp_device_confirm(
                actor=user, token=request.POST.get("token", ""), request=request
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            _verified(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return _to("two-factor-recovery-codes", next_url)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"qr": qr_svg(device), "secret": secret_text(device), "error": error, "next": next_url},
        status=400 if error else 200,
    )


@authenticated
@require_GET
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once right after enrolment."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None) or []
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _safe_next(request)},
    )


def _second_step(
    request: HttpRequest,
    template: str,
    check: Callable[[User], Any],
    on_success: Callable[[User], None] | None = None,
) -> HttpResponse:
    """The second step of a login: ``check(user)`` verifies the posted code and returns
    the device, or raises ValidationError; wrong codes count towards the lock."""
    user = acting_user(request)
    next_url = _safe_next(request)
    if confirmed_device(user) is None:
        return redirect(next_step_url(user, request.session, next_url))
    locked = _locked(request, user)
    if locked:
        return locked
    error = ""
    if request.method == "POST":
        try:
            device = check(user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            locked = _locked(request, user)
            if locked:
                return locked
        else:
            _verified(request, device)
            if on_success is not None:
                on_success(user)
            return redirect(next_url)
    return render(
        request, template, {"error": error, "next": next_url}, status=400 if error else 200
    )


@authenticated
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    return _second_step(
        request,
        "accounts/two_factor_verify.html",
        lambda user: totp_verify(actor=user, token=request.POST.get("token", ""), request=request),
    )


@authenticated
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """Enter a recovery code instead of the authenticator's code."""
    return _second_step(
        request,
        "accounts/two_factor_recovery.html",
        lambda user: recovery_code_use(
            actor=user, code=request.POST.get("code", "")[:64], request=request
        ),
        lambda user: messages.warning(request, _recovery_left_message(recovery_codes_left(user))),
    )


def _recovery_left_message(left: int) -> str:
    return ngettext(
        "You have %(n)s recovery code left. If your phone is lost, ask your administrator "
        "to reset your two-step login.",
        "You have %(n)s recovery codes left. If your phone is lost, ask your administrator "
        "to reset your two-step login.",
        left,
    ) % {"n": left}


# --- the administrator's pages ------------------------------------------------------


@require_perm(Perm.ACCOUNTS_MANAGE)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    now = dates.now()
    users = users_managed_by(actor).annotate(
        enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        code_open=Exists(
            ActivationCode.objects.filter(
                user=OuterRef("pk"), used_at=None, revoked_at=None, expires_at__gt=now
            )
        ),
    )
    return render(request, "accounts/user_list.html", {"users": users, "active": "users"})


@require_perm(Perm.ACCOUNTS_MANAGE)
def user_second_factor(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    """Issue an activation code (and link) for a user, or reset their second factor
    after a confirmation."""
    actor = acting_user(request)
    user = users_managed_by(actor).filter(pk=user_id).first()
    if user is None:
        raise Http404
    context: dict[str, Any] = {
        "target": user,
        "error": "",
        "code": None,
        "confirm": False,
        "active": "users",
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "issue":
                issued = activation_code_issue(actor=actor, user=user, request=request)
                context["code"] = issued.code
                context["expires_at"] = issued.expires_at
                context["link"] = request.build_absolute_uri(
                    f"{reverse('two-factor-activate')}?{urlencode({'code': issued.code})}"
                )
            elif action == "reset" and request.POST.get("confirm") == "yes":
                notified = second_factor_reset(actor=actor, user=user, request=request)
                messages.success(request, _reset_message(notified))
                return redirect("accounts-user-second-factor", user_id=user.pk)
            elif action == "reset":
                context["confirm"] = True
            else:
                status = 400
                context["error"] = _unknown_action()
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            status = 400
    context.update(
        enrolled=confirmed_device(user) is not None,
        code_open=has_open_code(user),
        recovery_left=recovery_codes_left(user),
    )
    response = render(request, "accounts/user_second_factor.html", context, status=status)
    return response


def _reset_message(notified: bool) -> str:
    if notified:
        return _("The two-step login was reset and the user was told by e-mail.")
    return _(
        "The two-step login was reset. The user has no working e-mail address: tell them yourself."
    )


def _unknown_action() -> str:
    return _("Choose what to do.")
