"""A real OpenID provider in its own process on loopback (provider_app.py), started
once per test session, and Silta's single sign-on configured for it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

from silta.sso import config as sso_config

CLIENT_ID = "silta-test"
CLIENT_SECRET = "silta-test-secret-0123456789"
PASSWORD = "correct horse battery staple"

PEOPLE: dict[str, dict[str, Any]] = {
    "sari": {
        "password": PASSWORD,
        "given_name": "Sari",
        "family_name": "Sosiaalinen",
        "groups": ["silta-soite-social-workers", "silta-soite-groups"],
        "acr": "urn:test:mfa",
        "amr": ["pwd", "otp"],
    },
    "niko": {
        "password": PASSWORD,
        "given_name": "Niko",
        "family_name": "Nofactor",
        "groups": ["silta-soite-social-workers"],
        "amr": ["pwd"],
    },
    "maija": {
        "password": PASSWORD,
        "given_name": "Maija",
        "family_name": "Manageri",
        "groups": ["silta-managers"],
        "amr": ["pwd"],
    },
    "olli": {
        "password": PASSWORD,
        "given_name": "Olli",
        "family_name": "Outsider",
        "groups": ["some-other-app"],
        "amr": ["pwd", "otp"],
    },
}


@pytest.fixture(scope="session")
def op(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    workdir = tmp_path_factory.mktemp("op")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    users_file = workdir / "people.json"
    users_file.write_text(json.dumps(PEOPLE))
    cfg = workdir / "config.json"
    cfg.write_text(
        json.dumps(
            {
                "workdir": str(workdir),
                "private_key": pem,
                "users_file": str(users_file),
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                # loopback redirects match on any port (RFC 8252, 7.3)
                "redirect_uris": [
                    "http://testserver/sso/callback/",
                    "http://127.0.0.1/sso/callback/",
                ],
            }
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("provider_app.py")), str(cfg)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            proc.kill()
            raise RuntimeError(f"the test provider did not start: {line} {proc.stderr.read()}")  # type: ignore[union-attr]
        port = int(line.split()[1])
        issuer = f"http://127.0.0.1:{port}/o"
        yield {
            "issuer": issuer,
            "port": port,
            "base": f"http://127.0.0.1:{port}",
            "key": key,
            "users_file": users_file,
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def sso_settings(issuer: str, **overrides: Any) -> dict[str, Any]:
    provider = {
        "label": "Soite AD",
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": "openid profile email groups",
        "accepted_acr": ["urn:test:mfa"],
        "accepted_amr": ["otp", "hwk"],
        "groups": {
            "silta-soite-social-workers": [{"organisation": "soite", "role": "social_worker"}],
            "silta-soite-groups": [{"organisation": "soite-groups", "role": "social_instructor"}],
            "silta-managers": [{"organisation": "soite", "role": "manager"}],
        },
    }
    provider.update(overrides)
    return {"providers": {"soite": provider}}


@pytest.fixture
def sso(op: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    sso_config.forget_discovery()
    people = op["users_file"]
    people.write_text(json.dumps(PEOPLE))
    with override_settings(SILTA_SSO=sso_settings(op["issuer"])):
        yield op
    people.write_text(json.dumps(PEOPLE))
    sso_config.forget_discovery()


def sign_in_at_provider(start_location: str, username: str, password: str = PASSWORD) -> str:
    """Follow Silta's redirect to the provider, sign in on its form, and return the
    provider's redirect back to Silta (the callback with code and state)."""
    http = requests.Session()
    r = http.get(start_location, allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text
    login_url = urljoin(start_location, r.headers["Location"])
    r = http.get(login_url, timeout=10)
    assert r.status_code == 200
    next_url = login_url.split("next=", 1)[1]
    from urllib.parse import unquote

    r = http.post(
        login_url.split("?")[0],
        data={
            "username": username,
            "password": password,
            "next": unquote(next_url),
            "csrfmiddlewaretoken": http.cookies["op_csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 302, r.text
    r = http.get(urljoin(login_url, r.headers["Location"]), allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text
    return str(r.headers["Location"])
