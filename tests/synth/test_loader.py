"""The generated region loads into the database in one piece and gives working demo
logins."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.audit.models import AccessLog, ChangeLog
from silta.clients.models import Client, HomeMunicipality, ServiceRelationship
from silta.funding.models import BenefitPayment
from silta.synth.loader import DEMO_PASSWORD, region_load
from silta.synth.region import generate_region


@pytest.fixture(scope="module")
def small_region():
    return generate_region(seed=7, scale=0.05)


@pytest.mark.django_db
def test_load_writes_every_generated_row(small_region) -> None:
    counts = region_load(small_region)
    assert Client.objects.count() == len(small_region.clients) == counts.clients
    assert BenefitPayment.objects.count() == len(small_region.payments)
    assert HomeMunicipality.objects.count() == sum(
        len(c.municipality_history) for c in small_region.clients
    )
    # payments keep the contract's values and point at their client
    p = small_region.payments[0]
    row = BenefitPayment.objects.filter(person_id=p.person_id, period_start=p.period_start).first()
    assert row is not None
    assert row.client is not None and row.client.personal_id == p.person_id
    assert row.amount_eur * 100 == p.amount_cents
    # one summary change-log row names the seed
    log = ChangeLog.objects.get(event="synth.region_loaded")
    assert log.target_id == "seed=7,scale=0.05"


@pytest.mark.django_db
def test_every_role_has_a_demo_login_that_works(small_region) -> None:
    region_load(small_region)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    user = User.objects.get(username="caseworker")
    http = HttpClient()
    login = http.post("/login/", {"username": "caseworker", "password": DEMO_PASSWORD})
    assert login.status_code == 302
    # the demo case worker sees clients of the employment area
    visible = ServiceRelationship.objects.filter(
        organisation__memberships__user=user, valid_to__isnull=True
    ).values_list("client_id", flat=True)
    client_id = next(iter(visible))
    response = http.get(f"/clients/{client_id}/")
    assert response.status_code == 200
    # the client page and the case-work summary on it each log their read
    rows = list(AccessLog.objects.all())
    assert rows and all(r.actor_id == user.pk for r in rows)
    assert {s.client_id for r in rows for s in r.subjects.all()} == {client_id}


@pytest.mark.django_db
def test_synth_command_refuses_a_second_load_and_skips_with_if_empty(tmp_path) -> None:
    call_command("synth", "--seed", "3", "--scale", "0.02", "--as-of", "2026-01-31")
    n = Client.objects.count()
    with pytest.raises(CommandError):
        call_command("synth", "--seed", "3", "--scale", "0.02", "--as-of", "2026-01-31")
    call_command("synth", "--if-empty")
    assert Client.objects.count() == n


@pytest.mark.django_db
def test_synth_command_writes_payments_csv_without_the_database(tmp_path) -> None:
    out = tmp_path / "payments.csv"
    call_command(
        "synth", "--scale", "0.02", "--as-of", "2026-10-31", "--payments-csv", str(out), "--no-db"
    )
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "person_id,municipality_code,benefit,basis,period_start,period_end,"
        "paid_days,amount_eur,payment_date"
    )
    assert Client.objects.count() == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--scale", "0"],
        ["--scale", "abc"],
        ["--as-of", "31.1.2026"],
        ["--end", "31.1.2026"],
        ["--as-of", "2018-12-31"],
        ["--no-db"],
    ],
)
@pytest.mark.django_db
def test_synth_command_rejects_bad_arguments(args: list[str]) -> None:
    with pytest.raises((CommandError, SystemExit)):
        call_command("synth", *args)
    assert Client.objects.count() == 0


def test_end_date_bounds_the_data(small_region) -> None:
    assert max(p.payment_date for p in small_region.payments) <= dt.date(
        2026, 10, 31
    ) + dt.timedelta(days=14)


@pytest.mark.django_db
def test_demo_command_prepares_an_existing_demo_without_generating_again() -> None:
    """`make demo` runs `silta demo`: migrate, generate only into an empty database,
    sign an audit checkpoint and print the logins, in one process."""
    call_command("synth", "--seed", "3", "--scale", "0.02", "--as-of", "2026-01-31")
    n = Client.objects.count()
    out = io.StringIO()
    call_command("demo", "-v", "2", stdout=out)
    text = out.getvalue()
    assert Client.objects.count() == n
    assert "nothing generated" in text
    assert "A signed checkpoint of each chain was written." in text
    assert "Demo logins (password for all:" in text
    assert "  migrate: " in text and "  synth: " in text


@pytest.mark.django_db
def test_demo_command_is_refused_in_production(settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never prepared in production"):
        call_command("demo")
    assert Client.objects.count() == 0
