"""``silta funding``: import Kela's payments and person events, compute, explain,
reconcile with Kela's specification, forecast (DESIGN.md "Data contracts").

Every input file is validated whole before anything is computed or stored; a bad
file prints every bad line (``line N: field: value: message``) and exits non-zero.
Person-level output from the database (``explain``, ``reconcile``, ``compute`` per
payment or per person from the store, ``forecast --person``) needs ``--as USERNAME``:
the user's funding scope applies and the read is written to the access log.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import translation
from tqdm import tqdm

from silta.accounts.models import User
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.engine import forecast as fc
from silta.engine import funding as engine
from silta.engine import io as engine_io
from silta.engine import reconcile
from silta.engine.io import InputFileError
from silta.engine.rules import FundingRules, RulesError, load_rules
from silta.funding import figures, selectors, services
from silta.funding.results import funding_data, rules_in_force
from silta.places.models import Municipality


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date in the form YYYY-MM-DD: {value!r}") from None


class Command(BaseCommand):
    help = "The municipal funding share: import, compute, explain, reconcile, forecast."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        p = sub.add_parser("import-payments", help="add Kela's benefit payments to the store")
        p.add_argument("file", metavar="FILE")
        p.add_argument("--as", dest="as_user", metavar="USERNAME", help="the acting user")

        p = sub.add_parser("import-events", help="add person events to the store")
        p.add_argument("file", metavar="FILE")
        p.add_argument("--as", dest="as_user", metavar="USERNAME", help="the acting user")

        p = sub.add_parser("compute", help="compute the shares: files in, file out")
        p.add_argument("--payments", metavar="FILE", help="payments CSV (default: the store)")
        p.add_argument("--events", metavar="FILE", help="events CSV")
        p.add_argument("--out", metavar="FILE", required=True)
        p.add_argument("--by", choices=["municipality-month", "person-month"])
        p.add_argument(
            "--from",
            dest="period_from",
            type=_date,
            help="only payments dated on or after this day (YYYY-MM-DD)",
        )
        p.add_argument(
            "--to",
            dest="period_to",
            type=_date,
            help="only payments dated on or before this day (YYYY-MM-DD)",
        )
        p.add_argument("--rules", metavar="FILE", help="a rules file instead of the default")
        p.add_argument("--as", dest="as_user", metavar="USERNAME")

        p = sub.add_parser("explain", help="one person's counter, steps and shares in words")
        p.add_argument("person_id", metavar="PERSON_ID")
        p.add_argument("--lang", choices=["fi", "sv", "en"], default="fi")
        p.add_argument("--as", dest="as_user", metavar="USERNAME", required=True)

        p = sub.add_parser("reconcile", help="compare Kela's specification with Silta")
        p.add_argument("--spec", metavar="FILE", required=True)
        p.add_argument("--payments", metavar="FILE", help="payments CSV (default: the store)")
        p.add_argument("--events", metavar="FILE", help="events CSV (with --payments)")
        p.add_argument("--out", metavar="FILE", help="also write the differences as CSV")
        p.add_argument("--lang", choices=["fi", "sv", "en"], default="en")
        p.add_argument("--as", dest="as_user", metavar="USERNAME")

        p = sub.add_parser("forecast", help="the next 12 months per municipality")
        p.add_argument("--as-of", type=_date, help="forecast date (default: today or data end)")
        p.add_argument("--out", metavar="FILE", help="write the forecast as CSV")
        p.add_argument("--top", type=int, default=0, help="what if the radar's top K find work")
        p.add_argument("--municipality", metavar="CODE", help="only this municipality")
        p.add_argument("--person", metavar="PERSON_ID", help="what if this person is employed")
        p.add_argument("--from", dest="employed_from", type=_date, help="employed from (date)")
        p.add_argument("--months", type=int, default=6, help="employed for N months")
        p.add_argument("--as", dest="as_user", metavar="USERNAME")

    # --- helpers -------------------------------------------------------------------------

    def _user(self, username: str | None, *, required: bool, why: str) -> User | None:
        if not username:
            if required:
                raise CommandError(f"{why} is person-level: name the acting user with --as.")
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user

    def _bad_file(self, exc: InputFileError) -> CommandError:
        for e in exc.errors:
            self.stderr.write(f"line {e.line}: {e.field}: {e.value}: {e.message}")
        return CommandError(
            f"{exc.path}: {len(exc.errors)} bad line(s); nothing was computed or stored."
        )

    def _rules(self, path: str | None) -> FundingRules:
        try:
            return load_rules(Path(path)) if path else rules_in_force()
        except RulesError as exc:
            raise CommandError(str(exc)) from None

    def _codes(self) -> list[str]:
        return list(Municipality.objects.values_list("code", flat=True))

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"].replace("-", "_")
        getattr(self, f"_{action}")(opts)

    # --- actions -------------------------------------------------------------------------

    def _import_payments(self, opts: dict[str, Any]) -> None:
        actor = self._user(opts["as_user"], required=False, why="")
        started = time.perf_counter()
        with tqdm(total=3, desc="import", unit="step", disable=None) as bar:
            try:
                bar.set_postfix_str("validating")
                frame = engine_io.read_payments(
                    opts["file"],
                    valid_municipality_codes=self._codes() or None,
                    rules=rules_in_force(),
                )
            except InputFileError as exc:
                raise self._bad_file(exc) from None
            bar.update()
            bar.set_postfix_str("storing")
            summary = services.payments_import(actor=actor, payments=frame, source=opts["file"])
            bar.update(2)
        self.stdout.write(
            f"{summary.inserted} payment rows stored, {summary.skipped_duplicates} already "
            f"in the store skipped ({summary.rows_in_file} in the file, {summary.persons} "
            f"persons, {summary.linked_to_clients} linked to clients) in "
            f"{time.perf_counter() - started:.1f} s."
        )
        if summary.inserted:
            self._precompute()

    def _import_events(self, opts: dict[str, Any]) -> None:
        actor = self._user(opts["as_user"], required=False, why="")
        try:
            frame = engine_io.read_events(opts["file"])
        except InputFileError as exc:
            raise self._bad_file(exc) from None
        summary = services.events_import(actor=actor, events=frame, source=opts["file"])
        self.stdout.write(
            f"{summary.inserted} events stored, {summary.skipped_duplicates} already in the "
            f"store skipped ({summary.rows_in_file} in the file)."
        )
        if summary.inserted:
            self._precompute()

    def _precompute(self) -> None:
        """Compute the shares for the new store now, so that no user's page waits for
        it (the result is kept for every process; see funding/results.py)."""
        started = time.perf_counter()
        funding_data()
        self.stdout.write(
            f"Funding shares recomputed for the pages in {time.perf_counter() - started:.1f} s."
        )

    def _compute(self, opts: dict[str, Any]) -> None:
        rules = self._rules(opts["rules"])
        started = time.perf_counter()
        with tqdm(total=3, desc="compute", unit="step", disable=None) as bar:
            if opts["payments"]:
                try:
                    payments = engine_io.read_payments(opts["payments"], rules=rules)
                    events = engine_io.read_events(opts["events"]) if opts["events"] else None
                except InputFileError as exc:
                    raise self._bad_file(exc) from None
                bar.update()
                result = engine.compute(payments, events, rules)
            else:
                if opts["events"]:
                    raise CommandError("--events goes with --payments; the store has its events.")
                if opts["by"] != "municipality-month":
                    actor = self._user(
                        opts["as_user"], required=True, why="Output per payment or person"
                    )
                    if actor is None or not can(actor, Perm.FUNDING_VIEW_PERSON):
                        raise CommandError("the user may not see person-level funding data")
                    result = self._scoped_store_result(actor, rules)
                else:
                    result = funding_data(rules=rules).result
                bar.update()
            bar.update()
            first, last = opts.get("period_from"), opts.get("period_to")
            if first and last and last < first:
                raise CommandError(f"--to {last} is before --from {first}.")
            if first or last:
                # the counters run over the whole history; only the output is the period's
                paid_on = pl.col("payment_date")
                result = result.filter(
                    (paid_on >= first if first else pl.lit(True))
                    & (paid_on <= last if last else pl.lit(True))
                )
            out = engine.summarise(result, opts["by"]) if opts["by"] else result
            engine_io.write_result_csv(out, opts["out"])
            bar.update()
        self.stdout.write(
            f"{result.height} payment rows computed (rules {rules.version}); wrote "
            f"{out.height} rows to {opts['out']} in {time.perf_counter() - started:.1f} s."
        )
        if opts["by"] == "municipality-month":
            self._print_year_totals(out)

    def _scoped_store_result(self, actor: User, rules: FundingRules) -> pl.DataFrame:
        from silta.audit.services import access_log_write
        from silta.funding.policies import funding_scope

        scope = funding_scope(actor, Perm.FUNDING_VIEW_PERSON)
        result = funding_data(rules=rules).result.filter(
            pl.col("municipality_code").is_in(sorted(scope))
        )
        homes = selectors._person_homes(result.get_column("person_id").unique().to_list())
        grant = next(iter(scope.values()))
        access_log_write(
            actor=actor,
            membership=grant.membership,
            section="funding_compute_export:payments,shares",
            basis=grant.basis,
            client_ids=[c.pk for c in homes.values()],
            path="cli:funding compute",
        )
        return result

    def _print_year_totals(self, summary: pl.DataFrame) -> None:
        months = summary.with_columns(year=pl.col("month").str.slice(0, 4))
        lines = (
            months.group_by("year")
            .agg(pl.col("municipal_share_eur").sum())
            .sort("year")
            .iter_rows()
        )
        for year, total in lines:
            self.stdout.write(f"  {year}: municipal share {Decimal(total):,.2f} €")
        jan_oct_2023 = months.filter(
            pl.col("month").is_between(pl.lit("2023-01"), pl.lit("2023-10"))
        ).get_column("municipal_share_eur")
        if jan_oct_2023.len():
            total = Decimal(jan_oct_2023.sum())
            self.stdout.write(
                f"  January–October 2023: municipal share {total:,.2f} € "
                f"({total / Decimal(1_000_000):.2f} M€)"
            )

    def _explain(self, opts: dict[str, Any]) -> None:
        actor = self._user(opts["as_user"], required=True, why="explain")
        assert actor is not None
        with translation.override(opts["lang"]):
            try:
                exp = selectors.funding_explanation_for(
                    actor=actor,
                    person_id=opts["person_id"],
                    lang=opts["lang"],
                    path="cli:funding explain",
                )
            except Http404:
                raise CommandError(
                    f"no funding data of {opts['person_id']} that {actor.username} may see"
                ) from None
        self.stdout.write(exp.text or "No payments.")

    def _reconcile(self, opts: dict[str, Any]) -> None:
        if opts["payments"]:
            try:
                spec = reconcile.read_spec(opts["spec"], rules=rules_in_force())
                payments = engine_io.read_payments(opts["payments"], rules=rules_in_force())
                events = engine_io.read_events(opts["events"]) if opts["events"] else None
            except InputFileError as exc:
                raise self._bad_file(exc) from None
            result = engine.compute(payments, events, rules_in_force())
            diff = reconcile.reconcile(spec, result, lang=opts["lang"])
            rows, kela = spec.height, Decimal(spec.get_column("municipal_share_eur").sum() or 0)
        else:
            actor = self._user(opts["as_user"], required=True, why="Reconciliation with the store")
            assert actor is not None
            try:
                rec = selectors.funding_reconciliation_for(
                    actor=actor,
                    spec=opts["spec"],
                    name=opts["spec"],
                    lang=opts["lang"],
                    path="cli:funding reconcile",
                )
            except InputFileError as exc:
                raise self._bad_file(exc) from None
            except PermissionDenied:
                raise CommandError("the user may not see person-level funding data") from None
            diff, rows, kela = rec.differences, rec.spec_rows, rec.kela_total_eur
        for r in diff.iter_rows(named=True):
            self.stdout.write(
                f"{r['invoice_month']} {r['municipality_code']} {r['benefit']} {r['person_id']}: "
                f"Kela {r['kela_share_eur'] if r['kela_share_eur'] is not None else '–'} €, "
                f"Silta {r['silta_share_eur'] if r['silta_share_eur'] is not None else '–'} €, "
                f"difference {r['difference_eur']} € ({r['status']}). {r['reasoning']}"
            )
        if opts["out"]:
            engine_io.write_result_csv(diff, opts["out"])
        self.stdout.write(
            f"{rows} specification rows (Kela's municipal share {kela:,.2f} €): "
            f"{diff.height} differences over 0.01 €."
        )

    def _forecast(self, opts: dict[str, Any]) -> None:
        data = funding_data()
        out = figures.outlook(data, opts["as_of"])
        if out.projection is None:
            raise CommandError("no current benefit recipients to forecast from")
        recipients = out.recipients
        if opts["municipality"]:
            recipients_mask = recipients.get_column("municipality_code") == opts["municipality"]
        else:
            recipients_mask = None
        table = fc.forecast_by_municipality(recipients, out.projection)
        totals = fc.totals_with_band(recipients, out.projection)
        if recipients_mask is not None:
            table = table.filter(pl.col("municipality_code") == opts["municipality"])
            totals = totals.filter(pl.col("municipality_code") == opts["municipality"])
        self.stdout.write(
            f"Forecast from {out.as_of.isoformat()} (rules {data.rules_version}); "
            "95 % band; current recipients only."
        )
        for r in totals.iter_rows(named=True):
            self.stdout.write(
                f"  {r['municipality_code']}: {r['recipients']} recipients, next 12 months "
                f"{r['expected_eur']:,.2f} € ({r['low_eur']:,.2f}–{r['high_eur']:,.2f} €)"
            )
        if opts["out"]:
            engine_io.write_result_csv(table, opts["out"])
            self.stdout.write(f"Wrote {table.height} rows to {opts['out']}.")
        if opts["top"]:
            radar = out.radar
            if opts["municipality"]:
                radar = radar.filter(pl.col("municipality_code") == opts["municipality"])
            saving = fc.what_if_top_find_work(radar, opts["top"])
            self.stdout.write(
                f"What if the radar's top {opts['top']} find work now: expected saving over "
                f"12 months {saving.saving_eur:,.2f} €."
            )
        if opts["person"]:
            actor = self._user(opts["as_user"], required=True, why="A person's what-if")
            assert actor is not None
            if not opts["employed_from"]:
                raise CommandError("--person needs --from DATE (and --months N)")
            try:
                exp = selectors.funding_explanation_for(
                    actor=actor,
                    person_id=opts["person"],
                    lang="en",
                    employed_from=opts["employed_from"],
                    employed_months=opts["months"],
                    path="cli:funding forecast",
                )
            except Http404:
                raise CommandError(
                    f"no funding data of {opts['person']} that {actor.username} may see"
                ) from None
            if exp.what_if is None:
                raise CommandError(exp.what_if_error or "no what-if")
            self.stdout.write(
                f"What if {opts['person']} is employed from {opts['employed_from']} for "
                f"{opts['months']} months: expected cost {exp.what_if.baseline_eur:,.2f} € → "
                f"{exp.what_if.scenario_eur:,.2f} €, saving {exp.what_if.saving_eur:,.2f} € "
                f"over {exp.what_if.months} months."
            )
