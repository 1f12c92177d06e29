"""``silta funding``: imports (whole-file validation, idempotency), compute, explain,
reconcile and forecast from the command line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.funding.conftest import history

from silta.audit.models import AccessLog, ChangeLog
from silta.engine import funding, reconcile
from silta.engine.io import read_payments, write_result_csv
from silta.engine.testing import payments_frame
from silta.funding.models import BenefitPayment, PersonEvent

HEADER = (
    "person_id,municipality_code,benefit,basis,period_start,period_end,paid_days,"
    "amount_eur,payment_date\n"
)


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("funding", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _payments_csv(tmp_path: Path, rows: list[dict], name: str = "p.csv") -> Path:
    path = tmp_path / name
    write_result_csv(payments_frame(rows), path)
    return path


@pytest.mark.django_db
def test_good_file_is_imported_in_one_go_and_linked_to_clients(world, tmp_path) -> None:
    # given a file of a new client's payments
    from tests import factories

    c = factories.client(world["region"]["272"], last_name="Uusi")
    rows = history(c.personal_id, "272", 6)
    path = _payments_csv(tmp_path, rows)
    before = BenefitPayment.objects.count()
    # when it is imported
    out, _ = _run("import-payments", str(path))
    # then every row is stored, linked to the client, with one summary change-log row
    assert "6 payment rows stored" in out
    assert BenefitPayment.objects.count() == before + 6
    assert BenefitPayment.objects.filter(client=c).count() == 6
    log = ChangeLog.objects.filter(event="funding.payments_imported").last()
    assert log is not None and log.changes["inserted"] == 6
    # and the shares of the new store are computed at once, with the new rows in them
    assert "Funding shares recomputed for the pages" in out
    from silta.funding import results

    kept = results._CACHE[results.store_key(results.rules_in_force())]
    assert kept.result.filter(pl.col("person_id") == c.personal_id).height > 0


@pytest.mark.django_db
def test_reimporting_the_same_rows_adds_nothing(world, tmp_path) -> None:
    # given the fixture's rows already in the store, written out as a file
    path = _payments_csv(tmp_path, world["rows"])
    before = BenefitPayment.objects.count()
    # when the same file is imported again
    out, _ = _run("import-payments", str(path))
    # then nothing is added
    assert BenefitPayment.objects.count() == before
    assert f"0 payment rows stored, {before} already in the store skipped" in out
    assert "recomputed" not in out
    # and a file holding one stored row twice (two identical payments) adds the second
    doubled = _payments_csv(tmp_path, [world["rows"][0], world["rows"][0]], "d.csv")
    _run("import-payments", str(doubled))
    assert BenefitPayment.objects.count() == before + 1


@pytest.mark.django_db
def test_bad_file_lists_every_bad_line_and_stores_nothing(world, tmp_path) -> None:
    # given a file with four bad lines among good ones
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "010190-900A,272,LMS,unemployment,2026-03-02,2026-03-13,10,372.10,2026-03-16\n"
        + "010190-900A,272,XYZ,unemployment,2026-03-16,2026-03-27,10,372.10,2026-03-30\n"
        + "010190-900A,999,LMS,unemployment,2026-03-30,2026-04-10,10,372.10,2026-04-13\n"
        + "010190-900A,272,LMS,unemployment,2026-04-24,2026-04-13,10,372.10,2026-04-27\n"
        + "010190-900A,272,LMS,unemployment,2026-04-27,2026-05-01,7,260.47,2026-05-04\n",
        encoding="utf-8",
    )
    before = BenefitPayment.objects.count()
    changes = ChangeLog.objects.count()
    # when it is imported, then the command fails and names every bad line
    with pytest.raises(CommandError, match="4 bad line"):
        out, err = StringIO(), StringIO()
        try:
            call_command("funding", "import-payments", str(path), stdout=out, stderr=err)
        finally:
            lines = err.getvalue().splitlines()
    assert lines == [
        "line 3: benefit: XYZ: unknown benefit code for the payment date; the rules know "
        "BASIC, EARN_BASIC, LMS until 2026-04-30 and EARN_BASIC, GEN from 2026-05-01",
        "line 4: municipality_code: 999: unknown municipality code",
        "line 5: period_end: 2026-04-13: the period ends before it starts",
        "line 6: paid_days: 7: more paid days than 5 a calendar week allows for the period",
    ]
    # and nothing is stored
    assert BenefitPayment.objects.count() == before
    assert ChangeLog.objects.count() == changes


@pytest.mark.django_db
def test_events_import_is_idempotent(world, tmp_path) -> None:
    path = tmp_path / "e.csv"
    pid = world["long_term"].personal_id
    path.write_text(
        f"person_id,event,date\n{pid},employment_condition_met,2024-01-01\n", encoding="utf-8"
    )
    _run("import-events", str(path))
    _run("import-events", str(path))
    assert PersonEvent.objects.filter(person_id=pid).count() == 1


@pytest.mark.django_db
def test_compute_from_files_writes_the_contract_columns(tmp_path) -> None:
    rows = history("010190-900A", "272", 40)
    path = _payments_csv(tmp_path, rows)
    out_path = tmp_path / "m.csv"
    out, _ = _run(
        "compute", "--payments", str(path), "--out", str(out_path), "--by", "municipality-month"
    )
    summary = pl.read_csv(out_path, infer_schema=False)
    assert summary.columns == [
        "municipality_code",
        "month",
        "regime",
        "benefit",
        "persons",
        "paid_days",
        "amount_eur",
        "municipal_share_eur",
        "state_share_eur",
    ]
    expected = funding.compute(read_payments(path))["municipal_share_eur"].sum()
    assert sum(Decimal(v) for v in summary["municipal_share_eur"]) == expected
    assert "2026: municipal share" in out


@pytest.mark.django_db
def test_compute_from_the_store_needs_a_user_for_person_level_output(world, tmp_path) -> None:
    out_path = tmp_path / "r.csv"
    _run("compute", "--out", str(out_path), "--by", "municipality-month")
    assert set(pl.read_csv(out_path, infer_schema=False)["municipality_code"]) == {"217", "272"}
    with pytest.raises(CommandError, match="--as"):
        _run("compute", "--out", str(out_path), "--by", "person-month")
    # a Kokkola analyst gets only Kokkola's people, and the read is logged
    _run("compute", "--out", str(out_path), "--by", "person-month", "--as", "analyytikko")
    people = set(pl.read_csv(out_path, infer_schema=False)["person_id"])
    assert people == {world["long_term"].personal_id, world["recent"].personal_id}
    assert AccessLog.objects.filter(section__startswith="funding_compute_export").count() == 1


@pytest.mark.django_db
def test_explain_is_logged_and_scoped(world) -> None:
    pid = world["long_term"].personal_id
    with pytest.raises(CommandError, match="--as"):
        _run("explain", pid)
    out, _ = _run("explain", pid, "--lang", "en", "--as", "analyytikko")
    # (50 payments, one split at 1.1.2025)
    assert out.startswith(f"Funding share of {pid}: 51 payments.")
    assert "Day 201 was reached: from that day the municipality pays 45 %." in out
    log = AccessLog.objects.get(section__startswith="funding_explanation")
    assert log.actor_username == "analyytikko"
    # another municipality's analyst does not see the person
    with pytest.raises(CommandError, match="may see"):
        _run("explain", pid, "--as", world["kannus_analyst"].username)


@pytest.mark.django_db
def test_reconcile_lists_exactly_the_planted_differences(world, tmp_path) -> None:
    # given Silta's own specification with two planted changes
    result = funding.compute(payments_frame(world["rows"]))
    spec = reconcile.specification_from_result(result).filter(pl.col("municipality_code") == "272")
    plant = {
        (spec["invoice_month"][3], spec["person_id"][3]),
        (spec["invoice_month"][-1], spec["person_id"][-1]),
    }
    spec = spec.with_columns(
        municipal_share_eur=pl.when(
            pl.struct("invoice_month", "person_id").is_in(
                [{"invoice_month": m, "person_id": p} for m, p in plant]
            )
        )
        .then(pl.col("municipal_share_eur") + Decimal("2.50"))
        .otherwise(pl.col("municipal_share_eur"))
    )
    path = tmp_path / "spec.csv"
    write_result_csv(spec, path)
    out, _ = _run("reconcile", "--spec", str(path), "--as", "analyytikko")
    listed = [line for line in out.splitlines() if "difference" in line and "€ (" in line]
    assert len(listed) == 2
    assert all("difference 2.50 €" in line for line in listed)
    assert "2 differences over 0.01 €" in out


@pytest.mark.django_db
def test_forecast_prints_each_municipality_and_the_top_k_saving(world, tmp_path) -> None:
    out_path = tmp_path / "f.csv"
    out, _ = _run("forecast", "--as-of", "2026-02-28", "--top", "1", "--out", str(out_path))
    assert "272:" in out and "217:" in out
    assert "What if the radar's top 1 find work now" in out
    table = pl.read_csv(out_path, infer_schema=False)
    assert table["month"].unique().sort().to_list()[0] == "2026-03"
    assert table.height == 24


@pytest.mark.django_db
def test_compute_summaries_for_a_period_of_payment_dates(tmp_path) -> None:
    # given 40 fortnights to February 2026, summed for October 2025 to January 2026
    rows = history("010190-900A", "272", 40)
    path = _payments_csv(tmp_path, rows)
    out_path = tmp_path / "m.csv"
    _run(
        "compute",
        "--payments",
        str(path),
        "--out",
        str(out_path),
        "--by",
        "municipality-month",
        "--from",
        "2025-10-01",
        "--to",
        "2026-01-31",
    )
    summary = pl.read_csv(out_path, infer_schema=False)
    assert sorted(set(summary["month"])) == ["2025-10", "2025-11", "2025-12", "2026-01"]
    # the counter still runs over the whole history: the same shares as without a period
    whole = funding.compute(read_payments(path)).filter(
        pl.col("payment_date").is_between(dt.date(2025, 10, 1), dt.date(2026, 1, 31))
    )
    assert (
        sum(Decimal(v) for v in summary["municipal_share_eur"])
        == whole["municipal_share_eur"].sum()
    )
    with pytest.raises(CommandError, match="before --from"):
        _run(
            "compute",
            "--payments",
            str(path),
            "--out",
            str(out_path),
            "--from",
            "2026-01-01",
            "--to",
            "2025-01-01",
        )


@pytest.mark.django_db
def test_report_period_gives_the_keys_for_any_period(world) -> None:
    from silta.funding.results import municipal_share_between

    # given the world's payments; when January-October 2025 is asked for
    out = StringIO()
    call_command(
        "report",
        "period",
        "--from",
        "2025-01-01",
        "--to",
        "2025-10-31",
        "--format",
        "json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    # then the municipal share covers the payments dated in the period
    expected = municipal_share_between(dt.date(2025, 1, 1), dt.date(2025, 10, 31))
    assert expected > 0
    assert Decimal(str(figures["municipal_share_eur"])) == expected
    for key in ("joint_service_clients", "activation_clients", "health_checks"):
        assert key in figures
    # and the text table is in Finnish or Swedish with no English label
    for language, word in (
        ("fi", "Kuntien rahoitusosuus"),
        ("sv", "Kommunernas finansieringsandel"),
    ):
        text = StringIO()
        call_command(
            "report",
            "period",
            "--from",
            "2025-01-01",
            "--to",
            "2025-10-31",
            "--language",
            language,
            stdout=text,
        )
        assert word in text.getvalue()
        assert "Municipal share" not in text.getvalue()
    # a reversed period is refused
    with pytest.raises(CommandError):
        call_command("report", "period", "--from", "2025-10-31", "--to", "2025-01-01")


def _excel_payments(rows: list[dict]) -> bytes:
    """Payment rows as Finnish Excel saves them: BOM, semicolons, decimal commas."""
    lines = [HEADER.strip().replace(",", ";")]
    for r in rows:
        lines.append(
            ";".join(
                [
                    r["person_id"],
                    r["municipality_code"],
                    r["benefit"],
                    r["basis"],
                    r["period_start"].isoformat(),
                    r["period_end"].isoformat(),
                    str(r["paid_days"]),
                    str(r["amount_eur"]).replace(".", ","),
                    r["payment_date"].isoformat(),
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


@pytest.mark.django_db
def test_compute_a_file_mixing_2024_2025_and_2026_benefits_by_hand(tmp_path) -> None:
    from silta.engine.testing import fortnights

    # given one person with 150 LMS days in 2024 (2015 rules: under 300 days, state paid),
    # 30 BASIC and 30 EARN_BASIC days in 2025 and a GEN fortnight from 4.5.2026, and a
    # second person with only that GEN fortnight, in the file Finnish Excel saves
    a, b = "010190-900A", "020285-900V"
    rows = (
        fortnights(dt.date(2024, 6, 3), [10] * 15, person=a)
        + fortnights(dt.date(2025, 1, 6), [10] * 3, person=a, benefit="BASIC")
        + fortnights(dt.date(2025, 2, 17), [10] * 3, person=a, benefit="EARN_BASIC")
        + fortnights(dt.date(2026, 5, 4), [10], person=a, benefit="GEN")
        + fortnights(dt.date(2026, 5, 4), [10], person=b, benefit="GEN")
    )
    path = tmp_path / "kela.csv"
    path.write_bytes(_excel_payments(rows))
    out_path = tmp_path / "r.csv"
    # when
    _run("compute", "--payments", str(path), "--out", str(out_path))
    result = pl.read_csv(out_path, infer_schema=False)
    shares = [Decimal(v) for v in result["municipal_share_eur"]]
    counters = list(
        zip(result["days_before"].cast(int), result["days_after"].cast(int), strict=True)
    )
    # then, by hand (a fortnight of 10 days is 372.10 €):
    # 2024: days 1-150 under the 2015 rules cost the municipality nothing
    assert shares[:15] == [Decimal("0.00")] * 15
    # 2025 BASIC: the 150 earlier days carry over, days 151-180 at 30 % = 111.63 each
    assert counters[15:18] == [(150, 160), (160, 170), (170, 180)]
    assert shares[15:18] == [Decimal("111.63")] * 3
    # 2025 EARN_BASIC: days 181-200 at 30 %, days 201-210 at 45 % (167.445 → 167.45)
    assert counters[18:21] == [(180, 190), (190, 200), (200, 210)]
    assert shares[18:21] == [Decimal("111.63"), Decimal("111.63"), Decimal("167.45")]
    # 2026 GEN (yleistuki) counts on from day 210 at 45 %; the newcomer is state paid
    assert counters[21:] == [(210, 220), (0, 10)]
    assert shares[21:] == [Decimal("167.45"), Decimal("0.00")]
    assert sum(shares) == Decimal("893.05")
    # and the regime column names the counting model of each row
    assert list(result["regime"]) == ["2015"] * 15 + ["2025"] * 8
    # the municipality-month summary of the same file sums to the same total
    summary_path = tmp_path / "m.csv"
    out, _ = _run(
        "compute", "--payments", str(path), "--out", str(summary_path), "--by", "municipality-month"
    )
    summary = pl.read_csv(summary_path, infer_schema=False)
    assert sum(Decimal(v) for v in summary["municipal_share_eur"]) == Decimal("893.05")
    assert set(summary.filter(pl.col("month") == "2026-05")["benefit"]) == {"GEN"}
    assert "2025: municipal share" in out and "2026: municipal share" in out
