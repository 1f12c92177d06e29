"""The work ability network's yearly figures for ``silta report year`` (DESIGN.md
"Yearly figures": ``network_clients``, ``network_new_referrals``,
``network_meetings``). Each is ``key``, ``label``, ``compute(year)`` for a calendar
year and ``compute_period(first day, last day)`` for any period (``silta report
period``), over the statistics of ``governance.indicators`` for that ``Period``; "the
year" below reads "the period" for the latter:

``network_meetings``
    Meetings of the work ability network held in the year (development meetings
    included, as the network counts them: DOMAIN.md §4 "32 meetings 2022-2023").
``network_clients``
    Distinct clients whose case was on the agenda of a network meeting held in the
    year ("clients handled").
``network_new_referrals``
    Referrals to the network sent in the year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from silta.governance.indicators import (
    Period,
    network_clients,
    network_meetings,
    network_new_referrals,
)


class NetworkFigure(NamedTuple):
    key: str
    label: Any
    compute: Callable[[int], int]
    compute_period: Callable[[dt.date, dt.date], int]


YEARLY_FIGURES: tuple[NetworkFigure, ...] = (
    NetworkFigure(
        "network_clients",
        _("Work ability network: clients handled"),
        lambda year: network_clients(Period.year(year)),
        lambda first, last: network_clients(Period(first, last)),
    ),
    NetworkFigure(
        "network_new_referrals",
        _("Work ability network: new referrals"),
        lambda year: network_new_referrals(Period.year(year)),
        lambda first, last: network_new_referrals(Period(first, last)),
    ),
    NetworkFigure(
        "network_meetings",
        _("Work ability network: meetings"),
        lambda year: network_meetings(Period.year(year)),
        lambda first, last: network_meetings(Period(first, last)),
    ),
)
