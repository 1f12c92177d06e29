from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Sum

from silta.clients.models import Client, UnemploymentSpell
from silta.core import dates
from silta.funding.models import BenefitPayment


@dataclass(frozen=True)
class BenefitSummary:
    """How long a client has been unemployed and what has been paid, in brief."""

    spell_start: dt.date | None
    spell_months: int | None
    spells_total: int
    days_by_benefit: dict[str, int] = field(default_factory=dict)
    days_last_12_months: int = 0
    days_since_2025: int = 0
    first_payment: dt.date | None = None
    last_payment: dt.date | None = None
    amount_total: Decimal = Decimal("0.00")

    @property
    def days_total(self) -> int:
        return sum(self.days_by_benefit.values())


def benefit_summary_of(client: Client) -> BenefitSummary:
    """Called by the client selectors after the access check and log; never directly
    from a view."""
    today = dates.today()
    spells = list(UnemploymentSpell.objects.filter(client=client).order_by("start"))
    open_spell = next((s for s in reversed(spells) if s.end is None or s.end >= today), None)
    payments = BenefitPayment.objects.filter(client=client)
    by_benefit = {
        row["benefit"]: int(row["days"] or 0)
        for row in payments.values("benefit").annotate(days=Sum("paid_days")).order_by()
    }
    year_ago = today - dt.timedelta(days=365)
    agg = payments.aggregate(
        first=Min("period_start"), last=Max("payment_date"), amount=Sum("amount_eur")
    )
    last_12 = payments.filter(period_start__gte=year_ago).aggregate(d=Sum("paid_days"))["d"]
    since_2025 = payments.filter(period_start__gte=dt.date(2025, 1, 1)).aggregate(
        d=Sum("paid_days")
    )["d"]
    return BenefitSummary(
        spell_start=open_spell.start if open_spell else None,
        spell_months=dates.months_between(open_spell.start, today) if open_spell else None,
        spells_total=len(spells),
        days_by_benefit=by_benefit,
        days_last_12_months=int(last_12 or 0),
        days_since_2025=int(since_2025 or 0),
        first_payment=agg["first"],
        last_payment=agg["last"],
        amount_total=agg["amount"] or Decimal("0.00"),
    )
