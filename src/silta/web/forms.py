from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from silta.clients.identity import looks_like_personal_id, validate_personal_id
from silta.clients.models import RelationshipKind
from silta.core import forms
from silta.places.selectors import municipality_list


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or identity code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    municipality = forms.ChoiceField(label=_("Home municipality"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All municipalities"))] + [
            (m.code, m.name) for m in municipality_list()
        ]

    def clean_q(self) -> str:
        text: str = self.cleaned_data.get("q", "").strip()
        if text and looks_like_personal_id(text):
            try:
                return validate_personal_id(text)
            except ValidationError as exc:
                raise ValidationError(
                    _("Invalid identity code: %(reason)s"),
                    code=exc.code,
                    params={"reason": " ".join(exc.messages)},
                ) from None
        return text


class ClientImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    relationship = forms.ChoiceField(
        label=_("Client relationship for your organisation"),
        required=False,
        choices=[("", _("None")), *RelationshipKind.choices],
        help_text=_("Your organisation's staff see the imported clients only with a relationship."),
    )
