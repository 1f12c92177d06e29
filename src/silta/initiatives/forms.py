from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Organisation, User
from silta.core import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 5})


class InitiativeForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Prepared by"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)
    council_group = forms.CharField(
        label=_("Council group"), max_length=200, help_text=_("For example RKP")
    )
    submitters = forms.CharField(
        label=_("Submitters"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text = forms.CharField(label=_("Text of the initiative"), widget=TEXT)
    questions = forms.CharField(label=_("Questions asked"), required=False, widget=TEXT)
    record_number = forms.CharField(
        label=_("Record number"),
        max_length=40,
        required=False,
        help_text=_("For example 791/00.03.01/2023"),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class PreparationForm(forms.Form):
    preparers = forms.ModelMultipleChoiceField(
        label=_("Preparers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    on = forms.DateField(label=_("Sent for preparation on"), widget=DATE)

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["preparers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = candidates
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FiguresForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the figures"), min_value=2000, max_value=2100)


class DecisionForm(forms.Form):
    meeting = forms.CharField(
        label=_("Meeting"), max_length=200, help_text=_("For example Keski-Pohjanmaan aluehallitus")
    )
    meeting_on = forms.DateField(label=_("Meeting date"), widget=DATE)
    section = forms.IntegerField(label=_("Section (§)"), min_value=1, max_value=9999)
    decision = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
