from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.casework.models import (
    AssessmentDomain,
    ConsentGiven,
    FollowUpStatus,
    JointServiceEndReason,
    NotCompletedReason,
    NoteVisibility,
    OutcomeKind,
    PlanKind,
    PlanStatus,
    Referral,
    ReferralStatus,
)
from silta.catalogue.models import DataClass
from silta.catalogue.selectors import service_list
from silta.core import forms
from silta.privacy.policy import CONSENT_CLASSES
from silta.privacy.policy import DataClass as ConsentDataClass

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service and provider"))
    reason = forms.CharField(
        label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 4})
    )
    shares = forms.ChoiceField(
        label=_("Social or health data in the referral"),
        choices=DataClass.choices,
        initial=DataClass.NONE,
        help_text=_(
            "Social or health data go to another organisation only with the client's "
            "consent or another recorded basis."
        ),
    )

    def __init__(self, *args: Any, own_organisation_id: object = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a service"))] + [
            (str(s.pk), f"{s.name} – {s.provider.name}")
            for s in service_list(active_only=True)
            if s.provider_id != own_organisation_id
        ]


def referral_move_form(status: str, data: Any = None) -> forms.Form:
    """The fields one status move needs (prefixed by the status so that several forms
    fit on one page)."""
    fields: dict[str, forms.Field] = {
        "version": forms.IntegerField(widget=forms.HiddenInput),
    }
    if status in {ReferralStatus.DECLINED, ReferralStatus.CANCELLED}:
        fields["reason"] = forms.CharField(
            label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})
        )
    if status == ReferralStatus.SCHEDULED:
        fields["appointment_at"] = forms.DateTimeField(
            label=_("Appointment time"), widget=DATETIME, input_formats=DATETIME_FORMATS
        )
        fields["place"] = forms.CharField(label=_("Place"), max_length=200)
        fields["participants"] = forms.CharField(
            label=_("Participants"), max_length=500, required=False
        )
    if status == ReferralStatus.NOT_COMPLETED:
        fields["not_completed_reason"] = forms.ChoiceField(
            label=_("Why was it not completed?"),
            choices=[("", _("Choose the reason")), *NotCompletedReason.choices],
        )
    if status == ReferralStatus.COMPLETED:
        fields["work_ability_concern"] = forms.BooleanField(
            label=_("Work ability should be assessed (health finding)"), required=False
        )
    form_class = type("ReferralMoveForm", (forms.Form,), dict(fields))
    return form_class(data, prefix=status)  # type: ignore[no-any-return]


class NoteForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who may read the note"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.OWN_ORGANISATION,
    )
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 5}))


class AppointmentForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Time"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = forms.CharField(label=_("Participants"), max_length=500, required=False)


class ConsentForm(forms.Form):
    """The client's consent to disclose data of the worker's own organisation (the
    controller) to another organisation."""

    recipient = forms.ModelChoiceField(
        label=_("Disclosed to"),
        queryset=Organisation.objects.filter(is_active=True).exclude(kind="municipality"),
        empty_label=_("Choose the organisation"),
        help_text=_("Another organisation: you disclose your own organisation's data."),
    )
    data_classes = forms.MultipleChoiceField(
        label=_("Data"),
        choices=[(c, ConsentDataClass(c).label) for c in CONSENT_CLASSES],
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    given_how = forms.ChoiceField(
        label=_("How the client gave the consent"),
        choices=[c for c in ConsentGiven.choices if c[0] != ConsentGiven.NOT_RECORDED],
        widget=forms.RadioSelect,
    )
    given_reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        help_text=_("Where the signed form is kept, or the meeting or message."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DATE,
        help_text=_("A consent is valid from the day it is recorded."),
    )
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE, required=False)


class ConsentWithdrawForm(forms.Form):
    """The withdraw button: the consent's version when the page was shown (without
    one, no stale check)."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class JointServiceForm(forms.Form):
    started_on = forms.DateField(label=_("Start date"), widget=DATE)
    members = forms.MultipleChoiceField(
        label=_("Team members"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Named workers from the employment area, Soite and Kela. You are included."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for user in User.objects.filter(is_active=True).order_by("last_name", "first_name"):
            ms = memberships_with(user, Perm.CASEWORK_VIEW)
            if ms:
                name = user.get_full_name() or user.username
                choices.append((str(user.pk), f"{name} – {ms[0].organisation.name}"))
        field = self.fields["members"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class JointServiceEndForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DATE)
    reason = forms.ChoiceField(
        label=_("End reason"),
        choices=[("", _("Choose the reason")), *JointServiceEndReason.choices],
    )


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessment date"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for domain in AssessmentDomain:
            self.fields[f"{domain.value}_rating"] = forms.TypedChoiceField(
                label=_("%(domain)s: rating") % {"domain": domain.label},
                choices=[("", "–")] + [(str(i), str(i)) for i in range(1, 6)],
                coerce=int,
                help_text=_("1 = great need of support, 5 = no need of support"),
            )
            self.fields[f"{domain.value}_text"] = forms.CharField(
                label=_("%(domain)s: description") % {"domain": domain.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def ratings(self) -> dict[str, tuple[int, str]]:
        return {
            d.value: (self.cleaned_data[f"{d.value}_rating"], self.cleaned_data[f"{d.value}_text"])
            for d in AssessmentDomain
        }


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(
        label=_("Who does what"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DATE)
    referrals = forms.MultipleChoiceField(
        label=_("Agreed services (referrals)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, referrals: list[Referral] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referrals"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (str(r.pk), f"{r.service.name} ({r.get_status_display()}, {r.sent_at:%d.%m.%Y})")
            for r in referrals or []
        ]


class PlanCreateForm(PlanForm):
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices)
    field_order = ["kind", "goals", "actions", "next_review_on", "referrals"]


class PlanReviseForm(PlanForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=PlanStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Transition"), choices=[("", _("Choose the transition")), *OutcomeKind.choices]
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Details"), max_length=500, required=False)


class FollowUpForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Follow-up"),
        choices=[("3", _("3 months")), ("6", _("6 months")), ("12", _("12 months"))],
        coerce=int,
    )
    status = forms.ChoiceField(label=_("Situation"), choices=FollowUpStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
