"""Bad input is a 4xx with a clear message (issue 19, item 7): extreme and overflowing
date-times, dates before the client's birth, lone surrogates and control characters,
through the page and through the API; nothing is written."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json

import pytest
from django import forms as django_forms
from django.test import Client as HttpClient
from tests import factories

from silta.casework.models import Appointment, Note, Outcome
from silta.core import validation
from silta.core.schemas import MULTILINE_FIELDS

OVERFLOW = "9999-12-31T23:00:00-12:00"


@pytest.fixture
def cast(region):
    return factories.two_organisations(region["272"])


@pytest.fixture
def http(cast) -> HttpClient:
    client = HttpClient()
    client.force_login(cast["worker"])
    return client


def _post_json(http: HttpClient, url: str, raw: str):  # type: ignore[no-untyped-def]
    return http.post(url, data=raw, content_type="application/json")


# --- date-times that overflow ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("starts_at", [OVERFLOW, "0001-01-01T00:30:00+14:00", "2101-01-01T10:00"])
def test_api_appointment_out_of_range_is_422_naming_the_field(cast, http, starts_at) -> None:
    # given a case worker with a client; when the API gets an appointment at the end
    # of time with an offset that overflows in UTC
    c = cast["client"]
    response = _post_json(
        http,
        f"/api/v1/clients/{c.pk}/appointments",
        json.dumps({"starts_at": starts_at, "place": "Kokkola"}),
    )
    # then it answers 422 with the field and a message, and writes nothing
    assert response.status_code == 422, response.content
    body = response.json()
    assert list(body["fields"]) == ["starts_at"]
    error = body["fields"]["starts_at"][0]
    assert error["code"] in {"request.input.date_too_late", "request.input.date_too_early"}
    assert "2100" in error["message"] or "1900" in error["message"]
    assert not Appointment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("starts_at", [OVERFLOW, "9999-12-31T23:59", "1850-06-01T10:00"])
def test_form_appointment_out_of_range_shows_the_error_next_to_the_field(
    cast, http, starts_at
) -> None:
    c = cast["client"]
    response = http.post(
        f"/clients/{c.pk}/appointments/new/", {"starts_at": starts_at, "place": "Kokkola"}
    )
    assert response.status_code in {200, 400}
    form = response.context["form"]
    assert list(form.errors) == ["starts_at"]
    assert form.errors.as_data()["starts_at"][0].code in {
        validation.InputError.DATE_TOO_LATE,
        validation.InputError.DATE_TOO_EARLY,
    }
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_form_error_is_in_the_users_language(cast, http) -> None:
    cast["worker"].language = "fi"
    cast["worker"].save(update_fields=["language"])
    c = cast["client"]
    response = http.post(
        f"/clients/{c.pk}/appointments/new/", {"starts_at": OVERFLOW, "place": "Kokkola"}
    )
    message = response.context["form"].errors["starts_at"][0]
    assert "2100" in message and "date cannot" not in message


# --- dates before the client's birth ---------------------------------------------


@pytest.mark.django_db
def test_api_outcome_before_birth_is_refused(cast, http) -> None:
    # given a client born after 1900; when an outcome is dated 1900-01-01
    c = cast["client"]
    assert c.birth_date > dt.date(1900, 1, 1)
    response = _post_json(
        http,
        f"/api/v1/clients/{c.pk}/outcomes",
        json.dumps({"kind": "other", "occurred_on": "1900-01-01"}),
    )
    # then it is refused for that field and nothing is recorded
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["fields"]["occurred_on"][0]["code"] == validation.InputError.BEFORE_BIRTH
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_form_outcome_before_birth_and_before_1900_are_refused(cast, http) -> None:
    c = cast["client"]
    url = f"/clients/{c.pk}/outcomes/new/"
    for day, code in [
        ("1900-01-01", validation.InputError.BEFORE_BIRTH),
        ("1899-12-31", validation.InputError.DATE_TOO_EARLY),
        ("2101-01-01", validation.InputError.DATE_TOO_LATE),
    ]:
        response = http.post(url, {"kind": "other", "occurred_on": day})
        form = response.context["form"]
        assert form.errors.as_data()["occurred_on"][0].code == code, day
    assert not Outcome.objects.exists()
    # a date after the birth is still recorded
    ok = http.post(url, {"kind": "other", "occurred_on": str(c.birth_date + dt.timedelta(days=1))})
    assert ok.status_code == 302 and Outcome.objects.count() == 1


# --- lone surrogates and control characters ----------------------------------------


@pytest.mark.django_db
def test_api_note_with_a_lone_surrogate_is_422(cast, http) -> None:
    c = cast["client"]
    # json.dumps escapes the lone surrogate as \ud800, as an attacker would send it
    raw = json.dumps({"visibility": "own_organisation", "text": "abc\ud800"})
    assert "\\ud800" in raw
    response = _post_json(http, f"/api/v1/clients/{c.pk}/notes", raw)
    assert response.status_code == 422, response.content
    assert response.json()["fields"]["text"][0]["code"] == "request.input.surrogate"
    assert not Note.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("text", "rivi 1\r\nrivi 2\tsarake", True),  # multi-line: tab and line breaks
        ("text", "escape \x1b[31m", False),
        ("text", "bell \x07", False),
        ("text", "C1 \x85 next line", False),
        ("text", "delete \x7f", False),
    ],
)
def test_api_note_control_characters(cast, http, field, value, ok) -> None:
    c = cast["client"]
    raw = json.dumps({"visibility": "own_organisation", field: value})
    response = _post_json(http, f"/api/v1/clients/{c.pk}/notes", raw)
    if ok:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 422
        assert response.json()["fields"][field][0]["code"] == "request.input.control_character"
        assert not Note.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("place", ["Kokkola\nKälviä", "tab\there", "nul-less \x1b"])
def test_single_line_fields_refuse_line_breaks_and_controls(cast, http, place) -> None:
    c = cast["client"]
    api = _post_json(
        http,
        f"/api/v1/clients/{c.pk}/appointments",
        json.dumps({"starts_at": "2030-01-01T10:00:00+02:00", "place": place}),
    )
    assert api.status_code == 422
    assert api.json()["fields"]["place"][0]["code"] == "request.input.control_character"
    page = http.post(
        f"/clients/{c.pk}/appointments/new/",
        {"starts_at": "2030-01-01T10:00", "place": place},
    )
    assert list(page.context["form"].errors) == ["place"]
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_form_note_with_a_control_character_is_refused(cast, http) -> None:
    c = cast["client"]
    response = http.post(
        f"/clients/{c.pk}/notes/new/", {"visibility": "own_organisation", "text": "a\x08b"}
    )
    form = response.context["form"]
    assert form.errors.as_data()["text"][0].code == validation.InputError.CONTROL_CHARACTER
    assert "U+0008" in form.errors["text"][0]
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_search_query_with_controls_is_refused_on_the_page_and_in_the_api(cast, http) -> None:
    page = http.get("/clients/", {"q": "Virta\x1b"})
    assert page.status_code in {200, 400}
    assert "q" in page.context["form"].errors
    api = http.get("/api/v1/clients", {"q": "Virta\x1b"})
    assert api.status_code == 422 and "q" in api.json()["fields"]


# --- the rules themselves ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (dt.date(1899, 12, 31), validation.InputError.DATE_TOO_EARLY),
        (dt.date(2101, 1, 1), validation.InputError.DATE_TOO_LATE),
        (dt.datetime.fromisoformat(OVERFLOW), validation.InputError.DATE_TOO_LATE),
        (
            dt.datetime.fromisoformat("0001-01-01T00:00:00+14:00"),
            validation.InputError.DATE_TOO_EARLY,
        ),
        # in range locally, but 2101 in UTC
        (
            dt.datetime.fromisoformat("2100-12-31T23:00:00-12:00"),
            validation.InputError.DATE_TOO_LATE,
        ),
        (dt.date(1900, 1, 1), None),
        (dt.date(2100, 12, 31), None),
        (dt.datetime.fromisoformat("2030-06-01T12:00:00+03:00"), None),
    ],
)
def test_date_bounds(value, code) -> None:
    problem = validation.date_problem(value)
    assert (problem.code if problem else None) == code


def test_text_rules() -> None:
    assert validation.text_problem("Äänekoski – ok ✓ 😀", multiline=False) is None
    assert validation.text_problem("a\tb\r\nc", multiline=True) is None
    for bad in ["a\tb", "a\nb", "\x00", "\x9b"]:
        problem = validation.text_problem(bad, multiline=False)
        assert problem is not None and problem.code == validation.InputError.CONTROL_CHARACTER
    problem = validation.text_problem("\udfff", multiline=True)
    assert problem is not None and problem.code == validation.InputError.SURROGATE


def _silta_form_classes() -> list[type]:
    """Every form class defined in an app's ``forms`` or ``views`` module."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("silta."):
            continue
        for part in ("forms", "views"):
            try:
                module = importlib.import_module(f"{config.name}.{part}")
            except ModuleNotFoundError:
                continue
            found += [
                cls
                for cls in vars(module).values()
                if inspect.isclass(cls)
                and issubclass(cls, django_forms.BaseForm)
                and cls.__module__ == module.__name__
            ]
    return found


def test_every_textarea_is_multiline_in_the_api() -> None:
    """The API allows line breaks in exactly the fields the forms show as textareas."""
    textareas = {
        name
        for cls in _silta_form_classes()
        for name, field in cls.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(field.widget, django_forms.Textarea)
    }
    assert textareas <= MULTILINE_FIELDS, textareas - MULTILINE_FIELDS


def test_every_app_form_gets_the_bounds() -> None:
    """Every form of every app is built on silta.core.forms (``from silta.core import
    forms``), so its fields carry the bounds."""
    from silta.core import forms as core_forms

    classes = _silta_form_classes()
    assert len(classes) > 20
    missing = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in classes
        if not issubclass(cls, core_forms.Form | core_forms.ModelForm)
    ]
    assert not missing, f"use `from silta.core import forms` in: {missing}"


def test_every_api_input_schema_gets_the_bounds() -> None:
    """Every request schema of the API is built on silta.core.schemas.Schema."""
    from ninja import Schema as NinjaSchema

    from silta.api import api
    from silta.core.schemas import Schema as CoreSchema

    spec = api.get_openapi_schema(path_prefix="/api/v1")
    bodies = {
        content["schema"]["$ref"].rsplit("/", 1)[1]
        for ops in spec["paths"].values()
        for op in ops.values()
        for content in op.get("requestBody", {}).get("content", {}).values()
        if "$ref" in content.get("schema", {})
    }
    assert bodies

    def subclasses(cls: type) -> set[type]:
        return {sub for child in cls.__subclasses__() for sub in {child, *subclasses(child)}}

    inputs = [
        cls
        for cls in subclasses(NinjaSchema)
        if cls.__module__.startswith("silta.")
        and (cls.__name__ in bodies or cls.__name__.endswith("In"))
    ]
    assert {c.__name__ for c in inputs} >= bodies
    missing = [f"{c.__module__}.{c.__name__}" for c in inputs if not issubclass(c, CoreSchema)]
    assert not missing, f"use `from silta.core.schemas import Schema` in: {missing}"
