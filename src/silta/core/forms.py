"""Django's forms with Silta's input bounds (ADR 0020).

An app writes ``from silta.core import forms`` instead of ``from django import forms``;
every ``forms.Form`` and ``forms.ModelForm`` then refuses, next to the field, a text
with a lone surrogate or a control character (tab and line breaks are allowed in a
textarea) and a date or date-time outside 1900–2100 (``silta.core.validation``).
The bounds are added to the fields of each form instance, so fields that a form
builds in ``__init__`` or that a model form derives get them too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as _django_forms
from django.forms import *  # noqa: F403 - this module stands in for django.forms

from silta.core.validation import (
    validate_date_bounds,
    validate_multiline_text,
    validate_single_line_text,
)

_DATE_FIELDS = (
    _django_forms.DateField,
    _django_forms.DateTimeField,
    _django_forms.SplitDateTimeField,
)


def add_input_bounds(fields: dict[str, _django_forms.Field]) -> None:
    """Add the shared text and date bounds to each field (once)."""
    check: Callable[[Any], None]
    for field in fields.values():
        if isinstance(field, _django_forms.CharField):
            multiline = isinstance(field.widget, _django_forms.Textarea)
            check = validate_multiline_text if multiline else validate_single_line_text
        elif isinstance(field, _DATE_FIELDS):
            check = validate_date_bounds
        else:
            continue
        if check not in field.validators:
            field.validators = [*field.validators, check]


class Form(_django_forms.Form):  # type: ignore[no-redef]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_input_bounds(self.fields)


class ModelForm(_django_forms.ModelForm):  # type: ignore[type-arg,no-redef]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_input_bounds(self.fields)
