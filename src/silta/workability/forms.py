"""Forms of the work ability path; bounds from ``silta.core.forms``, the services
validate again and put their errors next to these fields."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.catalogue.models import ApplicationReceiver
from silta.core import forms
from silta.workability.models import (
    ApplicationKind,
    ApplicationStatus,
    Recommendation,
    StatementKind,
    WorkAbility,
    WorkAbilityDuration,
)


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class ResultForm(forms.Form):
    assessed_on = _date(_("Assessment completed on"))
    work_ability = forms.ChoiceField(
        label=_("Work ability"), choices=WorkAbility.choices, widget=forms.RadioSelect
    )
    duration = forms.ChoiceField(
        label=_("How long"),
        choices=[("", _("Not reduced")), *list(WorkAbilityDuration.choices)],
        required=False,
        help_text=_("Required when work ability is partial or none."),
    )
    recommendations = forms.MultipleChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recommendation_text = forms.CharField(
        label=_("Details of the recommendation"), max_length=500, required=False
    )
    statement_kind = forms.ChoiceField(
        label=_("Doctor's statement"),
        choices=[("", _("None")), *list(StatementKind.choices)],
        required=False,
    )
    statement_date = _date(_("Date of the statement"), required=False)
    statement_reference = forms.CharField(
        label=_("Reference of the statement"),
        max_length=100,
        required=False,
        help_text=_("The statement itself stays in the patient record; only its reference here."),
    )


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Application"), choices=ApplicationKind.choices)
    receiver = forms.ChoiceField(label=_("Sent to"))
    applied_on = _date(_("Applied on"))
    result = forms.ChoiceField(label=_("Based on the assessment result"), required=False)

    def __init__(
        self, *args: Any, results: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].choices = [  # type: ignore[attr-defined]
            (str(r.pk), r.name) for r in ApplicationReceiver.objects.filter(is_active=True)
        ]
        self.fields["result"].choices = [("", _("None"))] + (results or [])  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ApplicationStatus.GRANTED, ApplicationStatus.GRANTED.label),
            (ApplicationStatus.REJECTED, ApplicationStatus.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = _date(_("Decision date"))
    benefit_from = _date(_("Benefit from"), required=False)
    benefit_to = _date(_("Benefit until"), required=False)
    decision_reference = forms.CharField(
        label=_("Reference of the decision"), max_length=100, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class IdentifyForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have looked at the reasons and take the client onto the work ability path"),
    )


class PeriodForm(forms.Form):
    first = _date(_("From"))
    last = _date(_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            self.add_error("last", _("The end is before the start."))
        return data
