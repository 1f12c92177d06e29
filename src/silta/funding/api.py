"""Funding-share API: the radar and a person's shares (logged), the dashboard figures
(aggregated). The same selectors as the pages."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.core.schemas import Schema
from silta.funding import selectors

router = Router(tags=["funding"])


class ErrorOut(Schema):
    code: str
    message: str


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class MonthOut(Schema):
    month: str
    regime: str
    benefit: str
    persons: int | None
    paid_days: int
    amount_eur: Decimal
    municipal_share_eur: Decimal
    state_share_eur: Decimal


class ForecastOut(Schema):
    month: str
    recipients_expected: float
    expected_eur: Decimal
    low_eur: Decimal
    high_eur: Decimal


class DashboardOut(Schema):
    municipality_code: str | None
    as_of: dt.date
    rules_version: str
    ytd_eur: Decimal
    ytd_last_year_eur: Decimal
    months: list[MonthOut]
    forecast: list[ForecastOut]


@router.get(
    "/funding/dashboard",
    response={200: DashboardOut, 403: ErrorOut, 404: ErrorOut},
    operation_id="funding_dashboard",
)
def funding_dashboard(request: HttpRequest, municipality: str = "") -> DashboardOut:
    """Aggregated figures of one municipality or the region (counts under 5 hidden)."""
    _require(request, Perm.FUNDING_VIEW_AGGREGATE)
    d = selectors.funding_dashboard_for(actor=acting_user(request), municipality_code=municipality)
    return DashboardOut(
        municipality_code=d.municipality.code if d.municipality else None,
        as_of=d.as_of,
        rules_version=d.rules_version,
        ytd_eur=d.ytd_eur,
        ytd_last_year_eur=d.ytd_last_year_eur,
        months=[MonthOut(**m.__dict__) for m in d.months],
        forecast=[ForecastOut(**f.__dict__) for f in d.forecast],
    )


class RadarRowOut(Schema):
    rank: int
    person_id: str
    client_id: uuid.UUID | None
    municipality_code: str
    counter: int
    current_rate: float
    expected_12m_eur: Decimal
    next_step_day: int | None
    next_step_date: dt.date | None
    reasons: list[str]


@router.get(
    "/funding/radar",
    response={200: list[RadarRowOut], 403: ErrorOut, 404: ErrorOut},
    operation_id="funding_radar",
)
def funding_radar(
    request: HttpRequest, municipality: str = "", limit: int = 100
) -> list[RadarRowOut]:
    """The cost radar (logged in the access log)."""
    _require(request, Perm.FUNDING_RADAR)
    radar = selectors.funding_radar_for(
        actor=acting_user(request),
        municipality_code=municipality,
        limit=max(1, min(limit, 1000)),
        path=request.get_full_path(),
    )
    return [
        RadarRowOut(
            rank=r.rank,
            person_id=r.person_id,
            client_id=r.client.pk if r.client else None,
            municipality_code=r.municipality_code,
            counter=r.counter,
            current_rate=r.current_rate,
            expected_12m_eur=r.expected_12m_eur,
            next_step_day=r.next_step_day,
            next_step_date=r.next_step_date,
            reasons=r.reasons,
        )
        for r in radar.rows
    ]


class PaymentShareOut(Schema):
    period_start: dt.date
    period_end: dt.date
    benefit: str
    basis: str
    paid_days: int
    amount_eur: Decimal
    regime: str
    days_before: int
    days_after: int
    municipal_rate: float
    municipal_share_eur: Decimal
    state_share_eur: Decimal


class PersonFundingOut(Schema):
    person_id: str
    access_basis: str
    explanation: str
    payments: list[PaymentShareOut]


@router.get(
    "/funding/people/{client_id}",
    response={200: PersonFundingOut, 403: ErrorOut, 404: ErrorOut},
    operation_id="funding_person",
)
def funding_person(
    request: HttpRequest, client_id: uuid.UUID, lang: str = "fi"
) -> PersonFundingOut:
    """One person's shares and explanation (logged in the access log)."""
    _require(request, Perm.FUNDING_VIEW_PERSON)
    exp = selectors.funding_explanation_for(
        actor=acting_user(request), client_id=client_id, lang=lang, path=request.path
    )
    return PersonFundingOut(
        person_id=exp.person_id,
        access_basis=exp.grant.basis,
        explanation=exp.text,
        payments=[
            PaymentShareOut.model_validate(
                {k: (str(v) if k in ("benefit", "basis", "regime") else v) for k, v in r.items()}
            )
            for r in exp.rows
        ],
    )
