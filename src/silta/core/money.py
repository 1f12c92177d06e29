"""Money as people read it, one formatter for every app: euros with the user's
language's CLDR rules through Babel — ``24 800,00 €`` in Finnish and Swedish (a
no-break space groups the thousands, as CLDR has it), ``€24,800.00`` in English.

Pages use the template filter ``eur`` (``{% load money %}``), PDFs call
``format_eur``; CSV files carry plain numbers (``24800.00``) and XLSX files numeric
cells with ``XLSX_EUR_FORMAT``, so that a spreadsheet sums them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency
from django.utils import translation

BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en"}
XLSX_EUR_FORMAT = '#,##0.00\\ "€";-#,##0.00\\ "€"'
"""Excel's number format for euro cells (the grouping follows the reader's locale)."""


def babel_locale(language: str | None = None) -> str:
    code = (language or translation.get_language() or "fi").split("-")[0].lower()
    return BABEL_LOCALES.get(code, "fi_FI")


def format_eur(amount: Decimal | int | float | str | None, language: str | None = None) -> str:
    """``amount`` in euros, to the cent, in the language's notation ("" for None)."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    # rounded to the cent as money is everywhere in Silta (halves away from zero), not
    # Babel's half-even
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return str(format_currency(value, "EUR", locale=babel_locale(language)))
