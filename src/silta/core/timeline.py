"""The client's timeline as one registry (issue 18, item 2; ADR 0025).

The case file (``silta.casework``) shows one timeline of a client's case work. Other
apps add their own events to it without the case-work app importing them, and without
them importing the case-work app: each app registers a *contributor* in its
``AppConfig.ready()``, and the case file asks :func:`contributions` for the events of
every registered contributor. This module imports nothing above ``silta.core``, so any
app may register without an import cycle.

A contributor gets a :class:`TimelineScope` (whose timeline, seen by which
organisation, and whether that organisation works with the client now) and returns
its events. It reads only what the scope allows; it is read inside the case file,
whose one access-log row covers it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from silta.core import dates


@dataclass(frozen=True)
class TimelineEvent:
    """One row of the timeline: when, a stable kind (``"group.joined"``, never shown),
    a title and detail in the reader's language, and an optional link (a path)."""

    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelineScope:
    """Whose timeline, for which organisation. ``relationship_active``: the
    organisation has an open service relationship with the client today — the working
    organisations' view (ended relationships leave only the organisation's own
    records, ADR 0015)."""

    client_id: uuid.UUID
    organisation_id: uuid.UUID
    relationship_active: bool


Contributor = Callable[[TimelineScope], list[TimelineEvent]]


_registry: dict[str, Contributor] = {}


def register(name: str, contributor: Contributor) -> None:
    """Add ``contributor`` under ``name`` (the app's label; registering the same name
    again replaces it, so a reloaded app does not add its events twice)."""
    _registry[name] = contributor


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[str]:
    return sorted(_registry)


def contributions(scope: TimelineScope) -> list[TimelineEvent]:
    """Every registered contributor's events for ``scope``, in name order (the caller
    sorts the whole timeline)."""
    out: list[TimelineEvent] = []
    for name in sorted(_registry):
        out.extend(_registry[name](scope))
    return out


def at_day(day: dt.date, hour: int = 0) -> dt.datetime:
    """A date's event at ``hour`` o'clock in Helsinki (events that have a day only)."""
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dates.HELSINKI)
