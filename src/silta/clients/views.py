"""Registry upkeep pages (issue 16): add a client, correct identity data, record a
move, mark a death. Deny by default: only ``REGISTRY_ROLES`` whose organisation works
with the client (adding: any registry membership); another client answers 404, the
same as one that does not exist. Every form shows errors next to the field and writes
nothing on bad input; a form opened before another save answers 409."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.catalogue.forms import form_errors_from, run_service_for_form
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


def _detail(client_id: uuid.UUID) -> str:
    return reverse("client-detail", args=[client_id])


def _page(
    request: HttpRequest,
    form: object,
    *,
    title: str,
    submit: str,
    back: str,
    status: int = 200,
    intro: str = "",
    existing: Client | None = None,
) -> HttpResponse:
    return render(
        request,
        "clients/registry_form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back": back,
            "intro": intro,
            "existing": existing,
            "cancel": True,
        },
        status=status,
    )


def _registry_client(request: HttpRequest, client_id: uuid.UUID) -> Client:
    """The client, access-logged, when the actor may keep their registry data; 404
    for anybody else (the same as a client that does not exist)."""
    actor = acting_user(request)
    data = client_get_for(actor=actor, client_id=client_id, path=request.path)
    if registry.registry_membership_for(actor, data.client) is None:
        raise Http404("No such client.")
    return data.client


@require_perm(Perm.CLIENT_VIEW)
@require_http_methods(["GET", "POST"])
def client_add(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    if not registry.can_add_clients(actor):
        raise PermissionDenied("clients.registry")
    form = ClientAddForm(request.POST or None)
    status = 200
    existing: Client | None = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            municipality = Municipality.objects.get(pk=d["home_municipality"])

            def add() -> Client:
                return registry.client_add(
                    actor=actor,
                    personal_id=d["personal_id"],
                    last_name=d["last_name"],
                    first_names=d["first_names"],
                    home_municipality=municipality,
                    home_since=d["home_since"],
                    language=d["language"],
                    phone=d["phone"],
                    email=d["email"],
                    occupational_health_care=ohc_value(d["occupational_health_care"]),
                )

            try:
                client, status = add(), 200
            except registry.DuplicateClient as exc:
                form.add_error("personal_id", exc.error_dict["personal_id"])
                client, existing, status = None, exc.duplicate.client, 400
            except ValidationError as exc:
                form_errors_from(form, exc)
                client, status = None, 400
            if client is not None:
                messages.success(request, _("The client was added."))
                return HttpResponseRedirect(_detail(client.pk))
    return _page(
        request,
        form,
        title=_("Add a client"),
        submit=_("Add the client"),
        back=reverse("client-search"),
        status=status,
        existing=existing,
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
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            done, status = run_service_for_form(
                form,
                lambda: registry.client_correct(
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
            )
            if done is not None:
                messages.success(request, _("The client's data were corrected."))
                return HttpResponseRedirect(_detail(client.pk))
    return _page(
        request,
        form,
        title=_("Correct the client's data"),
        submit=_("Save the correction"),
        back=_detail(client.pk),
        status=status,
        intro=_("The change log keeps the old values."),
    )


@require_perm(Perm.CLIENT_VIEW)
@require_http_methods(["GET", "POST"])
def client_move(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = _registry_client(request, client_id)
    form = ClientMoveForm(request.POST or None, initial={"version": client.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            municipality = Municipality.objects.get(pk=d["municipality"])
            done, status = run_service_for_form(
                form,
                lambda: registry.client_move_home(
                    actor=actor,
                    client=client,
                    version=d["version"],
                    municipality=municipality,
                    moved_on=d["moved_on"],
                ),
            )
            if done is not None:
                messages.success(request, _("The move was recorded."))
                return HttpResponseRedirect(_detail(client.pk))
    return _page(
        request,
        form,
        title=_("Record a move to another municipality"),
        submit=_("Record the move"),
        back=_detail(client.pk),
        status=status,
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
    form = ClientDeceasedForm(request.POST or None, initial={"version": client.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            done, status = run_service_for_form(
                form,
                lambda: registry.client_mark_deceased(
                    actor=actor, client=client, version=d["version"], died_on=d["died_on"]
                ),
            )
            if done is not None:
                messages.success(
                    request,
                    _("The death was recorded and the client's open work was closed."),
                )
                return HttpResponseRedirect(_detail(client.pk))
    return _page(
        request,
        form,
        title=_("Mark the client deceased"),
        submit=_("Record the death"),
        back=_detail(client.pk),
        status=status,
        intro=_(
            "Open referrals are cancelled, plans closed, the joint service and the "
            "unemployment spell ended and pending applications lapse. The records are kept."
        ),
    )
