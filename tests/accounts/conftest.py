from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice) -> str:
    """The authenticator app's current code for the device."""
    return (
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"
    )


@pytest.fixture
def required(settings):
    """Production's rule: person-level roles need a second factor."""
    settings.SILTA_REQUIRE_2FA = True
