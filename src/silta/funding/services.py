"""Writes to the payment store: imports of Kela's payments and of person events.

The whole file is validated by the engine's readers first (``silta.engine.io``); a
file with any bad line raises :class:`InputFileError` and stores nothing.

**Idempotency.** Payments are immutable snapshots (STYLE.md rule 6): a correction is
a new row, never an edit. An import therefore adds only the rows the store does not
yet hold, counted as a multiset over every contract column: a row identical to one
already stored is skipped, and a row that appears twice in a file (two identical
payments) is stored twice, once per occurrence not yet stored. Importing the same file
again adds nothing; importing a longer file that repeats an earlier one adds only the
new rows. Events are a set over ``(person_id, event, date)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, transaction

from silta.accounts.models import User
from silta.audit.models import ChangeLog
from silta.clients.models import Client
from silta.core import dates
from silta.engine import funding as engine
from silta.funding.models import BenefitPayment, PersonEvent
from silta.funding.results import load_events, load_payments

BATCH = 20_000


@dataclass(frozen=True)
class ImportSummary:
    rows_in_file: int
    inserted: int
    skipped_duplicates: int
    persons: int
    linked_to_clients: int


def _occurrence_key(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """Number equal rows 0, 1, 2 … so that a multiset difference is an anti-join."""
    return frame.with_columns(_n=pl.int_range(pl.len()).over(list(columns)))


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain executemany in chunks (the model layer costs several times more per row;
    see synth.loader for the measurements)."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608 - model identifiers
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i : i + BATCH])


def _client_ids(person_ids: list[str]) -> dict[str, Any]:
    wanted = set(person_ids)
    found: dict[str, Any] = {}
    ids = sorted(wanted)
    for i in range(0, len(ids), 500):
        found.update(
            Client.objects.filter(personal_id__in=ids[i : i + 500]).values_list("personal_id", "pk")
        )
    return found


def _summary_row(*, actor: User | None, event: str, source: str, changes: dict[str, Any]) -> None:
    ChangeLog.objects.create(
        at=dates.now(),
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "system",
        event=event,
        target_type="funding.import",
        target_id=source[-64:],
        changes=changes,
    )


@transaction.atomic
def payments_import(*, actor: User | None, payments: pl.DataFrame, source: str) -> ImportSummary:
    """Add a validated payments frame (``engine.io.read_payments``) to the store, in one
    transaction, skipping rows already stored; one summary change-log row."""
    columns = list(engine.PAYMENT_COLUMNS)
    incoming = payments.select(
        pl.col("person_id").cast(pl.String),
        pl.col("municipality_code").cast(pl.String),
        pl.col("benefit").cast(pl.String),
        pl.col("basis").cast(pl.String),
        "period_start",
        "period_end",
        pl.col("paid_days").cast(pl.Int32),
        pl.col("amount_eur").cast(pl.Decimal(18, 2)),
        "payment_date",
    )
    stored = load_payments().with_columns(
        pl.col("benefit").cast(pl.String), pl.col("basis").cast(pl.String)
    )
    new = _occurrence_key(incoming, columns).join(
        _occurrence_key(stored, columns), on=[*columns, "_n"], how="anti"
    )
    clients = _client_ids(new.get_column("person_id").unique().to_list())
    sqlite = connection.vendor == "sqlite"
    rows = [
        (
            r[0],
            _db_uuid(clients.get(r[0]), sqlite),
            r[1],
            r[2],
            r[3],
            r[4].isoformat() if sqlite else r[4],
            r[5].isoformat() if sqlite else r[5],
            r[6],
            str(r[7]) if sqlite else r[7],
            r[8].isoformat() if sqlite else r[8],
        )
        for r in new.select(columns).iter_rows()
    ]
    names = ["person_id", "client", *columns[1:]]
    db_columns = [str(getattr(BenefitPayment._meta.get_field(n), "column", n)) for n in names]
    _insert(BenefitPayment._meta.db_table, db_columns, rows)
    summary = ImportSummary(
        rows_in_file=incoming.height,
        inserted=new.height,
        skipped_duplicates=incoming.height - new.height,
        persons=incoming.get_column("person_id").n_unique(),
        linked_to_clients=len(clients),
    )
    _summary_row(
        actor=actor,
        event="funding.payments_imported",
        source=source,
        changes={"source": source, **summary.__dict__},
    )
    return summary


def _db_uuid(value: Any, sqlite: bool) -> Any:
    if value is None:
        return None
    return value.hex if sqlite else value


@transaction.atomic
def events_import(*, actor: User | None, events: pl.DataFrame, source: str) -> ImportSummary:
    """Add a validated events frame (``engine.io.read_events``) to the store, skipping
    events already stored; one summary change-log row."""
    key = ["person_id", "event", "date"]
    incoming = events.select(
        pl.col("person_id").cast(pl.String), pl.col("event").cast(pl.String), "date"
    )
    stored = load_events().with_columns(pl.col("event").cast(pl.String))
    new = incoming.unique(key, maintain_order=True).join(stored, on=key, how="anti")
    PersonEvent.objects.bulk_create(
        [PersonEvent(person_id=p, event=e, date=d) for p, e, d in new.select(key).iter_rows()],
        batch_size=5000,
    )
    summary = ImportSummary(
        rows_in_file=incoming.height,
        inserted=new.height,
        skipped_duplicates=incoming.height - new.height,
        persons=incoming.get_column("person_id").n_unique(),
        linked_to_clients=len(_client_ids(new.get_column("person_id").unique().to_list())),
    )
    _summary_row(
        actor=actor,
        event="funding.events_imported",
        source=source,
        changes={"source": source, **summary.__dict__},
    )
    return summary
