"""The shared pages every app's simple forms use. ``form_page``: a title, a back link, an
optional introduction, the form's fields (``web/_fields.html``: a linked error summary at
the top that takes the focus, the errors next to each field) and an HDS primary button.
``confirm_page``: a question before an irreversible step, with an HDS danger (or
primary) button and a way back. Apps bind their navigation section with
``functools.partial``."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
