"""The client page's line on the work ability path (ADR 0026's summary registry): the
last step reached and since when, and an open health-check invitation. Read through
``selectors.client_path_for`` (404 when the client is not open to the user, health
records only where the policy table allows; one access-log row), so a step whose
record is not open to the user is not named."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from silta.accounts.models import User
from silta.accounts.policies import can
from silta.accounts.roles import Perm


def path_summary(user: User, client_id: uuid.UUID, path: str) -> Iterable[Any]:
    from silta.web.tasks import SummarySection
    from silta.workability.selectors import client_path_for

    if not can(user, Perm.CASEWORK_VIEW):
        return []
    p = client_path_for(actor=user, client_id=client_id, path=path, section="workability:summary")
    lines: list[str] = []
    reached = [s for s in p.steps if s.on is not None]
    if reached:
        last = reached[-1]
        step = str(last.label) + (f" ({last.detail})" if last.detail else "")
        lines.append(
            gettext("Path: %(step)s, since %(date)s")
            % {"step": step, "date": f"{last.on:%-d.%-m.%Y}"}
        )
    open_check = next((v.check for v in p.checks if v.is_open), None)
    if open_check is not None:
        if open_check.booked_at is not None:
            lines.append(
                gettext("Health check booked for %(when)s")
                % {"when": open_check.booked_at.strftime("%-d.%-m.%Y")}
            )
        else:
            lines.append(
                gettext("Invited to a health check on %(date)s")
                % {"date": f"{open_check.invited_on:%-d.%-m.%Y}"}
            )
    return [
        SummarySection(
            heading=gettext("Work ability path"),
            lines=lines,
            url=reverse("workability-path", args=[client_id]),
            link_text=gettext("Open the work ability path"),
            empty=gettext("Not on the work ability path."),
        )
    ]
