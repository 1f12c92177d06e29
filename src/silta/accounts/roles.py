"""Roles and the single role -> permission map. Deny by default: a permission not
listed for a role is refused. Read this file to know who may do what."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    EMPLOYMENT_SERVICES = "employment_services", _("Employment services")
    WELLBEING_COUNTY_UNIT = "wellbeing_county_unit", _("Wellbeing services county unit")
    KELA = "kela", _("Kela")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    PARISH_ASSOCIATION = "parish_association", _("Parish or association")
    MUNICIPALITY = "municipality", _("Municipality")


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SOCIAL_INSTRUCTOR = "social_instructor", _("Social instructor")
    HEALTH_PROFESSIONAL = "health_professional", _("Health professional")
    KELA_EXPERT = "kela_expert", _("Kela expert")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    FINANCE_ANALYST = "finance_analyst", _("Finance analyst")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    IPS_COACH = "ips_coach", _("IPS job coach")
    IPS_SUPERVISOR = "ips_supervisor", _("Supervisor of an IPS unit")


class Perm(models.TextChoices):
    CLIENT_SEARCH = "clients.search", _("Search clients")
    CLIENT_VIEW = "clients.view", _("View a client's case")
    FUNDING_VIEW_PERSON = "funding.view_person", _("View person-level funding data")
    FUNDING_VIEW_AGGREGATE = "funding.view_aggregate", _("View the funding share dashboard")
    FUNDING_RADAR = "funding.radar", _("See the funding-share cost radar")
    STATISTICS_VIEW = "reporting.view_statistics", _("View aggregated statistics")
    ACCOUNTS_MANAGE = "accounts.manage", _("Manage users and organisations")
    AUDIT_VIEW = "audit.view", _("View audit logs")
    CLIENT_IMPORT = "clients.import", _("Import clients from a file")
    CLIENT_ERASE = "clients.erase", _("Erase or anonymise a client on request")
    CATALOGUE_VIEW = "catalogue.view", _("View the service catalogue")
    CATALOGUE_MANAGE = "catalogue.manage", _("Edit the service catalogue")
    CASEWORK_VIEW = "casework.view", _("View case work of a client")
    CASEWORK_WRITE = "casework.write", _("Record case work: notes, referrals, plans")
    REFERRAL_INBOX = "casework.referral_inbox", _("Handle referrals received")
    JOINT_SERVICE_MANAGE = "casework.joint_service", _("Enrol clients into joint service")
    WORK_ABILITY_LIST = (
        "casework.work_ability_list",
        _("See who may need a work ability assessment"),
    )
    # Rehabilitative work activity (issue 5)
    REHAB_PORTAL = "rehab.portal", _("See the own organisation's placements (provider portal)")
    REHAB_ATTENDANCE = "rehab.attendance", _("Record attendance of placements")
    REHAB_FEE_CLAIM = "rehab.fee_claim", _("Claim outcome fees")
    REHAB_MANAGE = "rehab.manage", _("Manage providers, contracts and placements")
    REHAB_FEE_VERIFY = "rehab.fee_verify", _("Verify outcome fee claims")
    REHAB_STATEMENT_VIEW = "rehab.statement_view", _("See monthly statements of placements")
    REHAB_STATEMENT_APPROVE = "rehab.statement_approve", _("Approve monthly statements")
    REHAB_LISTS = "rehab.lists", _("See the Kela and state reimbursement lists")
    # Governance (issue 6)
    GOVERNANCE_VIEW = (
        "governance.view",
        _("See the strategic agreement, cooperation bodies and meetings"),
    )
    GOVERNANCE_MANAGE = (
        "governance.manage",
        _("Record agreements, approvals, meetings, decisions and action items"),
    )
    NETWORK_REFER = "governance.network_refer", _("Refer a client to the work ability network")
    NETWORK_MANAGE = (
        "governance.network_manage",
        _("Coordinate the work ability network's client cases"),
    )
    # Council initiatives (issue 8)
    INITIATIVE_VIEW = "initiatives.view", _("See council initiatives and their answers")
    INITIATIVE_MANAGE = (
        "initiatives.manage",
        _("Register council initiatives and record the board's and the council's decisions"),
    )
    # Group activities (issue 8)
    GROUPS_VIEW = "groups.view", _("See group activities and their schedules")
    GROUPS_LEAD = "groups.lead", _("Lead groups: record sessions and attendance")
    GROUPS_MANAGE = "groups.manage", _("Set up groups, name leaders and add participants")
    # IPS supported employment (issue 8)
    IPS_VIEW = "ips.view", _("See the IPS employer register")
    IPS_COACH = "ips.coach", _("Coach own IPS clients and record employer work")
    IPS_RESULTS = "ips.results", _("See the aggregated IPS results")
    IPS_REASSIGN = "ips.reassign", _("Move a departing IPS coach's open episodes to another coach")
    IPS_SUPERVISE = (
        "ips.supervise",
        _("See the own unit's coaching clients and move a client to another coach of the unit"),
    )


_CLIENT_WORK = frozenset({Perm.CLIENT_SEARCH, Perm.CLIENT_VIEW})
# Case work (issue 3): every client-work role records and reads case work; the joint
# service is enrolled by employment and adult social work.
_CASEWORK = frozenset(
    {
        Perm.CATALOGUE_VIEW,
        Perm.CASEWORK_VIEW,
        Perm.CASEWORK_WRITE,
        Perm.REFERRAL_INBOX,
        Perm.WORK_ABILITY_LIST,
    }
)

# Rehabilitative work activity (issue 5): Soite's social workers and instructors
# organise placements, verify outcome fees and approve statements; provider staff see
# their own organisation's placements only (silta/rehab/policies.py).
_REHAB_ORGANISER = frozenset(
    {
        Perm.REHAB_MANAGE,
        Perm.REHAB_FEE_VERIFY,
        Perm.REHAB_STATEMENT_VIEW,
        Perm.REHAB_STATEMENT_APPROVE,
        Perm.REHAB_LISTS,
    }
)
_REHAB_PROVIDER = frozenset(
    {Perm.REHAB_PORTAL, Perm.REHAB_ATTENDANCE, Perm.REHAB_FEE_CLAIM, Perm.REHAB_STATEMENT_VIEW}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    # Employment case workers also see the cost radar of their area's municipalities.
    Role.CASE_WORKER: _CLIENT_WORK | _CASEWORK | {Perm.JOINT_SERVICE_MANAGE, Perm.FUNDING_RADAR},
    Role.SOCIAL_WORKER: _CLIENT_WORK | _CASEWORK | _REHAB_ORGANISER | {Perm.JOINT_SERVICE_MANAGE},
    Role.SOCIAL_INSTRUCTOR: _CLIENT_WORK | _CASEWORK | _REHAB_ORGANISER,
    Role.HEALTH_PROFESSIONAL: _CLIENT_WORK | _CASEWORK,
    Role.KELA_EXPERT: _CLIENT_WORK | _CASEWORK,
    Role.NETWORK_COORDINATOR: _CLIENT_WORK | _CASEWORK,
    # Providers see their own placements only, in the provider portal, with the
    # minimum the placement needs (no client search).
    Role.PROVIDER_STAFF: _REHAB_PROVIDER,
    # Residents of the analyst's own municipality, funding data only.
    Role.FINANCE_ANALYST: frozenset(
        {
            Perm.CLIENT_SEARCH,
            Perm.CLIENT_VIEW,
            Perm.FUNDING_VIEW_PERSON,
            Perm.FUNDING_VIEW_AGGREGATE,
            Perm.FUNDING_RADAR,
        }
    ),
    # Managers: aggregated figures only (the funding dashboard, small cells hidden).
    Role.MANAGER: frozenset({Perm.STATISTICS_VIEW, Perm.FUNDING_VIEW_AGGREGATE}),
    Role.ADMINISTRATOR: frozenset(
        {
            Perm.ACCOUNTS_MANAGE,
            Perm.AUDIT_VIEW,
            Perm.CATALOGUE_VIEW,
            Perm.CATALOGUE_MANAGE,
            Perm.CLIENT_IMPORT,
            Perm.CLIENT_ERASE,
        }
    ),
}

# Governance (issue 6): client-work roles read the agreement and the bodies' meetings
# and refer clients to the work ability network; its coordinator manages the network's
# cases (person-level) and, with managers, records agreements, approvals and meetings.
# Managers see the network's yearly counts only (silta/governance/policies.py).
_GOVERNANCE_READ = frozenset({Perm.GOVERNANCE_VIEW})
_GOVERNANCE: dict[Role, frozenset[Perm]] = {
    Role.CASE_WORKER: _GOVERNANCE_READ | {Perm.NETWORK_REFER},
    Role.SOCIAL_WORKER: _GOVERNANCE_READ | {Perm.NETWORK_REFER},
    Role.SOCIAL_INSTRUCTOR: _GOVERNANCE_READ | {Perm.NETWORK_REFER},
    Role.HEALTH_PROFESSIONAL: _GOVERNANCE_READ | {Perm.NETWORK_REFER},
    Role.KELA_EXPERT: _GOVERNANCE_READ | {Perm.NETWORK_REFER},
    Role.NETWORK_COORDINATOR: _GOVERNANCE_READ
    | {Perm.GOVERNANCE_MANAGE, Perm.NETWORK_REFER, Perm.NETWORK_MANAGE},
    Role.FINANCE_ANALYST: _GOVERNANCE_READ,
    Role.MANAGER: _GOVERNANCE_READ | {Perm.GOVERNANCE_MANAGE},
}
for _role, _perms in _GOVERNANCE.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms


# Council initiatives (issue 8): staff of the client work, finance analysts and managers
# read them (no client data); managers of the preparing organisation register them and
# record the decisions; the named preparers write the answer (initiatives/policies.py).
_INITIATIVES: dict[Role, frozenset[Perm]] = {
    role: frozenset({Perm.INITIATIVE_VIEW})
    for role in (
        Role.CASE_WORKER,
        Role.SOCIAL_WORKER,
        Role.SOCIAL_INSTRUCTOR,
        Role.HEALTH_PROFESSIONAL,
        Role.KELA_EXPERT,
        Role.NETWORK_COORDINATOR,
        Role.FINANCE_ANALYST,
    )
}
_INITIATIVES[Role.MANAGER] = frozenset({Perm.INITIATIVE_VIEW, Perm.INITIATIVE_MANAGE})
for _role, _perms in _INITIATIVES.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms


# IPS supported employment (issue 8): the job coach sees the employer register and only
# the coaching episodes where they are the coach (silta/ips/policies.py); an episode
# opens a referral relationship so the coach sees the client's basic page. Managers
# see the aggregated, suppressed results only. Administrators see no IPS data; when a
# coach leaves they move the coach's open episodes to another coach of the same
# organisation, seeing only the coaches and how many episodes each holds. Coaches handle
# the case-work referrals sent to their IPS unit in the referral inbox and take the
# accepted ones into coaching.
ROLE_PERMISSIONS[Role.IPS_COACH] = frozenset(
    {Perm.CLIENT_VIEW, Perm.IPS_VIEW, Perm.IPS_COACH, Perm.IPS_RESULTS, Perm.REFERRAL_INBOX}
)
ROLE_PERMISSIONS[Role.MANAGER] = ROLE_PERMISSIONS[Role.MANAGER] | {Perm.IPS_RESULTS}
# The supervisor of an IPS unit (yksikön esihenkilö, enhetens förman; ADR 0028) sees the
# clients of the unit's coaches while their coaching is open, and moves a client's
# coaching from one coach of the unit to another; nothing of other units.
ROLE_PERMISSIONS[Role.IPS_SUPERVISOR] = frozenset(
    {Perm.CLIENT_VIEW, Perm.IPS_VIEW, Perm.IPS_RESULTS, Perm.IPS_SUPERVISE}
)
ROLE_PERMISSIONS[Role.ADMINISTRATOR] = ROLE_PERMISSIONS[Role.ADMINISTRATOR] | {Perm.IPS_REASSIGN}


# Group activities (issue 8): Soite's social workers and instructors set up groups and
# add participants; leaders (social instructors, social workers, provider staff of an
# association running a group) record sessions and attendance of the groups they are
# named to (silta/groups/policies.py). Case workers see the groups on offer.
_GROUPS: dict[Role, frozenset[Perm]] = {
    Role.SOCIAL_WORKER: frozenset({Perm.GROUPS_VIEW, Perm.GROUPS_LEAD, Perm.GROUPS_MANAGE}),
    Role.SOCIAL_INSTRUCTOR: frozenset({Perm.GROUPS_VIEW, Perm.GROUPS_LEAD, Perm.GROUPS_MANAGE}),
    Role.PROVIDER_STAFF: frozenset({Perm.GROUPS_VIEW, Perm.GROUPS_LEAD}),
    Role.CASE_WORKER: frozenset({Perm.GROUPS_VIEW}),
}
for _role, _perms in _GROUPS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms


def role_has(role: str, perm: Perm) -> bool:
    try:
        return perm in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


# Roles that see person-level data somewhere in Silta: they need a second factor in
# production mode. Managers see only aggregated, suppressed statistics.
PERSON_LEVEL_ROLES: frozenset[Role] = frozenset(Role) - {Role.MANAGER}
