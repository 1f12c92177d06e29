from __future__ import annotations

from typing import Any

from django import template

from silta.integration.languages import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """An ISO 639 code's name in the page's language (CLDR via Babel)."""
    return _language_name(code) if code else ""


@register.inclusion_tag("integration/_interpreter_gaps.html", takes_context=True)
def interpreter_gaps(context: Any) -> dict[str, Any]:
    """The caseload's section: coming appointments and meetings that need an
    interpreter and have none booked (one access-log row each when any)."""
    from silta.integration.selectors import (
        interpreter_gaps_for,
        meeting_interpreter_gaps_for,
        session_interpreter_gaps_for,
    )

    request = context["request"]
    return {
        "rows": interpreter_gaps_for(actor=request.user, path=request.path),
        "meetings": meeting_interpreter_gaps_for(actor=request.user, path=request.path),
        "sessions": session_interpreter_gaps_for(actor=request.user, path=request.path),
    }


@register.inclusion_tag("integration/_meeting_interpreter_gaps.html", takes_context=True)
def meeting_interpreter_gaps(context: Any) -> dict[str, Any]:
    """Coming meetings of the bodies the user manages and sessions of the groups the
    user runs that need an interpreter and have none booked (shown only when there are
    some)."""
    from silta.integration.selectors import (
        meeting_interpreter_gaps_for,
        session_interpreter_gaps_for,
    )

    request = context["request"]
    return {
        "meetings": meeting_interpreter_gaps_for(actor=request.user, path=request.path),
        "sessions": session_interpreter_gaps_for(actor=request.user, path=request.path),
    }
