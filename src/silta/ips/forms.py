"""Forms of the IPS pages. Field names are the services' keyword names, so a service's
coded error lands next to its field (``run_service_for_form``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import User
from silta.core import forms
from silta.ips.models import (
    AdjustmentKind,
    CoachingEpisode,
    ContactKind,
    Employer,
    EpisodeOutcome,
    OpportunityStatus,
    Sector,
    StepKind,
    WorkPlacement,
)
from silta.ips.policies import active_coaches
from silta.places.models import Municipality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE = forms.Textarea(attrs={"rows": 3})
SHOW_CHOICES = [("open", _("Open episodes")), ("ended", _("Ended episodes")), ("all", _("All"))]


def _municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("code")


SEARCH = forms.TextInput(attrs={"type": "search"})


class EpisodeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or identity code"), max_length=100, required=False, widget=SEARCH
    )
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class IntakeForm(forms.Form):
    """An intake recorded with the client present, of a client the coach may already
    see (issue 13): who (the coach), when, in person. Referrals from other units come
    in through the referral inbox instead."""

    personal_id = forms.CharField(
        label=_("Client's identity code"),
        max_length=20,
        help_text=_("A client you already work with."),
    )
    intake_met_on = forms.DateField(label=_("Met the client in person on"), widget=DATE)
    intake_in_person = forms.BooleanField(
        label=_("The client was present at the intake"), required=False
    )
    referred_on = forms.DateField(label=_("Referral date"), widget=DATE)
    referring_unit = forms.CharField(
        label=_("Referring unit"),
        max_length=200,
        help_text=_("The unit that suggested the coaching, such as the psychiatric clinic"),
    )
    job_interests = forms.CharField(
        label=_("The client's own job interests"), required=False, widget=NOTE
    )


class TakeReferralForm(forms.Form):
    referred_on = forms.DateField(label=_("Referral date"), widget=DATE)
    referring_unit = forms.CharField(label=_("Referring unit"), max_length=200)
    job_interests = forms.CharField(
        label=_("The client's own job interests"), required=False, widget=NOTE
    )


class StartForm(forms.Form):
    started_on = forms.DateField(label=_("Coaching started"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class InterestsForm(forms.Form):
    job_interests = forms.CharField(
        label=_("The client's own job interests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class StepForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=StepKind.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE)


class PlacementForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Employer.objects.none())
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    start_on = forms.DateField(label=_("Start"), widget=DATE)
    end_on = forms.DateField(label=_("End"), required=False, widget=DATE)
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1)
    pay_subsidised = forms.BooleanField(label=_("Pay-subsidised"), required=False)
    open_market = forms.BooleanField(
        label=_("On the open labour market"), required=False, initial=True
    )

    def __init__(self, *args: Any, employers: QuerySet[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = employers


class PlacementEndForm(forms.Form):
    end_on = forms.DateField(label=_("End"), widget=DATE)


class SupportForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    placement = forms.ModelChoiceField(
        label=_("Job"), queryset=WorkPlacement.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), widget=NOTE)

    def __init__(self, *args: Any, placements: QuerySet[WorkPlacement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["placement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = placements
        field.label_from_instance = lambda p: f"{p.job_title}, {p.employer.name}"  # type: ignore[method-assign,assignment]


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=EpisodeOutcome.choices)
    note = forms.CharField(label=_("Note on the end"), required=False, widget=NOTE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EmployerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or business ID"), max_length=100, required=False, widget=SEARCH
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All")), *Sector.choices], required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All"),
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _municipalities()


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    business_id = forms.CharField(
        label=_("Business ID"), max_length=20, help_text=_("Y-tunnus, for example 1234567-1")
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _municipalities()


class EmployerEditForm(EmployerForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContactPersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class EmployerContactForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=NOTE)


class OpportunityForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1)
    noted_on = forms.DateField(label=_("Noted on"), widget=DATE)
    description = forms.CharField(label=_("Description"), required=False, widget=NOTE)


class OpportunityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=OpportunityStatus.choices)


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AdjustmentKind.choices)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=NOTE)


class ResultsForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Coaching started in"), coerce=int, empty_value=None, required=False
    )
    as_of = forms.DateField(
        label=_("Figures on"),
        required=False,
        widget=DATE,
        help_text=_("Jobs still going are counted to this day (today if empty)"),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All years")), *[(y, str(y)) for y in years]]


def _coach_label(user: User) -> str:
    return user.get_full_name() or user.username


class _CoachChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _coach_label(obj)


class HandOverForm(forms.Form):
    to_coach = _CoachChoice(label=_("Coach who takes over"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=NOTE)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any, episode: CoachingEpisode, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["to_coach"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = active_coaches(episode.organisation_id).exclude(pk=episode.coach_id)


class ReassignForm(forms.Form):
    from_coach = _CoachChoice(
        label=_("Coach whose open episodes move"), queryset=User.objects.none()
    )
    to_coach = _CoachChoice(label=_("Coach who takes over"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=NOTE)
    confirm = forms.BooleanField(
        label=_(
            "I have checked that these episodes must move: the coach has left or no longer "
            "coaches these clients."
        )
    )

    def __init__(self, data: Any, *, holders: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name, queryset in (("from_coach", holders), ("to_coach", active_coaches())):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class UnitReassignForm(forms.Form):
    """The supervisor moves one client's coaching to another coach of the unit. The
    coach is sent as an id and checked by the service, so a coach of another unit or
    one who no longer coaches gets its own error next to the field."""

    to_coach = forms.CharField(
        label=_("Coach who takes over"),
        max_length=36,
        widget=forms.Select,
        error_messages={"required": _("Choose the coach who takes over.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=NOTE)
    confirm = forms.BooleanField(
        label=_(
            "I have checked that this client's coaching must move: from now on only the "
            "new coach records in it."
        ),
        error_messages={"required": _("Confirm the move.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any, episode: CoachingEpisode, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        coaches = active_coaches(episode.organisation_id).exclude(pk=episode.coach_id)
        widget = self.fields["to_coach"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", "—")] + [(str(u.pk), _coach_label(u)) for u in coaches]

    def clean_to_coach(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.cleaned_data["to_coach"])
        except ValueError:
            raise forms.ValidationError(_("Choose the coach who takes over.")) from None
