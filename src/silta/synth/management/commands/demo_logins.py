from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.accounts.two_factor import activation_code_issue, confirmed_device
from silta.synth.loader import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print one demo login per role (synthetic demo data only)."

    def handle(self, *args: Any, **opts: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("There are no demo logins in production mode.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        first = None
        for role in Role:
            # the short, predictable demo names ("caseworker") before the staff
            # names ("aino.virtanen")
            m = min(
                Membership.objects.filter(role=role, user__is_active=True).select_related(
                    "user", "organisation"
                ),
                key=lambda m: ("." in m.user.username, m.user.username),
                default=None,
            )
            if m is None:
                continue
            first = first or m.user
            self.stdout.write(
                f"  {m.user.username:<22} {role.label!s:<22} {m.organisation.name_fi}"
            )
        if first is not None:
            self._activation_code(first)

    def _activation_code(self, user: User) -> None:
        """Two-step login is optional in the demo; this shows how enrolment works."""
        if confirmed_device(user) is not None:
            self.stdout.write(
                f"Two-step login: {user.username} has an authenticator set up "
                f"(reset it with: silta users reset-second-factor {user.username} --yes)."
            )
            return
        issued = activation_code_issue(actor=None, user=user, via="demo_logins")
        self.stdout.write(
            f"Two-step login: log in as {user.username}, open /2fa/activate/ and enter the "
            f"one-time activation code {issued.code} (valid until "
            f"{timezone.localtime(issued.expires_at):%Y-%m-%d %H:%M})."
        )
