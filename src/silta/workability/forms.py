"""Forms of the work ability path; bounds from ``silta.core.forms``, the services
validate again and put their errors next to these fields."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.catalogue.models import ApplicationReceiver
from silta.core import forms
from silta.workability.models import (
    AppealBody,
    AppealOutcome,
    ApplicationKind,
    ApplicationStatus,
    Capacity,
    HealthCheckStatus,
    HealthState,
    InvitationChannel,
    OnwardReferral,
    Recommendation,
    RehabilitationNeed,
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


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput)


def _reason() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        help_text=_("Kept in the change log with the old and new values."),
    )


class ResultCorrectForm(ResultForm):
    reason = _reason()
    version = _version()


class DecisionCorrectForm(DecisionForm):
    reason = _reason()


class AppealForm(forms.Form):
    appealed_on = _date(_("Appealed on"))
    body = forms.ChoiceField(
        label=_("Appealed to"), choices=AppealBody.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AppealOutcome.choices, initial=AppealOutcome.PENDING
    )
    outcome_on = _date(_("Date of the appeal's decision"), required=False)
    version = _version()


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AppealOutcome.choices)
    outcome_on = _date(_("Date of the appeal's decision"), required=False)
    version = _version()


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class InviteForm(forms.Form):
    invited_on = _date(_("Invited on"))
    channel = forms.ChoiceField(
        label=_("How invited"), choices=InvitationChannel.choices, widget=forms.RadioSelect
    )


class BookForm(forms.Form):
    booked_at = forms.DateTimeField(
        label=_("Time of the check"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_FORMATS,
    )
    unit = forms.CharField(label=_("Unit"), max_length=200)
    version = _version()


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How the check ended"),
        choices=[
            (HealthCheckStatus.NO_SHOW, HealthCheckStatus.NO_SHOW.label),
            (HealthCheckStatus.DECLINED, HealthCheckStatus.DECLINED.label),
        ],
        widget=forms.RadioSelect,
    )
    on = _date(_("Date"))
    version = _version()


class ContentForm(forms.Form):
    checked_on = _date(_("Checked on"))
    health = forms.ChoiceField(
        label=_("Health"), choices=HealthState.choices, widget=forms.RadioSelect
    )
    work_capacity = forms.ChoiceField(
        label=_("Work capacity"), choices=Capacity.choices, widget=forms.RadioSelect
    )
    functional_capacity = forms.ChoiceField(
        label=_("Functional capacity"), choices=Capacity.choices, widget=forms.RadioSelect
    )
    rehabilitation_need = forms.ChoiceField(
        label=_("Rehabilitation need"), choices=RehabilitationNeed.choices, widget=forms.RadioSelect
    )
    onward = forms.MultipleChoiceField(
        label=_("Onward referral"),
        choices=OnwardReferral.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The patient record keeps the check itself; a short summary here."),
    )
    version = _version()
