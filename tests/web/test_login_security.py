"""Login lockout, session expiry, security headers and production checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role


@pytest.mark.django_db
def test_repeated_failures_lock_the_login(region) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    # given five failed attempts
    for _ in range(settings.AXES_FAILURE_LIMIT):
        http.post("/login/", {"username": "aino", "password": "wrong"})
    # when the right password comes next, then the login is still refused with a clear page
    response = http.post("/login/", {"username": "aino", "password": "test-pass-123"})
    assert response.status_code == 429
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in http.session


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_count(region) -> None:
    factories.staff(Role.CASE_WORKER, username="aino")
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        http.post("/login/", {"username": "aino", "password": "wrong"})
    assert (
        http.post("/login/", {"username": "aino", "password": "test-pass-123"}).status_code == 302
    )


@pytest.mark.django_db
def test_pages_carry_security_headers(region) -> None:
    response = HttpClient().get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_sessions_expire_after_inactivity() -> None:
    assert settings.SESSION_COOKIE_AGE <= 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_deploy_check_is_clean_in_production_mode(tmp_path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SILTA_MODE="production",
        SILTA_SECRET_KEY="p" * 30 + "Q9x!" * 10,
        SILTA_ALLOWED_HOSTS="silta.example.fi",
        SILTA_VAR_DIR=str(tmp_path),
        # production needs its audit key (docs/adr/0016); without it the check fails
        SILTA_AUDIT_KEYS="deploy1:" + "5a" * 32,
    )
    result = subprocess.run(
        [sys.executable, "-m", "silta.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
