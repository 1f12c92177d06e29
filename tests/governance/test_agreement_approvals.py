"""Approvals per municipality and the board of how many of the parties approved which
version; bad input is refused with a clear message and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.roles import Role
from silta.audit.models import ChangeLog
from silta.core import dates
from silta.governance.models import Approval
from silta.governance.selectors import agreement_get_for
from silta.governance.services import (
    agreement_version_create,
    agreement_version_move,
    approval_record,
)

DAY = dates.today() - dt.timedelta(days=10)


def _approve(world, agreement, code, *, version=None, decision="approved", day=DAY, record=None):
    return approval_record(
        actor=world["manager"],
        version=version or agreement.versions.get(number=1),
        municipality=world["region"][code],
        body="Kunnanhallitus",
        meeting_date=day,
        section_number=41,
        decision=decision,
        record_number=record or f"49/00.04.01/{day.year}",
    )


@pytest.mark.django_db
def test_board_counts_approvals_per_version(world, agreement) -> None:
    # given three municipalities approve version 1 and one tables it
    for code in ("272", "217", "236"):
        _approve(world, agreement, code)
    _approve(world, agreement, "074", decision="tabled")
    # and version 2 is sent out and two municipalities approve it
    v2 = agreement_version_create(actor=world["manager"], agreement=agreement, summary="Täydennys")
    v2 = agreement_version_move(actor=world["manager"], version=v2, to_status="circulated", on=DAY)
    _approve(world, agreement, "074", version=v2)
    _approve(world, agreement, "584", version=v2, decision="approved_with_changes")
    # when the board is read
    view = agreement_get_for(actor=world["worker"], agreement_id=agreement.pk)
    # then it counts approving decisions per version out of the seven parties
    counts = {c.version.number: (c.approved, c.parties) for c in view.counts}
    assert counts == {2: (2, 7), 1: (3, 7)}
    # and the tabled decision shows in Halsua's row for version 1
    halsua = next(r for r in view.board if r.municipality.code == "074")
    assert [d.decision if d else None for d in halsua.decisions] == ["approved", "tabled"]
    # and version 2 copied the sections of version 1
    assert v2.sections.count() == 2
    # each write left a change-log row
    assert ChangeLog.objects.filter(event="approval.recorded").count() == 6


@pytest.mark.django_db
def test_outside_municipality_is_refused_and_nothing_saved(world, agreement) -> None:
    # given Lestijärvi is not a party; when its decision is recorded
    with pytest.raises(ValidationError) as exc:
        _approve(world, agreement, "421")
    # then the error names the municipality and nothing is saved
    error = exc.value.error_dict["municipality"][0]
    assert error.code == "approval.municipality_outside_agreement"
    assert "Lestijärvi" in error.messages[0]
    assert not Approval.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "record", "field", "code"),
    [
        (dates.today() + dt.timedelta(days=1), None, "meeting_date", "governance.date_in_future"),
        (
            dates.today() - dt.timedelta(days=40),
            None,
            "meeting_date",
            "approval.before_sent_for_approval",
        ),
        (DAY, "49/2026", "record_number", "approval.record_number_format"),
        (DAY, f"49/00.04.01/{DAY.year + 1}", "record_number", "approval.record_number_format"),
    ],
)
def test_bad_dates_and_record_numbers_are_refused(world, agreement, day, record, field, code):
    with pytest.raises(ValidationError) as exc:
        _approve(world, agreement, "272", day=day, record=record)
    assert exc.value.error_dict[field][0].code == code
    assert not Approval.objects.exists()


@pytest.mark.django_db
def test_second_approval_and_a_draft_version_are_refused(world, agreement) -> None:
    _approve(world, agreement, "272")
    with pytest.raises(ValidationError) as exc:
        _approve(world, agreement, "272")
    assert exc.value.error_dict["municipality"][0].code == "approval.already_approved"
    draft = agreement_version_create(actor=world["manager"], agreement=agreement, summary="Uusi")
    with pytest.raises(ValidationError) as exc:
        _approve(world, agreement, "217", version=draft)
    assert exc.value.error_dict["version"][0].code == "approval.version_not_sent_for_approval"
    assert Approval.objects.count() == 1


@pytest.mark.django_db
def test_only_managers_of_a_party_or_the_owner_record(world, agreement) -> None:
    # a case worker may read the board but not record; an unrelated organisation's
    # manager (not a party) is refused
    with pytest.raises(PermissionDenied):
        approval_record(
            actor=world["worker"], version=agreement.versions.get(), municipality=world["region"]["272"],
            body="X", meeting_date=DAY, section_number=1, decision="approved",
            record_number="1/00.04.01/2026",
        )  # fmt: skip
    outsider = factories.staff(Role.MANAGER, factories.OrganisationFactory())
    http = HttpClient()
    http.force_login(outsider)
    response = http.get(f"/governance/agreements/{agreement.pk}/approvals/new/")
    # refused before the form, with the reason (issue 13)
    assert response.status_code == 403
    assert 'name="record_number"' not in response.content.decode()


@pytest.mark.django_db
def test_api_refuses_outside_municipality_with_its_code(world, agreement) -> None:
    http = HttpClient()
    http.force_login(world["manager"])
    url = f"/api/v1/governance/agreements/{agreement.pk}/approvals"
    body = {
        "version": 1,
        "municipality_code": "421",
        "body": "Lestijärven kunnanhallitus",
        "meeting_date": str(DAY),
        "section_number": 66,
        "decision": "approved",
        "record_number": f"52/00.04.01/{DAY.year}",
    }
    refused = http.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "approval.municipality_outside_agreement"
    ok = http.post(url, body | {"municipality_code": "272"}, content_type="application/json")
    assert ok.status_code == 201
    board = http.get(f"/api/v1/governance/agreements/{agreement.pk}/board").json()
    assert board["versions"] == [
        {"version": 1, "status": "circulated", "approved": 1, "parties": 7}
    ]
    # the page shows the board in Finnish
    page = http.get(f"/governance/agreements/{agreement.pk}/")
    assert "Versio 1: hyväksynyt 1/7 kuntaa" in page.content.decode()
