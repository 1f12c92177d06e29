"""Registry upkeep forms (issue 16). Bounds from ``silta.core.forms``; the services
validate again and put their errors next to these fields."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.clients.models import ClientLanguage
from silta.core import forms
from silta.places.models import Municipality

OHC_CHOICES = (
    ("", _("Not known")),
    ("yes", _("Yes")),
    ("no", _("No")),
)


def ohc_value(raw: str) -> bool | None:
    return {"yes": True, "no": False}.get(raw)


def ohc_raw(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _municipalities() -> list[tuple[str, str]]:
    return [(str(m.pk), m.name) for m in Municipality.objects.order_by("name_fi")]


class _IdentityFields(forms.Form):
    personal_id = forms.CharField(label=_("Personal identity code"), max_length=20)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_names = forms.CharField(label=_("First names"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=ClientLanguage.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    occupational_health_care = forms.ChoiceField(
        label=_("Has occupational health care"), choices=OHC_CHOICES, required=False
    )


class ClientAddForm(_IdentityFields):
    home_municipality = forms.ChoiceField(label=_("Home municipality"))
    home_since = forms.DateField(
        label=_("Resident in the municipality since"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_municipality"].choices = _municipalities()  # type: ignore[attr-defined]


class ClientCorrectForm(_IdentityFields):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClientMoveForm(forms.Form):
    municipality = forms.ChoiceField(label=_("New home municipality"))
    moved_on = forms.DateField(label=_("Moved on"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipalities()  # type: ignore[attr-defined]


class ClientDeceasedForm(forms.Form):
    died_on = forms.DateField(
        label=_("Date of death"), widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
