"""The administrator's audit pages: the integrity of the logs and the security log.

They live here, above the audit app, because they need the accounts app's permission
guard: ``silta.audit`` itself depends on nothing above it (issue 19, ADR 0016;
``tests/audit/test_import_direction.py``). The client's rights (access report, export,
erasure) are in ``views.py`` next to this module."""

from __future__ import annotations

import csv
from typing import Any

from django.apps import apps
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.audit.export import csv_cell
from silta.audit.forms import SecurityLogFilterForm
from silta.audit.selectors import SecurityLogFilter, security_events, verification_runs
from silta.audit.services import audit_verify_run
from silta.core import dates


@require_perm(Perm.AUDIT_VIEW)
@require_GET
def audit_home(request: HttpRequest) -> HttpResponse:
    acting_user(request)
    if "personal_id" in request.GET:
        # The client look-up form used to be answered here; it moved to the rights app
        # and takes the identity code in a POST body only: an old link loses the code.
        return redirect("rights-client-lookup")
    return render(request, "audit/home.html", {"runs": verification_runs()})


@require_perm(Perm.AUDIT_VIEW)
@require_POST
def audit_verify_now(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    audit_verify_run(started_by=user.username)
    return redirect("audit-home")


def _target_label(target_type: str) -> str:
    """The kind of object a security event concerns, in the reader's language (the
    model's own name), never the internal code."""
    if not target_type:
        return ""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return str(_("Other object"))
    return str(capfirst(model._meta.verbose_name))


@require_perm(Perm.AUDIT_VIEW)
@require_GET
def audit_security_log(request: HttpRequest) -> HttpResponse:
    """The security log: filter by event, user, days and target; page through it or
    download it as CSV (administrators only)."""
    acting_user(request)
    form = SecurityLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/security_log.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if form.is_bound else SecurityLogFilter()
    events = security_events(filters)
    if request.GET.get("format") == "csv":
        return _security_csv(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [(e, _target_label(e.target_type)) for e in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "audit/security_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _security_csv(events: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="security-log.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Time"),
            _("Event"),
            _("Username"),
            _("IP address"),
            _("Object"),
            _("Object id"),
            _("Page address"),
        ]
    )
    for e in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                csv_cell(e.at.astimezone(dates.HELSINKI).strftime("%d.%m.%Y %H:%M:%S")),
                csv_cell(e.get_kind_display()),
                csv_cell(e.actor_username),
                csv_cell(e.address),
                csv_cell(_target_label(e.target_type)),
                csv_cell(e.target_id),
                csv_cell(e.path),
            ]
        )
    return response
