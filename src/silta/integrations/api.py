"""API operations for machine clients (issue 19).

- The suppressed statistics tables: the same tables as the statistics page
  (``silta.reporting.statistics``), cells of 1–4 people and the cells that would
  reveal them hidden (``null``). Aggregated figures only, so no access-log row; the
  permission is the page's (``reporting.view_statistics``).
- An attendance push for a provider's system: the same selector, service, rules and
  change log as ``POST /rehab/placements/{id}/attendance`` (``silta.rehab``), with
  schemas of their own names. (The rehab operation's body schema was once named
  ``AttendanceIn`` like the group activities' one, so the OpenAPI document described
  it with the other schema; ``tests/api/test_openapi_names.py`` now keeps names
  unique.)"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.core.schemas import Schema
from silta.rehab import selectors as rehab_selectors
from silta.rehab import services as rehab_services
from silta.rehab.attendance import DayEntry
from silta.reporting import statistics as st

router = Router(tags=["statistics"])


class ErrorOut(Schema):
    code: str
    message: str


E = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class StatisticOut(Schema):
    key: str
    label: str
    breakdowns: list[str]


class TableIn(Schema):
    year: int = Field(..., ge=1900, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    month: int | None = Field(None, ge=1, le=12)
    breakdown: str = st.NONE


class RowOut(Schema):
    municipality_code: str
    municipality: str
    cells: list[float | None]
    total: float | None


class TableOut(Schema):
    statistic: str
    label: str
    period: str
    start: str
    end: str
    breakdown: str
    measure: str
    columns: list[str]
    rows: list[RowOut]
    column_totals: list[float | None]
    total: float | None
    suppressed_cells: int


@router.get(
    "/statistics",
    response={200: list[StatisticOut]} | E,
    operation_id="statistics_list",
)
def statistics_list(request: HttpRequest) -> list[StatisticOut]:
    """The statistics that can be asked for, with their breakdowns."""
    _require(request, Perm.STATISTICS_VIEW)
    out = []
    for s in st.STATISTICS:
        breakdowns = [k for k, _label in st.BREAKDOWNS if k != st.CATEGORY or s.categories]
        out.append(StatisticOut(key=s.key, label=str(s.label), breakdowns=breakdowns))
    return out


@router.get(
    "/statistics/{key}",
    response={200: TableOut} | E,
    operation_id="statistics_table",
)
def statistics_table(request: HttpRequest, key: str, q: Query[TableIn]) -> TableOut:
    """One suppressed table for a year, a quarter or a month: rows are home
    municipalities; a hidden number is null."""
    _require(request, Perm.STATISTICS_VIEW)
    stat = st.statistic(key)
    if q.quarter is not None and q.month is not None:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("Give a quarter or a month, not both."), code="statistics.period"
                )
            }
        )
    if q.quarter is not None:
        period = st.Period.quarter(q.year, q.quarter)
    elif q.month is not None:
        period = st.Period.month(q.year, q.month)
    else:
        period = st.Period.year(q.year)
    t = st.table(stat, period, q.breakdown)
    p = t.published
    rows = [
        RowOut(
            municipality_code=code,
            municipality=name,
            cells=list(p.cells[i]),
            total=p.row_totals[i] if p.row_totals is not None else p.cells[i][0],
        )
        for i, (code, name) in enumerate(zip(t.row_codes, t.rows, strict=True))
    ]
    return TableOut(
        statistic=stat.key,
        label=str(stat.label),
        period=period.label,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        breakdown=t.breakdown,
        measure=stat.measure,
        columns=t.columns,
        rows=rows,
        column_totals=list(p.column_totals),
        total=p.total,
        suppressed_cells=len(p.hidden_cells),
    )


class AttendancePushDayIn(Schema):
    day: dt.date
    status: str = Field(..., description="present or absent")
    hours: Decimal | None = None
    absence_reason: str = ""


class AttendancePushIn(Schema):
    days: list[AttendancePushDayIn] = Field(..., min_length=1, max_length=31)


class AttendancePushOut(Schema):
    saved: int


@router.post(
    "/integrations/rehab/placements/{placement_id}/attendance",
    response={200: AttendancePushOut, 404: ErrorOut, 409: ErrorOut} | E,
    operation_id="integrations_attendance_push",
    tags=["rehab"],
)
def attendance_push(
    request: HttpRequest, placement_id: uuid.UUID, body: AttendancePushIn
) -> AttendancePushOut:
    """Record days of a placement (a provider's attendance system): every rule is
    checked first and nothing is saved on a problem; a placement outside the client's
    organisation answers 404."""
    _require(request, Perm.REHAB_ATTENDANCE)
    actor = acting_user(request)
    placement, _grant = rehab_selectors.placement_for_action(
        actor=actor, placement_id=placement_id, perm=Perm.REHAB_ATTENDANCE
    )
    bad = [d for d in body.days if d.status not in {"present", "absent"}]
    if bad:
        raise ValidationError(
            {
                d.day.isoformat(): ValidationError(
                    _("The status must be present or absent."), code="rehab.attendance.bad_line"
                )
                for d in bad
            }
        )
    entries = [
        DayEntry(
            d.day, d.status == "present", d.hours, d.absence_reason if d.status != "present" else ""
        )
        for d in body.days
    ]
    rows = rehab_services.attendance_record(actor=actor, placement=placement, entries=entries)
    return AttendancePushOut(saved=len(rows))
