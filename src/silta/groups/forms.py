from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Organisation, User
from silta.core import forms
from silta.groups.models import AbsenceReason, GroupKind, LeaveReason, Weekday
from silta.groups.selectors import SheetRow
from silta.places.models import Municipality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class GroupSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search groups"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    mine = forms.BooleanField(label=_("Only the groups I run"), required=False)
    all = forms.BooleanField(label=_("Also groups that are no longer active"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class GroupForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name of the group"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    leader_organisation = forms.ModelChoiceField(
        label=_("Leader organisation"), queryset=Organisation.objects.none()
    )
    leaders = forms.ModelMultipleChoiceField(
        label=_("Leaders"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff of the leader organisation who record sessions and attendance."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name_fi")
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=120
    )
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=200, initial=10)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        organisers: QuerySet[Organisation] | None,
        leader_organisations: QuerySet[Organisation],
        leaders: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisers is None:
            del self.fields["organiser"]
        else:
            field = self.fields["organiser"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisers
        orgs = self.fields["leader_organisation"]
        assert isinstance(orgs, forms.ModelChoiceField)
        orgs.queryset = leader_organisations
        people = self.fields["leaders"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = leaders
        people.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]


class ParticipantAddForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Personal identity code of the client"),
        max_length=11,
        min_length=11,
        help_text=_("A client your organisation works with."),
    )
    joined_on = forms.DateField(label=_("Joins on"), widget=DATE)
    intake_met_on = forms.DateField(label=_("Met the client in person on"), widget=DATE)
    intake_in_person = forms.BooleanField(
        label=_("The client was present at the intake"), required=False
    )


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Last day in the group"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=LeaveReason.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GenerateForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=DATE)
    end = forms.DateField(label=_("End date"), widget=DATE)


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(
        label=_("Start time"),
        widget=TIME,
        required=False,
        help_text=_("Empty: the group's usual time."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, required=False
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("Empty: the group's usual place."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


PRESENT, ABSENT = "present", "absent"


class AttendanceForm(forms.Form):
    """One row per participant of the session's day: present or absent (with a
    reason), and the version of the recorded row the edit began from."""

    def __init__(self, *args: Any, rows: list[SheetRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pid = row.participant.pk
            a = row.attendance
            name = f"{row.participant.client.last_name}, {row.participant.client.first_names}"
            self.fields[f"status_{pid}"] = forms.ChoiceField(
                label=name,
                choices=[(PRESENT, _("Present")), (ABSENT, _("Absent"))],
                widget=forms.RadioSelect,
                required=False,
                initial=(PRESENT if a.present else ABSENT) if a is not None else None,
            )
            self.fields[f"reason_{pid}"] = forms.ChoiceField(
                label=_("Reason for absence: %(name)s") % {"name": name},
                choices=[("", "–"), *AbsenceReason.choices],
                required=False,
                initial=a.absence_reason if a is not None else "",
            )
            self.fields[f"version_{pid}"] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                initial=a.version if a is not None else None,
            )

    def table(self) -> list[tuple[SheetRow, forms.BoundField, forms.BoundField]]:
        return [
            (row, self[f"status_{row.participant.pk}"], self[f"reason_{row.participant.pk}"])
            for row in self.rows
        ]

    def version_fields(self) -> list[forms.BoundField]:
        return [self[f"version_{row.participant.pk}"] for row in self.rows]
