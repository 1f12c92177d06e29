"""Yearly participant counts of group activities, computed from the participations
(never from stored totals).

A client is a participant of a year when a participation overlaps it: joined on or
before 31.12. and not left before 1.1. (as ``silta.reporting.yearly`` counts service
periods). Counts are of distinct clients; per municipality, a client counts in their
registered home municipality on the first day of the year they took part in
(``HomeMunicipality`` history, else the current one).

The same counts are given for any period (``participants_between``, the figure's
``compute_period`` for ``silta report period``), reading "the period" for "the year".

The reporting app reads ``YEARLY_FIGURES`` through its ``FIGURE_SOURCES`` extension
point (silta/reporting/yearly.py); nothing here imports reporting. Breakdowns by
municipality leave the system only through reporting's suppression (DOMAIN.md §3.5)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silta.clients.models import Client, HomeMunicipality
from silta.groups.models import GroupKind, Participant


def _first_days(year: int, kind: str | None) -> dict[uuid.UUID, dict[str, dt.date]]:
    """client -> {group kind: the first day the client took part in the year}."""
    return _first_days_between(dt.date(year, 1, 1), dt.date(year, 12, 31), kind)


def _first_days_between(
    first: dt.date, last: dt.date, kind: str | None
) -> dict[uuid.UUID, dict[str, dt.date]]:
    """client -> {group kind: the first day the client took part in ``first..last``}."""
    qs = Participant.objects.filter(joined_on__lte=last).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first)
    )
    if kind is not None:
        qs = qs.filter(group__kind=kind)
    out: dict[uuid.UUID, dict[str, dt.date]] = defaultdict(dict)
    for client_id, group_kind, joined in qs.values_list("client_id", "group__kind", "joined_on"):
        day = max(joined, first)
        seen = out[client_id].get(group_kind)
        out[client_id][group_kind] = day if seen is None else min(seen, day)
    return out


def participants_by_kind(year: int) -> dict[str, int]:
    """Distinct participants in the year per group kind (every kind present, 0 too)."""
    counts = dict.fromkeys(GroupKind.values, 0)
    for kinds in _first_days(year, None).values():
        for k in kinds:
            counts[k] += 1
    return counts


def participants(year: int, kind: str = GroupKind.SOCIAL_REHABILITATION) -> int:
    """Distinct clients who took part in groups of ``kind`` during the year."""
    return len(_first_days(year, kind))


def participants_between(
    first: dt.date, last: dt.date, kind: str = GroupKind.SOCIAL_REHABILITATION
) -> int:
    """Distinct clients who took part in groups of ``kind`` during ``first..last`` (both
    days included): joined on or before the last day and not left before the first."""
    return len(_first_days_between(first, last, kind))


def participants_by_municipality(year: int, kind: str | None = None) -> dict[str, dict[str, int]]:
    """``{municipality code: {group kind: distinct participants}}`` for the year, by
    the client's home municipality on their first day in the year's groups. Raw
    counts: publish them only through reporting's small-cell suppression."""
    days = _first_days(year, kind)
    if not days:
        return {}
    ids = list(days)
    current: dict[uuid.UUID, str] = {}
    history: dict[uuid.UUID, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        current.update(
            Client.objects.filter(pk__in=chunk).values_list("pk", "home_municipality__code")
        )
        for cid, start, end, code in HomeMunicipality.objects.filter(
            client_id__in=chunk
        ).values_list("client_id", "valid_from", "valid_to", "municipality__code"):
            history[cid].append((start, end, code))
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cid, kinds in days.items():
        for k, day in kinds.items():
            code = next(
                (c for s, e, c in history.get(cid, []) if s <= day and (e is None or day <= e)),
                current[cid],
            )
            out[code][k] += 1
    return {code: dict(by_kind) for code, by_kind in sorted(out.items())}


class GroupFigure(NamedTuple):
    key: str
    label: Any  # a lazy translation
    compute: Callable[[int], int]
    compute_period: Callable[[dt.date, dt.date], int]


YEARLY_FIGURES: tuple[GroupFigure, ...] = (
    GroupFigure(
        "social_rehabilitation_group_participants",
        _("Participants in social rehabilitation groups"),
        participants,
        participants_between,
    ),
)
