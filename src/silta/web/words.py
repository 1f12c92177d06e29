"""The words for the codes Silta writes in its logs and records (issue 18: no code is
ever shown). An access basis (``client_relationship:jobseeker;own_organisation``), a
data section of the access log (``casework:referrals,notes``), a role or a status is
stored as a code and shown through these functions, in the active language. A code
without a word here is shown as a general phrase, never as itself.

Templates use them through ``{% load silta_words %}``: ``{{ code|basis_text }}``,
``{{ code|section_text }}``, ``{{ code|role_text }}``."""

from __future__ import annotations

import functools

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The bases written to the access log (casework/policies.py ``_BASIS``, the apps'
# ``*_BASIS`` constants) and on what they rest.
BASES: dict[str, Promise] = {
    "own_organisation": _("The organisation's own client record"),
    "own_organisation:health_role": _(
        "The organisation's own client record, read by a health professional"
    ),
    "own_record": _("A record the organisation made itself (the client relationship has ended)"),
    "referral_received": _("A referral the organisation received"),
    "law:joint_service": _("The statutory task of the joint service team"),
    "client_relationship": _("Client relationship"),
    "consent": _("The client's consent"),
    "task:data_subject_request": _("The client's request to see their data"),
    "task:employment_area_cost_radar": _("Following the employment area's costs"),
    "task:group_leader": _("Leading the client's group"),
    "task:group_organiser": _("Organising group activities"),
    "task:ips_intake": _("Starting IPS coaching with the client"),
    "task:municipal_funding_share": _("Task: the municipal funding share of the home municipality"),
    "task:rehab_organiser": _("Organising rehabilitative work activity"),
    "task:work_ability_identification": _("Finding clients who may need a work ability assessment"),
    "task:work_ability_network": _("The task of the work ability network"),
    "network_referral_sent": _("A referral the organisation sent to the work ability network"),
    "ips_coach:own_episode": _("The client's own IPS job coach"),
    "client_relationship:placement": _("Placement in rehabilitative work activity"),
}

# The first part of an access-log section: which part of Silta was read.
SECTION_AREAS: dict[str, Promise] = {
    "casework": _("Case work"),
    "client_page": _("Client page"),
    "client_search": _("Client search"),
    "access_report": _("Access report"),
    "subject_access_export": _("All of the client's data, at the client's request"),
    "erasure_request": _("Request to erase the client's data"),
    "governance": _("Work ability network"),
    "network": _("Work ability network"),
    "groups": _("Group activities"),
    "ips": _("IPS coaching"),
    "rehab_placement": _("Rehabilitative work activity"),
    "rehab_placements": _("Rehabilitative work activity"),
    "rehab_fee_claim": _("Outcome-based fee of rehabilitative work activity"),
    "rehab_statement": _("Monthly statement of rehabilitative work activity"),
    "rehab_kela_list": _("List for Kela of rehabilitative work activity"),
    "rehab_state_list": _("List for the state of rehabilitative work activity"),
    "funding_reconciliation": _("Kela invoice"),
    "funding_explanation": _("Funding share"),
    "funding_compute_export": _("Funding share"),
    "funding_radar": _("Cost radar"),
    "mine": _("My caseload"),
    "reviews": _("My caseload"),
    "waiting": _("My caseload"),
    "upcoming": _("My caseload"),
    "follow_ups": _("My caseload"),
}

# The parts after the colon: which data.
SECTION_PARTS: dict[str, Promise] = {
    "identity": _("identity"),
    "home_municipality": _("home municipality"),
    "contacts": _("contact details"),
    "benefits": _("benefits"),
    "joint_service": _("joint service"),
    "consents": _("consents"),
    "referrals": _("referrals"),
    "referral": _("referral"),
    "appointments": _("appointments"),
    "notes": _("case notes"),
    "assessments": _("service-need assessments"),
    "plans": _("plans"),
    "plan": _("plan"),
    "form": _("form"),
    "caseload": _("caseload"),
    "referral_inbox": _("referrals received"),
    "work_ability_candidates": _("clients who may need a work ability assessment"),
    "all": _("all data"),
    "payments": _("benefit payments"),
    "counter": _("unemployment benefit days"),
    "shares": _("funding shares"),
    "expected_cost": _("expected cost"),
    "next_step": _("next step"),
    "municipal_share": _("municipal share"),
    "network_meeting_agenda": _("network meeting agenda"),
    "network_queue": _("clients waiting for the network"),
    "network_case": _("network case"),
    "network_consultation": _("network consultation"),
    "referral_form": _("referral form"),
    "participants": _("participants"),
    "attendance": _("attendance"),
    "participant_form": _("participant form"),
    "episodes": _("clients in coaching"),
    "episode": _("coaching"),
    "episode_form": _("coaching form"),
    "intake": _("intake"),
    "referral_to_take": _("referral to take"),
    "referrals_to_take": _("referrals to take"),
    "new_form": _("new placement form"),
    "outcome": _("outcome"),
    "placement": _("placement"),
}


def basis_text(code: str) -> str:
    """An access basis (or several, ``;``-separated) in words."""
    words: list[str] = []
    for part in (p.strip() for p in (code or "").split(";")):
        if not part:
            continue
        text = _one_basis(part)
        if text not in words:
            words.append(text)
    return "; ".join(words)


def _one_basis(code: str) -> str:
    if code in BASES:
        return str(BASES[code])
    kind, _sep, detail = code.partition(":")
    if kind == "consent":
        return str(BASES["consent"])
    if kind == "client_relationship":
        from silta.clients.models import RelationshipKind

        try:
            return gettext("Client relationship: %(kind)s") % {
                "kind": str(RelationshipKind(detail).label)
            }
        except ValueError:
            return str(BASES["client_relationship"])
    if kind == "task":
        return gettext("A task of the organisation")
    return gettext("Another recorded basis")


def section_text(code: str) -> str:
    """An access-log section (``area:part,part``) in words."""
    area, _sep, detail = (code or "").partition(":")
    head = SECTION_AREAS.get(area)
    parts = [str(SECTION_PARTS[p]) for p in detail.split(",") if p in SECTION_PARTS]
    if head is None:
        head = _("Client data")
    if not parts:
        return str(head)
    return f"{head}: {', '.join(parts)}"


def role_text(code: str) -> str:
    """A role code in words (the label of ``Role``), or a general phrase."""
    from silta.accounts.roles import Role

    try:
        return str(Role(code).label)
    except ValueError:
        return gettext("Staff member") if code else ""


def indicator_title(title: str, statistic: str) -> str:
    """An agreement indicator's title for the reader: when the title is its linked
    statistic's own name in one of Silta's languages (as the demo and a new agreement
    write it), the name in the reader's language; otherwise the agreement's own text."""
    from django.utils import translation

    from silta.governance.indicators import STATISTICS

    stat = STATISTICS.get(statistic) if statistic else None
    if stat is None:
        return in_reader_language(title)
    names = set()
    for lang in ("fi", "sv", "en"):
        with translation.override(lang):
            names.add(str(stat.label))
    if title in names:
        return str(stat.label)  # in the reader's language
    return in_reader_language(title)


def in_reader_language(text: str) -> str:
    """A stored text that is one of Silta's own Finnish or Swedish texts (the demo's
    agreement writes its indicators and members' roles so), in the reader's language;
    any other text unchanged."""
    msgid = _msgids_by_translation().get(text)
    return gettext(msgid) if msgid else text


@functools.cache
def _msgids_by_translation() -> dict[str, str]:
    """Finnish and Swedish texts of the catalogues -> their English msgid."""
    import gettext as gnu
    from pathlib import Path

    locale = Path(__file__).resolve().parent.parent / "locale"
    out: dict[str, str] = {}
    for lang in ("fi", "sv"):
        mo = locale / lang / "LC_MESSAGES" / "django.mo"
        if not mo.exists():
            continue
        with mo.open("rb") as fh:
            catalog = gnu.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        for msgid, text in catalog.items():
            if isinstance(msgid, str) and msgid and isinstance(text, str):
                out.setdefault(text, msgid)
    return out
