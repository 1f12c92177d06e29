"""Erasure or anonymisation of a client on request, within the retention rules."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.chain import verify_chain
from silta.audit.models import AccessLog, ChangeLog
from silta.casework.models import Consent, Note
from silta.clients.models import Client
from silta.core import dates
from silta.core.errors import AccessDenied
from silta.funding.models import BenefitPayment, PersonEvent
from silta.rights import erasure
from silta.rights.erasure import ErasureRefused, client_erase, erasure_plan

TZ = dates.HELSINKI
LONG_AGO = dt.datetime(2012, 5, 4, 10, 0, tzinfo=TZ)
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=TZ)


def _born_on(client: Client, day: int) -> Client:
    """Fix the birth day (the permanent-archive rule looks at it)."""
    Client.objects.filter(pk=client.pk).update(birth_date=client.birth_date.replace(day=day))
    client.refresh_from_db()
    return client


def _case_client(region, *, last_name: str = "Poistettava", day: int = 14):
    """A client with a case note, a benefit payment and a funding event."""
    org = factories.OrganisationFactory()
    worker = factories.staff(Role.CASE_WORKER, org)
    c = _born_on(factories.client(region["272"], organisation=org, last_name=last_name), day)
    Client.objects.filter(pk=c.pk).update(phone="040 123 4567", email="p@example.org")
    Note.objects.create(
        client=c,
        organisation=org,
        author=worker,
        author_role=Role.CASE_WORKER,
        visibility="own_organisation",
        text=f"{last_name} kertoi velkaongelmista.",
        written_at=dates.now(),
    )
    BenefitPayment.objects.create(
        person_id=c.personal_id,
        client=c,
        municipality_code="272",
        benefit="LMS",
        basis="unemployment",
        period_start=dates.today().replace(day=1),
        period_end=dates.today().replace(day=1),
        paid_days=1,
        amount_eur=Decimal("37.21"),
        payment_date=dates.today().replace(day=1),
    )
    PersonEvent.objects.create(
        person_id=c.personal_id, event="employment_condition_met", date=dates.today()
    )
    Consent.objects.create(
        client=c,
        controller=org,
        recipient=factories.OrganisationFactory(),
        data_classes=["social"],
        purpose=f"{last_name}: työkyvyn arvio",
        valid_from=dates.today(),
        valid_to=dates.today(),
        given_how="in_writing",
        given_reference=f"Lomake {last_name} 12/2012",
        recorded_by=worker,
        recorded_by_organisation=org,
    )
    return c


def _admin_http():
    admin = factories.staff(Role.ADMINISTRATOR, language="en")
    http = HttpClient()
    http.force_login(admin)
    return admin, http


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_recent_case_records_refuse_erasure_with_the_reason(region) -> None:
    # given a client with a note, a payment and an event recorded today
    c = _case_client(region)
    _admin, http = _admin_http()
    # when the administrator opens the erasure page
    page = http.get(f"/audit/clients/{c.pk}/erasure/")
    body = page.content.decode()
    # then it lists which records are kept, until when, and on what basis
    assert page.status_code == 200
    assert "The law requires keeping these records" in body
    assert "Case notes" in body and "1.6.2036" in body and "703/2023" in body
    assert "Benefit payments" in body and "31.12.2032" in body and "1336/1997" in body
    # and even a confirmed POST changes nothing
    refused = http.post(f"/audit/clients/{c.pk}/erasure/", {"confirm_name": "Poistettava"})
    assert refused.status_code == 409
    c.refresh_from_db()
    assert c.last_name == "Poistettava"
    assert Note.objects.get(client=c).text.startswith("Poistettava")
    assert not ChangeLog.objects.filter(event__startswith="client.anonymised").exists()
    with pytest.raises(ErasureRefused) as caught:
        client_erase(actor=None, client=c)
    assert {o.records for o in caught.value.plan.obligations} >= {"Case notes", "Benefit payments"}
    # and looking at the page is a logged read
    assert AccessLog.objects.filter(section="erasure_request").count() == 2


@pytest.mark.django_db
def test_open_case_and_permanent_archive_are_reasons_too(region) -> None:
    from silta.casework.models import JointService

    with time_machine.travel(LONG_AGO, tick=False):
        c = _case_client(region, day=18)
        other = _case_client(region, last_name="Avoin", day=14)
        JointService.objects.create(client=other, started_on=dates.today())
    with time_machine.travel(NOW, tick=False):
        permanent = erasure_plan(c)
        assert not permanent.allowed
        assert [o.until for o in permanent.obligations] == [None]
        assert "archived permanently" in permanent.obligations[0].basis
        still_open = erasure_plan(other)
        assert not still_open.allowed
        assert any("still open" in o.basis for o in still_open.obligations)


@pytest.mark.django_db
def test_client_past_retention_is_anonymised_and_statistics_rows_stay(region) -> None:
    # given a client whose records were written in 2012
    with time_machine.travel(LONG_AGO, tick=False):
        c = _case_client(region)
    old_code, birth = c.personal_id, c.birth_date
    rows_before = {m: m.objects.count() for m in (Note, BenefitPayment, PersonEvent, Client)}
    with time_machine.travel(NOW, tick=False):
        admin, http = _admin_http()
        page = http.get(f"/audit/clients/{c.pk}/erasure/").content.decode()
        assert "Anonymise the client" in page
        # when the administrator confirms with a wrong name, nothing happens
        wrong = http.post(f"/audit/clients/{c.pk}/erasure/", {"confirm_name": "Joku"})
        assert wrong.status_code == 400
        assert 'id="confirm-error"' in wrong.content.decode()
        assert Client.objects.get(pk=c.pk).last_name == "Poistettava"
        # when the administrator types the last name
        done = http.post(f"/audit/clients/{c.pk}/erasure/", {"confirm_name": "poistettava"})
    assert done.status_code == 200
    assert "The client was anonymised" in done.content.decode()
    # then the person is gone but the rows that statistics use are all there
    c.refresh_from_db()
    assert c.personal_id != old_code and c.personal_id.startswith("X")
    assert "Poistettava" not in str(c) and c.phone == "" and c.email == ""
    assert c.birth_date == birth and c.home_municipality_id == region["272"].pk
    assert {m: m.objects.count() for m in rows_before} == rows_before
    assert Note.objects.get(client=c).text == ""
    consent = Consent.objects.get(client=c)
    assert (consent.purpose, consent.given_reference) == ("", "")
    assert BenefitPayment.objects.get(client=c).person_id == c.personal_id
    assert PersonEvent.objects.filter(person_id=old_code).count() == 0
    assert PersonEvent.objects.filter(person_id=c.personal_id).count() == 1
    # and the change log records it without the removed values, and both chains verify
    log = ChangeLog.objects.get(event="client.anonymised")
    assert log.actor_id == admin.pk and log.target_id == str(c.pk)
    text = json.dumps(log.changes)
    assert old_code not in text and "Poistettava" not in text
    assert verify_chain(ChangeLog).ok and verify_chain(AccessLog).ok
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "All three chains intact" in out.getvalue()


@pytest.mark.django_db
def test_client_without_case_records_is_erased(region) -> None:
    # given a client known only from the register (imported, found by search)
    c = _born_on(factories.client(region["272"], organisation=factories.OrganisationFactory()), 14)
    _admin, http = _admin_http()
    done = http.post(f"/audit/clients/{c.pk}/erasure/", {"confirm_name": c.last_name})
    assert done.status_code == 200
    assert "The client was erased" in done.content.decode()
    assert not Client.objects.filter(pk=c.pk).exists()
    log = ChangeLog.objects.get(event="client.erased")
    assert log.target_id == str(c.pk)
    assert log.changes["erased"]["clients.servicerelationship"] == 1
    assert verify_chain(ChangeLog).ok and verify_chain(AccessLog).ok


@pytest.mark.django_db
def test_a_failure_half_way_leaves_everything_as_it_was(region, monkeypatch) -> None:
    with time_machine.travel(LONG_AGO, tick=False):
        c = _case_client(region)
    code = c.personal_id

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "change_log_write", broken)
    with time_machine.travel(NOW, tick=False), pytest.raises(RuntimeError):
        client_erase(actor=None, client=c)
    c.refresh_from_db()
    assert c.personal_id == code and c.last_name == "Poistettava"
    assert Note.objects.get(client=c).text.startswith("Poistettava")
    assert PersonEvent.objects.get().person_id == code


@pytest.mark.django_db
def test_only_administrators_may_erase(region) -> None:
    org = factories.OrganisationFactory()
    c = _born_on(factories.client(region["272"], organisation=org), 14)
    for role in (Role.CASE_WORKER, Role.MANAGER, Role.SOCIAL_WORKER):
        user = factories.staff(role, org)
        http = HttpClient()
        http.force_login(user)
        assert http.get(f"/audit/clients/{c.pk}/erasure/").status_code == 403
        assert (
            http.post(f"/audit/clients/{c.pk}/erasure/", {"confirm_name": c.last_name}).status_code
            == 403
        )
        with pytest.raises(AccessDenied):
            client_erase(actor=user, client=c)
    assert Client.objects.filter(pk=c.pk).exists()
    _admin, admin_http = _admin_http()
    # GET only shows; the action needs POST
    assert admin_http.get(f"/audit/clients/{c.pk}/erasure/").status_code == 200
    assert admin_http.put(f"/audit/clients/{c.pk}/erasure/").status_code == 405
    assert Client.objects.filter(pk=c.pk).exists()


@pytest.mark.django_db
def test_command_dry_run_refusal_and_anonymisation(
    region, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(LONG_AGO, tick=False):
        old = _case_client(region)
    recent = _case_client(region, last_name="Tuore")
    out = io.StringIO()
    call_command("clients", "anonymise", str(old.pk), "--dry-run", stdout=out)
    assert "Would anonymise" in out.getvalue()
    assert Client.objects.get(pk=old.pk).last_name == "Poistettava"
    err = io.StringIO()
    with pytest.raises(CommandError, match="Refused"):
        call_command("clients", "anonymise", str(recent.pk), stderr=err)
    assert "Case notes (1): kept until" in err.getvalue()
    # the funding result (keyed by counts and sums, which do not change) is dropped
    from silta.funding import results

    results.funding_data()
    assert results._CACHE
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clients", "anonymise", str(old.pk), stdout=out)
    assert "Anonymised client" in out.getvalue()
    assert not results._CACHE
    assert Client.objects.get(pk=old.pk).last_name == "Anonymised"
    with pytest.raises(CommandError, match="Not a client id"):
        call_command("clients", "anonymise", "nonsense")


@pytest.mark.django_db
def test_anonymisation_changes_the_funding_store_key(region) -> None:
    """Every process keeps the engine's result by the store key; an anonymisation must
    change it, or another process would still serve the old identity code."""
    from silta.funding import results

    with time_machine.travel(LONG_AGO, tick=False):
        c = _case_client(region)
    rules = results.rules_in_force()
    before = results.store_key(rules)
    with time_machine.travel(NOW, tick=False):
        admin, _http = _admin_http()
        client_erase(actor=admin, client=c)
    assert results.store_key(rules) != before
