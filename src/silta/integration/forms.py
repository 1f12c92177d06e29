from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.core import forms
from silta.integration.languages import language_choices
from silta.integration.models import EducationLevel, LanguageLevel, PlanOutcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _LanguageChoices:
    def _set_languages(self, *names: str, blank: bool = False) -> None:
        choices = language_choices()
        for name in names:
            field = self.fields[name]  # type: ignore[attr-defined]
            field.choices = ([("", "—")] if blank else []) + choices


class LanguageProfileForm(_LanguageChoices, forms.Form):
    mother_tongue = forms.ChoiceField(label=_("Mother tongue"))
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Choose several with Ctrl or Cmd."),
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = forms.ChoiceField(label=_("Interpreting language"), required=False)
    arrived_on = forms.DateField(label=_("Arrived in Finland"), widget=DATE, required=False)
    integration_client_since = forms.DateField(
        label=_("Integration client since"),
        widget=DATE,
        required=False,
        help_text=_("The time limit of the initial assessment runs from this day."),
    )
    in_programme = forms.BooleanField(
        label=_("In the municipal integration programme"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_languages("mother_tongue", blank=True)
        self._set_languages("other_languages")
        self._set_languages("interpreter_language", blank=True)


class InitialAssessmentForm(forms.Form):
    client_since = forms.DateField(label=_("Integration client since"), widget=DATE)
    assessed_on = forms.DateField(label=_("Assessment date"), widget=DATE)
    finnish_level = forms.ChoiceField(label=_("Finnish skills"), choices=LanguageLevel.choices)
    swedish_level = forms.ChoiceField(label=_("Swedish skills"), choices=LanguageLevel.choices)
    english_level = forms.ChoiceField(label=_("English skills"), choices=LanguageLevel.choices)
    literacy_training_needed = forms.BooleanField(
        label=_("Needs literacy training"), required=False
    )
    education = forms.ChoiceField(label=_("Education"), choices=EducationLevel.choices)
    education_text = forms.CharField(
        label=_("Education in more detail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    work_history = forms.CharField(
        label=_("Work history"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    service_need = forms.CharField(
        label=_("Service need"), widget=forms.Textarea(attrs={"rows": 4})
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)


class IntegrationPlanForm(forms.Form):
    starts_on = forms.DateField(label=_("Plan starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Plan ends"), widget=DATE)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 4}))
    language_training = forms.BooleanField(label=_("Integration language training"), required=False)
    language_training_text = forms.CharField(
        label=_("Language training in more detail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_services = forms.CharField(
        label=_("Other services"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter was used"), required=False)


class PlanReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Review date"), widget=DATE)
    note = forms.CharField(label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 4}))
    ends_on = forms.DateField(label=_("New end date"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closing date"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PlanOutcome.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class InterpretingForm(_LanguageChoices, forms.Form):
    language = forms.ChoiceField(label=_("Interpreting language"))
    booked = forms.BooleanField(label=_("Interpreter booked"), required=False)
    booking_reference = forms.CharField(
        label=_("Booking reference"), required=False, max_length=100
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_languages("language", blank=True)


class GuidanceContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"))
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120)
    municipality = forms.ChoiceField(label=_("Home municipality"))
    topic = forms.CharField(label=_("Topic"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from silta.integration.models import GuidanceChannel
        from silta.places.models import Municipality

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = GuidanceChannel.choices  # type: ignore[attr-defined]
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            (str(m.pk), m.name) for m in Municipality.objects.order_by("name_fi")
        ]
