"""The statistics page's choices; a bad period is an error next to its field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from silta.core import dates, forms
from silta.reporting import statistics as st

QUARTERS = [("", _("Whole year")), *[(str(q), f"Q{q}") for q in range(1, 5)]]
MONTHS = [("", _("Whole year or quarter")), *[(str(m), f"{m:02d}") for m in range(1, 13)]]


class StatisticsForm(forms.Form):
    statistic = forms.ChoiceField(label=_("Statistic"), choices=[])
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=9999)
    quarter = forms.ChoiceField(label=_("Quarter"), choices=QUARTERS, required=False)
    month = forms.ChoiceField(label=_("Month"), choices=MONTHS, required=False)
    start = forms.DateField(
        label=_("Or from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    breakdown = forms.ChoiceField(label=_("Columns"), choices=st.BREAKDOWNS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["statistic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.key, s.label) for s in st.STATISTICS]

    @staticmethod
    def initial_values() -> dict[str, Any]:
        return {
            "statistic": st.STATISTICS[0].key,
            "year": dates.today().year - 1,
            "breakdown": st.CATEGORY,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        start, end = data.get("start"), data.get("end")
        try:
            if start or end:
                if not (start and end):
                    raise ValidationError(
                        _("Give both the first and the last day of the period."),
                        code="incomplete_period",
                    )
                data["period"] = st.Period.between(start, end)
            elif year is not None:
                if data.get("month"):
                    data["period"] = st.Period.month(year, int(data["month"]))
                elif data.get("quarter"):
                    data["period"] = st.Period.quarter(year, int(data["quarter"]))
                else:
                    data["period"] = st.Period.year(year)
        except ValidationError as error:
            field = "end" if error.code == st.PeriodError.ENDS_BEFORE_START else None
            field = field or ("start" if (start or end) else "year")
            self.add_error(field, error)
        return data
