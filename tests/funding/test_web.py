"""Funding pages: who sees what, what lands in the access log, downloads, the upload."""

from __future__ import annotations

import re
from decimal import Decimal

import polars as pl
import pytest
from django.test import Client as HttpClient

from silta.audit.models import AccessLog, AccessLogSubject
from silta.engine import funding, reconcile
from silta.engine.testing import payments_frame

pytestmark = pytest.mark.django_db


def _http(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_anonymous_users_are_sent_to_log_in(world) -> None:
    for url in [
        "/funding/",
        "/funding/radar/",
        f"/funding/people/{world['long_term'].pk}/",
        "/funding/reconcile/",
    ]:
        response = HttpClient().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_finance_analyst_sees_own_residents_and_each_view_is_logged(world) -> None:
    http = _http(world["analyst"])
    # when the Kokkola analyst opens a Kokkola resident's explanation
    response = http.get(f"/funding/people/{world['long_term'].pk}/")
    # then it shows the counter history, and one access-log row names the person
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pitkänen" in body
    log = AccessLog.objects.get()
    assert log.section.startswith("funding_explanation")
    assert log.basis == "task:municipal_funding_share"
    assert list(AccessLogSubject.objects.values_list("client_id", flat=True)) == [
        world["long_term"].pk
    ]


def test_finance_analyst_of_another_municipality_gets_404_and_no_log(world) -> None:
    http = _http(world["kannus_analyst"])
    response = http.get(f"/funding/people/{world['long_term'].pk}/")
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0


def test_manager_sees_only_aggregated_figures(world) -> None:
    http = _http(world["manager"])
    assert http.get("/funding/").status_code == 200
    assert http.get("/funding/radar/").status_code == 403
    assert http.get(f"/funding/people/{world['long_term'].pk}/").status_code == 403
    assert http.get("/funding/reconcile/").status_code == 403
    assert AccessLog.objects.count() == 0


def test_dashboard_hides_counts_under_five_for_managers(world) -> None:
    # given two Kokkola residents on benefit: a count under 5
    body = _http(world["manager"]).get("/funding/?municipality=272").content.decode()
    assert "&lt;5" in body
    # the Kokkola analyst (person-level scope there) sees the number
    analyst = _http(world["analyst"]).get("/funding/?municipality=272").content.decode()
    assert "&lt;5" not in analyst
    assert "<svg" in analyst and 'role="img"' in analyst


def test_radar_orders_by_expected_cost_and_logs_one_row(world) -> None:
    http = _http(world["analyst"])
    response = http.get("/funding/radar/?top=1")
    assert response.status_code == 200
    body = response.content.decode()
    # the long-term recipient (500 days with those before 2025: the 70 % step) comes
    # before the recent one (state-paid days)
    assert body.index("Pitkänen") < body.index("Lyhyt")
    assert "Kannuslainen" not in body
    assert "the municipality pays 70 % of each new benefit day" in body
    assert "If the top 1 found work now" in body
    log = AccessLog.objects.get()
    assert log.section.startswith("funding_radar")
    assert set(AccessLogSubject.objects.values_list("client_id", flat=True)) == {
        world["long_term"].pk,
        world["recent"].pk,
    }


def test_employment_case_worker_sees_the_radar_of_the_area(world) -> None:
    body = _http(world["case_worker"]).get("/funding/radar/").content.decode()
    assert "Pitkänen" in body and "Kannuslainen" in body
    # but not the explanation pages
    assert "/funding/people/" not in body
    log = AccessLog.objects.get()
    assert log.basis == "task:employment_area_cost_radar"


def test_what_if_on_the_person_page(world) -> None:
    http = _http(world["analyst"])
    url = f"/funding/people/{world['long_term'].pk}/"
    ok = http.get(url, {"employed_from": "2026-04-01", "months": "6"})
    assert ok.status_code == 200
    assert "the expected saving is" in ok.content.decode()
    bad = http.get(url, {"employed_from": "not a date", "months": "0"})
    assert bad.status_code == 400
    assert 'class="field-error"' in bad.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "csv-fi", "xlsx"])
def test_every_table_downloads(world, fmt) -> None:
    http = _http(world["analyst"])
    for url in [
        "/funding/?table=months",
        "/funding/?table=steps",
        "/funding/?table=forecast",
        "/funding/radar/?",
        f"/funding/people/{world['long_term'].pk}/?",
    ]:
        response = http.get(f"{url}&format={fmt}")
        assert response.status_code == 200, url
        suffix = "csv" if fmt == "csv-fi" else fmt
        assert response["Content-Disposition"].endswith(f'.{suffix}"'), url
    raw = http.get(f"/funding/radar/?format={fmt}").content
    if fmt == "csv":
        # UTF-8 with a byte order mark, so that Excel shows ä and ö
        assert raw.startswith(b"\xef\xbb\xbf")
        assert (
            raw.decode("utf-8-sig")
            .splitlines()[0]
            .startswith("rank,person_id,name,municipality_code")
        )
    if fmt == "csv-fi":
        assert (
            raw.decode("utf-8-sig")
            .splitlines()[0]
            .startswith("rank;person_id;name;municipality_code")
        )


def test_csv_download_writes_formula_like_text_as_text() -> None:
    from silta.funding import exports

    response = exports.table_response(
        "t", ["name", "amount"], [["=HYPERLINK(1)", Decimal("-1.50")], ["@x", Decimal("2")]], "csv"
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == ["'=HYPERLINK(1),-1.50", "'@x,2"]
    finnish = exports.table_response("t", ["a", "b"], [["+1", Decimal("-1.50")]], "csv-fi")
    assert finnish.content.decode("utf-8-sig").splitlines()[1] == "'+1;-1,50"


def _excel(spec: bytes, encoding: str = "utf-8-sig") -> bytes:
    """The specification as Finnish Excel saves it: semicolons, decimal commas."""
    frame = pl.read_csv(spec, infer_schema=False)
    money = [c for c in frame.columns if c.endswith("_eur")]
    frame = frame.with_columns(pl.col(money).str.replace(".", ",", literal=True))
    return frame.write_csv(separator=";").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_excel_saved_specification_reconciles(world, encoding) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    http = _http(world["analyst"])
    data = _excel(_spec_bytes(world, Decimal("5.00")), encoding)
    assert b";" in data and b"," in data
    spec = SimpleUploadedFile("spec.csv", data, "text/csv")
    response = http.post("/funding/reconcile/", {"specification": spec, "output": "page"})
    assert response.status_code == 200
    assert "1 difference over 0.01 €" in response.content.decode()


def test_broken_excel_file_is_refused_in_finnish_naming_line_and_field(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    world["analyst"].language = "fi"
    world["analyst"].save()
    http = _http(world["analyst"])
    header = ";".join(reconcile.SPEC_COLUMNS)
    data = header + "\n2026-01;272;LMS;a;1,00;0,00;0,00;0,30\n2026-01;272;LMS;b;1,0,0;0;0;0\n"
    spec = SimpleUploadedFile("spec.csv", data.encode("cp1252"), "text/csv")
    response = http.post("/funding/reconcile/", {"specification": spec, "output": "page"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<tr><td>3</td><td>paid_eur</td>" in body
    assert "Ei desimaaliluku" in body
    assert AccessLog.objects.count() == 0


def _spec_bytes(world, change: Decimal = Decimal("0")) -> bytes:
    result = funding.compute(payments_frame(world["rows"]))
    spec = reconcile.specification_from_result(result).filter(pl.col("municipality_code") == "272")
    spec = spec.with_columns(
        municipal_share_eur=pl.when(pl.int_range(pl.len()) == pl.len() - 1)
        .then(pl.col("municipal_share_eur") + change)
        .otherwise(pl.col("municipal_share_eur"))
    )
    return spec.with_columns(pl.col(pl.Decimal).cast(pl.String)).write_csv().encode()


def test_upload_reconciles_and_logs(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    http = _http(world["analyst"])
    spec = SimpleUploadedFile("spec.csv", _spec_bytes(world, Decimal("5.00")), "text/csv")
    response = http.post("/funding/reconcile/", {"specification": spec, "output": "page"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 difference over 0.01 €" in body
    assert AccessLog.objects.filter(section__startswith="funding_reconciliation").count() == 1
    # and the same as a download
    spec = SimpleUploadedFile("spec.csv", _spec_bytes(world, Decimal("5.00")), "text/csv")
    download = http.post("/funding/reconcile/", {"specification": spec, "output": "xlsx"})
    assert download["Content-Disposition"].endswith('.xlsx"')


def test_bad_upload_lists_lines_and_compares_nothing(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    http = _http(world["analyst"])
    text = (
        ",".join(reconcile.SPEC_COLUMNS)
        + "\n2026-01,272,LMS,a,1.00,0.00,0.00,0.30\n2026-13,217,LMS,b,1.00,0.00,0.00,x\n"
    )
    spec = SimpleUploadedFile("spec.csv", text.encode(), "text/csv")
    response = http.post("/funding/reconcile/", {"specification": spec, "output": "page"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="line-errors"' in body
    assert body.count("<tr><td>3</td>") == 3  # month, scope, amount on line 3
    assert AccessLog.objects.count() == 0


def test_dashboard_shows_any_period_of_payment_months(world) -> None:
    http = _http(world["analyst"])
    # given the months October 2025 to January 2026
    response = http.get("/funding/", {"municipality": "272", "from": "2025-10", "to": "2026-01"})
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index('id="months-heading"') : body.index('id="steps-heading"')]
    months = sorted(set(re.findall(r"<td>(20\d\d-\d\d)</td>", table)))
    assert months == ["2025-10", "2025-11", "2025-12", "2026-01"]
    assert "Municipal share paid 2025-10 to 2026-01" in body
    # the download is of the same period
    csv_text = http.get(
        "/funding/?municipality=272&table=months&from=2025-10&to=2026-01&format=csv"
    ).content.decode("utf-8-sig")
    assert {line[:7] for line in csv_text.splitlines()[1:]} == set(months)
    # and a bad period is refused next to its field
    bad = http.get("/funding/", {"from": "2025-13", "to": "2025-01"})
    assert bad.status_code == 400
    assert 'id="period-start-error"' in bad.content.decode()
    reversed_period = http.get("/funding/", {"from": "2025-10", "to": "2025-01"})
    assert 'id="period-end-error"' in reversed_period.content.decode()


def test_dashboard_period_in_finnish_and_swedish_has_no_english(world) -> None:
    for language, phrase in (
        ("fi", "Kunnan rahoitusosuus"),
        ("sv", "Kommunens finansieringsandel"),
    ):
        world["manager"].language = language
        world["manager"].save()
        body = _http(world["manager"]).get("/funding/", {"from": "2023-01", "to": "2023-10"})
        text = body.content.decode()
        assert phrase in text
        for english in (
            "Period (payment months",
            "Quick periods",
            "Municipal share paid",
            "From month",
        ):
            assert english not in text


def test_rules_page_is_for_finance_analysts_and_managers_only(world) -> None:
    assert _http(world["case_worker"]).get("/funding/rules/").status_code == 403
    assert HttpClient().get("/funding/rules/").status_code in (302, 403)
    assert _http(world["manager"]).get("/funding/rules/").status_code == 200
    assert _http(world["analyst"]).get("/funding/rules/").status_code == 200
    assert AccessLog.objects.count() == 0


def test_rules_page_shows_the_version_in_force_with_sources_and_changes(world) -> None:
    http = _http(world["analyst"])
    body = http.get("/funding/rules/", {"on": "2026-06-01"}).content.decode()
    assert "Rule version 2026-05: from 1.5.2026 <strong>(in force on 1.6.2026)" in body
    assert "Rule version 2025: 1.1.2025–30.4.2026</h2>" in body
    # what changed on 1.5.2026: yleistuki instead of the subsidy and basic allowance
    assert "General support (yleistuki)" in body
    assert "Changed from the version before" in body
    assert "sttinfo" in body or "stt-2025-12" in body
    assert "unverified" in body
    # the 2022 daily amounts
    assert '<td>1.8.2022</td><td class="num">35.72</td>' in body
    older = http.get("/funding/rules/", {"on": "2024-12-31"}).content.decode()
    assert "Rule version 2015: 1.1.2015–31.12.2024 <strong>(in force on 31.12.2024)" in older
    bad = http.get("/funding/rules/", {"on": "31.12.2024x"})
    assert bad.status_code == 400
    assert 'id="rules-on-error"' in bad.content.decode()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_rules_page_in_finnish_and_swedish_has_no_english_label(world, language) -> None:
    world["manager"].language = language
    world["manager"].save()
    body = _http(world["manager"]).get("/funding/rules/").content.decode()
    for english in (
        "Rule version",
        "Counting model",
        "Benefits paid",
        "General support",
        "Labour market subsidy",
        "period_steps",
        "day_tiers",
        "employment_condition_met",
        "Changed from the version before",
        "unverified",
    ):
        assert english not in body, english


def test_dashboard_shows_yleistuki_from_may_2026_by_name(world) -> None:
    import datetime as dt

    from silta.engine.testing import fortnights
    from silta.funding.services import payments_import

    # given yleistuki paid to the long-term recipient from May 2026
    rows = fortnights(
        dt.date(2026, 5, 4), [10, 10], person=world["long_term"].personal_id, benefit="GEN"
    )
    payments_import(actor=None, payments=payments_frame(rows), source="test")
    # when the months May-June 2026 are shown
    for language, name in (("en", "General support (yleistuki)"), ("fi", "Yleistuki")):
        world["analyst"].language = language
        world["analyst"].save()
        body = (
            _http(world["analyst"])
            .get("/funding/", {"municipality": "272", "from": "2026-05", "to": "2026-06"})
            .content.decode()
        )
        table = body[body.index('id="months-heading"') : body.index('id="steps-heading"')]
        # then its rows are named, not coded
        assert f"<td>{name}</td>" in table
        assert "<td>GEN</td>" not in table
