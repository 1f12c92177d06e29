"""Who may do what, read from the role map. Deny by default."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from silta.accounts.models import Membership, User
from silta.accounts.roles import Perm, role_has
from silta.core import dates


def active_memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships valid today, cached on the user object per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_silta_memberships", None)
    if cached is None:
        today = dates.today()
        qs: QuerySet[Membership] = (
            Membership.objects.filter(user=user, valid_from__lte=today)
            .exclude(valid_to__lt=today)
            .select_related("organisation", "organisation__municipality")
        )
        cached = [m for m in qs if m.organisation.is_active]
        user._silta_memberships = cached  # type: ignore[union-attr,attr-defined]
    return cached


def memberships_with(user: User | AnonymousUser, perm: Perm) -> list[Membership]:
    # a machine client acts with its named permissions only (silta.integrations.auth)
    limit = getattr(user, "silta_perm_limit", None)
    if limit is not None and perm not in limit:
        return []
    return [m for m in active_memberships(user) if role_has(m.role, perm)]


def can(user: User | AnonymousUser, perm: Perm) -> bool:
    return bool(memberships_with(user, perm))


def can_search_clients(user: User | AnonymousUser) -> bool:
    return can(user, Perm.CLIENT_SEARCH)


def roles_of(user: User | AnonymousUser) -> set[str]:
    return {m.role for m in active_memberships(user)}


def organisations_of(memberships: Iterable[Membership]) -> set[object]:
    return {m.organisation_id for m in memberships}


def users_managed_by(actor: User | AnonymousUser) -> QuerySet[User]:
    """Users an administrator may issue activation codes for and reset: those with a
    membership (current or ended) in an organisation where the administrator holds
    ACCOUNTS_MANAGE today. Never the administrator themselves."""
    organisations = organisations_of(memberships_with(actor, Perm.ACCOUNTS_MANAGE))
    if not organisations:
        return User.objects.none()
    users = User.objects.filter(memberships__organisation_id__in=organisations).distinct()
    return users.exclude(pk=actor.pk) if isinstance(actor, User) else users
