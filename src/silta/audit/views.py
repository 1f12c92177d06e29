"""The administrator's audit pages: the integrity of the logs. The client's rights
(access report, export, erasure) are in ``silta.rights``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.audit.selectors import verification_runs
from silta.audit.services import audit_verify_run


@require_perm(Perm.AUDIT_VIEW)
@require_GET
def audit_home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if "personal_id" in request.GET:
        # The client look-up form used to be answered here; it moved to the rights app.
        return redirect(f"{reverse('rights-client-lookup')}?{request.GET.urlencode()}")
    return render(request, "audit/home.html", {"runs": verification_runs(actor=user)})


@require_perm(Perm.AUDIT_VIEW)
@require_POST
def audit_verify_now(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    audit_verify_run(started_by=user.username)
    return redirect("audit-home")
