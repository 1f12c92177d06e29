"""The council answer figures a preparer pulls into an answer: the region's yearly
figures of ``silta.reporting.yearly`` (the same figures as ``silta report year``),
snapshotted on the initiative with their labels so that an approved answer never
changes afterwards.

This is the one place outside reporting that reads its figures (ADR 0009); reporting
itself imports nothing from here."""

from __future__ import annotations

from decimal import Decimal


def council_answer_figures(year: int) -> dict[str, str]:
    """``{key: value}`` of the year's figures as text (euros with two decimals).
    Raises ``ValueError`` for a year the figures cannot be computed for."""
    from silta.reporting.yearly import year_figures

    values = year_figures(year)
    return {
        key: (f"{value:.2f}" if isinstance(value, Decimal) else str(value))
        for key, value in values.items()
    }


def figure_labels() -> dict[str, str]:
    """Translated labels of the yearly figures, by key."""
    from silta.reporting.yearly import figures

    return {f.key: str(f.label) for f in figures()}
