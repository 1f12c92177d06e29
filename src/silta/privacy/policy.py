"""Who may read, change and end which client record: one table (role x record kind x
data class x relation to the controller x action), read by the code, the "who sees
what" help page and the matrix test (docs/adr/0014-controllers-and-disclosure.md).

Every record is in the register of its *controller*, the organisation that made it
(DOMAIN.md §3.5). A viewer stands in one or more *relations* to a record: its
organisation is the controller (with the client relationship active, or ended), a
party to it (the receiver of a referral), in the client's joint service team with the
controller, holds a consent the controller recorded, or merely works with the client.
A rule names the relation that opens the record; nothing else does (deny by
default)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.accounts.roles import Role


class DataClass(models.TextChoices):
    """What a record holds. The four classes after BASIC leave their controller only on
    the client's consent or a statutory basis the controller chose."""

    BASIC = "basic", _("Case-work data")
    SOCIAL = "social", _("Social welfare data")
    HEALTH = "health", _("Health data")
    MENTAL_HEALTH = "mental_health", _("Mental health data")
    SUBSTANCE_USE = "substance_use", _("Substance use data")


CONSENT_CLASSES: tuple[str, ...] = (
    DataClass.SOCIAL,
    DataClass.HEALTH,
    DataClass.MENTAL_HEALTH,
    DataClass.SUBSTANCE_USE,
)
HEALTH_CLASSES = frozenset({DataClass.HEALTH, DataClass.MENTAL_HEALTH, DataClass.SUBSTANCE_USE})


class RecordKind(models.TextChoices):
    NOTE = "note", _("Note for the own organisation")
    TEAM_NOTE = "team_note", _("Note for the joint service team")
    HEALTH_NOTE = "health_note", _("Health-only note")
    ASSESSMENT = "assessment", _("Service-need assessment")
    RATING = "rating", _("Assessment rating")
    PLAN = "plan", _("Plan")
    JOINT_PLAN = "joint_plan", _("Multisectoral employment plan")
    REFERRAL = "referral", _("Referral")
    FINDING = "finding", _("Health finding of a referral")
    APPOINTMENT = "appointment", _("Appointment")
    OUTCOME = "outcome", _("Outcome and follow-ups")
    CONSENT = "consent", _("Consent")
    # services that are themselves the relationship with the client (ADR 0015)
    IPS_EPISODE = "ips_episode", _("IPS coaching episode (steps, jobs, support)")
    GROUP_PLACE = "group_place", _("Place in a group")
    GROUP_ATTENDANCE = "group_attendance", _("Attendance at a group session")
    PLACEMENT = "placement", _("Rehabilitative work placement")
    PLACEMENT_ATTENDANCE = "placement_attendance", _("Attendance of a placement")
    WORK_ABILITY_RESULT = "work_ability_result", _("Result of a work ability assessment")
    BENEFIT_APPLICATION = (
        "benefit_application",
        _("Rehabilitation or pension application and its decision"),
    )
    HEALTH_CHECK = "health_check", _("Unemployed health check: invitation and booking")
    HEALTH_CHECK_CONTENT = "health_check_content", _("Content of an unemployed health check")


class Relation(models.TextChoices):
    """How the viewer's organisation stands to one record of one client."""

    CONTROLLER = "controller", _("Its organisation made the record (client relationship active)")
    CONTROLLER_ENDED = (
        "controller_ended",
        _("Its organisation made the record (client relationship ended)"),
    )
    PARTY = (
        "party",
        _("Its organisation received the referral (of a plan: to the work ability network)"),
    )
    TEAM = (
        "team",
        _("Both organisations are in the client's joint service team (relationship active)"),
    )
    CONSENT = (
        "consent",
        _(
            "The controller recorded the client's consent to disclose to it "
            "(client relationship active)"
        ),
    )
    RELATIONSHIP = "relationship", _("Its organisation works with the client")
    ASSIGNED = (
        "assigned",
        _("The user is named on the record: the episode's coach, or a leader of the group"),
    )
    PROVIDER = (
        "provider",
        _("Its organisation provides the placement (for the placement's lifetime)"),
    )
    SUPERVISOR = (
        "supervisor",
        _("The user supervises the unit whose coach holds the record (while it is open)"),
    )


class Action(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Record new")
    CHANGE = "change", _("Edit or handle")
    END = "end", _("End or withdraw")
    REASSIGN = "reassign", _("Move to another worker of the unit")


CLIENT_WORK: frozenset[Role] = frozenset(
    {
        Role.CASE_WORKER,
        Role.SOCIAL_WORKER,
        Role.SOCIAL_INSTRUCTOR,
        Role.HEALTH_PROFESSIONAL,
        Role.KELA_EXPERT,
        Role.NETWORK_COORDINATOR,
    }
)
HEALTH_ROLE: frozenset[Role] = frozenset({Role.HEALTH_PROFESSIONAL})
COACH: frozenset[Role] = frozenset({Role.IPS_COACH})
SUPERVISOR: frozenset[Role] = frozenset({Role.IPS_SUPERVISOR})
"""The supervisor of an IPS unit (yksikön esihenkilö, enhetens förman)."""
ORGANISER: frozenset[Role] = frozenset({Role.SOCIAL_WORKER, Role.SOCIAL_INSTRUCTOR})
"""Soite's adult social work organises groups and placements."""
LEADER: frozenset[Role] = ORGANISER | {Role.PROVIDER_STAFF}
"""Who may be named a group's leader (Soite's staff or an association's)."""
PROVIDER_STAFF: frozenset[Role] = frozenset({Role.PROVIDER_STAFF})
WORK_ABILITY_ASSESSORS: frozenset[Role] = frozenset({Role.HEALTH_PROFESSIONAL, Role.SOCIAL_WORKER})
"""Who records and reads a work ability assessment's result in the assessing unit
(adult social work assesses with a doctor; issue 16)."""

LAW_JOINT = "law:381/2023"
"""The statutory basis of the joint service team (unconfirmed sections: ADR 0014, 0028)."""


@dataclass(frozen=True)
class LawSource:
    """A law a rule of the table rests on, as the funding rules mark theirs: where it
    comes from and whether its wording was read at the source (``verified``)."""

    key: str
    law: str
    """Number and section(s), e.g. "1369/2014 9 § (339/2022)"."""
    title_fi: str
    """The act's Finnish title, quoted (not translated)."""
    url: str
    verified: bool
    note: str
    relations: tuple[str, ...] = ()
    """The relations of the table this source is cited for."""


LAW_SOURCES: tuple[LawSource, ...] = (
    LawSource(
        key="381/2023",
        law="381/2023",
        title_fi="Laki työllistymisen monialaisesta edistämisestä",
        url="https://eduskunta.fi/FI/vaski/HallituksenEsitys/sivut/he_207+2022.aspx",
        verified=False,
        note=(
            "In force 1.1.2025; replaced 1369/2014 (HE 207/2022 proposed it under this "
            "title). The sections that let the employment authority, the wellbeing "
            "services county and Kela disclose to each other what the joint assessment "
            "and the multisectoral plan need were not found in the stored sources "
            "(searched 2026-12-06): unconfirmed. The team relation rests on it."
        ),
        relations=(Relation.TEAM,),
    ),
    LawSource(
        key="1369/2014-1",
        law="1369/2014 1 § (935/2022)",
        title_fi="Laki työllistymistä edistävästä monialaisesta yhteispalvelusta",
        url="https://finlex.fi/fi/laki/ajantasa/2014/20141369",
        verified=True,
        note=(
            "The predecessor: the employment office, the wellbeing services county and "
            "Kela jointly assess the unemployed person's service needs, plan the "
            "services and follow the process."
        ),
        relations=(Relation.TEAM,),
    ),
    LawSource(
        key="1369/2014-9",
        law="1369/2014 9 § (339/2022)",
        title_fi="Laki työllistymistä edistävästä monialaisesta yhteispalvelusta",
        url="https://www.finlex.fi/fi/laki/alkup/2022/20220339",
        verified=True,
        note=(
            "The predecessor: the three authorities may process the unemployed person's "
            "data for the tasks of the act, among them the social situation and the "
            "health, work and functional capacity data that affect employment and are "
            "necessary to provide services, the service need and the multisectoral plan. "
            "It is a processing basis of the repealed act, not the disclosure section of "
            "381/2023; Silta still asks a consent for health data."
        ),
        relations=(Relation.TEAM,),
    ),
    LawSource(
        key="703/2023",
        law="703/2023",
        title_fi="Laki sosiaali- ja terveydenhuollon asiakastietojen käsittelystä",
        url="",
        verified=False,
        note=(
            "A client or care relationship is needed to process a client's data, and the "
            "service provider defines its professionals' access rights: the basis of the "
            "controller, consent and supervisor relations (ADR 0014, 0015, 0028)."
        ),
        relations=(Relation.CONTROLLER, Relation.CONSENT, Relation.SUPERVISOR),
    ),
)


@dataclass(frozen=True)
class Rule:
    kind: RecordKind
    data_class: DataClass
    relation: Relation
    action: Action
    roles: frozenset[Role]


def _rules(
    kinds: Iterable[RecordKind],
    data_class: DataClass,
    relation: Relation,
    actions: Iterable[Action],
    roles: frozenset[Role] = CLIENT_WORK,
) -> list[Rule]:
    return [Rule(k, data_class, relation, a, roles) for k in kinds for a in actions]


R, C, CH, E = Action.READ, Action.CREATE, Action.CHANGE, Action.END
RE = Action.REASSIGN
K = RecordKind
B = DataClass.BASIC

# Basic case-work records: every organisation working with the client reads them;
# only the controller records, changes and ends them; after the relationship ends the
# controller keeps reading what it recorded.
_BASIC = (K.ASSESSMENT, K.PLAN, K.JOINT_PLAN, K.REFERRAL, K.APPOINTMENT, K.OUTCOME, K.CONSENT)

RULES: tuple[Rule, ...] = tuple(
    _rules(_BASIC, B, Relation.RELATIONSHIP, [R])
    + _rules(_BASIC, B, Relation.CONTROLLER, [R, C, CH, E])
    + _rules(_BASIC, B, Relation.CONTROLLER_ENDED, [R])
    # a received referral: the receiver reads and handles it while the referral is
    # open or its relationship with the client lasts
    + _rules([K.REFERRAL], B, Relation.PARTY, [R, CH])
    # the joint plan: the owner changes and ends it; the team's organisations are its
    # co-authors (they save new versions), law 381/2023
    + _rules([K.JOINT_PLAN], B, Relation.TEAM, [CH])
    # a plan its owner sent to the work ability network (naming the plan): the
    # network's coordinator adds the network's consultation as a new version
    + _rules([K.PLAN, K.JOINT_PLAN], B, Relation.PARTY, [CH], frozenset({Role.NETWORK_COORDINATOR}))
    # ratings of the non-health domains are basic case-work data
    + _rules([K.RATING], B, Relation.RELATIONSHIP, [R])
    + _rules([K.RATING], B, Relation.CONTROLLER, [R, C])
    + _rules([K.RATING], B, Relation.CONTROLLER_ENDED, [R])
    # ratings of health domains: the controller's assessors, or a consent
    + [
        rule
        for cls in HEALTH_CLASSES
        for rule in _rules([K.RATING], DataClass(cls), Relation.CONTROLLER, [R, C])
        + _rules([K.RATING], DataClass(cls), Relation.CONTROLLER_ENDED, [R])
        + _rules([K.RATING], DataClass(cls), Relation.CONSENT, [R])
    ]
    # notes: the own organisation's; team notes also to the team (law 381/2023) or on
    # a social-welfare consent; health-only notes to the controller's health role or
    # on a health consent
    + _rules([K.NOTE, K.TEAM_NOTE], DataClass.SOCIAL, Relation.CONTROLLER, [R, C])
    + _rules([K.NOTE, K.TEAM_NOTE], DataClass.SOCIAL, Relation.CONTROLLER_ENDED, [R])
    + _rules([K.TEAM_NOTE], DataClass.SOCIAL, Relation.TEAM, [R])
    + _rules([K.TEAM_NOTE], DataClass.SOCIAL, Relation.CONSENT, [R])
    + _rules([K.HEALTH_NOTE], DataClass.HEALTH, Relation.CONTROLLER, [R, C], HEALTH_ROLE)
    + _rules([K.HEALTH_NOTE], DataClass.HEALTH, Relation.CONTROLLER_ENDED, [R], HEALTH_ROLE)
    + _rules([K.HEALTH_NOTE], DataClass.HEALTH, Relation.CONSENT, [R])
    # a health check's finding (work ability concern): the checking unit's health
    # role, or a health consent of that unit
    + _rules([K.FINDING], DataClass.HEALTH, Relation.CONTROLLER, [R, C], HEALTH_ROLE)
    + _rules([K.FINDING], DataClass.HEALTH, Relation.CONTROLLER_ENDED, [R], HEALTH_ROLE)
    + _rules([K.FINDING], DataClass.HEALTH, Relation.CONSENT, [R])
    # IPS coaching is the coach's, not the organisation's (issue 13): the coach named on
    # the episode reads, records in and ends it, and hands it over; a colleague of the
    # same unit sees nothing. The coach's organisation is the controller: a coach takes
    # a client in (records a new episode) from a referral the unit accepted or an
    # intake with the client present. After a hand-over the former coach sees nothing.
    + _rules([K.IPS_EPISODE], B, Relation.ASSIGNED, [R, CH, E, RE], COACH)
    + _rules([K.IPS_EPISODE], B, Relation.CONTROLLER, [C], COACH)
    # "a coach's relationship is the coach's (and the unit's supervisor's)": the
    # supervisor of the unit the episode is in reads the open episodes of its coaches
    # and moves one to another coach of the same unit; nothing of other units, nothing
    # once the episode has ended, and no recording in the episode (ADR 0028)
    + _rules([K.IPS_EPISODE], B, Relation.SUPERVISOR, [R, RE], SUPERVISOR)
    # groups: the organiser (Soite's adult social work) is the controller of the places
    # and the attendance; the named leaders (Soite's or an association's staff) see the
    # participants and record attendance on the organiser's behalf; another staff
    # member of the leader's organisation, not named, sees nothing
    + _rules([K.GROUP_PLACE], B, Relation.CONTROLLER, [R, C, CH, E], ORGANISER)
    + _rules([K.GROUP_PLACE], B, Relation.ASSIGNED, [R], LEADER)
    + _rules([K.GROUP_ATTENDANCE], B, Relation.CONTROLLER, [R, C, CH], ORGANISER)
    + _rules([K.GROUP_ATTENDANCE], B, Relation.ASSIGNED, [R, C, CH], LEADER)
    # rehabilitative work activity: the organiser is the controller of the placement;
    # the provider's staff see what the placement needs and record its attendance on
    # the organiser's behalf; another provider sees nothing
    + _rules([K.PLACEMENT], B, Relation.CONTROLLER, [R, C, CH, E], ORGANISER)
    + _rules([K.PLACEMENT], B, Relation.PROVIDER, [R], PROVIDER_STAFF)
    + _rules([K.PLACEMENT_ATTENDANCE], B, Relation.CONTROLLER, [R], ORGANISER)
    + _rules([K.PLACEMENT_ATTENDANCE], B, Relation.PROVIDER, [R, C, CH], PROVIDER_STAFF)
    # the work ability path (issue 16): an assessment's result is health data of the
    # assessing unit (the referral's receiver, e.g. Soite's adult social work): its
    # assessors record and read it, others only on a health consent of that unit
    + _rules(
        [K.WORK_ABILITY_RESULT],
        DataClass.HEALTH,
        Relation.CONTROLLER,
        [R, C, CH],
        WORK_ABILITY_ASSESSORS,
    )
    + _rules(
        [K.WORK_ABILITY_RESULT],
        DataClass.HEALTH,
        Relation.CONTROLLER_ENDED,
        [R],
        WORK_ABILITY_ASSESSORS,
    )
    + _rules([K.WORK_ABILITY_RESULT], DataClass.HEALTH, Relation.CONSENT, [R])
    # a rehabilitation or pension application and its decision: health data of the
    # organisation that helped the client apply; others on a health consent
    + _rules([K.BENEFIT_APPLICATION], DataClass.HEALTH, Relation.CONTROLLER, [R, C, CH])
    + _rules([K.BENEFIT_APPLICATION], DataClass.HEALTH, Relation.CONTROLLER_ENDED, [R])
    + _rules([K.BENEFIT_APPLICATION], DataClass.HEALTH, Relation.CONSENT, [R])
    # an unemployed health check (issue 16): the checking unit is the controller. That
    # a check was offered, booked or missed is case-work data every organisation
    # working with the client reads; only the unit records and handles it. What the
    # check found is health data: the unit's health professionals record and read it,
    # others only on a health consent of the unit (as a referral's finding)
    + _rules([K.HEALTH_CHECK], B, Relation.RELATIONSHIP, [R])
    + _rules([K.HEALTH_CHECK], B, Relation.CONTROLLER, [R, C, CH])
    + _rules([K.HEALTH_CHECK], B, Relation.CONTROLLER_ENDED, [R])
    + _rules([K.HEALTH_CHECK_CONTENT], DataClass.HEALTH, Relation.CONTROLLER, [R, C], HEALTH_ROLE)
    + _rules(
        [K.HEALTH_CHECK_CONTENT], DataClass.HEALTH, Relation.CONTROLLER_ENDED, [R], HEALTH_ROLE
    )
    + _rules([K.HEALTH_CHECK_CONTENT], DataClass.HEALTH, Relation.CONSENT, [R])
)


def allowed(
    role: str, kind: str, data_class: str, relations: Iterable[str], action: str
) -> Relation | None:
    """The relation that lets ``role`` do ``action`` on a record of ``kind`` and
    ``data_class``, given the relations the viewer holds (in the table's order of
    preference: controller first), or None."""
    held = set(relations)
    for relation in Relation:
        if relation.value not in held:
            continue
        for rule in RULES:
            if (
                rule.relation == relation
                and rule.kind == kind
                and rule.data_class == data_class
                and rule.action == action
                and role in rule.roles
            ):
                return relation
    return None


# --- the data class of a record ------------------------------------------------------


RATING_CLASSES: dict[str, DataClass] = {
    "mental_health": DataClass.MENTAL_HEALTH,
    "substance_use": DataClass.SUBSTANCE_USE,
    "physical_health": DataClass.HEALTH,
    "work_ability": DataClass.HEALTH,
}
"""Assessment domains whose ratings are health data (DOMAIN.md §3.5); the others are
basic case-work data."""


def rating_class(domain: str) -> DataClass:
    return RATING_CLASSES.get(domain, DataClass.BASIC)


def note_kind(visibility: str) -> RecordKind:
    return {
        "own_organisation": RecordKind.NOTE,
        "joint_team": RecordKind.TEAM_NOTE,
        "health_only": RecordKind.HEALTH_NOTE,
    }[visibility]


def record_class(record: object) -> tuple[RecordKind, DataClass]:
    """The kind and data class of a case-work record: the one place that knows (also
    for the subject-access export and statistics)."""
    from silta.casework import models as m

    if isinstance(record, m.Note):
        kind = note_kind(record.visibility)
        return kind, DataClass.HEALTH if kind == RecordKind.HEALTH_NOTE else DataClass.SOCIAL
    if isinstance(record, m.AssessmentRating):
        return RecordKind.RATING, rating_class(record.domain)
    if isinstance(record, m.Assessment):
        return RecordKind.ASSESSMENT, DataClass.BASIC
    if isinstance(record, m.Plan):
        kind = RecordKind.JOINT_PLAN if record.kind == "multisectoral" else RecordKind.PLAN
        return kind, DataClass.BASIC
    if isinstance(record, m.PlanVersion):
        return record_class(record.plan)
    if isinstance(record, m.Referral):
        return RecordKind.REFERRAL, DataClass.BASIC
    if isinstance(record, m.Appointment):
        return RecordKind.APPOINTMENT, DataClass.BASIC
    if isinstance(record, m.Outcome):
        return RecordKind.OUTCOME, DataClass.BASIC
    if isinstance(record, m.Consent):
        return RecordKind.CONSENT, DataClass.BASIC
    from silta.workability import models as w

    if isinstance(record, w.WorkAbilityResult):
        return RecordKind.WORK_ABILITY_RESULT, DataClass.HEALTH
    if isinstance(record, w.BenefitApplication):
        return RecordKind.BENEFIT_APPLICATION, DataClass.HEALTH
    if isinstance(record, w.HealthCheck):
        return RecordKind.HEALTH_CHECK, DataClass.BASIC
    raise TypeError(f"not a case-work record: {type(record).__name__}")


def controller_id(record: object) -> object:
    """The organisation whose register the record is in."""
    from silta.casework import models as m

    if isinstance(record, m.AssessmentRating):
        return record.assessment.organisation_id
    if isinstance(record, m.PlanVersion):
        return record.plan.organisation_id
    if isinstance(record, m.Referral):
        return record.from_organisation_id
    if isinstance(record, m.Consent):
        return record.controller_id
    return record.organisation_id  # type: ignore[attr-defined]


# --- integration services (issue 17, docs/adr/0024) -----------------------------------
# Which kind of organisation may record each integration record under the integration
# act 681/2023 (in force 1.1.2025; sections in silta/integration/rules.py). Reading
# follows the case-work rule above: every organisation working with the client reads
# these basic case-work records; only the controller (the organisation that made the
# record) changes it. A kind not listed for a record may not record it.


class IntegrationRecord(models.TextChoices):
    LANGUAGE_PROFILE = "language_profile", _("Languages, interpreter need and arrival")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment (alkukartoitus)")
    INTEGRATION_PLAN = "integration_plan", _("Integration plan")
    PLAN_REVIEW = "integration_plan_review", _("Review of an integration plan")
    PROGRAMME = "integration_programme", _("Place in the municipal integration programme")
    INTERPRETING = "interpreting", _("Interpreter need and booking of an appointment")


@dataclass(frozen=True)
class OrganiserRule:
    record: IntegrationRecord
    organisation_kind: str
    law: str


_EMPLOYMENT = "employment_services"
_SOITE = "wellbeing_county_unit"
_MUNICIPALITY = "municipality"

INTEGRATION_ORGANISERS: tuple[OrganiserRule, ...] = (
    # the employment authority for jobseekers, the municipality for the others
    # (681/2023 14 §, 16 §); Soite records the languages and interpreting of its own
    # client work (6 §) and takes part in the plan's services, but keeps its own
    # service-need assessment under the social welfare act
    OrganiserRule(IntegrationRecord.LANGUAGE_PROFILE, _EMPLOYMENT, "681/2023 6 §"),
    OrganiserRule(IntegrationRecord.LANGUAGE_PROFILE, _MUNICIPALITY, "681/2023 6 §"),
    OrganiserRule(IntegrationRecord.LANGUAGE_PROFILE, _SOITE, "681/2023 6 §"),
    OrganiserRule(IntegrationRecord.INITIAL_ASSESSMENT, _EMPLOYMENT, "681/2023 14 §"),
    OrganiserRule(IntegrationRecord.INITIAL_ASSESSMENT, _MUNICIPALITY, "681/2023 14 §"),
    OrganiserRule(IntegrationRecord.INTEGRATION_PLAN, _EMPLOYMENT, "681/2023 16 §"),
    OrganiserRule(IntegrationRecord.INTEGRATION_PLAN, _MUNICIPALITY, "681/2023 16 §"),
    OrganiserRule(IntegrationRecord.PLAN_REVIEW, _EMPLOYMENT, "681/2023 19 §"),
    OrganiserRule(IntegrationRecord.PLAN_REVIEW, _MUNICIPALITY, "681/2023 19 §"),
    # the municipality organises the programme (12–13 §); the employment authority
    # places its jobseeker clients in it
    OrganiserRule(IntegrationRecord.PROGRAMME, _MUNICIPALITY, "681/2023 12 §"),
    OrganiserRule(IntegrationRecord.PROGRAMME, _EMPLOYMENT, "681/2023 12 §"),
    OrganiserRule(IntegrationRecord.INTERPRETING, _EMPLOYMENT, "681/2023 6 §"),
    OrganiserRule(IntegrationRecord.INTERPRETING, _MUNICIPALITY, "681/2023 6 §"),
    OrganiserRule(IntegrationRecord.INTERPRETING, _SOITE, "681/2023 6 §"),
)


def integration_organiser(record: str, organisation_kind: str) -> OrganiserRule | None:
    """The row that lets an organisation of ``organisation_kind`` record ``record``."""
    for rule in INTEGRATION_ORGANISERS:
        if rule.record == record and rule.organisation_kind == organisation_kind:
            return rule
    return None
