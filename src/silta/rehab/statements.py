"""Monthly statements: what a provider is paid for one organiser's placements in one
month, computed from the attendance and fee rows no statement has used yet.

A statement for month M bills
- the unbilled attendance days in M (participant-days × the price of the contract
  version in force on the day),
- unbilled rows of earlier months whose statement is already approved: days recorded
  late, and correcting rows (the difference to the billed day, + or - one day),
- approved outcome fees decided by the end of M, and their reversing rows.
So the approved statements of a provider add up to its attendance and fees."""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Organisation
from silta.rehab.models import (
    Attendance,
    ContractVersion,
    OutcomeFee,
    Placement,
    Provider,
    Statement,
    StatementLineKind,
    StatementStatus,
)
from silta.rehab.rates import round_eur

K = StatementLineKind
ATTENDANCE_KINDS = frozenset({K.ATTENDANCE, K.LATE_ATTENDANCE, K.ATTENDANCE_CORRECTION})
CORRECTION_KINDS = frozenset({K.ATTENDANCE_CORRECTION, K.FEE_CORRECTION})


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def parse_month(text: str) -> dt.date | None:
    """ "YYYY-MM" -> its first day, or None."""
    try:
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


def version_for(versions: Sequence[ContractVersion], day: dt.date) -> ContractVersion | None:
    """The version in force on ``day``: the latest effective on or before it."""
    best: ContractVersion | None = None
    for v in versions:
        if v.effective_from <= day and (best is None or v.number > best.number):
            best = v
    return best


@dataclass
class LineData:
    kind: str
    placement_id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    contract_version: ContractVersion
    days: int
    unit_price: Decimal
    amount: Decimal
    detail: str = ""
    corrects_id: uuid.UUID | None = None
    """The approved statement a correcting line corrects (None for a new row)."""
    corrects_number: str = ""

    @property
    def kind_label(self) -> str:
        return str(StatementLineKind(self.kind).label)


@dataclass
class StatementData:
    provider: Provider
    organiser: Organisation
    month: dt.date
    lines: list[LineData]
    attendance_ids: list[uuid.UUID] = field(default_factory=list)
    fee_ids: list[uuid.UUID] = field(default_factory=list)
    statement: Statement | None = None

    @property
    def participant_days(self) -> int:
        return sum(line.days for line in self.lines if line.kind in ATTENDANCE_KINDS)

    @property
    def attendance_eur(self) -> Decimal:
        return sum(
            (line.amount for line in self.lines if line.kind in {K.ATTENDANCE, K.LATE_ATTENDANCE}),
            Decimal("0.00"),
        )

    @property
    def fees_eur(self) -> Decimal:
        return sum(
            (line.amount for line in self.lines if line.kind == K.OUTCOME_FEE), Decimal("0.00")
        )

    @property
    def corrections_eur(self) -> Decimal:
        return sum(
            (line.amount for line in self.lines if line.kind in CORRECTION_KINDS),
            Decimal("0.00"),
        )

    @property
    def total_eur(self) -> Decimal:
        return self.attendance_eur + self.fees_eur + self.corrections_eur

    @property
    def client_ids(self) -> list[uuid.UUID]:
        return list(dict.fromkeys(line.client_id for line in self.lines))

    @property
    def is_approved(self) -> bool:
        """Approved or sent: locked, numbered, shown as stored."""
        return self.statement is not None and self.statement.is_locked

    @property
    def status(self) -> str:
        """draft, checked, approved or sent."""
        return self.statement.status if self.statement is not None else "draft"

    @property
    def status_label(self) -> str:
        if self.statement is None:
            return str(_("Draft (live preview)"))
        return str(StatementStatus(self.statement.status).label)

    @property
    def changed_since_check(self) -> bool:
        """A checked statement whose draft no longer has the checked total."""
        return (
            self.statement is not None
            and self.statement.status == StatementStatus.CHECKED
            and self.statement.total_eur != self.total_eur
        )


def _number(number: int | None) -> str:
    return f"{number:05d}" if number else ""


def _client_name(p: Placement) -> str:
    return f"{p.client.last_name}, {p.client.first_names}"


def statement_compute(
    *, provider: Provider, organiser: Organisation, month: dt.date
) -> StatementData:
    """The preview of the statement (nothing is written)."""
    first = month_start(month)
    return Unbilled.fetch(provider, organiser, before=first, upto=month_end(month)).statement(first)


@dataclass(slots=True)
class CorrectedDay:
    """The billed attendance row that an unbilled row corrects."""

    pk: uuid.UUID
    present: bool
    statement_id: uuid.UUID | None


@dataclass(slots=True)
class UnbilledDay:
    """An attendance row no approved statement has used (what a line needs of it)."""

    id: uuid.UUID
    placement_id: uuid.UUID
    day: dt.date
    present: bool
    corrects_id: uuid.UUID | None
    corrects: CorrectedDay | None

    @property
    def pk(self) -> uuid.UUID:
        return self.id


@dataclass
class Unbilled:
    """What no approved statement of a provider for an organiser has used yet: the
    unbilled attendance rows and fees (up to a day), the placements and contract versions
    they belong to, and the approved statements' months. ``statement(month)`` is the
    month's draft; the demo loader approves month after month from one fetch
    (``billed``) instead of querying every month again."""

    provider: Provider
    organiser: Organisation
    approved: dict[dt.date, tuple[uuid.UUID, int | None]]
    rows: list[UnbilledDay]
    fees: list[OutcomeFee]
    placements: dict[uuid.UUID, Placement]
    versions: dict[uuid.UUID, list[ContractVersion]]

    @classmethod
    def fetch(
        cls, provider: Provider, organiser: Organisation, *, before: dt.date | None, upto: dt.date
    ) -> Unbilled:
        approved_q = Statement.objects.filter(
            provider=provider,
            organiser=organiser,
            status__in=[StatementStatus.APPROVED, StatementStatus.SENT],
        )
        if before is not None:
            approved_q = approved_q.filter(month__lt=before)
        approved = {
            month: (pk, number)
            for month, pk, number in approved_q.values_list("month", "pk", "number")
        }
        # only what no approved statement has used: the unbilled rows and fees up to
        # the day, and the placements they belong to
        mine = Q(placement__provider=provider, placement__organiser=organiser)
        rows = [
            UnbilledDay(
                row_id,
                placement_id,
                day,
                present,
                corrects_id,
                None
                if corrects_id is None
                else CorrectedDay(corrects_id, corrects_present, corrects_statement_id),
            )
            for (
                row_id,
                placement_id,
                day,
                present,
                corrects_id,
                corrects_present,
                corrects_statement_id,
            ) in Attendance.objects.filter(mine, statement__isnull=True, day__lte=upto)
            .order_by("day", "recorded_at")
            .values_list(
                "id",
                "placement_id",
                "day",
                "present",
                "corrects_id",
                "corrects__present",
                "corrects__statement_id",
            )
        ]
        fees = list(
            OutcomeFee.objects.filter(mine, statement__isnull=True, decided_at__date__lte=upto)
            .select_related("contract_version__contract", "reverses")
            .order_by("decided_at", "created_at")
        )
        placements = {
            p.pk: p
            for p in Placement.objects.filter(
                pk__in={r.placement_id for r in rows} | {f.placement_id for f in fees}
            ).select_related("client")
        }
        versions: dict[uuid.UUID, list[ContractVersion]] = defaultdict(list)
        for v in ContractVersion.objects.filter(
            contract_id__in={p.contract_id for p in placements.values()}
        ).select_related("contract"):
            versions[v.contract_id].append(v)
        return cls(provider, organiser, approved, rows, fees, placements, versions)

    def _upto(self, last: dt.date) -> int:
        """How many rows (ordered by day) are dated on or before ``last``."""
        return bisect_right(self.rows, last, key=attrgetter("day"))

    def billed(self, data: StatementData, statement: Statement) -> None:
        """``data``'s rows and fees are now on the approved ``statement``."""
        rows, fees = set(data.attendance_ids), set(data.fee_ids)
        self.approved[data.month] = (statement.pk, statement.number)
        n = self._upto(month_end(data.month))  # billed rows are all in this prefix
        self.rows = [r for r in self.rows[:n] if r.id not in rows] + self.rows[n:]
        self.fees = [f for f in self.fees if f.id not in fees]
        for r in self.rows:
            if r.corrects is not None and r.corrects_id in rows:
                r.corrects.statement_id = statement.pk
        for f in self.fees:
            if f.reverses_id in fees:
                f.reverses.statement_id = statement.pk  # type: ignore[union-attr]

    def statement(self, month: dt.date) -> StatementData:
        """The draft of ``month`` from what is unbilled up to its end."""
        provider, organiser, approved = self.provider, self.organiser, self.approved
        first, last = month_start(month), month_end(month)
        numbers: dict[uuid.UUID, int | None] = dict(approved.values())
        rows = self.rows[: self._upto(last)]
        fees = [f for f in self.fees if timezone.localtime(f.decided_at).date() <= last]
        placements, versions = self.placements, self.versions
        lines: dict[tuple[str, uuid.UUID, uuid.UUID, uuid.UUID | None], LineData] = {}
        attendance_ids: list[uuid.UUID] = []

        def add(
            kind: str,
            p: Placement,
            version: ContractVersion,
            days: int,
            price: Decimal,
            corrects: uuid.UUID | None = None,
        ) -> None:
            key = (kind, p.pk, version.pk, corrects)
            line = lines.get(key)
            if line is None:
                line = lines[key] = LineData(
                    kind,
                    p.pk,
                    p.client_id,
                    _client_name(p),
                    version,
                    0,
                    price,
                    Decimal("0.00"),
                    corrects_id=corrects,
                    corrects_number=_number(numbers.get(corrects)) if corrects else "",
                )
            line.days += days

        for row in rows:
            in_month = row.day >= first
            if not in_month and month_start(row.day) not in approved:
                continue  # waits for its own month's statement
            p = placements[row.placement_id]
            version = version_for(versions[p.contract_id], row.day)
            if version is None:
                continue
            attendance_ids.append(row.pk)
            if row.corrects is not None:
                delta = int(row.present) - int(row.corrects.present)
                if delta:
                    add(
                        K.ATTENDANCE_CORRECTION,
                        p,
                        version,
                        delta,
                        version.price_per_day,
                        row.corrects.statement_id,
                    )
            elif row.present:
                add(
                    K.ATTENDANCE if in_month else K.LATE_ATTENDANCE,
                    p,
                    version,
                    1,
                    version.price_per_day,
                )

        fee_ids: list[uuid.UUID] = []
        fee_lines: list[LineData] = []
        for fee in fees:
            p = placements[fee.placement_id]
            fee_ids.append(fee.pk)
            corrects = fee.reverses.statement_id if fee.reverses is not None else None
            if corrects is not None and corrects not in numbers:
                numbers.update(
                    Statement.objects.filter(pk=corrects).values_list("pk", "number")  # type: ignore[arg-type]
                )
            fee_lines.append(
                LineData(
                    K.FEE_CORRECTION if fee.reverses_id else K.OUTCOME_FEE,
                    p.pk,
                    p.client_id,
                    _client_name(p),
                    fee.contract_version,
                    0,
                    fee.amount,
                    fee.amount,
                    str(fee.facts.get("transition_label", "")),
                    corrects_id=corrects,
                    corrects_number=_number(numbers.get(corrects)) if corrects else "",
                )
            )
        out = []
        for line in lines.values():
            line.amount = round_eur(line.days * line.unit_price)
            if line.days:
                out.append(line)
        out.extend(fee_lines)
        out.sort(key=lambda x: (x.kind, x.client_name, str(x.placement_id)))
        return StatementData(provider, organiser, first, out, attendance_ids, fee_ids)


def statement_from_stored(statement: Statement) -> StatementData:
    lines = [
        LineData(
            line.kind,
            line.placement_id,
            line.placement.client_id,
            line.client_name,
            line.contract_version,
            line.days,
            line.unit_price,
            line.amount,
            line.detail,
            corrects_id=line.corrects_id,
            corrects_number=line.corrects.number_label if line.corrects else "",
        )
        for line in statement.lines.select_related(
            "placement", "contract_version__contract", "corrects"
        ).all()
    ]
    return StatementData(
        statement.provider, statement.organiser, statement.month, lines, statement=statement
    )


def organisers_of(
    provider: Provider, organiser_ids: Iterable[uuid.UUID] | None
) -> list[Organisation]:
    """The organisers whose placements the provider has (limited to ``organiser_ids``)."""
    q = Q(pk__in=Placement.objects.filter(provider=provider).values("organiser_id"))
    if organiser_ids is not None:
        q &= Q(pk__in=list(organiser_ids))
    return list(Organisation.objects.filter(q).order_by("name_fi"))
