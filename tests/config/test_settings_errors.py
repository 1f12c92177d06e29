"""Bad configuration gives one clear message and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SILTA = [sys.executable, "-m", "silta.cli"]


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SILTA_MODE"}}
    full.update(env)
    return subprocess.run(
        [*SILTA, "check"], env=full, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres//missing-colon"}, "DATABASE_URL is not a valid database URL"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "must point at PostgreSQL or SQLite"),
        ({"SILTA_MODE": "production"}, "SILTA_SECRET_KEY must be set"),
        (
            {"SILTA_MODE": "production", "SILTA_SECRET_KEY": "x" * 60},
            "SILTA_ALLOWED_HOSTS must list",
        ),
        ({"SILTA_MODE": "staging"}, "SILTA_MODE must be"),
    ],
)
def test_bad_configuration_is_one_clear_line(env: dict[str, str], expected: str) -> None:
    result = run(env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_mode_with_real_settings_starts(tmp_path) -> None:
    result = run(
        {
            "SILTA_MODE": "production",
            "SILTA_SECRET_KEY": "k" * 64,
            "SILTA_ALLOWED_HOSTS": "silta.example.fi",
            "SILTA_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr
