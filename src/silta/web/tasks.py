"""The front page's task list: what waits for the signed-in user (issue 18 item 5).

Each app contributes its own task provider from its ``AppConfig.ready()``::

    from silta.web.tasks import task_provider_register
    task_provider_register("casework", casework_tasks)

A provider is a function of the user that returns the user's tasks: a count and a
link to the page where the work is done, never a client's data (the linked page reads
and logs those). A provider checks the user's permissions itself and returns nothing
when the user may not do the work; a provider that fails is left out, so one app's
error never takes the front page down. The web layer imports no app for this: the
list is one registry, with no import cycle."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import Http404

from silta.accounts.models import User
from silta.core.outage import is_outage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    """One line of the task list: ``text`` already says the count in words
    ("3 referrals to answer"); ``overdue`` marks a task past its date."""

    text: str
    url: str
    count: int
    overdue: bool = False


TaskProvider = Callable[[User], Iterable[Task]]

_PROVIDERS: dict[str, TaskProvider] = {}


def task_provider_register(key: str, provider: TaskProvider) -> None:
    """Add (or replace) the provider ``key``; called from an app's ``ready()``."""
    _PROVIDERS[key] = provider


def task_providers() -> dict[str, TaskProvider]:
    return dict(_PROVIDERS)


def tasks_for(user: User) -> list[Task]:
    """The user's tasks from every provider, overdue ones first; tasks with nothing to
    do (count 0) are left out."""
    out: list[Task] = []
    for key, provider in sorted(_PROVIDERS.items()):
        try:
            out.extend(t for t in provider(user) if t.count > 0)
        except Exception as exc:  # one app's failure must not take the front page down
            if is_outage(exc):
                raise  # the database is away: the whole page answers 503
            log.exception("task provider %s failed", key)
    return sorted(out, key=lambda t: (not t.overdue,))


# --- the client page's summary ------------------------------------------------------


@dataclass(frozen=True)
class SummarySection:
    """One part of the client page's summary (e.g. the client's plans): a heading, a
    few lines in words and a link to the page with the whole record."""

    heading: str
    lines: list[str]
    url: str
    link_text: str
    empty: str = ""


SummaryProvider = Callable[[User, uuid.UUID, str], Iterable[SummarySection]]

_SUMMARIES: dict[str, SummaryProvider] = {}


def client_summary_register(key: str, provider: SummaryProvider) -> None:
    """Add (or replace) a provider of the client page's summary; called from an app's
    ``ready()``. A provider reads through its app's own selectors (which check the
    user's access and write the access log) and returns nothing when the user may not
    see the data."""
    _SUMMARIES[key] = provider


def client_summary_for(user: User, client_id: uuid.UUID, path: str = "") -> list[SummarySection]:
    out: list[SummarySection] = []
    for key, provider in sorted(_SUMMARIES.items()):
        try:
            out.extend(provider(user, client_id, path))
        except Http404:
            continue
        except Exception as exc:
            if is_outage(exc):
                raise
            log.exception("client summary provider %s failed", key)
    return out
