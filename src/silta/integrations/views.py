"""The administrator's page of machine clients: register, rotate a secret, revoke."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.models import Organisation
from silta.accounts.roles import Perm, Role
from silta.core import forms
from silta.integrations import services
from silta.integrations.models import MachineClient


class RegisterForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=60,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens, e.g. provider-attendance."),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    permissions = forms.MultipleChoiceField(
        label=gettext_lazy("Permissions"),
        choices=Perm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only permissions the role has are accepted."),
    )


def _page(
    request: HttpRequest, form: RegisterForm, issued: services.Issued | None = None
) -> HttpResponse:
    return render(
        request,
        "integrations/clients.html",
        {
            "clients": MachineClient.objects.select_related("organisation", "application"),
            "form": form,
            "issued": issued,
            "token_seconds": services.token_lifetime_seconds(),
            "active": "integrations",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_perm(Perm.ACCOUNTS_MANAGE)
@require_http_methods(["GET", "POST"])
def clients(request: HttpRequest) -> HttpResponse:
    """The list of machine clients and the form to register one."""
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            try:
                issued = services.client_register(
                    actor=acting_user(request),
                    name=form.cleaned_data["name"],
                    organisation=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                    permissions=form.cleaned_data["permissions"],
                    description=form.cleaned_data["description"],
                    request=request,
                )
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for e in errors:
                        form.add_error(field if field in form.fields else None, e)
            else:
                return _page(request, RegisterForm(), issued)
        return _page(request, form)
    return _page(request, RegisterForm())


@require_perm(Perm.ACCOUNTS_MANAGE)
@require_POST
def client_rotate(request: HttpRequest, pk: str) -> HttpResponse:
    client = get_object_or_404(MachineClient, pk=pk)
    try:
        issued = services.client_rotate_secret(
            actor=acting_user(request), client=client, request=request
        )
    except ValidationError as exc:
        form = RegisterForm()
        form.add_error(None, exc)
        return _page(request, form)
    return _page(request, RegisterForm(), issued)


@require_perm(Perm.ACCOUNTS_MANAGE)
@require_POST
def client_revoke(request: HttpRequest, pk: str) -> HttpResponse:
    client = get_object_or_404(MachineClient, pk=pk)
    with contextlib.suppress(ValidationError):  # already revoked: the list shows it
        services.client_revoke(actor=acting_user(request), client=client, request=request)
    messages.success(request, _("The machine client %(name)s was revoked.") % {"name": client.name})
    return redirect("integrations-clients")
