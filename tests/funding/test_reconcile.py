"""Reading Kela's specification and reconciling it with Silta (engine, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from silta.engine import funding, reconcile
from silta.engine.io import InputFileError
from silta.engine.testing import fortnights, payments_frame

SPEC_HEADER = ",".join(reconcile.SPEC_COLUMNS) + "\n"


def _result() -> pl.DataFrame:
    rows = fortnights(dt.date(2025, 1, 6), [10] * 30, person="a") + fortnights(
        dt.date(2025, 1, 6), [10] * 30, person="b", benefit="BASIC", municipality="217"
    )
    return funding.compute(payments_frame(rows))


def test_silta_agrees_with_itself() -> None:
    result = _result()
    spec = reconcile.specification_from_result(result)
    assert reconcile.reconcile(spec, result).height == 0


def test_planted_differences_are_found_exactly() -> None:
    # given a specification equal to Silta's except three planted rows
    result = _result()
    spec = reconcile.specification_from_result(result).with_row_index()
    billed = spec.filter(pl.col("municipal_share_eur") > 0)["index"].to_list()
    planted = {billed[0]: Decimal("0.02"), billed[5]: Decimal("-10.00"), billed[-1]: Decimal("1")}
    tiny = billed[3]  # a cent: within the tolerance, not listed
    spec = spec.with_columns(
        municipal_share_eur=pl.col("municipal_share_eur")
        + pl.col("index").replace_strict(
            {**planted, tiny: Decimal("0.01")},
            default=Decimal(0),
            return_dtype=pl.Decimal(18, 2),
        )
    ).drop("index")
    # when reconciled
    out = reconcile.reconcile(spec, result)
    # then exactly the planted rows are listed, with Kela minus Silta and the reasoning
    assert out.height == 3
    assert sorted(out["difference_eur"].to_list()) == sorted(planted.values())
    assert set(out["status"]) == {"share_differs"}
    assert all("counter" in r for r in out["reasoning"])


def test_a_person_missing_from_silta_is_listed() -> None:
    result = _result()
    spec = pl.concat(
        [
            reconcile.specification_from_result(result),
            pl.DataFrame(
                [["2025-06", "272", "LMS", "ghost", "100.00", "0.00", "0.00", "30.00"]],
                schema=list(reconcile.SPEC_COLUMNS),
                orient="row",
            ).with_columns(pl.col(c).cast(pl.Decimal(18, 2)) for c in reconcile.SPEC_COLUMNS[4:]),
        ]
    )
    out = reconcile.reconcile(spec, result, lang="fi")
    assert out["person_id"].to_list() == ["ghost"]
    assert out["status"][0] == "missing_in_silta"
    assert out["reasoning"][0].startswith("Siltassa ei ole")


def test_bad_specification_lists_every_bad_line(tmp_path) -> None:
    path = tmp_path / "spec.csv"
    path.write_text(
        SPEC_HEADER
        + "2025-13,272,LMS,a,100.00,0.00,0.00,30.00\n"
        + "2025-06,27,LMS,a,100.00,0.00,0.00,30.00\n"
        + "2025-06,272,LMS,a,100.00,0.00,0.00,30.00\n"
        + "2025-06,272,XX,a,1e5,0.00,0.00,30.00\n"
        + "2025-06,217,LMS,b,100.00,0.00,0.00,30.00\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as caught:
        reconcile.read_spec(
            path, valid_municipality_codes=["272", "217"], allowed_municipality_codes=["272"]
        )
    found = [(e.line, e.field, e.code) for e in caught.value.errors]
    assert found == [
        (2, "invoice_month", "month_format"),
        (3, "municipality_code", "municipality_format"),
        (5, "benefit", "benefit_unknown"),
        (5, "paid_eur", "amount_format"),
        (6, "municipality_code", "municipality_out_of_scope"),
    ]


def test_missing_columns_are_reported_on_line_1() -> None:
    with pytest.raises(InputFileError) as caught:
        reconcile.read_spec(b"invoice_month,person_id\n2025-01,a\n")
    assert {e.line for e in caught.value.errors} == {1}
    assert {e.code for e in caught.value.errors} == {"column_missing"}
