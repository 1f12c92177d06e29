"""Employers as records: a valid, unique business ID; coaches record contacts,
opportunities and adjustments; employers are not users and see nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from tests import factories

from silta.accounts.models import User
from silta.audit.models import ChangeLog
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.ips import services
from silta.ips.errors import IpsError
from silta.ips.models import Employer, OpportunityStatus, Sector

pytestmark = pytest.mark.django_db


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _codes(exc: ValidationError, field: str) -> set[str]:
    return {e.code for e in exc.error_dict[field]}  # type: ignore[misc]


def test_business_id_is_validated_and_normalised(cast) -> None:
    # given a business ID typed with spaces, then it is stored in the standard form
    e = services.employer_create(
        actor=cast["coach"], name="Puoti Oy", business_id=" 0112038-9 ",
        sector=Sector.RETAIL, municipality=cast["kokkola"],
    )  # fmt: skip
    assert e.business_id == "0112038-9"
    assert ChangeLog.objects.filter(event="ips.employer_created", target_id=str(e.pk)).exists()


def test_invalid_business_id_saves_nothing(cast) -> None:
    # when the check digit is wrong
    with pytest.raises(ValidationError) as info:
        services.employer_create(
            actor=cast["coach"], name="Väärä Oy", business_id="0112038-8",
            sector=Sector.RETAIL, municipality=cast["kokkola"],
        )  # fmt: skip
    # then the error is coded on the field and nothing is saved
    assert _codes(info.value, "business_id") == {IpsError.BUSINESS_ID}
    assert not Employer.objects.exists()


def test_duplicate_business_id_is_refused(cast, employer) -> None:
    with pytest.raises(ValidationError) as info:
        services.employer_create(
            actor=cast["coach"], name="Toinen nimi Oy", business_id=employer.business_id,
            sector=Sector.OTHER, municipality=cast["kokkola"],
        )  # fmt: skip
    assert _codes(info.value, "business_id") == {IpsError.BUSINESS_ID_TAKEN}
    assert Employer.objects.count() == 1


def test_stale_edit_is_refused(cast, employer) -> None:
    kwargs = {
        "name": "Uusi nimi Oy", "business_id": employer.business_id, "sector": employer.sector,
        "municipality": employer.municipality,
    }  # fmt: skip
    services.employer_update(actor=cast["coach"], employer=employer, version=1, **kwargs)
    with pytest.raises(StaleEdit):
        services.employer_update(actor=cast["other_coach"], employer=employer, version=1, **kwargs)
    employer.refresh_from_db()
    assert (employer.name, employer.version) == ("Uusi nimi Oy", 2)


def test_only_coaches_write_employer_records(cast) -> None:
    for user in (cast["manager"], cast["admin"], cast["worker"]):
        with pytest.raises(PermissionDenied):
            services.employer_create(
                actor=user, name="X Oy", business_id=factories.business_id(),
                sector=Sector.OTHER, municipality=cast["kokkola"],
            )  # fmt: skip
    assert not Employer.objects.exists()


def test_contacts_opportunities_and_adjustments(cast, employer) -> None:
    coach = cast["coach"]
    today = dates.today()
    services.contact_person_add(
        actor=coach, employer=employer, name="Maija Esimies", title="Työnjohtaja"
    )
    contact = services.employer_contact_add(
        actor=coach, employer=employer, on=today, kind="visit", notes="Tutustumiskäynti."
    )
    assert contact.coach == coach
    job = services.opportunity_add(
        actor=coach, employer=employer, title="Varastotyöntekijä",
        hours_per_week=Decimal("20"), noted_on=today,
    )  # fmt: skip
    services.opportunity_set_status(actor=coach, opportunity=job, status=OpportunityStatus.FILLED)
    services.adjustment_add(
        actor=coach, employer=employer, kind="job_carving", agreed_on=today,
        description="Keräilytehtävät ilman trukkia.",
    )  # fmt: skip
    job.refresh_from_db()
    assert job.status == "filled"
    assert employer.people.count() == employer.adjustments.count() == 1
    # bad input: a contact in the future, hours out of range
    with pytest.raises(ValidationError) as info:
        services.employer_contact_add(
            actor=coach, employer=employer, on=today + dt.timedelta(days=1), kind="visit"
        )
    assert _codes(info.value, "on") == {IpsError.DATE_IN_FUTURE}
    with pytest.raises(ValidationError) as info:
        services.opportunity_add(
            actor=coach, employer=employer, title="Liian pitkä", hours_per_week=Decimal(80),
            noted_on=today,
        )  # fmt: skip
    assert _codes(info.value, "hours_per_week") == {IpsError.HOURS}
    assert employer.contacts.count() == 1 and employer.opportunities.count() == 1


def test_employers_are_not_users(cast, employer) -> None:
    # given an employer with a contact person
    users_before = User.objects.count()
    services.contact_person_add(
        actor=cast["coach"], employer=employer, name="Maija Esimies", email="maija@kone.example"
    )
    # then no user account exists for them: an employer cannot sign in or see anything
    assert User.objects.count() == users_before
    assert not User.objects.filter(email="maija@kone.example").exists()
    r = HttpClient().post("/login/", {"username": "maija@kone.example", "password": "x"})
    assert r.status_code != 302


def test_employer_pages(cast, employer) -> None:
    coach = _as(cast["coach"])
    page = coach.get("/ips/employers/", {"q": "kone"})
    assert page.status_code == 200
    assert "Kokkolan Kone Oy" in page.content.decode()
    assert (
        coach.get("/ips/employers/", {"q": "ei-ketään"}).content.decode().count("Kokkolan Kone Oy")
        == 0
    )
    assert coach.get(f"/ips/employers/{employer.pk}/").status_code == 200
    # when a coach registers an employer with an invalid business ID on the page
    r = coach.post(
        "/ips/employers/new/",
        {"name": "Huono Oy", "business_id": "1234567-8", "sector": "retail",
         "municipality": cast["kokkola"].pk},
    )  # fmt: skip
    # then the form answers 400 with the error at the field and nothing is saved
    assert r.status_code == 400
    assert 'id="id_business_id-error"' in r.content.decode()
    assert Employer.objects.count() == 1
    r = coach.post(
        "/ips/employers/new/",
        {"name": "Hyvä Oy", "business_id": "0112038-9", "sector": "retail",
         "municipality": cast["kokkola"].pk},
    )  # fmt: skip
    assert r.status_code == 302
    assert Employer.objects.count() == 2
    r = coach.post(
        f"/ips/employers/{employer.pk}/opportunities/new/",
        {"title": "Kokoonpanija", "hours_per_week": "30", "noted_on": dates.today().isoformat()},
    )
    assert r.status_code == 302
    # managers see figures only; administrators and case workers see no IPS records
    for user in (cast["manager"], cast["admin"], cast["worker"]):
        assert _as(user).get("/ips/employers/").status_code == 403
        assert _as(user).get(f"/ips/employers/{employer.pk}/").status_code == 403
    assert HttpClient().get("/ips/employers/").status_code == 302
