"""``{{ amount|eur }}``: euros as the page's language writes them (silta.core.money)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from silta.core.money import format_eur

register = template.Library()


@register.filter
def eur(amount: Decimal | int | float | str | None) -> str:
    return format_eur(amount)
