"""Governance's tasks on the front page (``silta.web.tasks``): for the network's
coordinator, the clients referred to the work ability network who wait for a meeting.
(The user's own overdue action items are listed on the front page one by one by
``governance/_my_overdue.html``.)"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import ngettext

from silta.accounts.models import User
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.governance.models import NetworkCase, NetworkCaseStatus
from silta.web.tasks import Task


def governance_tasks(user: User) -> Iterable[Task]:
    if can(user, Perm.NETWORK_MANAGE):
        n = NetworkCase.objects.filter(status=NetworkCaseStatus.REFERRED).count()
        yield Task(
            ngettext(
                "%(n)s client referred to the network waits for a meeting",
                "%(n)s clients referred to the network wait for a meeting",
                n,
            )
            % {"n": n},
            reverse("network-queue"),
            n,
        )
