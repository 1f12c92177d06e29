"""Forms of the funding pages; errors show next to their field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from silta.core import forms

FORMAT_CHOICES = [
    ("page", _("Show on the page")),
    ("csv", _("Download CSV")),
    ("csv-fi", _("Download CSV for Finnish Excel (semicolons)")),
    ("xlsx", _("Download XLSX")),
]
MAX_SPEC_BYTES = 50 * 1024 * 1024


class SpecificationForm(forms.Form):
    specification = forms.FileField(
        label=_("Kela's invoice specification (CSV)"),
        help_text=_(
            "Columns: invoice_month, municipality_code, benefit, person_id, paid_eur, "
            "returned_eur, corrected_eur, municipal_share_eur. Comma or semicolon, decimal "
            "point or comma, UTF-8 or Windows-1252 (as Excel saves it)."
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


class PeriodForm(forms.Form):
    """A period of payment months (as Kela invoices), e.g. January-October 2023."""

    start = forms.RegexField(
        label=_("From month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2023-01"}),
        error_messages={"invalid": _("Give a month in the form YYYY-MM, e.g. 2023-01.")},
    )
    end = forms.RegexField(
        label=_("To month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2023-10"}),
        error_messages={"invalid": _("Give a month in the form YYYY-MM, e.g. 2023-10.")},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end) and not self.errors:
            missing = "end" if start else "start"
            self.add_error(missing, _("Give both months of the period."))
        elif start and end and str(start) > str(end):
            self.add_error("end", _("The period ends before it starts."))
        return data

    def period(self) -> tuple[str, str] | None:
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return (str(start), str(end)) if start and end else None


class RulesDateForm(forms.Form):
    on = forms.DateField(
        label=_("Rules in force on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give a date in the form YYYY-MM-DD.")},
    )
