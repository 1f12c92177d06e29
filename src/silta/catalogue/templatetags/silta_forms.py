"""Accessible form fields: a field with errors is marked invalid and points at its
message (aria-describedby), which is shown next to the field."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def accessible(field: forms.BoundField) -> SafeString:
    attrs: dict[str, str | bool] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-help")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
