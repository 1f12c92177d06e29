from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.audit.models import SecurityEventKind
from silta.audit.selectors import SecurityLogFilter
from silta.core import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


class SecurityLogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events")), *SecurityEventKind.choices],
    )
    user = forms.CharField(label=_("Username"), required=False, max_length=150)
    date_from = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("End date"), required=False, widget=DATE)
    target = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=64,
        help_text=_("The id of a client, user or other object."),
    )

    def _bounded(self, name: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("Give a date between 1.1.2000 and 31.12.2100."), code="out_of_range"
            )
        return value

    def clean_date_from(self) -> dt.date | None:
        return self._bounded("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._bounded("date_to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> SecurityLogFilter:
        data = self.cleaned_data
        return SecurityLogFilter(
            kind=data.get("kind") or "",
            user=(data.get("user") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            target=(data.get("target") or "").strip(),
        )
