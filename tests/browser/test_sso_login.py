"""A social worker signs in through the organisation's OpenID provider (the real test
provider of tests/sso/conftest.py, in its own process) in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.sso.conftest import PASSWORD, op, sso_settings  # noqa: F401 - the provider fixture

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.sso import config as sso_config

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_social_worker_signs_in_with_the_organisations_account(
    live_server: Any,
    page: Any,
    op: dict[str, Any],  # noqa: F811
) -> None:
    # given Soite's organisations and Silta configured for Soite's provider
    factories.OrganisationFactory(key="soite")
    factories.OrganisationFactory(key="soite-groups")
    sso_config.forget_discovery()
    # loopback redirect addresses match on any port at the provider (RFC 8252)
    silta = live_server.url.replace("localhost", "127.0.0.1")
    with override_settings(SILTA_SSO=sso_settings(op["issuer"]), SILTA_REQUIRE_2FA=True):
        # when Sari opens Silta's sign-in page and chooses her organisation's account
        page.goto(f"{silta}/login/")
        assert_accessible(page)
        page.get_by_role("link", name="Kirjaudu: Soite AD").click()
        # and signs in on the provider's own form
        page.wait_for_url(f"{op['base']}/login/**")
        page.get_by_label("Username").fill("sari")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in to the provider").click()
        # then she is back in Silta, signed in, without Silta's code page
        page.wait_for_url(f"{silta}/")
        assert_accessible(page)
        assert "Sari Sosiaalinen" in page.content()
    user = User.objects.get(username="sari")
    assert {m.role for m in Membership.objects.filter(user=user)} == {
        Role.SOCIAL_WORKER,
        Role.SOCIAL_INSTRUCTOR,
    }
    sso_config.forget_discovery()
