"""The shared page pattern (issue 18 item 2, ADR 0025): the page header, the column
headers, the list, form and confirm shapes — what every app's pages get from them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from silta.catalogue.errors import StaleEdit
from silta.core import forms
from silta.web.pages import confirm_view, form_view, list_view, page, post_action


class _Form(forms.Form):
    q = forms.CharField(label="Name", max_length=5, required=False)
    personal_id = forms.CharField(label="Identity code", required=False)


def _request(method: str = "get", data: dict[str, str] | None = None) -> Any:
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request: Any) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_the_column_headers_are_translated_escaped_numeric_and_hidden() -> None:
    template = Template(
        '{% load i18n silta_pages %}{% columns _("Name") label _("Actions") num="2" hidden="3" %}'
    )
    with translation.override("fi"):
        html = template.render(Context({"label": "<b>x</b>"}))
    assert html == (
        '<th scope="col">Nimi</th><th scope="col" class="num">&lt;b&gt;x&lt;/b&gt;</th>'
        '<th scope="col"><span class="visually-hidden">Toiminnot</span></th>'
    )


@pytest.mark.django_db
def test_the_page_header_has_the_title_once_as_h1_and_the_way_back() -> None:
    response = page(
        _request(), "web/page.html", title="Ryhmä <1>", back="/groups/", back_label="Ryhmät"
    )
    html = response.content.decode()
    assert html.count("<h1>Ryhmä &lt;1&gt;</h1>") == 1
    assert "<title>Ryhmä &lt;1&gt;" in html
    assert '<a href="/groups/">Ryhmät</a>' in html


@pytest.mark.django_db
def test_a_bad_search_is_400_with_the_error_next_to_the_field_and_no_rows() -> None:
    fetched: list[dict[str, Any]] = []
    response = list_view(
        _request(data={"q": "far too long"}), "web/page.html", _Form({"q": "far too long"}),
        lambda d: fetched.append(d), context={"title": "T"},
    )  # fmt: skip
    assert response.status_code == 400 and fetched == []


@pytest.mark.django_db
def test_a_selectors_refusal_of_the_search_is_400_next_to_its_field() -> None:
    form = _Form({"q": "abc"})

    def refuse(d: dict[str, Any]) -> Any:
        raise ValidationError("Not an identity code.")

    response = list_view(
        _request(data={"q": "abc"}), "web/page.html", form, refuse, context={"title": "T"}
    )
    assert response.status_code == 400 and form.errors == {"q": ["Not an identity code."]}


@pytest.mark.django_db
def test_a_form_saves_once_and_redirects_with_the_message() -> None:
    request = _request("post", {"q": "ok"})
    response = form_view(
        request, _Form(request.POST), lambda d: {"id": 7}, title="T", back="/back/",
        submit="Save", success=lambda saved: f"Saved {saved['id']}",
        then=lambda saved: f"/x/{saved['id']}/",
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/x/7/"
    assert _said(request) == ["Saved 7"]


@pytest.mark.django_db
def test_a_refused_save_is_400_next_to_the_field_it_names_and_a_stale_edit_409() -> None:
    request = _request("post", {"q": "ok"})
    form = _Form(request.POST)

    def refuse(d: dict[str, Any]) -> Any:
        raise ValidationError({"client": "No such client."})

    response = form_view(
        request, form, refuse, title="T", back="/b/", submit="S", success="ok",
        error_fields={"client": "personal_id"},
    )  # fmt: skip
    assert response.status_code == 400
    assert form.errors == {"personal_id": ["No such client."]}
    assert 'href="#id_personal_id"' in response.content.decode()

    def stale(d: dict[str, Any]) -> Any:
        raise StaleEdit("Somebody else saved it.")

    again = _request("post", {"q": "ok"})
    response = form_view(
        again, _Form(again.POST), stale, title="T", back="/b/", submit="S", success="ok"
    )
    assert response.status_code == 409 and _said(again) == []


@pytest.mark.django_db
def test_a_get_of_a_form_or_a_confirmation_changes_nothing() -> None:
    called: list[int] = []
    request = _request()
    form_view(
        request, _Form(None), lambda d: called.append(1), title="T", back="/b/", submit="S",
        success="ok",
    )  # fmt: skip
    confirm_view(
        request, title="Delete?", what="The goal", call=lambda: called.append(2), back="/b/",
        submit="Yes, delete", success="Deleted", then="/done/",
    )  # fmt: skip
    assert called == []


@pytest.mark.django_db
def test_a_refused_confirmation_shows_the_reason_and_a_button_the_refusal() -> None:
    def refuse() -> None:
        raise ValidationError("It has been sent for approval.")

    request = _request("post")
    response = confirm_view(
        request, title="Delete?", what="The goal", call=refuse, back="/b/",
        submit="Yes, delete", success="Deleted", then="/done/",
    )  # fmt: skip
    assert response.status_code == 400
    assert "It has been sent for approval." in response.content.decode()
    button = _request("post", {"q": "ok"})
    response = post_action(
        button, _Form(button.POST), lambda d: refuse(), then="/back/", success="Done"
    )
    assert response["Location"] == "/back/" and _said(button) == ["It has been sent for approval."]
