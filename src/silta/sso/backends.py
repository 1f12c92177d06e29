"""The OpenID Connect sign-in backend (mozilla-django-oidc), configured per provider
(``silta.sso.config``). On top of the library's checks (signature against the
provider's JWKS, nonce, PKCE) it checks the ID token's issuer, audience and expiry,
maps the provider's groups to Silta memberships and requires the provider's second
factor (``acr``/``amr``) for roles that see person-level data. A refusal leaves its
reason on the request (``silta_sso_refusal``) for the callback's page."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.roles import PERSON_LEVEL_ROLES, Role
from silta.audit.models import SecurityEventKind
from silta.audit.services import change_log_write, security_event_write
from silta.core import dates
from silta.sso import config
from silta.sso.models import ProviderMfaDevice, SsoIdentity

LOG = logging.getLogger(__name__)
PROVIDER_SESSION_KEY = "silta_sso_provider"


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def refuse(request: HttpRequest, code: str) -> None:
    request.silta_sso_refusal = code  # type: ignore[attr-defined]


class SiltaOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Nothing is read here: Django builds every backend for every sign-in, also
        # the password ones; the provider is chosen at the callback.
        self.UserModel = get_user_model()
        self.provider: config.Provider | None = None

    def _configure(self, p: config.Provider) -> None:
        doc = config.discovery(p)
        self.provider = p
        self.OIDC_OP_TOKEN_ENDPOINT = doc["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = doc["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = doc["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = p.client_id
        self.OIDC_RP_CLIENT_SECRET = p.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:  # type: ignore[override]
        if request is None or "nonce" not in kwargs:
            return None  # a password sign-in: not ours
        p = config.provider(request.session.get(PROVIDER_SESSION_KEY))
        if p is None:
            refuse(request, "not_configured")
            return None
        try:
            self._configure(p)
            user: User | None = super().authenticate(request, **kwargs)
        except Refused as exc:
            refuse(request, exc.code)
            return None
        except (
            requests.RequestException,
            SuspiciousOperation,
            jwt.PyJWTError,
            ValueError,
            KeyError,
        ) as exc:
            LOG.warning("single sign-on refused: %s", exc)
            refuse(request, "token_invalid")
            return None
        if user is None and not hasattr(request, "silta_sso_refusal"):
            refuse(request, "token_invalid")
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature (RS256 against the provider's keys) and the
        nonce; here also issuer, audience, expiry and issue time (OpenID Connect Core
        1.0, section 3.1.3.7)."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        assert self.provider is not None
        if str(payload.get("iss", "")).rstrip("/") != self.provider.issuer:
            raise SuspiciousOperation("ID token issuer does not match")
        aud = payload.get("aud")
        audiences = [aud] if isinstance(aud, str) else list(aud or [])
        if self.provider.client_id not in audiences:
            raise SuspiciousOperation("ID token audience does not match")
        if len(audiences) > 1 and payload.get("azp") != self.provider.client_id:
            raise SuspiciousOperation("ID token authorised party does not match")
        now = time.time()
        if not isinstance(payload.get("exp"), int | float) or payload["exp"] < now - 30:
            raise SuspiciousOperation("ID token expired")
        if not isinstance(payload.get("iat"), int | float) or payload["iat"] > now + 60:
            raise SuspiciousOperation("ID token issued in the future")
        if not payload.get("sub"):
            raise SuspiciousOperation("ID token has no subject")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        assert self.provider is not None
        p = self.provider
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub", payload["sub"])) != str(payload["sub"]):
            raise Refused("token_invalid")  # OIDC Core 5.3.2: the sub must match
        claims = {**userinfo, **payload}  # the signed ID token's claims win
        grants = self._grants(p, claims)
        if not grants:
            raise Refused("no_role")
        mfa = p.mfa_satisfied(payload)
        if not mfa and any(Role(role) in PERSON_LEVEL_ROLES for _org, role in grants):
            raise Refused("mfa_required")
        user = self._user(p, claims)
        self._sync(user, grants)
        if mfa:
            device, _created = ProviderMfaDevice.objects.get_or_create(
                user=user, defaults={"name": p.label, "confirmed": True}
            )
            user.otp_device = device  # type: ignore[attr-defined]
        self.request.silta_sso_mfa = mfa  # type: ignore[attr-defined]
        self.request.silta_sso_provider = p.key  # type: ignore[attr-defined]
        return user

    def _grants(self, p: config.Provider, claims: dict[str, Any]) -> list[tuple[Organisation, str]]:
        out: list[tuple[Organisation, str]] = []
        for g in p.grants_for(claims):
            if g.role not in Role.values:
                LOG.warning("single sign-on: unknown role %r in the mapping", g.role)
                continue
            org = Organisation.objects.filter(key=g.organisation, is_active=True).first()
            if org is None:
                LOG.warning("single sign-on: unknown organisation %r", g.organisation)
                continue
            out.append((org, g.role))
        return out

    @transaction.atomic
    def _user(self, p: config.Provider, claims: dict[str, Any]) -> User:
        identity = (
            SsoIdentity.objects.select_related("user")
            .filter(issuer=p.issuer, subject=str(claims["sub"]))
            .first()
        )
        if identity is None:
            name = str(claims.get(p.username_claim) or "").strip()
            if not name or len(p.username_prefix + name) > 150:
                raise Refused("no_username")
            username = p.username_prefix + name
            if User.objects.filter(username=username).exists():
                # an existing local account is never taken over by a provider's claim
                raise Refused("username_taken")
            user = User(username=username)
            user.set_unusable_password()
            self._fill(user, claims)
            user.save()
            identity = SsoIdentity.objects.create(
                user=user, provider=p.key, issuer=p.issuer, subject=str(claims["sub"])
            )
            change_log_write(
                actor=None,
                event="sso.user_created",
                target=user,
                changes={"username": [None, username], "provider": [None, p.key]},
            )
        else:
            user = identity.user
            if not user.is_active:
                raise Refused("inactive")
            self._fill(user, claims)
            user.save()
        identity.last_login_at = dates.now()
        identity.save(update_fields=["last_login_at"])
        return user

    @staticmethod
    def _fill(user: User, claims: dict[str, Any]) -> None:
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]

    @transaction.atomic
    def _sync(self, user: User, grants: list[tuple[Organisation, str]]) -> None:
        """The user's memberships become those the provider's groups map to: missing
        ones start today, others end yesterday. Each change is logged."""
        today = dates.today()
        yesterday = today - dt.timedelta(days=1)
        wanted = {(org.pk, role) for org, role in grants}
        added: list[str] = []
        ended: list[str] = []
        rows = {(m.organisation_id, m.role): m for m in Membership.objects.filter(user=user)}
        for org, role in grants:
            m = rows.get((org.pk, role))
            if m is None:
                Membership.objects.create(user=user, organisation=org, role=role, valid_from=today)
                added.append(f"{org.key}/{role}")
            elif (m.valid_to is not None and m.valid_to < today) or m.valid_from > today:
                m.valid_to = None
                m.valid_from = min(m.valid_from, today)
                m.save(update_fields=["valid_to", "valid_from", "updated_at"])
                added.append(f"{org.key}/{role}")
        for key, m in rows.items():
            active = m.valid_from <= today and (m.valid_to is None or m.valid_to >= today)
            if key not in wanted and active:
                m.valid_to = yesterday
                if m.valid_from > yesterday:
                    m.valid_from = yesterday
                m.save(update_fields=["valid_to", "valid_from", "updated_at"])
                ended.append(f"{m.organisation.key}/{m.role}")
        if added or ended:
            change_log_write(
                actor=None,
                event="sso.memberships_synced",
                target=user,
                changes={"added": [None, added], "ended": [None, ended]},
            )
            security_event_write(
                SecurityEventKind.PERMISSION_CHANGED,
                request=self.request,
                actor=user,
                target_type="accounts.user",
                target_id=str(user.pk),
                detail={"source": "sso", "added": added, "ended": ended},
            )
