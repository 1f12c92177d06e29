from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from silta.accounts.models import Membership
from silta.accounts.roles import Role
from silta.synth.loader import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print one demo login per role (synthetic demo data only)."

    def handle(self, *args: Any, **opts: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("There are no demo logins in production mode.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
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
            self.stdout.write(
                f"  {m.user.username:<22} {role.label!s:<22} {m.organisation.name_fi}"
            )
