from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from silta.catalogue.errors import StaleEdit
from silta.core import forms


def form_errors_from(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (unknown fields go to
    the top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def run_service_for_form(form: forms.Form, call: Any) -> tuple[Any, int]:
    """Call a service with the form's data: (result, 200), or (None, 409) for a stale
    edit, or (None, 400) with the errors next to the form's fields."""
    try:
        return call(), 200
    except StaleEdit as exc:
        form.add_error(None, exc)
        return None, 409
    except ValidationError as exc:
        form_errors_from(form, exc)
        return None, 400


class ServiceForm(forms.Form):
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    monthly_capacity = forms.IntegerField(label=_("Monthly capacity"), min_value=0)
    target_wait_days = forms.IntegerField(
        label=_("Target waiting time (days)"), min_value=0, max_value=365
    )
    is_active = forms.BooleanField(label=_("Offered now"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
