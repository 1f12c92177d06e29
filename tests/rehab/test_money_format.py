"""Money as Finns write it (issue 15): ``24 800,00 €`` in Finnish and Swedish,
``€24,800.00`` in English, right-aligned, the same figure in the page and the PDF,
plain numbers in CSV and numeric euro cells in XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client as HttpClient
from openpyxl import load_workbook
from pypdf import PdfReader
from tests import factories

from silta.core import dates
from silta.core.money import XLSX_EUR_FORMAT, format_eur
from silta.rehab import services
from silta.rehab.attendance import DayEntry

NBSP = "\u00a0"


def test_format_eur_follows_cldr_per_language() -> None:
    from babel.numbers import format_currency

    amount = Decimal("24800")
    assert format_eur(amount, "fi") == f"24{NBSP}800,00{NBSP}€"
    assert format_eur(amount, "sv") == f"24{NBSP}800,00{NBSP}€"
    assert format_eur(amount, "en") == "€24,800.00"
    # the separators are CLDR's, whatever Babel's data says they are
    assert format_eur(amount, "fi") == format_currency(amount, "EUR", locale="fi_FI")
    assert format_eur(Decimal("-800"), "fi") == f"-800,00{NBSP}€"
    assert format_eur(Decimal("0.005"), "fi") == f"0,01{NBSP}€"
    assert format_eur(None) == ""


@pytest.mark.django_db
def test_statement_amounts_are_the_same_in_page_csv_xlsx_and_pdf(region) -> None:
    start = dt.datetime(2025, 1, 6, 12, tzinfo=dates.HELSINKI)
    with time_machine.travel(start, tick=False):
        w = factories.rehab_world(region["272"], start=dt.date(2025, 1, 6))
    staff, worker, p = w["a"]["staff"], w["worker"], w["placement"]
    provider = w["a"]["provider"]
    with time_machine.travel(dt.datetime(2025, 2, 3, 12, tzinfo=dates.HELSINKI), tick=False):
        services.attendance_record(
            actor=staff,
            placement=p,
            entries=[
                DayEntry(dt.date(2025, 1, 13) + dt.timedelta(days=i), True, Decimal(6))
                for i in range(4)
            ],
        )
        contract = p.contract
        services.contract_revise(
            actor=worker,
            contract=contract,
            version=contract.version,
            effective_from=contract.versions.get().effective_from,
            valid_to=None,
            price_per_day=Decimal(30),
            outcome_fee=Decimal(24680),
            qualifying_transitions=["open_market_job"],
            max_places=10,
        )
        services.placement_end(
            actor=worker,
            placement=p,
            version=p.version,
            ended_on=dt.date(2025, 1, 24),
            reason="transition",
            outcome_kind="open_market_job",
            outcome_on=dt.date(2025, 1, 27),
        )
        p.refresh_from_db()
        services.placement_outcome_confirm(actor=worker, placement=p, version=p.version)
        p.refresh_from_db()
    with time_machine.travel(dt.datetime(2025, 1, 30, 12, tzinfo=dates.HELSINKI), tick=False):
        claim = services.fee_claim_create(actor=staff, placement=p)
        services.fee_claim_decide(actor=worker, claim=claim, version=1, to_status="approved")
    with time_machine.travel(dt.datetime(2025, 2, 3, 12, tzinfo=dates.HELSINKI), tick=False):
        worker.language = "fi"
        worker.save()
        http = HttpClient()
        http.force_login(worker)
        base = f"/rehab/providers/{provider.pk}/statements/2025-01"
        html = http.get(f"{base}/").content.decode()
        total = f"24{NBSP}800,00{NBSP}€"
        assert f'<dd class="num" data-total="eur">{total}</dd>' in html
        assert f'<td class="num">24{NBSP}680,00{NBSP}€</td>' in html
        assert "24800,00" not in html and "24800.00" not in html.replace('value="24800.00"', "")
        rows = list(
            csv.DictReader(io.StringIO(http.get(f"{base}/export.csv").content.decode("utf-8-sig")))
        )
        assert rows[-1]["line"] == "total" and rows[-1]["amount_eur"] == "24800.00"
        sheet = load_workbook(io.BytesIO(http.get(f"{base}/export.xlsx").content)).active
        assert sheet is not None
        header = [c.value for c in sheet[1]]
        last = sheet[sheet.max_row][header.index("amount_eur")]
        assert last.value == 24800.0 and last.data_type == "n"
        assert last.number_format == XLSX_EUR_FORMAT
        pdf = PdfReader(io.BytesIO(http.get(f"{base}/export.pdf").content))
        text = "".join(page.extract_text() for page in pdf.pages)
        assert "24 800,00 €" in text.replace(NBSP, " ")
        assert "800.00" not in text
        # in English the page writes it the English way
        worker.language = "en"
        worker.save()
        http.force_login(worker)
        html = http.get(f"{base}/").content.decode()
        assert '<dd class="num" data-total="eur">€24,800.00</dd>' in html
