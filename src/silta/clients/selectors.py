"""Every read of client data goes through here: scoped to the acting user, and logged
in the access log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.services import access_log_write
from silta.clients.identity import looks_like_personal_id, validate_personal_id
from silta.clients.models import Client, HomeMunicipality, UnemploymentSpell
from silta.clients.policies import AccessGrant, client_access_grant, visible_clients_filter
from silta.funding.selectors import BenefitSummary, benefit_summary_of


@dataclass(frozen=True)
class ClientSearch:
    text: str = ""
    municipality_code: str = ""
    page: int = 1


def client_search_for(*, actor: User, search: ClientSearch, path: str = "") -> Page[Client]:
    """One page of the clients the actor may see that match the search.

    An identity code is matched exactly (it is validated first; a ValidationError
    goes back to the form). Other text matches every word against the names. The page
    is written to the access log with every client shown on it.
    """
    scope = visible_clients_filter(actor, Perm.CLIENT_SEARCH)
    qs = Client.objects.none() if scope is None else Client.objects.filter(scope)
    text = search.text.strip()
    if text and looks_like_personal_id(text):
        qs = qs.filter(personal_id=validate_personal_id(text))
    else:
        for word in text.casefold().split():
            qs = qs.filter(search_name__contains=word)
    if search.municipality_code:
        qs = qs.filter(home_municipality__code=search.municipality_code)
    qs = qs.select_related("home_municipality").order_by("last_name", "first_names", "id")
    page = Paginator(qs, settings.SILTA_PAGE_SIZE).get_page(search.page)
    memberships = memberships_with(actor, Perm.CLIENT_SEARCH)
    access_log_write(
        actor=actor,
        membership=memberships[0] if memberships else None,
        section="client_search",
        basis="search:" + ",".join(sorted({m.role for m in memberships})),
        client_ids=[c.pk for c in page.object_list],
        path=path,
    )
    return page


@dataclass(frozen=True)
class ClientPage:
    client: Client
    grant: AccessGrant
    home_history: list[HomeMunicipality]
    spells: list[UnemploymentSpell]
    benefits: BenefitSummary


def client_get_for(*, actor: User, client_id: uuid.UUID, path: str = "") -> ClientPage:
    """The client's page data, or 404 when the actor may not see the client (the same
    answer as for a client that does not exist). Logged once per call."""
    client = Client.objects.select_related("home_municipality").filter(pk=client_id).first()
    grant = client_access_grant(actor, client) if client is not None else None
    if client is None or grant is None:
        raise Http404("No such client.")
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="client_page:identity,home_municipality,contacts,benefits",
        basis=grant.basis,
        client_ids=[client.pk],
        path=path,
    )
    return ClientPage(
        client=client,
        grant=grant,
        home_history=list(
            HomeMunicipality.objects.filter(client=client)
            .select_related("municipality")
            .order_by("-valid_from")
        ),
        spells=list(UnemploymentSpell.objects.filter(client=client).order_by("-start")),
        benefits=benefit_summary_of(client),
    )
