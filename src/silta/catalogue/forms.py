from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def form_errors_from(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (unknown fields go to
    the top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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
