from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Organisation
from silta.casework.models import OutcomeKind, Plan
from silta.core import forms
from silta.places.models import Municipality
from silta.rehab.attendance import DayEntry, day_label
from silta.rehab.models import (
    AbsenceReason,
    Contract,
    FeeClaimStatus,
    PlacementEndReason,
    Transition,
    WorkSite,
)


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlacementForm(forms.Form):
    work_site = forms.ChoiceField(label=_("Provider and work site"))
    contract = forms.ChoiceField(label=_("Contract"))
    plan = forms.ChoiceField(
        label=_("Plan"),
        required=False,
        help_text=_("The client's activation or multisectoral plan."),
    )
    start_on = forms.DateField(label=_("Start date"), widget=DATE)
    planned_end_on = forms.DateField(label=_("Planned end date"), widget=DATE)
    days_per_week = forms.TypedChoiceField(
        label=_("Days a week"), coerce=int, choices=[(n, str(n)) for n in range(1, 5)]
    )
    hours_per_day = forms.DecimalField(
        label=_("Hours a day"), max_digits=3, decimal_places=1, initial=Decimal(6)
    )
    tasks = forms.CharField(label=_("Tasks"), max_length=500, required=False)
    social_assistance = forms.BooleanField(
        label=_("Gets social assistance (activity allowance instead of Kela's expense allowance)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        sites: Sequence[WorkSite],
        contracts: Sequence[Contract],
        plans: Sequence[Plan],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "work_site",
            [(str(s.pk), f"{s.provider.organisation.name} – {s.name}") for s in sites],
        )
        _set_choices(
            self,
            "contract",
            [(str(c.pk), f"{c.provider.organisation.name} – {c.reference}") for c in contracts],
        )
        _set_choices(
            self,
            "plan",
            [("", _("No plan"))]
            + [(str(p.pk), f"{p.get_kind_display()} ({p.get_status_display()})") for p in plans],
        )


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason"), choices=PlacementEndReason.choices)
    outcome_kind = forms.ChoiceField(
        label=_("Transition"),
        required=False,
        choices=[("", _("No transition")), *OutcomeKind.choices],
        help_text=_("When the reason is a transition: what the client moved on to."),
    )
    outcome_on = forms.DateField(label=_("Transition starts on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Details"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


STATUS_CHOICES = [("", _("Not recorded")), ("present", _("Present")), ("absent", _("Absent"))]


class WeekForm(forms.Form):
    """The week grid: one row per day, present with hours or absent with a reason."""

    def __init__(self, *args: Any, days: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days = list(days)
        for i, wd in enumerate(self.days):
            if not wd.open:
                continue
            label = day_label(wd.day)
            self.fields[f"d{i}_status"] = forms.ChoiceField(
                label=_("Attendance on %(day)s") % {"day": label},
                choices=STATUS_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"d{i}_hours"] = forms.CharField(
                label=_("Hours on %(day)s") % {"day": label},
                required=False,
                max_length=6,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "4"}),
            )
            self.fields[f"d{i}_reason"] = forms.ChoiceField(
                label=_("Reason for absence on %(day)s") % {"day": label},
                choices=[("", "–"), *AbsenceReason.choices],
                required=False,
            )
            row = wd.row
            if row is not None:
                self.initial[f"d{i}_status"] = "present" if row.present else "absent"
                self.initial[f"d{i}_hours"] = (
                    f"{row.hours.normalize():f}".replace(".", ",") if row.hours is not None else ""
                )
                self.initial[f"d{i}_reason"] = row.absence_reason

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for i, wd in enumerate(self.days):
            if wd.open:
                out.append(
                    {
                        "wd": wd,
                        "index": i,
                        "status": self[f"d{i}_status"],
                        "hours": self[f"d{i}_hours"],
                        "reason": self[f"d{i}_reason"],
                    }
                )
            else:
                out.append({"wd": wd, "index": i})
        return out

    def entries(self) -> list[DayEntry]:
        """The days given (status chosen). Hours that are not a number are a form error."""
        out = []
        for i, wd in enumerate(self.days):
            if not wd.open:
                continue
            status = self.cleaned_data.get(f"d{i}_status") or ""
            if not status:
                continue
            text = (self.cleaned_data.get(f"d{i}_hours") or "").strip().replace(",", ".")
            hours: Decimal | None = None
            if text:
                try:
                    hours = Decimal(text)
                    if not hours.is_finite():
                        raise InvalidOperation
                except InvalidOperation:
                    self.add_error(
                        f"d{i}_hours",
                        _("%(day)s: the hours must be a number.") % {"day": day_label(wd.day)},
                    )
                    continue
            out.append(
                DayEntry(
                    wd.day,
                    status == "present",
                    hours,
                    self.cleaned_data.get(f"d{i}_reason") or "",
                    i,
                )
            )
        return out

    def field_for(self, day: dt.date) -> str | None:
        for i, wd in enumerate(self.days):
            if wd.day == day and wd.open:
                return f"d{i}_status"
        return None


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance file (CSV)"),
        help_text=_(
            "CSV as Excel saves it (comma or semicolon separated, UTF-8 or Windows-1252) "
            "with the header personal_id,date,status,hours,absence_reason; status present "
            "or absent; dates as YYYY-MM-DD; hours with a decimal comma or point."
        ),
    )


class FeeClaimForm(forms.Form):
    note = forms.CharField(label=_("Note to Soite"), max_length=500, required=False)


class FeeDecisionForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(FeeClaimStatus.APPROVED, _("Approve")), (FeeClaimStatus.REJECTED, _("Reject"))],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FeeReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ProviderForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    business_id = forms.CharField(label=_("Business ID (Y-tunnus)"), max_length=12)

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "organisation", [(str(o.pk), o.name) for o in organisations])


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name_fi")
    )


class _TermsForm(forms.Form):
    price_per_day = forms.DecimalField(
        label=_("Price per participant-day (€)"), max_digits=8, decimal_places=2
    )
    outcome_fee = forms.DecimalField(label=_("Outcome fee (€)"), max_digits=9, decimal_places=2)
    qualifying_transitions = forms.MultipleChoiceField(
        label=_("Transitions that qualify for the fee"),
        choices=Transition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_places = forms.IntegerField(label=_("Maximum places"), min_value=1)


class ContractForm(_TermsForm):
    reference = forms.CharField(label=_("Contract reference"), max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE)

    field_order = ["reference", "valid_from", "valid_to"]


class ContractReviseForm(_TermsForm):
    effective_from = forms.DateField(label=_("Terms effective from"), widget=DATE)
    valid_to = forms.DateField(label=_("Contract valid to"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["effective_from", "valid_to"]


class StatementApproveForm(forms.Form):
    """Check or approve: the page's total and statement version (0 for a draft)."""

    expected_total = forms.DecimalField(widget=forms.HiddenInput, max_digits=12, decimal_places=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=1_000_000)


class StatementSendForm(forms.Form):
    invoice_reference = forms.CharField(label=_("Invoice reference"), max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=1_000_000)


class OutcomeConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=1_000_000)


class OutcomeCorrectForm(forms.Form):
    outcome_kind = forms.ChoiceField(label=_("Corrected transition"), required=False)
    outcome_on = forms.DateField(label=_("The transition starts"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=1_000_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "outcome_kind",
            [("", _("No transition (withdraw it)")), *OutcomeKind.choices],
        )
