"""The shared layer on the Helsinki Design System: the built stylesheet, the header, the
notifications, the shared form page's linked error summary and the pagination."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.test import RequestFactory
from tests import factories

from silta.accounts.roles import Role
from silta.web.pages import form_page

STATIC = Path(__file__).resolve().parents[2] / "src" / "silta" / "web" / "static" / "silta"


def test_the_design_system_is_built_from_the_pinned_package() -> None:
    # make install runs npm ci from npm/package-lock.json and copies hds-core's CSS
    lock = (STATIC.parents[4] / "npm" / "package-lock.json").read_text()
    version = re.search(r'"node_modules/hds-core": \{\s*"version": "([^"]+)"', lock)
    assert version, "hds-core is pinned in npm/package-lock.json"
    css = (STATIC / "hds" / "hds.css").read_text()
    assert f"hds-core {version.group(1)}" in css.splitlines()[0]
    for component in (".hds-button--primary", ".hds-notification--error", ".hds-pagination"):
        assert component in css
    # no source map the manifest storage would look for, no font from a CDN
    assert "sourceMappingURL" not in css
    assert "https://" not in css


@pytest.mark.django_db
def test_every_page_loads_the_design_system_and_no_inline_code(region) -> None:
    user = factories.staff(Role.CASE_WORKER)
    http = HttpClient()
    http.force_login(user)
    body = http.get("/").content.decode()
    assert 'href="/static/silta/hds/hds.css"' in body
    assert '<script src="/static/silta/silta.js" defer></script>' in body
    # the Content-Security-Policy allows no inline script or style
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert "style=" not in body and "<style" not in body
    # the menu is open without JavaScript; the language switch offers all three languages
    assert re.search(r'<details class="site-nav" open>', body)
    for code in ("fi", "sv", "en"):
        assert f'name="language" value="{code}"' in body
    assert 'value="fi" lang="fi" aria-current="true"' in body


@pytest.mark.django_db
def test_messages_are_notifications_in_a_live_region(region) -> None:
    user = factories.staff(Role.CASE_WORKER)
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    storage = FallbackStorage(request)
    request._messages = storage  # type: ignore[attr-defined]
    storage.add(25, "Saved.")
    storage.add(40, "Could not save.")
    body = render_to_string("web/base.html", request=request)
    region_html = body[body.index('<div class="messages" aria-live="polite">') :]
    assert "hds-notification--success" in region_html
    assert re.search(r'hds-notification--error"\s+role="alert"', region_html)
    assert region_html.index("Saved.") < region_html.index("Could not save.")


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", required=False, help_text="Short.")

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("The whole form is wrong.")


@pytest.mark.django_db
def test_the_shared_form_page_links_each_error_to_its_field(region) -> None:
    user = factories.staff(Role.CASE_WORKER)
    request = RequestFactory().post("/x/", {})
    request.user = user
    form = _Form(data={})
    assert not form.is_valid()
    body = form_page(request, form, title="T", back="/", submit="Save", status=400).content
    html = body.decode()
    summary = html[html.index('id="error-summary"') : html.index("</section>")]
    # the summary takes the focus (silta.js) and links every field error to its field
    assert "data-autofocus" in summary and 'tabindex="-1"' in summary
    assert "The whole form is wrong." in summary
    assert '<a href="#id_name">Name: ' in summary
    assert '<a href="#id_kind_0">Kind: ' in summary  # a radio group links its first option
    assert 'id="id_kind_0"' in html
    # and the error stands next to its field, read with it
    assert 'id="id_name-error"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_name-error"[^>]*id="id_name"', html)
    assert "hds-button--primary" in html
    assert html.count("<title>") == 1


def test_pagination_marks_the_current_page() -> None:
    page = Paginator(list(range(100)), 10).page(5)
    html = render_to_string("web/_pagination.html", {"page": page, "query": "q=x"})
    assert 'href="?q=x&amp;page=4" rel="prev"' in html
    assert 'href="?q=x&amp;page=6" rel="next"' in html
    assert re.search(r'href="\?q=x&amp;page=5" aria-current="page"', html)
    # first, neighbours and last pages; the gaps as an ellipsis
    shown = re.findall(r"page=(\d+)\"(?: aria-current=\"page\")? aria-label", html)
    assert shown == ["1", "4", "5", "6", "10"]
    assert html.count("…") == 2
    single = render_to_string("web/_pagination.html", {"page": Paginator([1], 10).page(1)})
    assert single.strip() == ""


@pytest.mark.django_db
def test_the_confirm_page_asks_with_a_danger_button_and_a_way_back(region) -> None:
    from silta.web.pages import confirm_page

    request = RequestFactory().get("/x/delete/")
    request.user = factories.staff(Role.CASE_WORKER)
    html = confirm_page(
        request, title="Delete", what="The goal", back="/x/", submit="Yes, delete"
    ).content.decode()
    assert re.search(r'<button type="submit" class="hds-button hds-button--danger">\s*Yes', html)
    assert '<a class="hds-button hds-button--secondary" href="/x/">' in html
    assert "error-summary" not in html
    refused = confirm_page(
        request, title="Delete", what="The goal", back="/x/", submit="Yes", error="In use."
    ).content.decode()
    assert re.search(r'id="error-summary"[^>]*data-autofocus[^>]*role="alert"', refused)
    assert "In use." in refused
