"""Refusals show before a form is filled (issue 18, item 5): a user who may read but
not make the change a form page makes is refused on GET, before the form is shown —
the same refusal the POST would get — and a refusal about a client writes the
security-log row.

Two walks: every form page (a view that answers GET and POST) of the case-work,
governance and network, groups, initiatives, IPS and client registry apps, opened as
every role that holds one of the app's permissions but not the page's (the role may
read there but not write); and the pages whose right to write depends on the record
(the preparer of an initiative, the manager of the organisation that handles it, the
organiser of a group), opened by someone who may read the record but not change it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests import factories

from silta.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from silta.audit.models import SecurityEvent, SecurityEventKind
from silta.groups.models import Group

pytestmark = pytest.mark.django_db

APPS = ("casework", "governance", "groups", "initiatives", "ips", "clients")


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _methods(view: Callable[..., Any]) -> set[str]:
    """The HTTP methods a view answers (Django's ``require_http_methods`` keeps its
    list in the closure of the function it returns), or an empty set when unknown."""
    seen: set[int] = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        for cell in getattr(view, "__closure__", None) or ():
            value = cell.cell_contents
            if (
                isinstance(value, list)
                and value
                and all(isinstance(v, str) for v in value)
                and set(value) <= {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
            ):
                return set(value)
        view = getattr(view, "__wrapped__", None)  # type: ignore[assignment]
    return set()


def form_pages() -> list[tuple[str, URLPattern, tuple[Perm, ...]]]:
    found = []
    for _route, p in _patterns(get_resolver()):
        view = p.callback
        app = (view.__module__ or "").split(".")[1:2]
        access = getattr(view, "silta_access", ())
        if not app or app[0] not in APPS or not access or access[0] != "perm":
            continue
        if {"GET", "POST"} <= _methods(view) and p.name:
            found.append((p.name, p, tuple(access[1:])))
    return found


def _url(p: URLPattern) -> str:
    kwargs = {}
    for name, converter in p.pattern.converters.items():
        kwargs[name] = 2024 if "Int" in type(converter).__name__ else uuid.uuid4()
    return reverse(p.name, kwargs=kwargs)  # type: ignore[arg-type]


def readers(perms: tuple[Perm, ...]) -> list[Role]:
    """Roles that hold a permission of the page's app but none of the page's own."""
    apps = {p.value.split(".")[0] for p in perms}
    out = []
    for role, held in ROLE_PERMISSIONS.items():
        if any(p in held for p in perms):
            continue
        if any(h.value.split(".")[0] in apps for h in held):
            out.append(role)
    return out


def test_the_walk_finds_the_form_pages() -> None:
    names = {name for name, _p, _perms in form_pages()}
    for expected in (
        "referral-new",
        "note-new",
        "network-refer",
        "group-edit",
        "group-participant-add",
        "initiative-answer",
        "meeting-new",
        "client-correct",
    ):
        assert expected in names, expected
    assert len(names) > 40


def test_a_role_that_may_read_but_not_write_is_refused_before_the_form(region) -> None:
    walked = 0
    users = {role: factories.staff(role) for role in Role}
    for name, p, perms in form_pages():
        for role in readers(perms):
            http = HttpClient()
            http.force_login(users[role])
            url = _url(p)
            before = SecurityEvent.objects.count()
            answer = http.get(url)
            assert answer.status_code == 403, (name, role, answer.status_code)
            main = answer.content.split(b"<main", 1)[-1].split(b"</main>", 1)[0]
            assert b'method="post"' not in main, (name, role)
            if "client_id" in p.pattern.converters:
                row = SecurityEvent.objects.order_by("-id").first()
                assert SecurityEvent.objects.count() == before + 1, (name, role)
                assert row is not None and row.kind == SecurityEventKind.CLIENT_ACCESS_REFUSED
                assert row.target_id == url.split("/")[-3] or row.target_id in url
            walked += 1
    assert walked > 40


def _get(user: Any, url: str) -> Any:
    http = HttpClient()
    http.force_login(user)
    return http.get(url)


# --- the right to write depends on the record -----------------------------------------


def test_initiative_forms_are_refused_before_the_form_to_readers(region) -> None:
    import datetime as dt

    from silta.accounts.roles import OrganisationKind
    from silta.core import dates
    from silta.initiatives.models import Initiative
    from silta.initiatives.services import initiative_send_to_preparation, initiative_submit

    soite = factories.OrganisationFactory(kind=OrganisationKind.WELLBEING_COUNTY_UNIT)
    employment = factories.OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_SERVICES)
    manager = factories.staff(Role.MANAGER, soite)
    preparer = factories.staff(Role.SOCIAL_WORKER, soite)
    other_manager = factories.staff(Role.MANAGER, employment)
    reader = factories.staff(Role.CASE_WORKER, employment)
    initiative = initiative_submit(
        actor=manager,
        organisation=soite,
        title="Aloite",
        submitted_on=dates.today() - dt.timedelta(days=30),
        council_group="RKP",
        submitters="RKP:n valtuustoryhmä",
        text="Yhteistyö.",
    )
    initiative_send_to_preparation(
        actor=manager,
        initiative=initiative,
        preparers=[(preparer, "")],
        deadline=dates.today() + dt.timedelta(days=30),
    )
    initiative.refresh_from_db()
    answer = reverse("initiative-answer", args=[initiative.pk])
    managing = [
        reverse(n, args=[initiative.pk])
        for n in ("initiative-preparation", "initiative-board", "initiative-council")
    ]
    # Those who may: the form.
    assert _get(preparer, answer).status_code == 200
    assert _get(manager, answer).status_code == 200
    for url in managing:
        assert _get(manager, url).status_code == 200
    # Those who may only read: refused on GET, and the POST changes nothing.
    detail = reverse("initiative-detail", args=[initiative.pk])
    assert _get(reader, detail).status_code == 200
    assert _get(reader, answer).status_code == 403
    for url in managing:
        assert _get(other_manager, url).status_code == 403
        assert _get(preparer, url).status_code == 403
    http = HttpClient()
    http.force_login(reader)
    posted = http.post(answer, {"answer": "Vastaus", "version": initiative.version})
    assert posted.status_code == 403
    assert Initiative.objects.get(pk=initiative.pk).answer == ""


def test_a_named_leader_who_may_run_a_group_is_refused_its_managers_forms(region) -> None:
    world = factories.group_world(region["272"])
    group: Group = world["group"]  # type: ignore[assignment]
    # A social worker of the leader organisation, named leader: runs the group (its
    # sessions and attendance) but does not manage the organiser's group places.
    leading = factories.staff(Role.SOCIAL_WORKER, world["association"])  # type: ignore[arg-type]
    group.leaders.add(leading)
    assert _get(leading, reverse("group-session-new", args=[group.pk])).status_code == 200
    for name in ("group-edit", "group-participant-add"):
        assert _get(leading, reverse(name, args=[group.pk])).status_code == 403, name
    organiser = world["organiser"]
    for name in ("group-edit", "group-participant-add"):
        assert _get(organiser, reverse(name, args=[group.pk])).status_code == 200, name


def test_removing_a_participant_refused_before_the_form_writes_the_security_log(
    region,
) -> None:
    from silta.core import dates
    from silta.groups.services import participant_add

    world = factories.group_world(region["272"])
    group: Group = world["group"]  # type: ignore[assignment]
    client = world["clients"][0]  # type: ignore[index]
    participant = participant_add(
        actor=world["organiser"],  # type: ignore[arg-type]
        group=group,
        client=client,
        joined_on=dates.today(),
        intake_met_on=dates.today(),
        intake_in_person=True,
    )
    leading = factories.staff(Role.SOCIAL_WORKER, world["association"])  # type: ignore[arg-type]
    group.leaders.add(leading)
    url = reverse("group-participant-leave", args=[participant.pk])
    assert _get(leading, url).status_code == 403
    row = SecurityEvent.objects.order_by("-id").first()
    assert row is not None
    assert row.kind == SecurityEventKind.CLIENT_ACCESS_REFUSED
    assert row.target_id == str(client.pk)
    assert _get(world["organiser"], url).status_code == 200
