"""The reporting statistics as statistics an indicator of the strategic agreement may
link to (``silta.governance.indicators``; reporting imports governance, never the other
way round, DESIGN.md "Layout").

- The governance statistics that mean the same as a reporting statistic get its split
  by municipality: ``health_checks_done`` (``health_checks``),
  ``work_ability_assessments_done`` (``work_ability_assessments``) and
  ``joint_service_clients``.
- The other reporting statistics are registered under their own keys (referrals,
  waiting times, rehabilitative work activity, outcomes, clients per service), with
  the region figure as the value and the split by municipality.

The split is the statistic's table by home municipality (``statistics.table``) as
published: suppressed exactly as on the statistics pages and the dashboard, so a
figure hidden there is hidden here too. Registered once, from ``ReportingConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from silta.governance import indicators as gi
from silta.reporting import statistics as st

SAME_AS: dict[str, str] = {
    "health_checks_done": "health_checks",
    "work_ability_assessments_done": "work_ability_assessments",
    "joint_service_clients": "joint_service_clients",
}
"""Governance statistic → the reporting statistic with the same definition."""

REGISTERED: tuple[str, ...] = (
    "clients_per_service",
    "referrals_sent",
    "referrals_accepted",
    "referrals_completed",
    "waiting_median",
    "waiting_p90",
    "rehab_participants",
    "rehab_participant_days",
    "outcomes",
)
"""Reporting statistics registered under their own key."""


def _period(period: gi.Period) -> st.Period:
    return st.Period(period.start, period.end, f"{period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}")


def split(key: str) -> Callable[[gi.Period], gi.ByMunicipality]:
    """The reporting statistic ``key`` by municipality, as published."""

    def by_municipality(period: gi.Period) -> gi.ByMunicipality:
        table = st.table(st.statistic(key), _period(period), st.NONE)
        values, total = st.municipality_values(table)
        return gi.ByMunicipality(
            rows=list(zip(table.row_codes, table.rows, values, strict=True)), region=total
        )

    return by_municipality


def region_value(key: str) -> Callable[[gi.Period], gi.Value]:
    """The reporting statistic's region figure (unsuppressed, as the agreement page
    shows indicator values to staff with ``governance.view``)."""
    stat = st.statistic(key)

    def compute(period: gi.Period) -> gi.Value:
        units = stat.units(_period(period))
        if stat.measure == st.COUNT:
            return len(units)
        value = st.measure_of([u.amount for u in units], stat.measure)
        return int(value) if value == int(value) else Decimal(str(round(value, 2)))

    return compute


def register() -> None:
    for name, key in SAME_AS.items():
        if gi.STATISTICS[name].by_municipality is None:
            gi.statistic_by_municipality(name, split(key))
    for key in REGISTERED:
        if key not in gi.STATISTICS:
            stat = st.statistic(key)
            gi.statistic_register(
                key,
                stat.label,
                region_value(key),
                people=stat.measure == st.COUNT,
                by_municipality=split(key),
            )
