"""Personal identity codes (HETU), validated by python-stdnum.

Both the classic century signs (+, -, A) and the signs added in 2023 (Y X W V U for
the 1900s, B C D E F for the 2000s) are accepted. Individual numbers 900-999 are a
temporary range never given to real people: Silta's synthetic data use it, and it is
accepted from input only when the SILTA_ALLOW_SYNTHETIC_IDS setting is on.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.fi import hetu

_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}
_CENTURY.update(dict.fromkeys("ABCDEF", 2000))


class IdentityError(StrEnum):
    FORMAT = "identity.format"
    DATE = "identity.date"
    CHECKSUM = "identity.checksum"
    TEMPORARY = "identity.temporary_not_allowed"


def validate_personal_id(value: str, *, allow_temporary: bool | None = None) -> str:
    """Return the compact, upper-case code or raise a coded ValidationError."""
    if allow_temporary is None:
        allow_temporary = settings.SILTA_ALLOW_SYNTHETIC_IDS
    code = hetu.compact(value or "")
    try:
        hetu.validate(code, allow_temporary=True)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("The check character of the identity code is wrong."),
            code=IdentityError.CHECKSUM,
        ) from None
    except stdnum_errors.InvalidComponent:
        raise ValidationError(
            _("The identity code has an invalid date or individual number."),
            code=IdentityError.DATE,
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "An identity code has 11 characters: DDMMYY, a century sign, "
                "three digits and a check character."
            ),
            code=IdentityError.FORMAT,
        ) from None
    if not allow_temporary and 900 <= int(code[7:10]) <= 999:
        raise ValidationError(
            _(
                "Identity codes with individual number 900-999 are temporary codes and "
                "are not accepted here."
            ),
            code=IdentityError.TEMPORARY,
        )
    return code


def birth_date_of(code: str) -> dt.date:
    """The birth date encoded in a valid identity code."""
    century = _CENTURY[code[6]]
    return dt.date(century + int(code[4:6]), int(code[2:4]), int(code[0:2]))


def looks_like_personal_id(text: str) -> bool:
    """Whether a search term is meant as an identity code (6 digits, then a sign)."""
    t = text.strip().upper()
    return len(t) >= 7 and t[:6].isdigit() and t[6] in _CENTURY
