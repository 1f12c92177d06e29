"""The shared pages and view shapes every app's pages use (ADR 0021, ADR 0025).

``form_page``: a title, a back link, an optional introduction, the form's fields
(``web/_fields.html``: a linked error summary at the top that takes the focus, the
errors next to each field) and an HDS primary button. ``confirm_page``: a question
before an irreversible step, with an HDS danger (or primary) button and a way back.
``page``: any template that extends ``web/page.html``. The view shapes below
(``list_view``, ``form_view``/``save_form``, ``confirm_view``, ``post_action``) carry
out a request on them. Apps bind their navigation section with ``functools.partial``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from silta.catalogue.errors import StaleEdit
from silta.catalogue.forms import run_service_for_form


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    submit: str,
    status: int = 200,
    intro: str = "",
    active: str = "",
    multipart: bool = False,
    cancel: bool = False,
) -> HttpResponse:
    """Render ``form`` on the shared form page; ``status`` is 400 after a refused post."""
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "submit": submit,
            "intro": intro,
            "active": active,
            "multipart": multipart,
            "cancel": cancel,
        },
        status=status,
    )


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    what: str,
    back: str,
    submit: str,
    consequence: str = "",
    danger: bool = True,
    error: str = "",
    status: int = 200,
    active: str = "",
) -> HttpResponse:
    """Ask before ``submit`` (posted to the same URL); ``error`` after a refused post."""
    return render(
        request,
        "web/confirm.html",
        {
            "title": title,
            "what": what,
            "consequence": consequence,
            "back": back,
            "submit": submit,
            "danger": danger,
            "error": error,
            "active": active,
        },
        status=status,
    )


# --- the view shapes (ADR 0025) ---------------------------------------------------------
#
# Every app's pages are one of four shapes. Authorization stays in the view's
# ``require_perm`` and in the selector that loads the record (deny by default, 404 for
# what the actor may not see), and the selector writes the access-log row; these
# helpers only carry out the request.
#
# - list: ``list_view`` — a GET search form, the selector's page, the query for the
#   pagination links; 400 with the errors next to the fields on a bad search.
# - detail: the selector reads (and logs), the view renders; a detail page with forms
#   of its own posts each to a view that uses ``save_form`` and shows the page again
#   with the refused form.
# - form: ``form_view`` (``save_form`` + ``form_page``) — GET shows the form; POST saves
#   through a service: errors next to the fields (400), a stale edit (409), nothing
#   saved either way; on success a message and a redirect.
# - confirm: ``confirm_view`` — GET asks, POST does the irreversible step; a refusal is
#   shown on the same page (400) and nothing is changed.
# - a button on a detail page (``post_action``): POST, a message, back to the page.

Saved = Any
Then = str | Callable[[Any], str]
Said = str | Callable[[Any], str]


def _text(value: Said | Then, saved: Any) -> str:
    return value(saved) if callable(value) else value


def save_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Saved],
    *,
    success: Said,
    then: Then,
    error_fields: dict[str, str] | None = None,
    refused_as_404: str = "",
) -> tuple[HttpResponse | None, int]:
    """The POST half of a form: ``(redirect, 200)`` when ``save(cleaned_data)`` saved,
    else ``(None, status)`` to show the form again — 200 on GET, 400 for errors
    (next to the fields; a service's ValidationError is put next to its field), 409 for
    a stale edit. ``success`` and ``then`` may be functions of what was saved.
    ``error_fields`` puts a service's error about one of its arguments next to the form
    field that gave it (``{"client": "personal_id"}``). ``refused_as_404``: a service
    that refuses the write (PermissionDenied) answers 404 with this text, as a record
    the actor may not see does (nothing written)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400

    def call() -> Saved:
        try:
            return save(form.cleaned_data)
        except PermissionDenied:
            if not refused_as_404:
                raise
            raise Http404(refused_as_404) from None
        except ValidationError as exc:
            if error_fields and hasattr(exc, "error_dict") and not isinstance(exc, StaleEdit):
                renamed = {error_fields.get(k, k): v for k, v in exc.error_dict.items()}
                raise ValidationError(renamed) from exc
            raise

    saved, status = run_service_for_form(form, call)
    if saved is None:
        return None, status
    messages.success(request, _text(success, saved))
    return HttpResponseRedirect(_text(then, saved)), 200


def refuse_before_form(request: HttpRequest, *, client: Any = None) -> None:
    """Refuse a form page before it is shown (403, the refusal its POST would get from
    the service). A form about a client's record whose address does not name the client
    (``client_id``; the audit middleware logs those) writes the security-log row here."""
    match = request.resolver_match
    if client is not None and "client_id" not in (getattr(match, "kwargs", None) or {}):
        from silta.audit.models import SecurityEventKind
        from silta.audit.services import security_event_write

        security_event_write(
            SecurityEventKind.CLIENT_ACCESS_REFUSED,
            request=request,
            target_type="clients.client",
            target_id=str(getattr(client, "pk", client)),
            detail={"status": 403, "method": request.method},
        )
    raise PermissionDenied("refused before the form")


def form_view(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Saved],
    *,
    title: str,
    back: str,
    submit: str,
    success: Said,
    then: Then | None = None,
    intro: str = "",
    active: str = "",
    cancel: bool = False,
    multipart: bool = False,
    error_fields: dict[str, str] | None = None,
    may: Callable[[], bool] | None = None,
    may_client: Any = None,
    refused_as_404: str = "",
) -> HttpResponse:
    """A form page that saves through a service (``save_form``); on success back to
    ``then`` (a URL or a function of what was saved) or ``back``.

    ``may`` is the service's own write check for this actor and record: when it says
    no, GET and POST alike are refused before the form is shown (``refuse_before_form``;
    ``may_client`` names the client whose record the form changes, for the security
    log), so nobody fills in a form that the service would refuse."""
    if may is not None and not may():
        refuse_before_form(request, client=may_client)
    response, status = save_form(
        request,
        form,
        save,
        success=success,
        then=back if then is None else then,
        error_fields=error_fields,
        refused_as_404=refused_as_404,
    )
    if response is not None:
        return response
    return form_page(
        request,
        form,
        title=title,
        back=back,
        submit=submit,
        status=status,
        intro=intro,
        active=active,
        cancel=cancel,
        multipart=multipart,
    )


def confirm_view(
    request: HttpRequest,
    *,
    title: str,
    what: str,
    call: Callable[[], Any],
    back: str,
    submit: str,
    success: str,
    then: str,
    consequence: str = "",
    danger: bool = True,
    active: str = "",
) -> HttpResponse:
    """GET asks for confirmation; POST runs ``call``. A refusal (ValidationError) is
    shown on the same page (400) and nothing is changed; on success a message and
    ``then``."""
    error, status = "", 200
    if request.method == "POST":
        try:
            call()
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        else:
            messages.success(request, success)
            return HttpResponseRedirect(then)
    return confirm_page(
        request,
        title=title,
        what=what,
        back=back,
        submit=submit,
        consequence=consequence,
        danger=danger,
        error=error,
        status=status,
        active=active,
    )


def post_action(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    *,
    then: str,
    success: Said,
    invalid: str = "",
) -> HttpResponse:
    """A button on a detail page that changes one thing (a status, a withdrawal): run
    ``call(cleaned_data)`` and go back to ``then`` with a success message, or with the
    refusal's message (``invalid`` when the form itself was not valid); nothing is
    saved on a refusal."""
    if form.is_valid():
        try:
            saved = call(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _text(success, saved))
    elif invalid:
        messages.error(request, invalid)
    return HttpResponseRedirect(then)


def search_query(request: HttpRequest) -> str:
    """The list's GET parameters without ``page``, URL-encoded, for the pagination
    links (``web/_pagination.html``)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def list_view(
    request: HttpRequest,
    template: str,
    form: forms.Form,
    fetch: Callable[[dict[str, Any]], Any],
    *,
    context: dict[str, Any] | None = None,
    error_field: str | None = "q",
    result_name: str = "page",
) -> HttpResponse:
    """A list page: ``form`` is the GET search (bound to ``request.GET`` or None); with
    no search or a valid one, ``fetch(cleaned_data)`` (the scoped selector, which writes
    the access-log row where the rows show client data) gives the page. A bad search,
    or a ValidationError from the selector (next to ``error_field``, or next to its own
    fields), answers 400 with the errors next to the fields and no rows."""
    result = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        try:
            result = fetch(data)
        except ValidationError as exc:
            form.add_error(None if hasattr(exc, "error_dict") else error_field, exc)
    return render(
        request,
        template,
        {"form": form, result_name: result, "query": search_query(request), **(context or {})},
        status=400 if form.errors else 200,
    )


def page(
    request: HttpRequest,
    template: str,
    *,
    title: str,
    back: str = "",
    back_label: str = "",
    http_status: int = 200,
    **context: Any,
) -> HttpResponse:
    """Render a template that extends ``web/page.html``: the window title and the h1
    are ``title``; a back link to ``back`` (worded ``back_label``) when given."""
    return render(
        request,
        template,
        {"title": title, "back": back, "back_label": back_label, **context},
        status=http_status,
    )
