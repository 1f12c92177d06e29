"""Status machines as data: ``status -> the statuses it may move to``."""

from __future__ import annotations

from silta.governance.models import ActionStatus, AgreementStatus, NetworkCaseStatus

A = AgreementStatus
AGREEMENT_ALLOWED: dict[str, frozenset[str]] = {
    A.DRAFT: frozenset({A.CIRCULATED}),
    A.CIRCULATED: frozenset({A.IN_FORCE, A.SUPERSEDED}),
    A.IN_FORCE: frozenset({A.SUPERSEDED}),
    A.SUPERSEDED: frozenset(),
}
APPROVABLE = frozenset({A.CIRCULATED, A.IN_FORCE})
"""Municipalities decide on a version once it has been sent for approval."""

T = ActionStatus
ACTION_ALLOWED: dict[str, frozenset[str]] = {
    T.OPEN: frozenset({T.DONE, T.CANCELLED}),
    T.DONE: frozenset({T.OPEN}),
    T.CANCELLED: frozenset({T.OPEN}),
}

N = NetworkCaseStatus
CASE_ALLOWED: dict[str, frozenset[str]] = {
    N.REFERRED: frozenset({N.SCHEDULED, N.DECLINED, N.WITHDRAWN}),
    N.SCHEDULED: frozenset({N.CONSULTED, N.WITHDRAWN}),
    # a consulted case may come back for a follow-up consultation
    N.CONSULTED: frozenset({N.SCHEDULED, N.CLOSED}),
    N.CLOSED: frozenset(),
    N.DECLINED: frozenset(),
    N.WITHDRAWN: frozenset(),
}
CASE_OPEN = frozenset({N.REFERRED, N.SCHEDULED, N.CONSULTED})
CASE_BY_COORDINATOR = frozenset({N.SCHEDULED, N.CONSULTED, N.CLOSED, N.DECLINED})
CASE_BY_REFERRER = frozenset({N.WITHDRAWN})


def agreement_can_move(old: str, new: str) -> bool:
    return new in AGREEMENT_ALLOWED.get(old, frozenset())


def action_can_move(old: str, new: str) -> bool:
    return new in ACTION_ALLOWED.get(old, frozenset())


def case_can_move(old: str, new: str) -> bool:
    return new in CASE_ALLOWED.get(old, frozenset())
