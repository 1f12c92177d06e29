"""Catalogue pages: everybody in client work reads it; administrators edit it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.catalogue.errors import StaleEdit
from silta.catalogue.forms import ServiceForm, form_errors_from
from silta.catalogue.selectors import service_get, service_list
from silta.catalogue.services import service_update


@require_perm(Perm.CATALOGUE_VIEW)
@require_GET
def catalogue_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/list.html",
        {
            "services": service_list(),
            "can_edit": can(request.user, Perm.CATALOGUE_MANAGE),
            "active": "catalogue",
        },
    )


@require_perm(Perm.CATALOGUE_MANAGE)
@require_http_methods(["GET", "POST"])
def catalogue_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = service_get(service_id=service_id)
    status = 200
    if request.method == "POST":
        form = ServiceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service_update(actor=acting_user(request), service=service, **data)
            except StaleEdit as exc:
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                form_errors_from(form, exc)
                status = 400
            else:
                messages.success(request, _("The service was saved."))
                return HttpResponseRedirect(reverse("catalogue-list"))
        else:
            status = 400
    else:
        form = ServiceForm(
            initial={
                "name_fi": service.name_fi,
                "name_sv": service.name_sv,
                "name_en": service.name_en,
                "monthly_capacity": service.monthly_capacity,
                "target_wait_days": service.target_wait_days,
                "is_active": service.is_active,
                "version": service.version,
            }
        )
    return render(
        request,
        "catalogue/edit.html",
        {"form": form, "service": service, "active": "catalogue"},
        status=status,
    )
