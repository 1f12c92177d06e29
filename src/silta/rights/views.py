"""The client's rights, for administrators: find the client, the access report, the
subject-access export (JSON, PDF) and erasure or anonymisation."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.audit.export import csv_cell
from silta.clients.identity import validate_personal_id
from silta.core import dates
from silta.core.spreadsheets import csv_writer
from silta.rights.erasure import ErasureRefused, client_erase, erasure_plan
from silta.rights.selectors import (
    client_access_report,
    client_by_id_for_report,
    client_for_erasure,
    client_for_report,
    client_letter_language,
    client_subject_export,
    client_subject_export_pdf,
)


@require_perm(Perm.AUDIT_VIEW)
@require_http_methods(["GET", "POST"])
def rights_client_lookup(request: HttpRequest) -> HttpResponse:
    """Find the client of a data-subject request by identity code: the code is posted,
    never part of an address (addresses end up in logs and browser histories)."""
    user = acting_user(request)
    error = ""
    code = request.POST.get("personal_id", "").strip() if request.method == "POST" else ""
    if request.method == "POST" and not code:
        error = _("Enter the client's personal identity code.")
    if code:
        try:
            client = client_for_report(actor=user, personal_id=validate_personal_id(code))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if client is None:
                error = _("No client has this identity code.")
            else:
                return redirect("audit-access-report", client_id=client.pk)
    return render(
        request,
        "rights/lookup.html",
        {"error": error, "personal_id": code},
        status=400 if error else 200,
    )


@require_perm(Perm.AUDIT_VIEW)
@require_GET
def rights_access_report(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    client = client_by_id_for_report(actor=user, client_id=client_id)
    if client is None:
        raise Http404
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    letter_language = client_letter_language(client)
    csv = request.GET.get("format") == "csv"
    with translation.override(letter_language):
        # the client's letter: every row in the client's language
        page = client_access_report(
            actor=user,
            client=client,
            page=page_number,
            path=request.get_full_path(),
            every_row=csv,
        )
        if csv:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="access-report-{client.pk}.csv"'
            )
            writer = csv_writer(response)
            writer.writerow(
                [
                    _("When"),
                    _("Who"),
                    _("Organisation"),
                    _("In the role of"),
                    _("Which data"),
                    _("Why"),
                ]
            )
            for row in page.object_list:
                local = timezone.localtime(row.log.at)
                writer.writerow(
                    [
                        csv_cell(value)
                        for value in (
                            f"{local.day}.{local.month}.{local.year} {local:%H:%M}",
                            row.who,
                            row.organisation,
                            row.role,
                            row.what,
                            row.why,
                        )
                    ]
                )
            return response
        today = dates.today()
        letter_date = f"{today.day}.{today.month}.{today.year}"
    return render(
        request,
        "rights/access_report.html",
        {
            "client": client,
            "page": page,
            "letter_language": letter_language,
            "letter_date": letter_date,
        },
    )


@require_perm(Perm.AUDIT_VIEW)
@require_GET
def rights_subject_export(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """Everything Silta holds about the client, as JSON (the client's right of access);
    logged as one read of all the client's data."""
    user = acting_user(request)
    client = client_by_id_for_report(actor=user, client_id=client_id)
    if client is None:
        raise Http404
    data = client_subject_export(actor=user, client=client, path=request.path)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="client-data-{client.pk}.json"'
    return response


@require_perm(Perm.AUDIT_VIEW)
@require_GET
def rights_subject_export_pdf(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """The same export as a PDF letter in the client's language; logged."""
    user = acting_user(request)
    client = client_by_id_for_report(actor=user, client_id=client_id)
    if client is None:
        raise Http404
    pdf = client_subject_export_pdf(
        actor=user, client=client, language=client_letter_language(client), path=request.path
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="client-data-{client.pk}.pdf"'
    return response


@require_perm(Perm.CLIENT_ERASE)
@require_http_methods(["GET", "POST"])
def rights_erasure(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    """Erase or anonymise a client on request: GET shows what would happen or why the
    law does not allow it yet; POST, with the client's last name typed, does it."""
    user = acting_user(request)
    client = client_for_erasure(actor=user, client_id=client_id, path=request.path)
    if client is None:
        raise Http404
    plan = erasure_plan(client)
    error = ""
    typed = ""
    status = 200
    if request.method == "POST":
        typed = request.POST.get("confirm_name", "").strip()
        if typed.casefold() != client.last_name.strip().casefold():
            error = _("Type the client's last name exactly to confirm.")
            status = 400
        else:
            try:
                done = client_erase(actor=user, client=client)
            except ErasureRefused as exc:
                plan = exc.plan
                status = 409
            else:
                return render(
                    request, "rights/erasure_done.html", {"plan": done, "client_id": client_id}
                )
    return render(
        request,
        "rights/erasure.html",
        {"client": client, "plan": plan, "error": error, "typed": typed},
        status=status,
    )
