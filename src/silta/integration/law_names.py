"""The law's names by date (issue 17): multisectoral joint service promoting
employment, *TYP* (law 1369/2014), for work until 31.12.2024, and multisectoral
cooperation promoting employment (law 381/2023, *monialainen yhteistyö*) from
1.1.2025. Pages, reports and the synthetic data call these instead of writing either
name."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

TYP_LAST_DAY = dt.date(2024, 12, 31)


def joint_service_clients_label(first: dt.date, last: dt.date) -> str:
    """The label of the joint service figure for the period ``first..last``."""
    if last <= TYP_LAST_DAY:
        return gettext("Clients in multisectoral joint service (TYP, law 1369/2014)")
    if first > TYP_LAST_DAY:
        return gettext("Clients in multisectoral cooperation (law 381/2023)")
    return gettext(
        "Clients in multisectoral joint service (TYP, until 31.12.2024) and "
        "multisectoral cooperation (law 381/2023, from 1.1.2025)"
    )


def joint_team_name(on: dt.date) -> str:
    """The monthly joint team's name on a day (Finnish, as the synthetic data and the
    bodies' records write names)."""
    return "Yhteinen TYP-tiimi" if on <= TYP_LAST_DAY else "Monialaisen yhteistyön tiimi"


def joint_meeting_name(on: dt.date) -> str:
    """A joint team meeting with the client on a day (Finnish, as the synthetic data
    writes appointment places and notes)."""
    return "TYP-tiimitapaaminen" if on <= TYP_LAST_DAY else "Monialaisen yhteistyön tiimitapaaminen"


def joint_start_meeting_name(on: dt.date) -> str:
    """The first meeting of a client's joint service (Finnish, synthetic data)."""
    return (
        "TYP-aloitustapaaminen"
        if on <= TYP_LAST_DAY
        else "Monialaisen yhteistyön aloitustapaaminen"
    )


def joint_work_name(on: dt.date) -> str:
    """The joint work in a genitive title ("... tilannekatsaus"), Finnish, by date."""
    return "TYP-toiminnan" if on <= TYP_LAST_DAY else "Monialaisen yhteistyön"
