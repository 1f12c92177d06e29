from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from silta.clients.identity import (
    IdentityError,
    birth_date_of,
    looks_like_personal_id,
    validate_personal_id,
)


@pytest.mark.parametrize(
    ("code", "born"),
    [
        ("131052-308T", dt.date(1952, 10, 13)),  # classic 1900s sign
        ("131052Y308T", dt.date(1952, 10, 13)),  # 2023 sign for the 1900s
        ("131052X308T", dt.date(1952, 10, 13)),
        ("010594U452H", dt.date(1994, 5, 1)),
        ("010103A005C", dt.date(2003, 1, 1)),  # classic 2000s sign
        ("010103B005C", dt.date(2003, 1, 1)),  # 2023 sign for the 2000s
        ("010103F005C", dt.date(2003, 1, 1)),
        (" 131052-308t ", dt.date(1952, 10, 13)),  # spaces and lower case are tidied
    ],
)
def test_valid_codes_are_accepted_with_their_birth_date(code: str, born: dt.date) -> None:
    # given a well-formed code, when it is validated, then the compact code comes back
    result = validate_personal_id(code, allow_temporary=False)
    assert result == code.strip().upper()
    assert birth_date_of(result) == born


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("310252-308T", IdentityError.DATE),  # 31 February
        ("131352-308T", IdentityError.DATE),  # month 13
        ("131052-001T", IdentityError.DATE),  # individual numbers start from 002
        ("131052-308U", IdentityError.CHECKSUM),  # wrong check character
        ("131052-308", IdentityError.FORMAT),  # too short
        ("131052-308TT", IdentityError.FORMAT),  # too long
        ("131052Z308T", IdentityError.FORMAT),  # unknown century sign
        ("", IdentityError.FORMAT),
    ],
)
def test_invalid_codes_are_refused_with_a_coded_reason(code: str, error: IdentityError) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(code, allow_temporary=True)
    assert exc.value.code == error


def test_temporary_range_is_refused_unless_allowed() -> None:
    # given a code with individual number 900-999 (never assigned to real people)
    code = "010594Y9032"
    # when synthetic ids are not allowed, then it is refused with its own code
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(code, allow_temporary=False)
    assert exc.value.code == IdentityError.TEMPORARY
    # when they are allowed, it passes
    assert validate_personal_id(code, allow_temporary=True) == code


def test_the_setting_decides_when_not_given() -> None:
    code = "010594Y9032"
    with override_settings(SILTA_ALLOW_SYNTHETIC_IDS=False), pytest.raises(ValidationError):
        validate_personal_id(code)
    with override_settings(SILTA_ALLOW_SYNTHETIC_IDS=True):
        assert validate_personal_id(code) == code


def test_search_text_is_recognised_as_an_identity_code() -> None:
    assert looks_like_personal_id("131052-308T")
    assert looks_like_personal_id("010103B")
    assert not looks_like_personal_id("Korhonen")
    assert not looks_like_personal_id("1310")
