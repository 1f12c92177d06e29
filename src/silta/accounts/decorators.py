"""Every view declares its guard. A test walks the URL map and fails on a view
without one: deny by default.

- ``login_not_required`` (Django): public (login page, health check, static).
- ``authenticated``: any signed-in staff user (home, logout, language).
- ``require_perm(Perm.X, ...)``: a role permission (any one of those named); object
  checks happen in selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from silta.accounts.models import User
from silta.accounts.policies import can
from silta.accounts.roles import Perm

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def authenticated(view: V) -> V:
    view.silta_access = ("authenticated",)  # type: ignore[attr-defined]
    return view


def require_perm(perm: Perm, *others: Perm) -> Callable[[V], V]:
    """Refuse users who hold none of the named permissions."""
    perms = (perm, *others)

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(can(request.user, p) for p in perms):
                raise PermissionDenied(perm.value)
            return view(request, *args, **kwargs)

        wrapper.silta_access = ("perm", *perms)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a guarded view (the guards have refused anonymous users)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("not signed in")
    return user
