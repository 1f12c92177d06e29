"""The operator's side of second-factor enrolment:

    silta users activation-code USERNAME [--base-url https://silta.example.fi]
    silta users reset-second-factor USERNAME --yes

Both write a security event (the operator's OS account is named in it)."""

from __future__ import annotations

import getpass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from silta.accounts.models import User
from silta.accounts.two_factor import activation_code_issue, second_factor_reset


class Command(BaseCommand):
    help = "Issue a one-time activation code for a user's second factor, or reset it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("activation-code", help="Issue a one-time activation code.")
        issue.add_argument("username")
        issue.add_argument(
            "--base-url",
            default="",
            help="Silta's address, to print the activation link in full.",
        )
        reset = sub.add_parser(
            "reset-second-factor",
            help="Remove the user's authenticator and recovery codes (the user is told).",
        )
        reset.add_argument("username")
        reset.add_argument("--yes", action="store_true", help="Confirm the reset.")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {opts['username']!r}.")
        via = f"cli:{_operator()}"
        try:
            if opts["action"] == "activation-code":
                issued = activation_code_issue(actor=None, user=user, via=via)
                path = f"{reverse('two-factor-activate')}?{urlencode({'code': issued.code})}"
                self.stdout.write(f"Activation code for {user.username}: {issued.code}")
                until = timezone.localtime(issued.expires_at)
                self.stdout.write(f"  valid once, until {until:%Y-%m-%d %H:%M %Z}")
                self.stdout.write(f"  link: {opts['base_url'].rstrip('/')}{path}")
            else:
                if not opts["yes"]:
                    raise CommandError(
                        "The reset stops the user's authenticator at once: add --yes to confirm."
                    )
                notified = second_factor_reset(actor=None, user=user, via=via)
                self.stdout.write(
                    f"Second factor of {user.username} reset; "
                    + ("the user was told by e-mail." if notified else "tell the user yourself.")
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
