"""A client and the records five organisations made of them, as real database rows,
for the policy-matrix and fuzz tests; and the test's own reading of the policy table
(the relations each viewer holds, from the scenario, not from Silta's code)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests import factories

from silta.accounts.models import Organisation, User
from silta.accounts.roles import OrganisationKind, Role
from silta.casework.models import (
    Appointment,
    Assessment,
    AssessmentDomain,
    AssessmentRating,
    Consent,
    JointService,
    JointServiceMember,
    Note,
    Outcome,
    Plan,
    PlanVersion,
    Referral,
)
from silta.catalogue.models import Service
from silta.clients.models import Client, ServiceRelationship
from silta.core import dates
from silta.privacy.policy import (
    CLIENT_WORK,
    DataClass,
    Relation,
    controller_id,
    record_class,
)

OPEN_REFERRAL = {"sent", "accepted", "scheduled"}


@dataclass
class Scenario:
    """Who works with the client, who is in the team, who consented to what."""

    active: set[str]
    ended: set[str]
    team: set[str]
    consents: list[tuple[str, str, str]]
    """(controller, recipient, data class)."""


@dataclass
class World:
    client: Client
    orgs: dict[str, Organisation]
    scenario: Scenario
    records: list[tuple[object, str]] = field(default_factory=list)
    """(record, marker text that shows it)."""
    viewers: list[tuple[User, str, Role]] = field(default_factory=list)

    def org_key(self, org_id: object) -> str:
        return next(k for k, o in self.orgs.items() if o.pk == org_id)

    def relations(self, viewer_org: str, record: object) -> set[str]:
        """The relations a viewer of ``viewer_org`` holds to ``record`` in this
        scenario, read off the scenario as a person would."""
        s = self.scenario
        kind, data_class = record_class(record)
        owner = self.org_key(controller_id(record))
        if kind == "finding":
            owner = self.org_key(record.to_organisation_id)  # type: ignore[attr-defined]
        active = viewer_org in s.active
        held: set[str] = set()
        if owner == viewer_org:
            held.add(Relation.CONTROLLER if active else Relation.CONTROLLER_ENDED)
        if active:
            held.add(Relation.RELATIONSHIP)
            if viewer_org in s.team and owner in s.team:
                held.add(Relation.TEAM)
        if isinstance(record, Referral) and kind == "referral":
            to = self.org_key(record.to_organisation_id)
            if to == viewer_org and (record.status in OPEN_REFERRAL or active):
                held.add(Relation.PARTY)
        if active and (owner, viewer_org, data_class) in set(s.consents):
            held.add(Relation.CONSENT)
        return held

    def may_open(self, viewer_org: str) -> bool:
        """The entry gate before the table: the organisation works or has worked
        with the client."""
        return viewer_org in self.scenario.active | self.scenario.ended


ORG_KINDS = {
    "emp": OrganisationKind.EMPLOYMENT_SERVICES,
    "soc": OrganisationKind.WELLBEING_COUNTY_UNIT,
    "hea": OrganisationKind.WELLBEING_COUNTY_UNIT,
    "kela": OrganisationKind.KELA,
    "far": OrganisationKind.EMPLOYMENT_SERVICES,
}
DEFAULT = Scenario(
    active={"emp", "soc", "kela"},
    ended={"hea"},
    team={"emp", "soc", "kela"},
    consents=[("hea", "emp", "health"), ("soc", "kela", "mental_health"), ("soc", "far", "social")],
)


def build(region, scenario: Scenario = DEFAULT, roles=None) -> World:  # type: ignore[no-untyped-def]
    today = dates.today()
    orgs = {k: factories.OrganisationFactory(kind=kind, name_fi=k) for k, kind in ORG_KINDS.items()}
    c = factories.client(region["272"])
    w = World(c, orgs, scenario)
    for key in scenario.active:
        ServiceRelationship.objects.create(
            client=c, organisation=orgs[key], kind="jobseeker", valid_from=today - dt.timedelta(60)
        )
    for key in scenario.ended - scenario.active:
        ServiceRelationship.objects.create(
            client=c,
            organisation=orgs[key],
            kind="health_services",
            valid_from=today - dt.timedelta(60),
            valid_to=today - dt.timedelta(1),
        )
    for key in orgs:
        for role in roles if roles is not None else sorted(CLIENT_WORK):
            user = factories.staff(Role(role), orgs[key], language="en")
            w.viewers.append((user, key, Role(role)))
    author = {k: factories.staff(Role.SOCIAL_WORKER, o) for k, o in orgs.items()}
    nurse = {k: factories.staff(Role.HEALTH_PROFESSIONAL, o) for k, o in orgs.items()}
    if len(scenario.team) >= 2:
        js = JointService.objects.create(client=c, started_on=today - dt.timedelta(30))
        for key in scenario.team:
            JointServiceMember.objects.create(
                joint_service=js, user=author[key], organisation=orgs[key], role="social_worker"
            )
    now = dates.now()
    for key, org in orgs.items():
        for visibility in ("own_organisation", "joint_team"):
            n = Note.objects.create(
                client=c, organisation=org, author=author[key], author_role="social_worker",
                visibility=visibility, text=f"@N-{visibility}-{key}@", written_at=now,
            )  # fmt: skip
            w.records.append((n, n.text))
        n = Note.objects.create(
            client=c, organisation=org, author=nurse[key], author_role="health_professional",
            visibility="health_only", text=f"@N-health-{key}@", written_at=now,
        )  # fmt: skip
        w.records.append((n, n.text))
        a = Assessment.objects.create(
            client=c, organisation=org, assessed_on=today, signed_by=author[key], signed_at=now
        )
        for domain in AssessmentDomain.values:
            r = AssessmentRating.objects.create(
                assessment=a, domain=domain, rating=3, text=f"@R-{domain}-{key}@"
            )
            w.records.append((r, r.text))
        for kind, prefix in (("activation", "PL"), ("multisectoral", "JP")):
            p = Plan.objects.create(
                client=c, organisation=org, kind=kind, next_review_on=today + dt.timedelta(30),
                created_by=author[key],
            )  # fmt: skip
            PlanVersion.objects.create(
                plan=p, number=1, status="draft", goals=f"@{prefix}-{key}@", author=author[key],
                saved_at=now, next_review_on=today + dt.timedelta(30),
            )  # fmt: skip
            w.records.append((p, f"@{prefix}-{key}@"))
        ap = Appointment.objects.create(
            client=c, organisation=org, starts_at=now, place=f"@A-{key}@", created_by=author[key]
        )
        w.records.append((ap, ap.place))
        o = Outcome.objects.create(
            client=c, organisation=org, kind="work_trial", occurred_on=today - dt.timedelta(100),
            note=f"@O-{key}@",
            recorded_by=author[key],
        )  # fmt: skip
        w.records.append((o, o.note))
    for i, (src, dst, status) in enumerate(
        [("emp", "hea", "completed"), ("soc", "kela", "sent"), ("kela", "emp", "declined")]
    ):
        service = Service.objects.filter(provider=orgs[dst]).first() or factories.service(
            orgs[dst], "health_check" if dst == "hea" else "work_ability_assessment"
        )
        r = Referral.objects.create(
            client=c, service=service, from_organisation=orgs[src], to_organisation=orgs[dst],
            sent_by=author[src], sent_at=now, reason=f"@REF-{i}-{src}-{dst}@", status=status,
            work_ability_concern=status == "completed",
        )  # fmt: skip
        w.records.append((r, r.reason))
    for controller, recipient, data_class in scenario.consents:
        cons = Consent.objects.create(
            client=c, controller=orgs[controller], recipient=orgs[recipient],
            data_classes=[data_class], purpose=f"@C-{controller}-{recipient}@",
            valid_from=today, given_how="in_writing", given_reference="lomake",
            recorded_by=author[controller], recorded_by_organisation=orgs[controller],
        )  # fmt: skip
        w.records.append((cons, cons.purpose))
    return w


def expected_kind_class(record: object) -> tuple[str, str]:
    return record_class(record)


__all__ = ["DEFAULT", "DataClass", "Scenario", "World", "build"]
