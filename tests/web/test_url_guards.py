"""Deny by default: every URL is explicitly public, open to any signed-in user, or
guarded by a permission and refused to anonymous users and to staff of an unrelated
organisation."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from tests import factories

from silta.accounts.roles import OrganisationKind, Role

PUBLIC = {"login", "health", "readiness", "language-switch"}
# single sign-on and the machine clients' token endpoint (issue 19)
PUBLIC |= {"sso-login", "sso-callback", "oauth-token"}
SIGNED_IN_ONLY = {
    "home",
    "logout",
    "two-factor-activate",
    "two-factor-setup",
    "two-factor-recovery-codes",
    "two-factor-verify",
    "two-factor-recovery",
    "who-sees-what",  # the policy table in words, for every signed-in user
}


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:  # type: ignore[type-arg]
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _all_routes() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def _fill(route: str, values: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        return values.get(name, "00000000-0000-0000-0000-000000000000")

    return "/" + re.sub(r"<([^>]+)>", sub, route).replace("^", "").replace("$", "")


def _allowed(response) -> str:  # type: ignore[no-untyped-def]
    """The first method a 405 answer allows."""
    return response["Allow"].split(",")[0].strip()


@pytest.fixture
def setting(region):
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    outsider_org = factories.OrganisationFactory(kind=OrganisationKind.SERVICE_PROVIDER)
    c = factories.client(region["272"], last_name="Uniikkinen", organisation=employment)
    # an unrelated organisation's case worker: may search, but has no relationship
    unrelated_worker = factories.staff(Role.CASE_WORKER, factories.OrganisationFactory())
    provider = factories.staff(Role.PROVIDER_STAFF, outsider_org)
    return {
        "client_id": str(c.pk),
        "to_status": "accepted",  # referral moves (issue 3)
        "month": "2025-01",  # rehab statements (issue 5)
        "fmt": "csv",
        "which": "kela",
        "year": "2023",  # statistics: the council answer report (issue 6)
        "unrelated": [unrelated_worker, provider],
        "secrets": [c.personal_id, str(c.pk)],
    }


def test_every_route_is_classified() -> None:
    # given every URL pattern, then each has a declared guard (public, signed-in, permission)
    unguarded = []
    for route, pattern in _all_routes():
        if route.startswith("api/"):
            continue  # the API is authenticated as a whole; tested below
        access = getattr(pattern.callback, "silta_access", None)
        public = getattr(pattern.callback, "login_required", True) is False
        if pattern.name in PUBLIC:
            assert public, f"{route} is listed public but not marked login_not_required"
        elif public:
            unguarded.append(f"{route}: public but not in the PUBLIC list")
        elif pattern.name in SIGNED_IN_ONLY:
            assert access == ("authenticated",), route
        elif not access or access[0] != "perm":
            unguarded.append(f"{route}: no permission guard")
    assert not unguarded, unguarded


@pytest.mark.django_db
def test_anonymous_and_unrelated_users_are_refused(setting) -> None:
    checked = 0
    for route, pattern in _all_routes():
        if pattern.name in PUBLIC:
            continue
        url = _fill(route, setting)
        # when an anonymous user asks
        response = HttpClient().get(url)
        if response.status_code == 405:  # a POST- or PUT-only action: try it
            response = HttpClient().generic(_allowed(response), url)
        # then pages send them to log in and the API answers 401
        if pattern.name == "api-root":
            assert response.status_code in {302, 404}, (url, response.status_code)
            continue  # ninja's root only points at the (guarded) docs
        if route.startswith("api/"):
            assert response.status_code in {401, 302}, (url, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], url
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith("/login/"), url
        if pattern.name in SIGNED_IN_ONLY:
            checked += 1
            continue
        # when a user of an unrelated organisation asks, then it is refused
        for user in setting["unrelated"]:
            http = HttpClient()
            http.force_login(user)
            response = http.get(url, {"q": "Uniikkinen"})
            if response.status_code == 405:  # a POST- or PUT-only action: try it
                response = http.generic(_allowed(response), url)
            if response.status_code == 200:
                # a list they may open shows none of the client's data
                body = response.content.decode()
                assert not any(s in body for s in setting["secrets"]), (url, user.username)
            else:
                # 400/422: an API action refused the empty body before any lookup
                # (tests/casework/test_authorization_matrix.py posts real bodies)
                refused = {400, 403, 404, 422} if route.startswith("api/") else {403, 404}
                assert response.status_code in refused, (
                    url,
                    user.username,
                    response.status_code,
                )
        checked += 1
    assert checked >= 5


@pytest.mark.django_db
def test_public_routes_answer_anonymous_users(region) -> None:
    http = HttpClient()
    assert http.get("/login/").status_code == 200
    assert http.get("/healthz").json() == {"status": "ok"}
    assert http.post("/language/", {"language": "sv", "next": "/login/"}).status_code == 302
