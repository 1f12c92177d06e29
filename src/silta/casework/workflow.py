"""Status machines as data: ``status -> the statuses it may move to``."""

from __future__ import annotations

from silta.casework.models import PlanStatus, ReferralStatus

R = ReferralStatus
REFERRAL_ALLOWED: dict[str, frozenset[str]] = {
    R.SENT: frozenset({R.ACCEPTED, R.DECLINED, R.CANCELLED}),
    R.ACCEPTED: frozenset({R.SCHEDULED, R.CANCELLED}),
    R.SCHEDULED: frozenset({R.COMPLETED, R.NOT_COMPLETED, R.CANCELLED}),
    R.DECLINED: frozenset(),
    R.COMPLETED: frozenset(),
    R.NOT_COMPLETED: frozenset(),
    R.CANCELLED: frozenset(),
}
REFERRAL_OPEN = frozenset({R.SENT, R.ACCEPTED, R.SCHEDULED})
REFERRAL_CLOSED = frozenset(s for s, nxt in REFERRAL_ALLOWED.items() if not nxt)

# Who makes the move: the receiving organisation handles the referral; the sending
# organisation may cancel it while it is open.
REFERRAL_BY_RECEIVER = frozenset(
    {R.ACCEPTED, R.DECLINED, R.SCHEDULED, R.COMPLETED, R.NOT_COMPLETED}
)
REFERRAL_BY_SENDER = frozenset({R.CANCELLED})

P = PlanStatus
PLAN_ALLOWED: dict[str, frozenset[str]] = {
    P.DRAFT: frozenset({P.AGREED, P.CLOSED}),
    P.AGREED: frozenset({P.UNDER_REVIEW, P.CLOSED}),
    P.UNDER_REVIEW: frozenset({P.AGREED, P.CLOSED}),
    P.CLOSED: frozenset(),
}


def referral_can_move(old: str, new: str) -> bool:
    return new in REFERRAL_ALLOWED.get(old, frozenset())


def plan_can_move(old: str, new: str) -> bool:
    return new in PLAN_ALLOWED.get(old, frozenset())
