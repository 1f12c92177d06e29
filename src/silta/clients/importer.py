"""Clients import (DESIGN.md contract): a CSV with the header

    personal_id,last_name,first_names,home_municipality_code,language,phone,email

as Excel writes it (``silta.core.spreadsheets.decode_csv``): comma or semicolon
separated, UTF-8 with or without a byte order mark, or Windows-1252.

Every row is validated first. A file with any invalid row imports nothing and reports
every bad row with its line number (the header is line 1), field, value and reason.
A valid file is imported in one transaction with one change-log summary row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silta.accounts.models import Organisation, User
from silta.audit.services import change_log_write
from silta.clients.identity import birth_date_of, validate_personal_id
from silta.clients.models import (
    Client,
    ClientLanguage,
    HomeMunicipality,
    RelationshipKind,
    ServiceRelationship,
)
from silta.core import dates
from silta.core.bulk import bulk_insert_rows
from silta.core.spreadsheets import decode_csv
from silta.places.models import Municipality

COLUMNS = (
    "personal_id",
    "last_name",
    "first_names",
    "home_municipality_code",
    "language",
    "phone",
    "email",
)
MAX_ROWS = 1_000_000
_PHONE_CHARS = set("+0123456789 -()")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:37] + "..."
        return f"line {self.line}: {self.field}: {shown!r}: {self.message}"


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} invalid row(s)")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    clients: int
    relationships: int


def _line_at(text: str, pos: int) -> int:
    """The line (1-based, any line ending) that the character at ``pos`` is on."""
    return len(_LINE_BREAK.split(text[:pos]))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _decode(raw: bytes) -> tuple[str, str]:
    """The file's text and separator (the shared decoder), or ImportRejected naming the
    line of the first byte that is neither UTF-8 nor Windows-1252."""
    try:
        return decode_csv(raw)
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("cp1252", errors="replace")
        line = _line_at(prefix, len(prefix))
        raise ImportRejected(
            [
                RowError(
                    line,
                    "file",
                    "",
                    _(
                        "The file is neither UTF-8 nor Windows-1252 text (byte %(pos)s): "
                        "save it from Excel as CSV (UTF-8)."
                    )
                    % {"pos": exc.start},
                )
            ]
        ) from None


_CSV_LINE = gettext_lazy(
    "This line cannot be read as CSV: check its quotes and that it has no more fields "
    "than the header."
)


def clients_validate(raw: bytes) -> list[dict[str, Any]]:
    """Parse and validate the whole file; raise ImportRejected listing every bad row."""
    text, separator = _decode(raw)
    if "\x00" in text:
        line = _line_at(text, text.index("\x00"))
        raise ImportRejected([RowError(line, "file", "", _("The file contains NUL characters."))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([RowError(1, "header", "", _("The file is empty."))]) from None
    except csv.Error:
        raise ImportRejected([RowError(1, "header", "", str(_CSV_LINE))]) from None
    header = [h.strip() for h in header]
    if tuple(header) != COLUMNS:
        raise ImportRejected(
            [
                RowError(
                    1,
                    "header",
                    separator.join(header),
                    _("The header must be exactly: %(columns)s")
                    % {"columns": separator.join(COLUMNS)},
                )
            ]
        )
    municipalities = {m.code: m.pk for m in Municipality.objects.all()}
    existing: set[str] = set()
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    allow_temporary = settings.SILTA_ALLOW_SYNTHETIC_IDS
    line = 1
    try:
        for line, values in enumerate(reader, start=2):
            if not values or values == [""]:
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(
                    RowError(
                        line, "file", "", _("Too many rows (at most %(n)s).") % {"n": MAX_ROWS}
                    )
                )
                break
            if len(values) != len(COLUMNS):
                errors.append(
                    RowError(
                        line,
                        "row",
                        separator.join(values),
                        _("Expected %(n)s fields, found %(found)s.")
                        % {"n": len(COLUMNS), "found": len(values)},
                    )
                )
                continue
            row: dict[str, Any] = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
            row_errors = _validate_row(line, row, municipalities, allow_temporary)
            if not row_errors:
                code = row["personal_id"]
                if code in seen:
                    row_errors.append(
                        RowError(
                            line,
                            "personal_id",
                            code,
                            _("The same identity code is already on line %(line)s.")
                            % {"line": seen[code]},
                        )
                    )
                seen.setdefault(code, line)
            if row_errors:
                errors.extend(row_errors)
            else:
                row["_line"] = line
                rows.append(row)
    except csv.Error:
        errors.append(RowError(line + 1, "row", "", str(_CSV_LINE)))
    codes = [r["personal_id"] for r in rows]
    for i in range(0, len(codes), 5000):
        existing.update(
            Client.objects.filter(personal_id__in=codes[i : i + 5000]).values_list(
                "personal_id", flat=True
            )
        )
    for row in rows:
        if row["personal_id"] in existing:
            errors.append(
                RowError(
                    row["_line"],
                    "personal_id",
                    row["personal_id"],
                    _("This person is already a client."),
                )
            )
    if not rows and not errors:
        errors.append(RowError(2, "file", "", _("The file has no data rows.")))
    if errors:
        raise ImportRejected(
            sorted(
                errors, key=lambda e: (e.line, COLUMNS.index(e.field) if e.field in COLUMNS else -1)
            )
        )
    return rows


def _validate_row(
    line: int, row: dict[str, Any], municipalities: dict[str, Any], allow_temporary: bool
) -> list[RowError]:
    errors: list[RowError] = []
    try:
        row["personal_id"] = validate_personal_id(
            row["personal_id"], allow_temporary=allow_temporary
        )
    except ValidationError as exc:
        errors.append(RowError(line, "personal_id", row["personal_id"], " ".join(exc.messages)))
    for field, limit in (("last_name", 100), ("first_names", 200)):
        if not row[field]:
            errors.append(RowError(line, field, "", _("Required.")))
        elif len(row[field]) > limit:
            errors.append(
                RowError(line, field, row[field], _("At most %(n)s characters.") % {"n": limit})
            )
    if row["home_municipality_code"] not in municipalities:
        errors.append(
            RowError(
                line,
                "home_municipality_code",
                row["home_municipality_code"],
                _("Unknown municipality code."),
            )
        )
    if row["language"] not in ClientLanguage.values:
        errors.append(
            RowError(
                line, "language", row["language"], _("Language must be one of fi, sv, en, other.")
            )
        )
    if row["phone"] and (len(row["phone"]) > 40 or not set(row["phone"]) <= _PHONE_CHARS):
        errors.append(RowError(line, "phone", row["phone"], _("Not a phone number.")))
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            errors.append(RowError(line, "email", row["email"], _("Enter a valid email address.")))
    return errors


@transaction.atomic
def clients_import(
    *,
    actor: User | None,
    raw: bytes,
    organisation: Organisation | None = None,
    relationship: RelationshipKind | str | None = None,
    since: dt.date | None = None,
) -> ImportResult:
    """Validate the whole file, then import every row (all or nothing). With an
    organisation and a relationship kind, the organisation gets that client
    relationship from ``since`` (default today), so its staff can see the clients."""
    rows = clients_validate(raw)
    since = since or dates.today()
    kind = RelationshipKind(relationship) if relationship else None
    if (organisation is None) != (kind is None):
        raise ValidationError(
            _("Give both the organisation and the relationship, or neither."),
            code="clients.import_relationship",
        )
    municipalities = {m.code: m.pk for m in Municipality.objects.all()}
    stamp = dates.now()
    client_rows = []
    home_rows = []
    rel_rows = []
    for row in rows:
        client_id = uuid.uuid4()
        code = row["personal_id"]
        client_rows.append(
            (
                client_id,
                stamp,
                stamp,
                code,
                row["last_name"],
                row["first_names"],
                birth_date_of(code),
                row["language"],
                row["phone"],
                row["email"],
                municipalities[row["home_municipality_code"]],
                Client.make_search_name(row["last_name"], row["first_names"]),
            )
        )
        home_rows.append(
            (
                uuid.uuid4(),
                stamp,
                stamp,
                client_id,
                municipalities[row["home_municipality_code"]],
                since,
                None,
            )
        )
        if organisation is not None and kind is not None:
            rel_rows.append(
                (uuid.uuid4(), stamp, stamp, client_id, organisation.pk, kind.value, since, None)
            )
    bulk_insert_rows(
        Client,
        [
            "id",
            "created_at",
            "updated_at",
            "personal_id",
            "last_name",
            "first_names",
            "birth_date",
            "language",
            "phone",
            "email",
            "home_municipality_id",
            "search_name",
        ],
        client_rows,
    )
    bulk_insert_rows(
        HomeMunicipality,
        [
            "id",
            "created_at",
            "updated_at",
            "client_id",
            "municipality_id",
            "valid_from",
            "valid_to",
        ],
        home_rows,
    )
    if rel_rows:
        bulk_insert_rows(
            ServiceRelationship,
            [
                "id",
                "created_at",
                "updated_at",
                "client_id",
                "organisation_id",
                "kind",
                "valid_from",
                "valid_to",
            ],
            rel_rows,
        )
    change_log_write(
        actor=actor,
        event="clients.imported",
        target_type="clients.import",
        target_id=str(organisation.pk) if organisation else "",
        changes={
            "clients": [None, len(client_rows)],
            "relationships": [None, len(rel_rows)],
            "relationship_kind": [None, kind.value if kind else None],
        },
    )
    return ImportResult(clients=len(client_rows), relationships=len(rel_rows))


def read_upload(f: IO[bytes], limit: int = 200 * 1024 * 1024) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise ImportRejected([RowError(0, "file", "", _("The file is larger than 200 MB."))])
    return data
