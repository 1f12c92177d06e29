"""Funding pages: who sees what, what lands in the access log, downloads, the upload."""

from __future__ import annotations

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


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
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
        assert response["Content-Disposition"].endswith(f'.{fmt}"'), url
    csv_text = http.get("/funding/radar/?format=csv").content.decode("utf-8-sig")
    if fmt == "csv":
        assert csv_text.splitlines()[0].startswith("rank,person_id,name,municipality_code")


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
