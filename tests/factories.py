"""factory_boy factories with Finnish synthetic data (identity codes 900-999 only)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from stdnum.fi import hetu

from silta.accounts.models import Membership, Organisation, User
from silta.accounts.roles import OrganisationKind, Role
from silta.catalogue.models import Service
from silta.clients.models import Client, ClientLanguage
from silta.clients.services import client_create, relationship_open
from silta.places.models import Municipality

_serial = itertools.count(0)


def synthetic_hetu(birth: dt.date = dt.date(1985, 3, 14), sign: str = "-") -> str:
    """A valid identity code in the temporary range 900-999."""
    n = next(_serial)
    individual = 900 + n % 100
    birth = birth + dt.timedelta(days=n // 100)
    body = f"{birth:%d%m%y}{individual:03d}"
    return f"{body[:6]}{sign}{individual:03d}" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(body) % 31]


assert hetu.is_valid(synthetic_hetu(), allow_temporary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    key = factory.Sequence(lambda n: f"org-{n}")
    name_fi = factory.Sequence(lambda n: f"Organisaatio {n}")
    name_sv = factory.Sequence(lambda n: f"Organisation {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.EMPLOYMENT_SERVICES


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Aino"
    last_name = factory.Sequence(lambda n: f"Virtanen{n}")
    language = "fi"
    password = factory.PostGenerationMethodCall("set_password", "test-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def staff(role: Role, organisation: Organisation | None = None, **kwargs: object) -> User:
    """A user with one active membership."""
    user = UserFactory(**kwargs)
    Membership.objects.create(
        user=user,
        organisation=organisation or OrganisationFactory(),
        role=role,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


def client(
    municipality: Municipality,
    *,
    last_name: str = "Korhonen",
    first_names: str = "Matti Juhani",
    organisation: Organisation | None = None,
    language: str = ClientLanguage.FI,
    since: dt.date = dt.date(2020, 1, 1),
) -> Client:
    c = client_create(
        actor=None,
        personal_id=synthetic_hetu(),
        last_name=last_name,
        first_names=first_names,
        home_municipality=municipality,
        home_since=since,
        language=language,
        allow_temporary_id=True,
    )
    if organisation is not None:
        relationship_open(
            actor=None, client=c, organisation=organisation, kind="jobseeker", valid_from=since
        )
    return c


# --- case work (issue 3) ------------------------------------------------------------


def service(
    provider: Organisation,
    code: str = "health_check",
    *,
    data_class: str = "health",
    capacity: int = 25,
    target_wait_days: int = 14,
    is_active: bool = True,
) -> Service:
    """A catalogue service offered by ``provider``."""
    from django.utils import translation

    from silta.catalogue.models import ServiceCode

    with translation.override("en"):
        label = str(ServiceCode(code).label)
    return Service.objects.create(
        code=code,
        name_fi=f"{label} (fi)",
        name_sv=f"{label} (sv)",
        name_en=label,
        provider=provider,
        data_class=data_class,
        monthly_capacity=capacity,
        target_wait_days=target_wait_days,
        is_active=is_active,
    )


def two_organisations(municipality: Municipality) -> dict[str, object]:
    """The usual cast: an employment case worker with a jobseeker client, and the health
    check nurse of Soite's health services offering the health check."""
    employment = OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_SERVICES, name_fi="Työllisyysalue"
    )
    health = OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Terveyspalvelut"
    )
    worker = staff(Role.CASE_WORKER, employment)
    nurse = staff(Role.HEALTH_PROFESSIONAL, health)
    c = client(municipality, organisation=employment)
    health_check = service(health, "health_check")
    return {
        "employment": employment,
        "health": health,
        "worker": worker,
        "nurse": nurse,
        "client": c,
        "health_check": health_check,
    }


# --- rehabilitative work activity (issue 5) ---------------------------------------

_business_serial = itertools.count(0)


def business_id() -> str:
    """A valid synthetic business ID (Y-tunnus) from 3980000 up."""
    while True:
        digits = f"{3980000 + next(_business_serial):07d}"
        total = sum(w * int(d) for w, d in zip((7, 9, 10, 5, 8, 4, 2), digits, strict=True))
        check = -total % 11
        if check != 10:
            return f"{digits}-{check}"


def rehab_provider(
    organiser: User,
    municipality: Municipality,
    *,
    name: str = "Mello ry",
    price: str = "30.00",
    fee: str = "800.00",
    places: int = 20,
    contract_from: dt.date = dt.date(2024, 1, 1),
) -> dict[str, object]:
    """A provider with a work site, a contract and one staff member, registered by a
    Soite organiser."""
    from decimal import Decimal

    from silta.rehab import services as rehab

    org = OrganisationFactory(kind=OrganisationKind.SERVICE_PROVIDER, name_fi=name, name_sv=name)
    provider = rehab.provider_register(actor=organiser, organisation=org, business_id=business_id())
    site = rehab.work_site_add(
        actor=organiser,
        provider=provider,
        name=f"{name} – verstas",
        address="Torikatu 1",
        municipality=municipality,
    )
    contract = rehab.contract_create(
        actor=organiser,
        provider=provider,
        reference=f"SOITE-{name[:5].upper()}-1",
        valid_from=contract_from,
        valid_to=None,
        price_per_day=Decimal(price),
        outcome_fee=Decimal(fee),
        qualifying_transitions=["open_market_job", "pay_subsidised_work", "degree_education"],
        max_places=places,
    )
    staff_user = staff(Role.PROVIDER_STAFF, org)
    return {
        "org": org,
        "provider": provider,
        "site": site,
        "contract": contract,
        "staff": staff_user,
    }


def rehab_world(
    municipality: Municipality, *, start: dt.date = dt.date(2025, 1, 6), end: dt.date | None = None
) -> dict[str, object]:
    """Soite's adult social work with a social worker, a client with an activation
    plan, and provider A (with a placement of the client) and provider B."""
    from decimal import Decimal

    from silta.casework.services import plan_create
    from silta.rehab import services as rehab

    soite = OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Soite – Aikuissosiaalityö"
    )
    worker = staff(Role.SOCIAL_WORKER, soite)
    # a second organiser: who checked a statement does not approve it (issue 15)
    approver = staff(Role.SOCIAL_INSTRUCTOR, soite, first_name="Aino", last_name="Hyväksyjä")
    c = client(municipality, last_name="Hakala", first_names="Eino Olavi")
    relationship_open(
        actor=None, client=c, organisation=soite, kind="social_work", valid_from=start
    )
    plan = plan_create(
        actor=worker,
        client=c,
        kind="activation",
        goals="Päivärytmi ja työelämätaidot.",
        actions="",
        next_review_on=start + dt.timedelta(days=365 * 2),
    )
    since = min(dt.date(2024, 1, 1), start.replace(month=1, day=1))
    a = rehab_provider(worker, municipality, name="Mello ry", contract_from=since)
    b = rehab_provider(worker, municipality, name="Kotipesä ry", contract_from=since)
    placement = rehab.placement_create(
        actor=worker,
        client=c,
        provider=a["provider"],  # type: ignore[arg-type]
        work_site=a["site"],  # type: ignore[arg-type]
        contract=a["contract"],  # type: ignore[arg-type]
        plan=plan,
        start_on=start,
        planned_end_on=end or dt.date(start.year, 12, 31),
        days_per_week=4,
        hours_per_day=Decimal(6),
    )
    return {
        "soite": soite,
        "worker": worker,
        "approver": approver,
        "client": c,
        "plan": plan,
        "a": a,
        "b": b,
        "placement": placement,
    }


# --- group activities (issue 8) ------------------------------------------------------


def group_world(
    municipality: Municipality,
    *,
    capacity: int = 3,
    start: dt.date | None = None,
    kind: str = "social_rehabilitation",
) -> dict[str, object]:
    """Soite's adult social work organises a weekly group (Tuesdays) led by an
    association's staff member; four clients Soite works with; staff of the same
    association not named leader, and another association's leader of its own group."""
    from silta.core import dates
    from silta.groups.services import GroupData, group_create

    start = start or dates.today() - dt.timedelta(days=70)
    soite = OrganisationFactory(
        kind=OrganisationKind.WELLBEING_COUNTY_UNIT, name_fi="Soite – aikuissosiaalityö"
    )
    association = OrganisationFactory(
        kind=OrganisationKind.PARISH_ASSOCIATION, name_fi="Kokkolan Työttömät ry"
    )
    other = OrganisationFactory(kind=OrganisationKind.SERVICE_PROVIDER, name_fi="Mello ry")
    organiser = staff(Role.SOCIAL_WORKER, soite, first_name="Sari", last_name="Sosiaalityö")
    leader = staff(Role.PROVIDER_STAFF, association, first_name="Leena", last_name="Ohjaaja")
    colleague = staff(Role.PROVIDER_STAFF, association)
    outsider = staff(Role.PROVIDER_STAFF, other, first_name="Olli", last_name="Ulkopuolinen")
    clients = [
        client(municipality, last_name=name, first_names="Testi", organisation=soite)
        for name in ("Aalto", "Björk", "Heikkinen", "Järvinen")
    ]

    def data(name: str, org: Organisation, leaders: list[User]) -> GroupData:
        return GroupData(
            name=name,
            kind=kind,
            leader_organisation=org,
            municipality=municipality,
            place="Toimintakeskus, Pitkänsillankatu 10",
            weekdays=[1],
            start_time=dt.time(10, 0),
            duration_minutes=120,
            period_start=start,
            period_end=None,
            capacity=capacity,
            leaders=leaders,
        )

    group = group_create(
        actor=organiser, organiser=soite, data=data("Olohuoneryhmä", association, [leader])
    )
    other_group = group_create(
        actor=organiser, organiser=soite, data=data("Mellon ryhmä", other, [outsider])
    )
    return {
        "soite": soite,
        "association": association,
        "organiser": organiser,
        "leader": leader,
        "colleague": colleague,
        "outsider": outsider,
        "clients": clients,
        "group": group,
        "other_group": other_group,
        "start": start,
    }
