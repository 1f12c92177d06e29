"""Reconciliation of Kela's invoice specification with Silta's own computation.

Pure (no Django import). Kela's person-level specification (DESIGN.md "Kela invoice
specification") lists per invoice month, municipality, benefit and person what was
paid, returned and corrected, and the municipal share Kela bills. Silta sums its own
result (:func:`silta.engine.funding.compute`) the same way (the month of the payment
date, as Kela invoices) and lists every person and month where the two shares differ
by more than the tolerance (0.01 €), with the rows Silta's figure comes from.

Only the invoices in the specification are compared: Silta's rows count when their
month, municipality and benefit appear in the specification.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

import polars as pl

from silta.engine.io import (
    AMOUNT_TEXT,
    InputFileError,
    LineError,
    decimal_text,
    known_codes_text,
    read_csv_text,
)
from silta.engine.rules import FundingRules, load_rules

SPEC_COLUMNS = (
    "invoice_month",
    "municipality_code",
    "benefit",
    "person_id",
    "paid_eur",
    "returned_eur",
    "corrected_eur",
    "municipal_share_eur",
)
RECONCILIATION_COLUMNS = (
    "invoice_month",
    "municipality_code",
    "benefit",
    "person_id",
    "status",
    "kela_share_eur",
    "silta_share_eur",
    "difference_eur",
    "kela_net_eur",
    "silta_amount_eur",
    "reasoning",
)
MONEY = pl.Decimal(18, 2)
TOLERANCE = Decimal("0.01")
_MONEY_TEXT = AMOUNT_TEXT  # at most 10 digits before the point: no overflow

Status = Literal["share_differs", "missing_in_silta", "missing_in_kela"]


@dataclass(frozen=True)
class _Check:
    field: str
    bad: pl.Expr
    message: str
    code: str


def read_spec(
    source: Path | str | bytes,
    *,
    valid_municipality_codes: list[str] | None = None,
    allowed_municipality_codes: list[str] | None = None,
    name: str | None = None,
    rules: FundingRules | None = None,
) -> pl.DataFrame:
    """Read and validate a specification CSV (a path or the file's bytes): comma or
    semicolon, decimal point or comma, UTF-8 (with or without BOM) or Windows-1252.

    Every bad line is reported at once (line numbers count the header as line 1) in
    one :class:`InputFileError`. ``allowed_municipality_codes`` refuses lines of other
    municipalities (the reader's scope). A benefit code must be known by the rules in
    force in the invoice month or before it (returns of an abolished benefit)."""
    rules = rules or load_rules()
    label = name or (str(source) if not isinstance(source, bytes) else "specification")
    raw = read_csv_text(source, label, SPEC_COLUMNS)
    amounts = ("paid_eur", "returned_eur", "corrected_eur", "municipal_share_eur")
    raw = raw.with_columns(decimal_text(c).alias(c) for c in amounts)
    month = pl.col("invoice_month")
    month_end = (month + "-01").str.to_date("%Y-%m-%d", strict=False).dt.month_end()
    # Known in the month, or by an earlier version (a late return of an abolished code).
    known: pl.Expr = pl.lit(False)
    for version in rules.versions:
        known = known | (
            (month_end >= pl.lit(version.valid_from.value))
            & pl.col("benefit").is_in(sorted(version.benefits.value))
        )
    checks = [
        _Check(
            "invoice_month",
            ~month.str.contains(r"^\d{4}-(0[1-9]|1[0-2])$"),
            "not a month in the form YYYY-MM",
            "month_format",
        ),
        _Check(
            "municipality_code",
            ~pl.col("municipality_code").str.contains(r"^\d{3}$"),
            "a municipality code has exactly 3 digits",
            "municipality_format",
        ),
        _Check(
            "benefit",
            # (a line whose month is wrong gets that error, not this one too)
            ~pl.when(month_end.is_null())
            .then(pl.col("benefit").is_in(list(rules.benefit_codes)))
            .otherwise(known)
            .fill_null(False),
            "unknown benefit code for the invoice month; " + known_codes_text(rules),
            "benefit_unknown",
        ),
        _Check(
            "person_id",
            pl.col("person_id").is_null() | (pl.col("person_id") == ""),
            "person_id is empty",
            "required",
        ),
        *(
            _Check(
                c,
                ~pl.col(c).str.contains(_MONEY_TEXT),
                f"{c} must be a decimal number (decimal point or comma), at most 2 "
                "decimals and at most 10 digits before it",
                "amount_format",
            )
            for c in ("paid_eur", "returned_eur", "corrected_eur", "municipal_share_eur")
        ),
    ]
    code_ok = pl.col("municipality_code").str.contains(r"^\d{3}$")
    if valid_municipality_codes is not None:
        checks.append(
            _Check(
                "municipality_code",
                code_ok & ~pl.col("municipality_code").is_in(sorted(valid_municipality_codes)),
                "unknown municipality code",
                "municipality_unknown",
            )
        )
    if allowed_municipality_codes is not None:
        known = (
            pl.col("municipality_code").is_in(sorted(valid_municipality_codes))
            if valid_municipality_codes is not None
            else pl.lit(True)
        )
        checks.append(
            _Check(
                "municipality_code",
                code_ok & known & ~pl.col("municipality_code").is_in(allowed_municipality_codes),
                "a municipality outside your funding-share scope",
                "municipality_out_of_scope",
            )
        )
    _raise_for(label, raw, checks)
    return raw.select(
        "invoice_month",
        "municipality_code",
        "benefit",
        "person_id",
        *(
            pl.col(c).str.to_decimal(scale=2).cast(MONEY)
            for c in ("paid_eur", "returned_eur", "corrected_eur", "municipal_share_eur")
        ),
    )


def _raise_for(label: str, raw: pl.DataFrame, checks: list[_Check]) -> None:
    flags = raw.select(*(c.bad.fill_null(True).alias(f"bad{i}") for i, c in enumerate(checks)))
    if not flags.select(pl.any_horizontal(pl.all()).any()).item():
        return
    lines = pl.concat([raw, flags], how="horizontal").with_row_index("line", offset=2)
    errors: list[LineError] = []
    for i, check in enumerate(checks):
        for line, value in (
            lines.filter(pl.col(f"bad{i}")).select("line", pl.col(check.field).fill_null(""))
        ).iter_rows():
            errors.append(LineError(line, check.field, value, check.message, check.code))
    errors.sort(key=lambda e: (e.line, e.field))
    raise InputFileError(label, errors)


# --- the comparison ---------------------------------------------------------------------

_KEY = ["invoice_month", "municipality_code", "benefit", "person_id"]

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "row": "{start}–{end}, {days} days, {amount} € (regime {regime}, counter "
        "{before}→{after}): municipality {rate} % = {share} €",
        "none": "Silta has no payment of this benefit for this person in this month.",
        "amounts": "The amounts paid differ too (Kela {kela} €, Silta {silta} €): the "
        "payment data differ, not only the rule.",
    },
    "fi": {
        "row": "{start}–{end}, {days} päivää, {amount} € (malli {regime}, kertymä "
        "{before}→{after}): kunta {rate} % = {share} €",
        "none": "Siltassa ei ole tämän etuuden maksua tälle henkilölle tässä kuussa.",
        "amounts": "Myös maksetut määrät eroavat (Kela {kela} €, Silta {silta} €): "
        "maksutiedot eroavat, ei vain sääntö.",
    },
    "sv": {
        "row": "{start}–{end}, {days} dagar, {amount} € (modell {regime}, ackumulering "
        "{before}→{after}): kommunen {rate} % = {share} €",
        "none": "Silta har ingen utbetalning av förmånen för personen denna månad.",
        "amounts": "Även de betalda beloppen skiljer sig (FPA {kela} €, Silta {silta} €): "
        "betalningsuppgifterna skiljer sig, inte bara regeln.",
    },
}


def _num(value: Decimal | float, lang: str) -> str:
    text = f"{value:.2f}" if isinstance(value, Decimal) else f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang in ("fi", "sv") else text


def reconcile(
    spec: pl.DataFrame,
    result: pl.DataFrame,
    *,
    tolerance: Decimal = TOLERANCE,
    lang: Literal["fi", "sv", "en"] = "en",
) -> pl.DataFrame:
    """Every person, month and benefit where Kela's municipal share differs from
    Silta's by more than ``tolerance``, with Silta's reasoning (in ``lang``).

    ``status`` is ``share_differs`` (both have the person), ``missing_in_silta`` or
    ``missing_in_kela``; ``difference_eur`` is Kela's minus Silta's."""
    texts = _TEXTS[lang]
    kela = spec.group_by(_KEY).agg(
        kela_share_eur=pl.col("municipal_share_eur").sum().cast(MONEY),
        kela_net_eur=(pl.col("paid_eur") - pl.col("returned_eur") + pl.col("corrected_eur"))
        .sum()
        .cast(MONEY),
    )
    invoices = spec.select("invoice_month", "municipality_code", "benefit").unique()
    rows = result.with_columns(
        invoice_month=pl.col("payment_date").dt.strftime("%Y-%m"),
        benefit=pl.col("benefit").cast(pl.String),
        regime=pl.col("regime").cast(pl.String),
    ).join(invoices, on=["invoice_month", "municipality_code", "benefit"], how="semi")
    silta = rows.group_by(_KEY).agg(
        silta_share_eur=pl.col("municipal_share_eur").sum().cast(MONEY),
        silta_amount_eur=pl.col("amount_eur").sum().cast(MONEY),
    )
    both = kela.join(silta, on=_KEY, how="full", coalesce=True)
    status = (
        pl.when(pl.col("silta_share_eur").is_null())
        .then(pl.lit("missing_in_silta"))
        .when(pl.col("kela_share_eur").is_null())
        .then(pl.lit("missing_in_kela"))
        .otherwise(pl.lit("share_differs"))
    )
    diff = both.with_columns(
        status=status,
        difference_eur=(
            pl.col("kela_share_eur").fill_null(Decimal(0))
            - pl.col("silta_share_eur").fill_null(Decimal(0))
        ).cast(MONEY),
    ).filter(pl.col("difference_eur").abs() > tolerance)
    if diff.height == 0:
        return pl.DataFrame(
            schema={
                **dict.fromkeys(_KEY, pl.String),
                "status": pl.String,
                "kela_share_eur": MONEY,
                "silta_share_eur": MONEY,
                "difference_eur": MONEY,
                "kela_net_eur": MONEY,
                "silta_amount_eur": MONEY,
                "reasoning": pl.String,
            }
        )
    detail = rows.join(diff.select(_KEY), on=_KEY, how="semi").sort(
        "person_id", "period_start", "period_end"
    )
    by_key: dict[tuple[str, ...], list[str]] = {}
    for r in detail.iter_rows(named=True):
        by_key.setdefault(tuple(r[k] for k in _KEY), []).append(
            texts["row"].format(
                start=r["period_start"].isoformat(),
                end=r["period_end"].isoformat(),
                days=r["paid_days"],
                amount=_num(r["amount_eur"], lang),
                regime=r["regime"],
                before=r["days_before"],
                after=r["days_after"],
                rate=_num(r["municipal_rate"] * 100, lang),
                share=_num(r["municipal_share_eur"], lang),
            )
        )
    reasons = []
    for r in diff.iter_rows(named=True):
        parts = by_key.get(tuple(r[k] for k in _KEY)) or [texts["none"]]
        kela_net, silta_amount = r["kela_net_eur"], r["silta_amount_eur"]
        if (
            kela_net is not None
            and silta_amount is not None
            and abs(kela_net - silta_amount) > tolerance
        ):
            parts = [
                *parts,
                texts["amounts"].format(kela=_num(kela_net, lang), silta=_num(silta_amount, lang)),
            ]
        reasons.append("; ".join(parts))
    return (
        diff.with_columns(reasoning=pl.Series(reasons, dtype=pl.String))
        .select(RECONCILIATION_COLUMNS)
        .sort("invoice_month", "municipality_code", "benefit", "person_id")
    )


def specification_from_result(result: pl.DataFrame) -> pl.DataFrame:
    """Kela's specification as Silta would bill it (every person, month and benefit
    with a municipal share), for tests and for a municipality's own checks."""
    return (
        result.with_columns(
            invoice_month=pl.col("payment_date").dt.strftime("%Y-%m"),
            benefit=pl.col("benefit").cast(pl.String),
        )
        .group_by(_KEY)
        .agg(
            paid_eur=pl.col("amount_eur").filter(pl.col("amount_eur") > 0).sum().cast(MONEY),
            returned_eur=(-pl.col("amount_eur").filter(pl.col("amount_eur") < 0).sum()).cast(MONEY),
            corrected_eur=pl.lit(Decimal(0)).cast(MONEY),
            municipal_share_eur=pl.col("municipal_share_eur").sum().cast(MONEY),
        )
        .sort(_KEY)
        .select(SPEC_COLUMNS)
    )
