"""Single sign-on for staff (issue 19) against the real OpenID provider started by
conftest.py: real discovery, token endpoint, RS256 signatures and login form."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from django.test import Client as HttpClient
from django.test import override_settings
from django.utils import translation
from tests import factories
from tests.sso.conftest import PEOPLE, sign_in_at_provider, sso_settings

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.audit.models import SecurityEvent, SecurityEventKind
from silta.sso import config as sso_config
from silta.sso.backends import SiltaOIDCBackend
from silta.sso.models import SsoIdentity


@pytest.fixture
def orgs(db) -> dict[str, Any]:
    return {
        "soite": factories.OrganisationFactory(key="soite"),
        "groups": factories.OrganisationFactory(key="soite-groups"),
    }


def _sign_in(username: str) -> tuple[HttpClient, Any]:
    silta = HttpClient()
    start = silta.get("/sso/soite/")
    assert start.status_code == 302
    back = sign_in_at_provider(start["Location"], username)
    parts = urlsplit(back)
    assert parts.netloc == "testserver" and parts.path == "/sso/callback/"
    return silta, silta.get(f"{parts.path}?{parts.query}")


@pytest.mark.django_db
def test_login_page_offers_the_organisations_sign_in(sso, orgs) -> None:
    with translation.override("en"):
        page = HttpClient().get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in with Soite AD" in page and 'href="/sso/soite/' in page


@pytest.mark.django_db
@override_settings(SILTA_REQUIRE_2FA=True)
def test_a_social_worker_signs_in_with_the_providers_second_factor(sso, orgs) -> None:
    # when Sari signs in at her organisation's provider with a second factor
    silta, response = _sign_in("sari")
    # then she is signed in to Silta, created from the claims, with the mapped roles
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="sari")
    assert (user.first_name, user.last_name) == ("Sari", "Sosiaalinen")
    assert not user.has_usable_password()
    assert SsoIdentity.objects.get(user=user).issuer == sso["issuer"]
    roles = {(m.organisation.key, m.role) for m in Membership.objects.filter(user=user)}
    assert roles == {("soite", Role.SOCIAL_WORKER), ("soite-groups", Role.SOCIAL_INSTRUCTOR)}
    # and counts as verified: the second-factor page is not asked for
    home = silta.get("/")
    assert home.status_code == 200
    # one sign-in, one event (the provider's, not also the password login's)
    (event,) = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_SUCCEEDED)
    assert event.actor_username == "sari"
    assert event.detail == {"method": "oidc", "provider": "soite", "mfa": True}


@pytest.mark.django_db
def test_a_person_level_role_without_the_providers_mfa_is_refused(sso, orgs) -> None:
    # when Niko (social worker) signs in with a password only
    silta, response = _sign_in("niko")
    # then Silta refuses with a clear page, creates nothing and logs the refusal
    assert response.status_code == 403
    assert "toista tunnistautumistekijää" in response.content.decode()
    assert not User.objects.filter(username="niko").exists()
    assert silta.get("/").status_code == 302
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).latest("id")
    assert event.detail["reason"] == "mfa_required"


@pytest.mark.django_db
@override_settings(SILTA_REQUIRE_2FA=True)
def test_a_manager_without_person_level_data_needs_no_providers_mfa(sso, orgs) -> None:
    silta, response = _sign_in("maija")
    assert response.status_code == 302
    user = User.objects.get(username="maija")
    assert [m.role for m in Membership.objects.filter(user=user)] == [Role.MANAGER]
    # aggregated figures only: no second factor is asked for
    assert silta.get("/").status_code == 200


@pytest.mark.django_db
def test_no_mapped_group_is_refused(sso, orgs) -> None:
    _silta, response = _sign_in("olli")
    assert response.status_code == 403
    assert not User.objects.filter(username="olli").exists()


@pytest.mark.django_db
def test_memberships_follow_the_providers_groups(sso, orgs) -> None:
    _sign_in("sari")
    user = User.objects.get(username="sari")
    # given the provider removes Sari from the groups group
    people = json.loads(json.dumps(PEOPLE))
    people["sari"]["groups"] = ["silta-soite-social-workers"]
    sso["users_file"].write_text(json.dumps(people))
    # when she signs in again
    _silta, response = _sign_in("sari")
    assert response.status_code == 302
    # then that membership has ended and the other is kept; the change is logged
    from silta.accounts.policies import active_memberships

    fresh = User.objects.get(pk=user.pk)
    assert {(m.organisation.key, m.role) for m in active_memberships(fresh)} == {
        ("soite", Role.SOCIAL_WORKER)
    }
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.PERMISSION_CHANGED, actor_username="sari"
    ).exists()


@pytest.mark.django_db
def test_an_existing_local_account_is_not_taken_over(sso, orgs) -> None:
    factories.staff(Role.CASE_WORKER, orgs["soite"], username="sari")
    _silta, response = _sign_in("sari")
    assert response.status_code == 403
    assert not SsoIdentity.objects.exists()


@pytest.mark.django_db
def test_a_token_of_another_issuer_is_refused(op, orgs) -> None:
    sso_config.forget_discovery()
    # given Silta expects the provider's tokens to name the real issuer, while the
    # provider's metadata and keys are used as they are (a provider sharing keys)
    with override_settings(SILTA_SSO=sso_settings(op["issuer"])):
        backend = SiltaOIDCBackend()
        backend._configure(sso_config.provider("soite"))  # type: ignore[arg-type]
        now = int(time.time())
        claims = {"sub": "1", "aud": "silta-test", "iat": now, "exp": now + 300, "nonce": "n"}
        kid = _kid(op)
        good = jwt.encode(
            {**claims, "iss": op["issuer"]}, op["key"], algorithm="RS256", headers={"kid": kid}
        )
        assert backend.verify_token(good, nonce="n")["sub"] == "1"
        # when the token names another issuer, then it is refused
        other_iss = jwt.encode(
            {**claims, "iss": "http://127.0.0.1:1/evil"},
            op["key"],
            algorithm="RS256",
            headers={"kid": kid},
        )
        with pytest.raises(SuspiciousOperation):
            backend.verify_token(other_iss, nonce="n")
        # and a token for another client is refused
        other_aud = jwt.encode(
            {**claims, "iss": op["issuer"], "aud": "someone-else"},
            op["key"],
            algorithm="RS256",
            headers={"kid": kid},
        )
        with pytest.raises(SuspiciousOperation):
            backend.verify_token(other_aud, nonce="n")
    sso_config.forget_discovery()


@pytest.mark.django_db
def test_a_token_signed_with_another_key_is_refused(op, orgs) -> None:
    sso_config.forget_discovery()
    with override_settings(SILTA_SSO=sso_settings(op["issuer"])):
        backend = SiltaOIDCBackend()
        backend._configure(sso_config.provider("soite"))  # type: ignore[arg-type]
        forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = int(time.time())
        forged = jwt.encode(
            {"iss": op["issuer"], "sub": "1", "aud": "silta-test", "iat": now, "exp": now + 300},
            forger,
            algorithm="RS256",
            headers={"kid": _kid(op)},
        )
        # when an ID token claims the provider's key id but is signed by another key
        with pytest.raises(SuspiciousOperation):
            backend.verify_token(forged, nonce=None)
    sso_config.forget_discovery()


@pytest.mark.django_db
def test_a_wrong_configured_issuer_refuses_the_sign_in(op, orgs) -> None:
    sso_config.forget_discovery()
    # given Silta is configured with an issuer the provider's metadata does not name
    with override_settings(SILTA_SSO=sso_settings(op["base"] + "/o/../o")):
        response = HttpClient().get("/sso/soite/")
        # then the sign-in does not start, with a clear page
        assert response.status_code == 503
        assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).exists()
    sso_config.forget_discovery()


def _kid(op: dict[str, Any]) -> str:
    import requests

    jwks = requests.get(f"{op['issuer']}/.well-known/jwks.json", timeout=10).json()
    return str(jwks["keys"][0]["kid"])


@pytest.mark.django_db
def test_a_broken_configuration_hides_the_buttons_but_not_the_login_page(tmp_path) -> None:
    broken = tmp_path / "sso.json"
    broken.write_text('{"providers": {"x": {"label": "X"}}}')  # no issuer, no client id
    with override_settings(SILTA_SSO=None, SILTA_SSO_CONFIG=str(broken)):
        page = HttpClient().get("/login/")
        assert page.status_code == 200
        assert 'href="/sso/' not in page.content.decode()
        assert HttpClient().get("/sso/x/").status_code == 404
