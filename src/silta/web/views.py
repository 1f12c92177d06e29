"""Thin views: parse input, call a selector or service, render."""

from __future__ import annotations

import sys
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.decorators import acting_user, authenticated, require_perm
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.accounts.services import user_set_language
from silta.clients.identity import looks_like_personal_id
from silta.clients.importer import COLUMNS, ImportRejected, RowError, clients_import, read_upload
from silta.clients.selectors import ClientSearch, client_get_for, client_search_for
from silta.core.health import readiness_checks
from silta.core.outage import RETRY_AFTER_SECONDS, is_outage, outage_response
from silta.web.forms import ClientImportForm, ClientSearchForm, compact_personal_id
from silta.web.tasks import client_summary_for, tasks_for

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No database, so a database outage does not get
    the process restarted (readiness is ``/readyz``)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def readiness(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and every migration is applied; 503 naming the
    failed check otherwise."""
    checks = readiness_checks()
    ready = all(checks.values())
    response = JsonResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@login_not_required
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the user when signed in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        user = acting_user(request)
        user_set_language(actor=user, user=user, language=language)
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
    )
    return response


@authenticated
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front page: the user's task list (each app contributes, silta.web.tasks)."""
    return render(request, "web/home.html", {"tasks": tasks_for(acting_user(request))})


SAVED_SEARCH = "silta_client_search"


@require_perm(Perm.CLIENT_SEARCH)
@require_http_methods(["GET", "POST"])
def client_search(request: HttpRequest) -> HttpResponse:
    """Search clients. The form is posted and answered with a redirect (so "back" shows
    the results again, and the search keeps its words): a name search goes to an
    address with the words, an identity code is kept in the session and never put in
    an address (addresses end up in logs and browser histories)."""
    if request.method == "POST":
        form = ClientSearchForm(request.POST)
        if form.is_valid():
            q = form.cleaned_data["q"]
            municipality = form.cleaned_data["municipality"] or ""
            if looks_like_personal_id(q):
                request.session[SAVED_SEARCH] = {"q": q, "municipality": municipality}
                return redirect(f"{reverse('client-search')}?saved=1")
            request.session.pop(SAVED_SEARCH, None)
            query = QueryDict(mutable=True)
            query.update({k: v for k, v in (("q", q), ("municipality", municipality)) if v})
            return redirect(f"{reverse('client-search')}?{query.urlencode()}")
        return render(
            request,
            "clients/search.html",
            {"form": form, "page": None, "searched": True, "query": ""},
            status=400,
        )
    params = request.GET.copy()
    if "saved" in params:
        saved = request.session.get(SAVED_SEARCH) or {}
        params = QueryDict(mutable=True)
        params.update({k: v for k, v in saved.items() if v})
        if "page" in request.GET:
            params["page"] = request.GET["page"]
    elif looks_like_personal_id(params.get("q", "")) or looks_like_personal_id(
        compact_personal_id(params.get("q", ""))
    ):
        # an identity code in an address (an old link): not searched, not kept
        messages.info(request, _("Search by identity code with the form, not in the address."))
        return redirect("client-search")
    form = ClientSearchForm(params or None)
    page = None
    searched = bool(params)
    if searched and form.is_valid():
        search = ClientSearch(
            text=form.cleaned_data["q"],
            municipality_code=form.cleaned_data["municipality"] or "",
            page=form.cleaned_data["page"] or 1,
        )
        try:
            page = client_search_for(
                actor=acting_user(request), search=search, path=request.get_full_path()
            )
        except ValidationError as exc:
            form.add_error("q", exc)
    query = params.copy() if "saved" not in request.GET else QueryDict("saved=1", mutable=True)
    query.pop("page", None)
    return render(
        request,
        "clients/search.html",
        {"form": form, "page": page, "searched": searched, "query": query.urlencode()},
        status=200 if not form.errors else 400,
    )


@require_perm(Perm.CLIENT_VIEW)
@require_GET
def client_detail(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    data = client_get_for(actor=actor, client_id=client_id, path=request.path)
    from silta.clients.registry import registry_membership_for

    can_registry = registry_membership_for(actor, data.client) is not None
    # what the other apps hold, as the user may see it (each app checks and logs)
    summary = client_summary_for(actor, client_id, request.path)
    # refusals before a form: the write links only when the user may write here
    from silta.casework.policies import casework_grant

    may_write = casework_grant(actor, data.client, Perm.CASEWORK_WRITE) is not None
    return render(
        request,
        "clients/detail.html",
        {
            "data": data,
            "client": data.client,
            "can_registry": can_registry,
            "summary": summary,
            "may_write": may_write,
        },
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": _("Access denied"), "message": _("You do not have permission to see this page.")},
        status=403,
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": _("Not found"), "message": _("The page was not found, or you may not see it.")},
        status=404,
    )


def error_500(request: HttpRequest) -> HttpResponse:
    if is_outage(sys.exc_info()[1]):  # the session or user could not be read
        return outage_response(request)
    return render(
        request,
        "web/error.html",
        {
            "title": _("Something went wrong"),
            "message": _("The error has been logged. Please try again later."),
        },
        status=500,
    )


@require_perm(Perm.CLIENT_IMPORT)
def client_import(request: HttpRequest) -> HttpResponse:
    """Upload a clients CSV (all rows or none); errors are listed per line."""
    user = acting_user(request)
    form = ClientImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        membership = memberships_with(user, Perm.CLIENT_IMPORT)[0]
        kind = form.cleaned_data["relationship"] or None
        try:
            result = clients_import(
                actor=user,
                raw=read_upload(form.cleaned_data["file"]),
                organisation=membership.organisation if kind else None,
                relationship=kind,
            )
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                ngettext("Imported %(n)s client.", "Imported %(n)s clients.", result.clients)
                % {"n": result.clients},
            )
            return redirect("client-import")
    return render(
        request,
        "clients/import.html",
        {"form": form, "errors": errors[:500], "error_count": len(errors), "columns": COLUMNS},
        status=400 if errors or form.errors else 200,
    )
