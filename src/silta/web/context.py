from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from silta.accounts.policies import active_memberships, can
from silta.accounts.roles import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "memberships": []}
    items = [(reverse("home"), _("Front page"), "home")]
    if can(user, Perm.CLIENT_SEARCH):
        items.append((reverse("client-search"), _("Clients"), "clients"))
    if can(user, Perm.CASEWORK_VIEW):
        items.append((reverse("caseload"), _("My caseload"), "caseload"))
        # integration clients and interpreting (issue 17)
        items.append((reverse("integration-caseload"), _("Integration"), "integration"))
    if can(user, Perm.REFERRAL_INBOX):
        items.append((reverse("referral-inbox"), _("Referrals received"), "inbox"))
    if can(user, Perm.WORK_ABILITY_LIST):
        items.append((reverse("work-ability"), _("Work ability"), "work_ability"))
    if can(user, Perm.FUNDING_VIEW_AGGREGATE):
        items.append((reverse("funding-dashboard"), _("Funding share"), "funding"))
    if can(user, Perm.FUNDING_RADAR):
        items.append((reverse("funding-radar"), _("Cost radar"), "funding_radar"))
    if can(user, Perm.FUNDING_VIEW_PERSON):
        items.append((reverse("funding-reconcile"), _("Kela invoice"), "funding_reconcile"))
    if can(user, Perm.REHAB_STATEMENT_VIEW):
        items.append((reverse("rehab-home"), _("Rehabilitative work activity"), "rehab"))
    if can(user, Perm.NETWORK_MANAGE):
        items.append((reverse("network-queue"), _("Work ability network"), "network"))
    if can(user, Perm.GOVERNANCE_VIEW):
        items.append((reverse("governance-home"), _("Cooperation"), "governance"))
    if can(user, Perm.INITIATIVE_VIEW):
        items.append((reverse("initiative-list"), _("Council initiatives"), "initiatives"))
    if can(user, Perm.GROUPS_VIEW):
        items.append((reverse("group-list"), _("Group activities"), "groups"))
    if can(user, Perm.IPS_COACH):
        items.append((reverse("ips-episodes"), _("My IPS clients"), "ips"))
    if can(user, Perm.IPS_SUPERVISE):
        items.append((reverse("ips-unit"), _("The unit's coaching"), "ips_unit"))
    if can(user, Perm.IPS_VIEW):
        items.append((reverse("ips-employers"), _("Employers"), "ips_employers"))
    if can(user, Perm.IPS_RESULTS):
        items.append((reverse("ips-results"), _("IPS results"), "ips_results"))
    if can(user, Perm.IPS_REASSIGN):
        items.append((reverse("ips-coaches"), _("IPS coaches"), "ips_coaches"))
    if can(user, Perm.STATISTICS_VIEW):
        items.append((reverse("statistics"), _("Statistics"), "statistics"))
        items.append(
            (reverse("statistics-dashboard"), _("Manager dashboard"), "statistics_dashboard")
        )
        # the work ability path as statistics (issue 16)
        items.append((reverse("workability-statistics"), _("Work ability path"), "path_statistics"))
    if can(user, Perm.CATALOGUE_VIEW):
        items.append((reverse("catalogue-list"), _("Service catalogue"), "catalogue"))
    if can(user, Perm.CLIENT_IMPORT):
        items.append((reverse("client-import"), _("Import clients"), "client_import"))
    if can(user, Perm.AUDIT_VIEW):
        items.append((reverse("audit-home"), _("Audit logs"), "audit"))
    if can(user, Perm.ACCOUNTS_MANAGE):
        items.append((reverse("accounts-users"), _("Users"), "users"))
    if can(user, Perm.ACCOUNTS_MANAGE):  # machine clients (issue 19)
        items.append((reverse("integrations-clients"), _("Machine clients"), "integrations"))
    # the policy table in words, for every signed-in user (issue 13)
    items.append((reverse("who-sees-what"), _("Who sees what"), "privacy"))
    return {
        "nav_items": items,
        "memberships": active_memberships(user),
        "can_casework": can(user, Perm.CASEWORK_VIEW),
        "can_rehab": can(user, Perm.REHAB_MANAGE),
        "can_add_client": _can_add_client(user),
    }


def _can_add_client(user: object) -> bool:
    from silta.clients.registry import can_add_clients

    return can_add_clients(user)  # type: ignore[arg-type]
