"""The one page every app's simple forms use: a title, a back link, an optional
introduction, the form's fields (``catalogue/_fields.html``, errors next to each field)
and a submit button. Apps bind their navigation section with ``functools.partial``."""

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
