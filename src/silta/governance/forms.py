from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Organisation, User
from silta.accounts.roles import Perm, Role, role_has
from silta.casework.models import Plan
from silta.core import forms
from silta.governance.indicators import STATISTICS
from silta.governance.models import (
    ActionStatus,
    AgendaItem,
    AgreementStatus,
    AgreementVersion,
    ApprovalDecision,
    BodyKind,
    ConsultationOutcome,
    Decision,
    IndicatorDirection,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    NetworkCaseStatus,
)
from silta.governance.selectors import MeetingSlot
from silta.places.models import Municipality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApprovalForm(forms.Form):
    version = forms.ChoiceField(label=_("Version"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    body = forms.CharField(
        label=_("Decision-making body"),
        max_length=200,
        help_text=_(
            "For example Keski-Pohjanmaan työllisyyslautakunta or Kannuksen kaupunginhallitus"
        ),
    )
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DATE)
    section_number = forms.IntegerField(label=_("Section (§)"), min_value=1, max_value=9999)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("Choose the decision")), *ApprovalDecision.choices]
    )
    record_number = forms.CharField(
        label=_("Record number"), max_length=40, help_text=_("For example 49/00.04.01/2026")
    )
    decision_text = forms.CharField(
        label=_("Decision in the minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        versions: list[AgreementVersion],
        parties: list[Municipality],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        version = self.fields["version"]
        assert isinstance(version, forms.ChoiceField)
        version.choices = [
            (
                str(v.pk),
                _("Version %(n)s (%(status)s)") % {"n": v.number, "status": v.get_status_display()},
            )
            for v in versions
        ]
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        # any municipality passes the form: the service refuses one outside the
        # agreement with its own message; the list offers the parties only
        municipality.queryset = Municipality.objects.all()
        municipality.widget.choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *[(str(m.pk), m.name) for m in parties],
        ]


class DelegationForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    delegate_organisation = forms.ModelChoiceField(
        label=_("Delegate organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name_fi"),
        required=False,
    )
    delegate_user = forms.ModelChoiceField(
        label=_("Delegate person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Name either an organisation or a person."),
    )
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        max_length=200,
        help_text=_("For example Halsuan kunnanhallitus 3.3.2026 § 45"),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE, required=False)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])
        users = self.fields["delegate_user"]
        assert isinstance(users, forms.ModelChoiceField)
        users.queryset = (
            User.objects.filter(is_active=True, memberships__role__in=_RECORDING_ROLES)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        users.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]


_RECORDING_ROLES = [r for r in Role if role_has(r, Perm.GOVERNANCE_MANAGE)]


class DelegationEndForm(forms.Form):
    valid_to = forms.DateField(label=_("Last day"), widget=DATE)


class VersionMoveForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[c for c in AgreementStatus.choices if c[0] != AgreementStatus.DRAFT],
    )
    on = forms.DateField(label=_("Date"), widget=DATE)


class StatisticField(forms.ChoiceField):
    """The registered statistics as choices; any other name is left for the service to
    refuse with its own message (naming the known statistics), not Django's generic
    "select a valid choice"."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class IndicatorForm(forms.Form):
    title = forms.CharField(label=_("Indicator"), max_length=300)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    direction = forms.ChoiceField(label=_("Direction"), choices=IndicatorDirection.choices)
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    statistic = StatisticField(
        label=_("Statistic"),
        required=False,
        help_text=_(
            "The value is computed from Silta's records; leave empty to record it by hand."
        ),
    )
    manual_value = forms.DecimalField(
        label=_("Value recorded by hand"), max_digits=14, decimal_places=2, required=False
    )
    manual_value_on = forms.DateField(label=_("Value as of"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["statistic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None: recorded by hand"))] + [
            (name, str(s.label)) for name, s in sorted(STATISTICS.items())
        ]


class IndicatorEditForm(IndicatorForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _organisations() -> Any:
    return Organisation.objects.filter(is_active=True).order_by("name_fi")


def _organisation_label(organisation: Organisation) -> str:
    return organisation.name


class _OrganisationField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _organisation_label(obj)


class AgreementForm(forms.Form):
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=300)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Party municipalities"),
        queryset=Municipality.objects.order_by("name_fi"),
        widget=forms.CheckboxSelectMultiple,
    )


class AgreementEditForm(AgreementForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreementNewForm(AgreementForm):
    owner = _OrganisationField(label=_("Prepared by"), queryset=Organisation.objects.none())
    summary = forms.CharField(
        label=_("What the first version is about"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, owners: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Organisation.objects.filter(pk__in=[o.pk for o in owners]).order_by(
            "name_fi"
        )


class VersionForm(forms.Form):
    summary = forms.CharField(
        label=_("What changes in the new version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The new version starts as a copy of the latest one."),
    )


class SectionForm(forms.Form):
    number = forms.IntegerField(label=_("Section number"), min_value=1, max_value=999)
    heading = forms.CharField(label=_("Heading"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))


class SectionEditForm(SectionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = _OrganisationField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _organisations()


class GoalEditForm(GoalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class BodyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose the kind")), *BodyKind.choices]
    )
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BodyNewForm(BodyForm):
    convener = _OrganisationField(label=_("Convener"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, conveners: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["convener"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in conveners]).order_by(
            "name_fi"
        )


class BodyEditForm(BodyForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Silta user"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("Or leave empty and write the name or the title below."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    organisation = _OrganisationField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    valid_from = forms.DateField(label=_("Member from"), widget=DATE)
    valid_to = forms.DateField(label=_("Member until"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        user.label_from_instance = _user_label  # type: ignore[method-assign,assignment]
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = _organisations()


class MemberEditForm(MemberForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MinutesForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    section_number = forms.IntegerField(label=_("Section (§)"), min_value=1, max_value=9999)
    agenda_item = forms.ChoiceField(label=_("Agenda item"), required=False)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "–")] + [(str(i.pk), f"{i.number}. {i.title}") for i in items]


def _user_label(user: User) -> str:
    return str(user.get_full_name() or user.username)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    decision = forms.ChoiceField(label=_("Decision"), required=False)

    def __init__(
        self, *args: Any, owners: list[User], decisions: list[Decision], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(pk__in=[u.pk for u in owners]).order_by(
            "last_name", "first_name"
        )
        owner.label_from_instance = _user_label  # type: ignore[method-assign,assignment]
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "–")] + [
            (str(d.pk), f"§ {d.section_number}: {d.text[:60]}") for d in decisions
        ]


class ActionMoveForm(forms.Form):
    to_status = forms.ChoiceField(choices=ActionStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _plan_label(plan: Plan) -> str:
    return _("%(kind)s (%(status)s, version %(n)s)") % {
        "kind": plan.get_kind_display(),
        "status": plan.get_status_display(),
        "n": plan.version,
    }


class NetworkReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why is the client's work ability unclear? What has been tried?"),
    )
    questions = forms.CharField(
        label=_("Questions to the network"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan = forms.ChoiceField(
        label=_("Plan for the network's recommendations"),
        help_text=_("The outcome and recommendations are written to this plan as a new version."),
    )

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose the plan"))] + [(str(p.pk), _plan_label(p)) for p in plans]


class ScheduleForm(forms.Form):
    meeting = forms.ChoiceField(label=_("Meeting"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, slots: list[MeetingSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a meeting"))] + [
            (
                str(s.meeting.pk),
                _("%(day)s – %(free)s of %(limit)s places free")
                % {"day": s.meeting.held_on.strftime("%d.%m.%Y"), "free": s.free, "limit": s.limit},
            )
            for s in slots
        ]


class CaseMoveForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s, label)
            for s, label in NetworkCaseStatus.choices
            if s
            in {NetworkCaseStatus.CLOSED, NetworkCaseStatus.DECLINED, NetworkCaseStatus.WITHDRAWN}
        ],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsultationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose the outcome")), *ConsultationOutcome.choices]
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), widget=forms.Textarea(attrs={"rows": 5})
    )
    plan = forms.ChoiceField(
        label=_("Plan"),
        help_text=_("The outcome and recommendations are saved to this plan as a new version."),
    )
    next_review_on = forms.DateField(label=_("Next review of the plan"), widget=DATE)

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ChoiceField)
        # the value carries the version the coordinator saw: a plan saved meanwhile
        # answers 409 instead of overwriting
        field.choices = [("", _("Choose the plan"))] + [
            (f"{p.pk}:{p.version}", _plan_label(p)) for p in plans
        ]
