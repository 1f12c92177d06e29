"""Reading and writing the engine's CSV files (DESIGN.md "Data contracts").

The readers check the whole file before returning anything: every bad line is
reported at once, as a :class:`LineError` inside one :class:`InputFileError`, so that
an import can show every problem and commit nothing. The checks run over whole
columns; messages are built only for the bad rows, so a 20-million-row file is
validated at Polars speed. Line numbers count the header as line 1.

Files come as municipal staff have them after Excel (DESIGN.md "Data contracts"):
comma or semicolon separated, decimal point or decimal comma, UTF-8 with or without
a byte order mark, or Windows-1252. ``silta.core.spreadsheets.decode_csv`` (the one
decoder every reader of Silta uses) finds the encoding and the separator;
:func:`decimal_text` turns a decimal comma into a point.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import polars as pl

from silta.core.spreadsheets import decode_csv
from silta.engine.funding import EVENT_COLUMNS, PAYMENT_COLUMNS
from silta.engine.rules import BASES, EVENTS, FundingRules, load_rules

MONEY = pl.Decimal(18, 2)
_DATE = r"^\d{4}-\d{2}-\d{2}$"
# Euro amounts: at most 10 digits before the point (the payment store holds 12 digits
# with 2 decimals; a longer number would overflow the cast or the database column).
AMOUNT_TEXT = r"^-?\d{1,10}(\.\d{1,2})?$"


@dataclass(frozen=True)
class LineError:
    """One problem on one line of an input file."""

    line: int
    field: str
    value: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        shown = f" {self.value!r}" if self.value else ""
        return f"{where}:{shown} {self.message}"


class InputFileError(ValueError):
    """An input file has problems; ``errors`` lists every one of them."""

    def __init__(self, path: Path | str, errors: list[LineError]) -> None:
        self.path = str(path)
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:20])
        more = f"\n… and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{self.path}: {len(errors)} problem(s)\n{shown}{more}")


@dataclass(frozen=True)
class _Check:
    field: str
    bad: pl.Expr
    message: str
    code: str


#: The most paid days one payment row may carry: the store's column is a small integer
#: (a period of about 125 years of weekdays, far beyond any real payment).
MAX_PAID_DAYS = 32767


def read_payments(
    path: Path | str | bytes,
    *,
    valid_municipality_codes: Collection[str] | None = None,
    rules: FundingRules | None = None,
    name: str | None = None,
) -> pl.DataFrame:
    """Read and validate a benefit payments CSV (a path or the file's bytes); raise
    InputFileError listing every bad line, or return the typed frame the engine
    takes. A benefit code must be known by the rule version in force on the payment
    date or on the period start (a late payment of an abolished benefit)."""
    rules = rules or load_rules()
    raw = _read_text_columns(path, PAYMENT_COLUMNS, name=name)
    raw = raw.with_columns(amount_eur=decimal_text("amount_eur"))
    start, end = _date("period_start"), _date("period_end")
    days = pl.col("paid_days").str.to_integer(strict=False)
    # Paid days may not exceed 5 per calendar week touched (nor the weekdays in it).
    weeks = (_monday(end) - _monday(start)).dt.total_days() // 7 + 1
    weekdays = pl.business_day_count(start, end + pl.duration(days=1))
    codes = sorted(valid_municipality_codes) if valid_municipality_codes is not None else None
    checks = [
        _Check("person_id", _blank("person_id"), "person_id is empty", "required"),
        _Check(
            "municipality_code",
            ~pl.col("municipality_code").str.contains(r"^\d{3}$"),
            "a municipality code has exactly 3 digits",
            "municipality_format",
        ),
        *(
            [
                _Check(
                    "municipality_code",
                    pl.col("municipality_code").str.contains(r"^\d{3}$")
                    & ~pl.col("municipality_code").is_in(codes),
                    "unknown municipality code",
                    "municipality_unknown",
                )
            ]
            if codes is not None
            else []
        ),
        _Check(
            "benefit",
            ~pl.when(_date("payment_date").is_null() & start.is_null())
            # (a line whose dates are wrong gets those errors, not this one too)
            .then(pl.col("benefit").is_in(list(rules.benefit_codes)))
            .otherwise(
                benefit_known(pl.col("benefit"), _date("payment_date"), rules)
                | benefit_known(pl.col("benefit"), start, rules)
            ),
            "unknown benefit code for the payment date; " + known_codes_text(rules),
            "benefit_unknown",
        ),
        _Check(
            "basis",
            ~pl.col("basis").is_in(BASES),
            f"unknown basis; expected one of {', '.join(BASES)}",
            "basis_unknown",
        ),
        *(_date_check(c) for c in ("period_start", "period_end", "payment_date")),
        _Check(
            "period_end",
            (end < start).fill_null(False),
            "the period ends before it starts",
            "period_order",
        ),
        _Check(
            "paid_days",
            days.is_null() | (days < 0),
            "paid_days must be a whole number, 0 or more",
            "days_format",
        ),
        _Check(
            "paid_days",
            (days > MAX_PAID_DAYS).fill_null(False),
            f"paid_days may be at most {MAX_PAID_DAYS} in one payment",
            "days_range",
        ),
        _Check(
            "paid_days",
            ((end >= start) & (days > weeks * 5) & (days > weekdays)).fill_null(False),
            "more paid days than 5 a calendar week allows for the period",
            "days_too_many",
        ),
        _Check(
            "amount_eur",
            ~pl.col("amount_eur").str.contains(AMOUNT_TEXT),
            "amount_eur must be a decimal number (decimal point or comma), at most 2 "
            "decimals and at most 10 digits before it",
            "amount_format",
        ),
    ]
    _raise_for(name or path, raw, checks)
    return raw.select(
        "person_id",
        "municipality_code",
        pl.col("benefit").cast(pl.Enum(list(rules.benefit_codes))),
        pl.col("basis").cast(pl.Enum(list(BASES))),
        start.alias("period_start"),
        end.alias("period_end"),
        days.cast(pl.Int32).alias("paid_days"),
        pl.col("amount_eur").str.to_decimal(scale=2).cast(MONEY),
        _date("payment_date").alias("payment_date"),
    )


def read_events(path: Path | str | bytes, *, name: str | None = None) -> pl.DataFrame:
    """Read and validate a person events CSV (person_id, event, date)."""
    raw = _read_text_columns(path, EVENT_COLUMNS, name=name)
    checks = [
        _Check("person_id", _blank("person_id"), "person_id is empty", "required"),
        _Check(
            "event",
            ~pl.col("event").is_in(EVENTS),
            f"unknown event; expected one of {', '.join(EVENTS)}",
            "event_unknown",
        ),
        _date_check("date"),
    ]
    _raise_for(name or path, raw, checks)
    return raw.select(
        "person_id", pl.col("event").cast(pl.Enum(list(EVENTS))), _date("date").alias("date")
    )


def write_result_csv(df: pl.DataFrame, path: Path | str) -> None:
    """Write engine results (or summaries) as UTF-8 CSV: ISO dates, decimal point,
    euro amounts with exactly two decimals."""
    money = [name for name, dtype in df.schema.items() if isinstance(dtype, pl.Decimal)]
    text = [name for name, dtype in df.schema.items() if dtype == pl.String]
    df.with_columns(
        *[_as_text(name) for name in text],
        pl.col(money).cast(MONEY).cast(pl.String),
        pl.col(pl.Categorical, pl.Enum).cast(pl.String),
    ).write_csv(path, date_format="%Y-%m-%d", decimal_comma=False)


# --- helpers ----------------------------------------------------------------------------


#: A text cell starting with one of these runs as a formula in a spreadsheet (OWASP
#: CSV injection; the same rule as silta.core.spreadsheets, which the engine does not
#: import): such a cell gets a leading apostrophe. Amounts are numbers, not text here.
_FORMULA_START = r"^[=+\-@\t\r\n\x00]"


def _as_text(name: str) -> pl.Expr:
    column = pl.col(name)
    return (
        pl.when(column.str.contains(_FORMULA_START))
        .then(pl.lit("'") + column)
        .otherwise(column)
        .alias(name)
    )


def benefit_known(benefit: pl.Expr, day: pl.Expr, rules: FundingRules) -> pl.Expr:
    """Whether ``benefit`` is a code the rule version in force on ``day`` knows (the
    first version also covers earlier days); null days are not known."""
    known: pl.Expr = pl.lit(False)
    versions = rules.versions
    for i, version in enumerate(versions):
        in_force = pl.lit(True)
        if i > 0:
            in_force = day >= pl.lit(version.valid_from.value)
        if i + 1 < len(versions):
            in_force = in_force & (day < pl.lit(versions[i + 1].valid_from.value))
        known = known | (in_force & benefit.is_in(sorted(version.benefits.value)))
    return known.fill_null(False)


def known_codes_text(rules: FundingRules) -> str:
    """The codes the rules know over time, for an error message, e.g. "the rules know
    BASIC, EARN_BASIC, LMS until 2026-04-30 and EARN_BASIC, GEN from 2026-05-01"."""
    spans: list[tuple[frozenset[str], int]] = []
    for i, version in enumerate(rules.versions):
        if spans and spans[-1][0] == version.benefits.value:
            continue
        spans.append((version.benefits.value, i))
    parts = []
    for n, (codes, i) in enumerate(spans):
        text = ", ".join(sorted(codes))
        if n > 0:
            text += f" from {rules.versions[i].valid_from.value.isoformat()}"
        if n + 1 < len(spans):
            until = rules.valid_until(rules.versions[spans[n + 1][1] - 1])
            assert until is not None
            text += f" until {until.isoformat()}"
        parts.append(text)
    return "the rules know " + " and ".join(parts)


def decimal_text(column: str) -> pl.Expr:
    """A decimal number as text with a decimal point: a decimal comma (Finnish Excel)
    becomes a point, and spaces used as thousands separators go."""
    text = pl.col(column).str.replace_all(r"[ \u00a0\u202f]", "")
    return (
        pl.when(text.str.contains(r"^-?\d+,\d+$"))
        .then(text.str.replace(",", ".", literal=True))
        .otherwise(text)
    )


def read_csv_text(source: Path | str | bytes, label: str, expected: Iterable[str]) -> pl.DataFrame:
    """The columns ``expected`` of a CSV file as stripped text, in that order, or
    :class:`InputFileError` naming the line that cannot be read, a missing or an
    unexpected column."""
    expected = list(expected)
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        text, separator = decode_csv(data)
    except UnicodeDecodeError:
        raise InputFileError(label, [unreadable_line(data)]) from None
    try:
        raw = pl.read_csv(
            text.encode("utf-8"), infer_schema=False, has_header=True, separator=separator
        )
    except pl.exceptions.NoDataError:
        raise InputFileError(
            label, [LineError(1, "", "", "the file is empty; a header row is needed", "empty")]
        ) from None
    except (pl.exceptions.ComputeError, pl.exceptions.ShapeError):
        raise InputFileError(
            label, [unreadable_line(text.encode("utf-8"), separator=separator)]
        ) from None
    header = [c.strip() for c in raw.columns]
    errors = [
        LineError(1, c, "", "required column is missing", "column_missing")
        for c in expected
        if c not in header
    ]
    errors += [
        LineError(1, c, c, "unexpected column", "column_extra") for c in header if c not in expected
    ]
    if errors:
        raise InputFileError(label, errors)
    raw.columns = header
    return raw.select(pl.col(c).str.strip_chars() for c in expected)


def _read_text_columns(
    path: Path | str | bytes, expected: Iterable[str], *, name: str | None = None
) -> pl.DataFrame:
    label = name or (str(path) if not isinstance(path, bytes) else "file")
    return read_csv_text(path, label, expected)


def unreadable_line(data: bytes, *, separator: str = ",") -> LineError:
    """Name the line that makes a file unreadable as CSV (Polars' own message names no
    line): the first byte that is not UTF-8, a line with more fields than the header,
    or a broken quote."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as bad:
            line = len(_LINE_BREAK.split(data[: bad.start].decode("cp1252", errors="replace")))
            return LineError(
                line,
                "",
                "",
                f"neither UTF-8 nor Windows-1252 text (byte {bad.start})",
                "csv_encoding",
            )
    reader = csv.reader(StringIO(text, newline=""), strict=True, delimiter=separator)
    width: int | None = None
    start = 1
    try:
        for row in reader:
            if width is None:
                width = len(row)
            elif len(row) > width:
                return LineError(
                    start,
                    "",
                    "",
                    f"{len(row)} fields on the line, the header has {width}",
                    "csv_format",
                )
            start = reader.line_num + 1
    except csv.Error as exc:
        return LineError(start, "", "", f"not a readable CSV line: {exc}", "csv_format")
    return LineError(1, "", "", "not a readable CSV file (check the quotes)", "csv_format")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column) == "")


def _date(column: str) -> pl.Expr:
    text = pl.col(column)
    return (
        pl.when(text.str.contains(_DATE))
        .then(text.str.to_date("%Y-%m-%d", strict=False))
        .otherwise(None)
    )


def _date_check(column: str) -> _Check:
    return _Check(
        column, _date(column).is_null(), "not a date in the form YYYY-MM-DD", "date_format"
    )


def _monday(day: pl.Expr) -> pl.Expr:
    return day - pl.duration(days=day.dt.weekday() - 1)


def _raise_for(path: Path | str | bytes, raw: pl.DataFrame, checks: list[_Check]) -> None:
    if isinstance(path, bytes):
        path = "file"
    flags = raw.select(
        pl.any_horizontal(c.bad.fill_null(True) for c in checks).alias("any"),
        *(c.bad.fill_null(True).alias(f"bad{i}") for i, c in enumerate(checks)),
    )
    if not flags.get_column("any").any():
        return
    bad_rows = pl.concat([raw, flags], how="horizontal").with_row_index("line", offset=2)
    bad_rows = bad_rows.filter(pl.col("any"))
    errors: list[LineError] = []
    for i, check in enumerate(checks):
        for line, value in (
            bad_rows.filter(pl.col(f"bad{i}"))
            .select("line", pl.col(check.field).fill_null(""))
            .iter_rows()
        ):
            errors.append(LineError(line, check.field, value, check.message, check.code))
    errors.sort(key=lambda e: e.line)
    raise InputFileError(path, errors)
