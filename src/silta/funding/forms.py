"""Forms of the funding pages; errors show next to their field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from silta.core import forms

FORMAT_CHOICES = [
    ("page", _("Show on the page")),
    ("csv", _("Download CSV")),
    ("xlsx", _("Download XLSX")),
]
MAX_SPEC_BYTES = 50 * 1024 * 1024


class SpecificationForm(forms.Form):
    specification = forms.FileField(
        label=_("Kela's invoice specification (CSV)"),
        help_text=_(
            "Columns: invoice_month, municipality_code, benefit, person_id, paid_eur, "
            "returned_eur, corrected_eur, municipal_share_eur."
        ),
    )
    output = forms.ChoiceField(label=_("Result"), choices=FORMAT_CHOICES, initial="page")

    def clean_specification(self) -> object:
        upload = self.cleaned_data["specification"]
        if upload.size > MAX_SPEC_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."), code="file_too_large")
        return upload


class WhatIfForm(forms.Form):
    employed_from = forms.DateField(
        label=_("Employed from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    months = forms.IntegerField(label=_("For how many months"), min_value=1, max_value=36)
