"""Status machines as data: ``status -> the statuses it may move to``."""

from __future__ import annotations

from silta.rehab.models import FeeClaimStatus

F = FeeClaimStatus
FEE_CLAIM_ALLOWED: dict[str, frozenset[str]] = {
    F.CLAIMED: frozenset({F.APPROVED, F.REJECTED}),
    F.APPROVED: frozenset(),
    F.REJECTED: frozenset(),
}


def fee_claim_can_move(old: str, new: str) -> bool:
    return new in FEE_CLAIM_ALLOWED.get(old, frozenset())
