"""The OpenID providers and the group mapping, read from ``settings.SILTA_SSO`` (a dict,
tests) or the JSON file named by ``SILTA_SSO_CONFIG`` (docs/OPERATIONS.md)."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grant:
    organisation: str
    role: str


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid profile email"
    groups_claim: str = "groups"
    username_claim: str = "preferred_username"
    username_prefix: str = ""
    accepted_acr: tuple[str, ...] = ()
    accepted_amr: tuple[str, ...] = ()
    groups: dict[str, tuple[Grant, ...]] = field(default_factory=dict)

    def grants_for(self, claims: dict[str, Any]) -> list[Grant]:
        value = claims.get(self.groups_claim) or []
        names = [value] if isinstance(value, str) else [str(v) for v in value]
        out: list[Grant] = []
        for name in names:
            for g in self.groups.get(name, ()):
                if g not in out:
                    out.append(g)
        return out

    def mfa_satisfied(self, claims: dict[str, Any]) -> bool:
        """True when the ID token's ``acr`` or one of its ``amr`` values is accepted."""
        acr = claims.get("acr")
        if isinstance(acr, str) and acr in self.accepted_acr:
            return True
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        return any(isinstance(a, str) and a in self.accepted_amr for a in amr)


def _provider(key: str, raw: dict[str, Any]) -> Provider:
    try:
        secret = raw.get("client_secret") or os.environ.get(raw.get("client_secret_env", ""), "")
        groups = {
            str(name): tuple(Grant(str(g["organisation"]), str(g["role"])) for g in grants)
            for name, grants in (raw.get("groups") or {}).items()
        }
        return Provider(
            key=key,
            label=str(raw.get("label") or key),
            issuer=str(raw["issuer"]).rstrip("/"),
            client_id=str(raw["client_id"]),
            client_secret=str(secret),
            scopes=str(raw.get("scopes", "openid profile email")),
            groups_claim=str(raw.get("groups_claim", "groups")),
            username_claim=str(raw.get("username_claim", "preferred_username")),
            username_prefix=str(raw.get("username_prefix", "")),
            accepted_acr=tuple(str(v) for v in raw.get("accepted_acr", ())),
            accepted_amr=tuple(str(v) for v in raw.get("accepted_amr", ())),
            groups=groups,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ImproperlyConfigured(
            f"Single sign-on provider {key!r} is misconfigured: missing or wrong {exc}."
        ) from None


def _raw_config() -> dict[str, Any]:
    inline = getattr(settings, "SILTA_SSO", None)
    if inline is not None:
        return dict(inline)
    path = getattr(settings, "SILTA_SSO_CONFIG", "")
    if not path:
        return {}
    try:
        return dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"SILTA_SSO_CONFIG ({path}) cannot be read: {exc}") from None


def providers() -> dict[str, Provider]:
    raw = _raw_config().get("providers") or {}
    return {str(k): _provider(str(k), v) for k, v in raw.items()}


def provider(key: str | None) -> Provider | None:
    """The provider of that key; None when there is none or the configuration is broken
    (logged: sign-in through providers is then off)."""
    if not key:
        return None
    try:
        return providers().get(key)
    except ImproperlyConfigured as exc:
        LOG.error("single sign-on is off: %s", exc)
        return None


_DISCOVERY: dict[str, tuple[float, dict[str, Any]]] = {}
_LOCK = threading.Lock()
DISCOVERY_SECONDS = 3600


def discovery(p: Provider) -> dict[str, Any]:
    """The provider's discovery document (cached an hour); its ``issuer`` must be the
    configured one exactly (OpenID Connect Discovery 1.0, section 4.3)."""
    with _LOCK:
        cached = _DISCOVERY.get(p.issuer)
        if cached and cached[0] > time.monotonic():
            return cached[1]
    response = requests.get(
        f"{p.issuer}/.well-known/openid-configuration",
        timeout=getattr(settings, "OIDC_TIMEOUT", 10),
        verify=getattr(settings, "OIDC_VERIFY_SSL", True),
    )
    response.raise_for_status()
    doc = dict(response.json())
    if str(doc.get("issuer", "")).rstrip("/") != p.issuer:
        raise ValueError("the discovery document names another issuer")
    with _LOCK:
        _DISCOVERY[p.issuer] = (time.monotonic() + DISCOVERY_SECONDS, doc)
    return doc


def forget_discovery() -> None:
    with _LOCK:
        _DISCOVERY.clear()
