"""The "who sees what" help page: the policy table in words, for staff and the
data-protection officer. It shows no client data; every signed-in user may read it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from silta.accounts.decorators import authenticated
from silta.accounts.roles import Role
from silta.privacy.policy import LAW_SOURCES, RULES, Action, DataClass, RecordKind, Relation


@dataclass(frozen=True)
class Row:
    data_class: str
    relation: str
    roles: str
    actions: list[str]


@dataclass(frozen=True)
class Section:
    kind: str
    rows: list[Row]


def policy_sections() -> list[Section]:
    """The table grouped by record kind: one row per data class, relation and roles,
    with the actions it allows, in the table's order."""
    grouped: dict[str, dict[tuple[str, str, frozenset[Role]], list[str]]] = defaultdict(dict)
    for rule in RULES:
        key = (rule.data_class, rule.relation, rule.roles)
        grouped[rule.kind].setdefault(key, []).append(rule.action)
    sections = []
    for kind in RecordKind:
        rows = [
            Row(
                data_class=str(DataClass(cls).label),
                relation=str(Relation(rel).label),
                roles=", ".join(str(Role(r).label) for r in Role if r in roles),
                actions=[str(Action(a).label) for a in Action if a in actions],
            )
            for (cls, rel, roles), actions in grouped.get(kind.value, {}).items()
        ]
        sections.append(Section(str(kind.label), rows))
    return sections


@authenticated
@require_GET
def who_sees_what(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/who_sees_what.html",
        {
            "sections": policy_sections(),
            "laws": [
                (source, [str(Relation(r).label) for r in source.relations])
                for source in LAW_SOURCES
            ],
            "active": "privacy",
        },
    )
