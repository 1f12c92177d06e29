"""Registry upkeep pages (issue 16): add a client, correct identity data, record a
move, mark a death. Deny by default: only ``REGISTRY_ROLES`` whose organisation works
with the client (adding: any registry membership); another client answers 404, the
same as one that does not exist. Every form shows errors next to the field and writes
nothing on bad input; a form opened before another save answers 409."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.clients import registry
from silta.clients.forms import (
    ClientAddForm,
    ClientCorrectForm,
    ClientDeceasedForm,
    ClientMoveForm,
    ohc_raw,
    ohc_value,
)
from silta.clients.models import Client
from silta.clients.selectors import client_get_for
from silta.places.models import Municipality
from silta.web.pages import form_view, page, save_form


def _detail(client_id: uuid.UUID) -> str:
    return reverse("client-detail", args=[client_id])


_form = partial(form_view, cancel=True)


def _registry_client(request: HttpRequest, client_id: uuid.UUID) -> Client:
    """The client, access-logged, when the actor may keep their registry data; 404
    for anybody else (the same as a client that does not exist), before a form is
    shown."""
    actor = acting_user(request)
    data = client_get_for(actor=actor, client_id=client_id, path=request.path)
    if registry.registry_membership_for(actor, data.client) is None:
        raise Http404("No such client.")
    return data.client


@require_perm(Perm.CLIENT_VIEW)
@require_http_methods(["GET", "POST"])
def client_add(request: HttpRequest) -> HttpResponse:
    """The shared form page, with a link to the client's page when the person is
    already a client (``clients/registry_form.html`` extends ``web/form.html``)."""
    actor = acting_user(request)
    if not registry.can_add_clients(actor):
        raise PermissionDenied("clients.registry")
    form = ClientAddForm(request.POST or None)
    existing: list[Client] = []

    def add(d: dict[str, Any]) -> Client:
        try:
            return registry.client_add(
                actor=actor,
                personal_id=d["personal_id"],
                last_name=d["last_name"],
                first_names=d["first_names"],
                home_municipality=Municipality.objects.get(pk=d["home_municipality"]),
                home_since=d["home_since"],
                language=d["language"],
                phone=d["phone"],
                email=d["email"],
                occupational_health_care=ohc_value(d["occupational_health_care"]),
            )
        except registry.DuplicateClient as exc:
            if exc.duplicate.client is not None:
                existing.append(exc.duplicate.client)
            raise

    back = reverse("client-search")
    response, status = save_form(
        request,
        form,
        add,
        success=_("The client was added."),
        then=lambda client: _detail(client.pk),
    )
    if response is not None:
        return response
    return page(
        request,
        "clients/registry_form.html",
        title=_("Add a client"),
        back=back,
        http_status=status,
        form=form,
        submit=_("Add the client"),
        cancel=True,
        existing=existing[0] if existing else None,
        intro=_(
            "The client becomes a client of your organisation. The identity code is "
            "checked; a person already in Silta is not added twice."
        ),
    )


@require_perm(Perm.CLIENT_VIEW)
@require_http_methods(["GET", "POST"])
def client_correct(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = _registry_client(request, client_id)
    form = ClientCorrectForm(
        request.POST or None,
        initial={
            "personal_id": client.personal_id,
            "last_name": client.last_name,
            "first_names": client.first_names,
            "language": client.language,
            "phone": client.phone,
            "email": client.email,
            "occupational_health_care": ohc_raw(client.occupational_health_care),
            "version": client.version,
        },
    )
    return _form(
        request,
        form,
        lambda d: registry.client_correct(
            actor=actor,
            client=client,
            version=d["version"],
            personal_id=d["personal_id"],
            last_name=d["last_name"],
            first_names=d["first_names"],
            language=d["language"],
            phone=d["phone"],
            email=d["email"],
            occupational_health_care=ohc_value(d["occupational_health_care"]),
        ),
        title=_("Correct the client's data"),
        submit=_("Save the correction"),
        back=_detail(client.pk),
        success=_("The client's data were corrected."),
        intro=_("The change log keeps the old values."),
    )


@require_perm(Perm.CLIENT_VIEW)
@require_http_methods(["GET", "POST"])
def client_move(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = _registry_client(request, client_id)
    return _form(
        request,
        ClientMoveForm(request.POST or None, initial={"version": client.version}),
        lambda d: registry.client_move_home(
            actor=actor,
            client=client,
            version=d["version"],
            municipality=Municipality.objects.get(pk=d["municipality"]),
            moved_on=d["moved_on"],
        ),
        title=_("Record a move to another municipality"),
        submit=_("Record the move"),
        back=_detail(client.pk),
        success=_("The move was recorded."),
        intro=_(
            "The home municipality from this date decides who pays the municipal funding "
            "share; the history keeps the earlier municipality."
        ),
    )


@require_perm(Perm.CLIENT_VIEW)
@require_http_methods(["GET", "POST"])
def client_deceased(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = _registry_client(request, client_id)
    return _form(
        request,
        ClientDeceasedForm(request.POST or None, initial={"version": client.version}),
        lambda d: registry.client_mark_deceased(
            actor=actor, client=client, version=d["version"], died_on=d["died_on"]
        ),
        title=_("Mark the client deceased"),
        submit=_("Record the death"),
        back=_detail(client.pk),
        success=_("The death was recorded and the client's open work was closed."),
        intro=_(
            "Open referrals are cancelled, plans closed, the joint service and the "
            "unemployment spell ended and pending applications lapse. The records are kept."
        ),
    )
