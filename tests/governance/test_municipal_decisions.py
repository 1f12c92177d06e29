"""Issue 13: a municipality's decision on the strategic agreement is the municipality's.
Only its own staff, or a delegate it has authorised with a recorded decision, record
it; everybody else is refused (before the form where possible) and nothing is written,
on the pages and in the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests import factories
from tests.governance.conftest import http_as, page_text

from silta.accounts.roles import OrganisationKind, Role
from silta.audit.models import ChangeLog
from silta.core import dates
from silta.governance.models import Approval, ApprovalDelegation
from silta.governance.services import (
    NotTheMunicipalitys,
    approval_record,
    delegation_end,
    delegation_record,
)

pytestmark = pytest.mark.django_db

HALSUA = "074"


def _halsua_without_delegation(world, agreement):
    """Halsua has not authorised anybody: its delegation ends, by its own staff."""
    own = world["municipal_staff"][HALSUA]
    d = ApprovalDelegation.objects.get(municipality__code=HALSUA)
    delegation_end(actor=own, delegation=d, valid_to=d.valid_from)
    return world["region"][HALSUA]


def _decision(municipality_code: str) -> dict[str, object]:
    return {
        "version": 1,
        "municipality_code": municipality_code,
        "body": "Halsuan kunnanvaltuusto",
        "meeting_date": str(dates.today()),
        "section_number": 12,
        "decision": "approved",
        "record_number": f"12/00.04.01/{dates.today().year}",
    }


def test_the_employment_area_cannot_record_halsuas_decision(world, agreement) -> None:
    halsua = _halsua_without_delegation(world, agreement)
    manager = world["manager"]
    # the service refuses and writes nothing
    with pytest.raises(NotTheMunicipalitys):
        approval_record(
            actor=manager, version=agreement.versions.get(), municipality=halsua,
            body="Halsuan kunnanvaltuusto", meeting_date=dates.today(), section_number=12,
            decision="approved", record_number=f"12/00.04.01/{dates.today().year}",
        )  # fmt: skip
    # the API answers 403 with the reason's code
    http = http_as(manager)
    url = f"/api/v1/governance/agreements/{agreement.pk}/approvals"
    refused = http.post(url, _decision(HALSUA), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "approval.not_authorised_by_the_municipality"
    # the page does not offer Halsua, and a forged post is refused at the field
    form = http.get(f"/governance/agreements/{agreement.pk}/approvals/new/")
    assert form.status_code == 200
    assert f'value="{halsua.pk}"' not in form.content.decode()
    posted = http.post(
        f"/governance/agreements/{agreement.pk}/approvals/new/",
        {
            "version": str(agreement.versions.get().pk), "municipality": str(halsua.pk),
            "body": "Halsuan kunnanvaltuusto", "meeting_date": dates.today().isoformat(),
            "section_number": "12", "decision": "approved",
            "record_number": f"12/00.04.01/{dates.today().year}",
        },
    )  # fmt: skip
    assert posted.status_code == 403
    assert "Halsua" in page_text(posted)
    assert not Approval.objects.exists()
    assert not ChangeLog.objects.filter(event="approval.recorded").exists()


def test_nobody_authorised_is_refused_before_the_form(world, agreement) -> None:
    ApprovalDelegation.objects.all().delete()
    http = http_as(world["manager"])
    page = http.get(f"/governance/agreements/{agreement.pk}/approvals/new/")
    assert page.status_code == 403
    assert "authorised" in page_text(page)
    assert 'name="record_number"' not in page.content.decode()
    # and the board no longer offers the link
    board = page_text(http.get(f"/governance/agreements/{agreement.pk}/"))
    assert f"/governance/agreements/{agreement.pk}/approvals/new/" not in board


def test_the_municipalitys_own_staff_record_its_decision(world, agreement) -> None:
    halsua = _halsua_without_delegation(world, agreement)
    own = world["municipal_staff"][HALSUA]
    a = approval_record(
        actor=own, version=agreement.versions.get(), municipality=halsua,
        body="Halsuan kunnanvaltuusto", meeting_date=dates.today(), section_number=12,
        decision="approved", record_number=f"12/00.04.01/{dates.today().year}",
    )  # fmt: skip
    assert a.recorded_by == own and a.delegation is None
    # but Halsua's staff cannot record Kannus's decision
    with pytest.raises(NotTheMunicipalitys):
        approval_record(
            actor=own, version=agreement.versions.get(), municipality=world["region"]["217"],
            body="Kannuksen kaupunginhallitus", meeting_date=dates.today(), section_number=3,
            decision="approved", record_number=f"3/00.04.01/{dates.today().year}",
        )  # fmt: skip


def test_a_named_delegate_records_on_the_delegation(world, agreement) -> None:
    halsua = _halsua_without_delegation(world, agreement)
    secretary = factories.staff(Role.MANAGER, factories.OrganisationFactory())
    d = delegation_record(
        actor=world["municipal_staff"][HALSUA], municipality=halsua,
        delegate_organisation=None, delegate_user=secretary,
        decision_reference="Halsuan kunnanhallitus 3.3.2026 § 45", valid_from=dates.today(),
    )  # fmt: skip
    a = approval_record(
        actor=secretary, version=agreement.versions.get(), municipality=halsua,
        body="Halsuan kunnanvaltuusto", meeting_date=dates.today(), section_number=12,
        decision="approved", record_number=f"12/00.04.01/{dates.today().year}",
    )  # fmt: skip
    assert a.delegation == d
    # the board shows who may record for Halsua, with the decision reference
    board = page_text(http_as(world["worker"]).get(f"/governance/agreements/{agreement.pk}/"))
    assert "Halsuan kunnanhallitus 3.3.2026 § 45" in board


def test_only_the_municipality_records_a_delegation(world, agreement) -> None:
    halsua = world["region"][HALSUA]
    before = ApprovalDelegation.objects.count()
    # the employment area cannot authorise itself
    with pytest.raises(NotTheMunicipalitys):
        delegation_record(
            actor=world["manager"], municipality=halsua,
            delegate_organisation=world["employment"], delegate_user=None,
            decision_reference="x", valid_from=dates.today(),
        )  # fmt: skip
    page = http_as(world["manager"]).get("/governance/delegations/new/")
    assert page.status_code == 403
    # bad input by the municipality's own staff: errors at the fields, nothing saved
    own = world["municipal_staff"][HALSUA]
    with pytest.raises(ValidationError) as caught:
        delegation_record(
            actor=own, municipality=halsua, delegate_organisation=world["employment"],
            delegate_user=world["manager"], decision_reference=" ",
            valid_from=dates.today(), valid_to=dates.today().replace(year=dates.today().year - 1),
        )  # fmt: skip
    assert set(caught.value.error_dict) == {
        "delegate_organisation",
        "decision_reference",
        "valid_to",
    }
    http = http_as(own)
    posted = http.post(
        "/governance/delegations/new/",
        {"municipality": str(halsua.pk), "decision_reference": "", "valid_from": ""},
    )
    assert posted.status_code == 400
    assert ApprovalDelegation.objects.count() == before
    # a good one from the page
    town_org = own.memberships.get().organisation
    assert town_org.kind == OrganisationKind.MUNICIPALITY
    done = http.post(
        "/governance/delegations/new/",
        {
            "municipality": str(halsua.pk), "delegate_organisation": str(world["soite"].pk),
            "decision_reference": "Halsuan kunnanhallitus 3.3.2026 § 46",
            "valid_from": dates.today().isoformat(),
        },
    )  # fmt: skip
    assert done.status_code == 302
    assert ApprovalDelegation.objects.count() == before + 1
    assert ChangeLog.objects.filter(event="approval_delegation.recorded").count() == before + 1


def test_the_network_referral_form_logs_the_read(world) -> None:
    """Issue 13 item 7: the form shows the client's name and plans: one access-log row."""
    from silta.audit.models import AccessLog

    url = f"/clients/{world['client'].pk}/network/refer/"
    before = AccessLog.objects.count()
    page = http_as(world["worker"]).get(url)
    assert page.status_code == 200 and world["client"].last_name in page_text(page)
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.order_by("-at", "-id").first()
    assert log is not None and log.section == "network:referral_form"
    assert list(log.subjects.values_list("client_id", flat=True)) == [world["client"].pk]
    # another organisation's worker gets 404 and no row
    stranger = factories.staff(Role.CASE_WORKER, factories.OrganisationFactory())
    assert http_as(stranger).get(url).status_code == 404
    assert AccessLog.objects.count() == before + 1
