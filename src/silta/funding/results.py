"""The engine's result over the database payment store, computed once per store state.

The payment store is append-only (imports add rows, never change them; see
``services.payments_import``), so the count and largest id of payments and events
name a state of the store. The result is kept per process for that state and, so
that a fresh process need not recompute, as a Parquet file under
``SILTA_VAR_DIR/funding/`` named by the state and the rules version. Nothing here is
person-level by itself: callers are selectors that scope and log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min, Sum

from silta.audit.models import ChangeLog
from silta.engine import funding as engine
from silta.engine.rules import BASES, EVENTS, FundingRules, load_rules
from silta.funding.models import Benefit, BenefitPayment, PersonEvent

_LOCK = threading.Lock()
#: Change-log events that rewrite payment rows in place.
REWRITING_EVENTS = ("client.erased", "client.anonymised")
_CACHE: dict[str, FundingData] = {}


@dataclass(frozen=True)
class FundingData:
    """The store's payments computed by the engine, with the events and rules used."""

    key: str
    result: pl.DataFrame
    events: pl.DataFrame
    rules: FundingRules

    @property
    def rules_version(self) -> str:
        return self.rules.version

    @property
    def data_end(self) -> dt.date | None:
        if self.result.height == 0:
            return None
        value = self.result.get_column("period_end").max()
        return value if isinstance(value, dt.date) else None


def rules_in_force() -> FundingRules:
    """The rules file named by ``SILTA_FUNDING_RULES`` or the packaged default."""
    path = getattr(settings, "SILTA_FUNDING_RULES", None)
    return load_rules(Path(path) if path else None)


def store_key(rules: FundingRules) -> str:
    """A name for the store's state: counts, last ids and a few sums (rows are never
    changed, so an import always changes it)."""
    p = BenefitPayment.objects.aggregate(
        n=Count("id"),
        last=Max("id"),
        amount=Sum("amount_eur"),
        days=Sum("paid_days"),
        paid=Max("payment_date"),
        start=Min("period_start"),
    )
    e = PersonEvent.objects.aggregate(n=Count("id"), last=Max("id"), date=Max("date"))
    # Erasure and anonymisation rewrite identity codes in place (silta/rights/erasure.py):
    # the last such change-log row is part of the state, so every process drops a
    # result that still holds the old codes.
    rewritten = ChangeLog.objects.filter(event__in=REWRITING_EVENTS).aggregate(last=Max("id"))
    raw = ":".join(
        str(v) for v in (*p.values(), *e.values(), rewritten["last"], rules.version, rules.path)
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _benefit_codes() -> tuple[str, ...]:
    """The benefit codes of the rules in force, then any the store's choices add."""
    codes = list(rules_in_force().benefit_codes)
    codes += [c for c in Benefit.values if c not in codes]
    return tuple(codes)


def _cast_date(column: str) -> pl.Expr:
    col = pl.col(column)
    return col.cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d")


def load_payments() -> pl.DataFrame:
    """The whole payment store as the engine's payments frame, ordered by person and
    period start (the store's index), so the engine need not sort it again."""
    meta = BenefitPayment._meta
    table = connection.ops.quote_name(meta.db_table)
    sql = (
        "SELECT person_id, municipality_code, benefit, basis, period_start, period_end, "  # noqa: S608 - model identifiers
        f"paid_days, CAST(amount_eur AS TEXT), payment_date FROM {table} "
        "ORDER BY person_id, period_start, id"
    )
    names = list(engine.PAYMENT_COLUMNS)
    if connection.vendor == "postgresql":
        frame = _copy_out(sql, names)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    if frame.height == 0:
        frame = pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    return frame.select(
        pl.col("person_id").cast(pl.String),
        pl.col("municipality_code").cast(pl.String),
        pl.col("benefit").cast(pl.String).cast(pl.Enum(list(_benefit_codes()))),
        pl.col("basis").cast(pl.String).cast(pl.Enum(list(BASES))),
        _cast_date("period_start"),
        _cast_date("period_end"),
        pl.col("paid_days").cast(pl.Int32),
        pl.col("amount_eur").cast(pl.String).str.to_decimal(scale=2).cast(pl.Decimal(18, 2)),
        _cast_date("payment_date"),
    )


def _copy_out(sql: str, names: list[str]) -> pl.DataFrame:
    """Rows of ``sql`` through PostgreSQL's COPY as CSV, read by Polars: 2.6 million
    payments load in a few seconds instead of half a minute of Python tuples."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    if buffer.tell() == 0:
        return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    return pl.read_csv(
        buffer.getvalue(),
        has_header=False,
        new_columns=names,
        schema=dict.fromkeys(names, pl.String),
    )


def load_events() -> pl.DataFrame:
    rows = list(PersonEvent.objects.order_by("id").values_list("person_id", "event", "date"))
    return pl.DataFrame(
        rows,
        schema={"person_id": pl.String, "event": pl.String, "date": pl.Date},
        orient="row",
    ).with_columns(pl.col("event").cast(pl.Enum(list(EVENTS))))


def _cache_dir() -> Path | None:
    """Where results are kept between processes (not in test mode: test databases
    come and go)."""
    if settings.MODE == "test":
        return None
    return Path(settings.VAR_DIR) / "funding"


def funding_data(*, rules: FundingRules | None = None) -> FundingData:
    """The engine's result for the store as it is now (computed at most once per store
    state and rules version)."""
    rules = rules or rules_in_force()
    key = store_key(rules)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            return hit
        directory = _cache_dir()
        result_file = events_file = None
        if directory is not None:
            result_file = directory / f"result-{key}.parquet"
            events_file = directory / f"events-{key}.parquet"
        if result_file and events_file and result_file.exists() and events_file.exists():
            try:
                data = FundingData(
                    key, pl.read_parquet(result_file), pl.read_parquet(events_file), rules
                )
            except (OSError, pl.exceptions.PolarsError):
                data = None
            if data is not None:
                _CACHE.clear()
                _CACHE[key] = data
                return data
        events = load_events()
        result = engine.compute(load_payments(), events, rules)
        data = FundingData(key, result, events, rules)
        _CACHE.clear()
        _CACHE[key] = data
        if directory is not None:
            _store(directory, key, data)
        return data


def _store(directory: Path, key: str, data: FundingData) -> None:
    """Keep the result on disk for other processes; a failure only costs speed."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.parquet"):
            if key not in old.name:
                old.unlink(missing_ok=True)
        tmp = directory / f"result-{key}.tmp"
        data.result.write_parquet(tmp)
        tmp.replace(directory / f"result-{key}.parquet")
        tmp = directory / f"events-{key}.tmp"
        data.events.write_parquet(tmp)
        tmp.replace(directory / f"events-{key}.parquet")
    except OSError:
        return


def forget_cached() -> None:
    """Drop the in-process result (tests; the store key changes on every import)."""
    with _LOCK:
        _CACHE.clear()


def total_municipal_share(year: int, *, data: FundingData | None = None) -> Decimal:
    """The municipal share of benefit payments made in ``year`` (all municipalities)."""
    data = data or funding_data()
    if data.result.height == 0:
        return Decimal("0.00")
    total = (
        data.result.filter(pl.col("payment_date").dt.year() == year)
        .get_column("municipal_share_eur")
        .sum()
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


def municipal_share_between(
    first: dt.date, last: dt.date, *, data: FundingData | None = None
) -> Decimal:
    """The municipal share of benefit payments dated ``first`` to ``last`` (both
    included; all municipalities). The counters run over the whole history."""
    data = data or funding_data()
    if data.result.height == 0:
        return Decimal("0.00")
    total = (
        data.result.filter(pl.col("payment_date").is_between(first, last))
        .get_column("municipal_share_eur")
        .sum()
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))
