"""Yearly figures of rehabilitative work activity for ``silta report year``: the
reporting app reads ``YEARLY_FIGURES`` through its ``FIGURE_SOURCES`` extension point
(silta/reporting/yearly.py), so nothing here imports reporting. ``compute(year)`` gives
the figure of a calendar year and ``compute_period(first day, last day)`` that of any
period (``silta report period``); a whole year gives the same by either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from silta.rehab.selectors import rehab_participants, rehab_participants_between


class RehabFigure(NamedTuple):
    key: str
    label: Any  # a lazy translation
    compute: Callable[[int], int]
    compute_period: Callable[[dt.date, dt.date], int]


YEARLY_FIGURES: tuple[RehabFigure, ...] = (
    RehabFigure(
        "rehab_participants",
        _("Participants in rehabilitative work activity"),
        rehab_participants,
        rehab_participants_between,
    ),
)
