"""Status machine as data: ``status -> the statuses it may move to``.

An initiative is answered only after it has been sent for preparation, and handled only
after the board has answered it (the minutes' order: council → board's preparation →
board's decision → council notes the answer)."""

from __future__ import annotations

from silta.initiatives.models import InitiativeStatus

S = InitiativeStatus
ALLOWED: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.IN_PREPARATION}),
    S.IN_PREPARATION: frozenset({S.ANSWERED}),
    S.ANSWERED: frozenset({S.HANDLED}),
    S.HANDLED: frozenset(),
}
OPEN = frozenset(s for s in ALLOWED if s != S.HANDLED)
PREPARABLE = frozenset({S.IN_PREPARATION})
"""The preparers write the answer and pull figures only while in preparation."""


def can_move(old: str, new: str) -> bool:
    return new in ALLOWED.get(old, frozenset())
