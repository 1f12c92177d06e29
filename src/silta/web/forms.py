from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from silta.clients.identity import looks_like_personal_id, validate_personal_id
from silta.clients.models import RelationshipKind
from silta.core import dates, forms
from silta.places.selectors import municipality_list

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_NO_SIGN = re.compile(r"^(\d{6})(\d{3}[0-9A-Y])$")


def compact_personal_id(text: str) -> str:
    """An identity code typed without its century sign (``0101909001``) with the sign
    put back, when its check character is right; other text unchanged. The century is
    the one that makes the person at least 15 years old today (Silta's clients are of
    working age): ``-`` for the 1900s, ``A`` for the 2000s."""
    t = "".join(text.split()).upper()
    m = _NO_SIGN.match(t)
    if m is None:
        return text
    digits = m.group(1) + m.group(2)[:3]
    if _CHECK[int(digits) % 31] != m.group(2)[3]:
        return text
    yy = int(m.group(1)[4:6])
    sign = "A" if 2000 + yy <= dates.today().year - 15 else "-"
    return f"{m.group(1)}{sign}{m.group(2)}"


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
        text: str = compact_personal_id(self.cleaned_data.get("q", "").strip())
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
