"""Status machine as data: ``status -> the statuses it may move to``.

A referred client starts coaching or the episode ends (coaching did not start); an
active episode ends with an outcome. An ended episode is final: a new referral opens
a new episode."""

from __future__ import annotations

from silta.ips.models import EpisodeStatus

S = EpisodeStatus
ALLOWED: dict[str, frozenset[str]] = {
    S.REFERRED: frozenset({S.ACTIVE, S.ENDED}),
    S.ACTIVE: frozenset({S.ENDED}),
    S.ENDED: frozenset(),
}
OPEN = frozenset({S.REFERRED, S.ACTIVE})
RECORDING = frozenset({S.ACTIVE})
"""Steps, placements and support are recorded only while coaching is active."""


def can_move(old: str, new: str) -> bool:
    return new in ALLOWED.get(old, frozenset())
