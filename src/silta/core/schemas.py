"""Ninja's ``Schema`` with Silta's input bounds (ADR 0020).

An API module writes ``from silta.core.schemas import Schema`` instead of ``from ninja
import Schema``. When ninja validates a request (its validation context carries the
request and no response status), every text refuses lone surrogates and control
characters and every date and date-time must lie in 1900–2100 and fit in UTC
(``silta.core.validation``). The API answers 422 with the field and a translated
message, as for any other malformed request. Responses are not checked: data written
before these bounds still reads.

A text field is multi-line (tab and line breaks allowed) when its name is one of
``MULTILINE_FIELDS`` - the names whose form fields are textareas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema as NinjaSchema
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from silta.core.validation import date_problem, text_problem

#: API fields holding multi-line text: the names of the forms' textareas (a test in
#: tests/core keeps the two in step).
MULTILINE_FIELDS = frozenset(
    {
        "actions",
        "answer",
        "decision",
        "decision_text",
        "description",
        "goals",
        "job_interests",
        "minutes",
        "note",
        "notes",
        "purpose",
        "questions",
        "reason",
        "recommendations",
        "submitters",
        "summary",
        "text",
        # integration services (issue 17)
        "education_text",
        "language_training_text",
        "other_services",
        "service_need",
        "work_history",
    }
)


def _is_request(info: ValidationInfo) -> bool:
    context = info.context
    return isinstance(context, dict) and "request" in context and "response_status" not in context


def _check(value: Any, *, multiline: bool) -> None:
    problem = None
    if isinstance(value, str):
        problem = text_problem(value, multiline=multiline)
    elif isinstance(value, dt.date):
        problem = date_problem(value)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check(item, multiline=multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, multiline=False)
            _check(item, multiline=multiline)
    if problem is not None:
        message = problem.message % problem.params if problem.params else problem.message
        raise PydanticCustomError(str(problem.code), str(message))


class Schema(NinjaSchema):
    @field_validator("*", mode="after")
    @classmethod
    def _input_bounds(cls, value: Any, info: ValidationInfo) -> Any:
        if _is_request(info):
            _check(value, multiline=info.field_name in MULTILINE_FIELDS)
        return value
