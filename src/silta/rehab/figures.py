"""Yearly figures of rehabilitative work activity for ``silta report year``: the
reporting app reads ``YEARLY_FIGURES`` through its ``FIGURE_SOURCES`` extension point
(silta/reporting/yearly.py), so nothing here imports reporting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from silta.rehab.selectors import rehab_participants


class RehabFigure(NamedTuple):
    key: str
    label: Any  # a lazy translation
    compute: Callable[[int], int]


YEARLY_FIGURES: tuple[RehabFigure, ...] = (
    RehabFigure(
        "rehab_participants",
        _("Participants in rehabilitative work activity"),
        rehab_participants,
    ),
)
