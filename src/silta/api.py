"""The JSON API (django-ninja). Every operation is authenticated (session) and calls
the same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query
from ninja.errors import HttpError as NinjaHttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.clients.identity import looks_like_personal_id
from silta.clients.selectors import ClientSearch, client_get_for, client_search_for
from silta.core.schemas import Schema
from silta.integrations.auth import MachineClientAuth
from silta.web.forms import compact_personal_id

api = NinjaAPI(
    title="Silta API",
    version="1",
    # a registered machine client's bearer token (OAuth2 client credentials, issue
    # 19) or the browser session
    auth=[MachineClientAuth(), django_auth],
    docs_decorator=login_required,
    urls_namespace="api",
)


class ErrorOut(Schema):
    code: str
    message: str


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    code = getattr(exc, "code", None) or "invalid"
    body: dict[str, object] = {"code": str(code), "message": " ".join(exc.messages)}
    if hasattr(exc, "error_dict"):
        # field-level errors: {"fields": {field: [{"code", "message"}]}}; the first
        # field's code is the error's code
        fields = {
            name: [
                {"code": str(e.code or "invalid"), "message": " ".join(e.messages)} for e in errs
            ]
            for name, errs in exc.error_dict.items()
        }
        body["fields"] = fields
        body["code"] = next(iter(fields.values()))[0]["code"]
    # a stale edit (silta.catalogue.errors.StaleEdit) answers 409 Conflict
    return api.create_response(request, body, status=getattr(exc, "http_status", 400))


@api.exception_handler(NinjaValidationError)
def _request_shape_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """A body or query of the wrong shape: a coded JSON error, not ninja's default."""
    fields: dict[str, list[dict[str, str]]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in {"body", "query", "path", "payload"}]
        fields.setdefault(".".join(loc) or "body", []).append(
            {"code": f"request.{err.get('type', 'invalid')}", "message": str(err.get("msg", ""))}
        )
    return api.create_response(
        request,
        {
            "code": "request.invalid",
            "message": "The request has the wrong shape.",
            "fields": fields,
        },
        status=422,
    )


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"code": "access.not_permitted", "message": "Not permitted."}, status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"code": "not_found", "message": "Not found."}, status=404)


@api.exception_handler(NinjaHttpError)
def _http_error(request: HttpRequest, exc: NinjaHttpError) -> HttpResponse:
    """Ninja's own refusals (sign-in missing, CSRF check failed) in the coded form."""
    codes = {401: "access.not_signed_in", 403: "access.csrf_failed"}
    return api.create_response(
        request,
        {"code": codes.get(exc.status_code, f"http.{exc.status_code}"), "message": str(exc)},
        status=exc.status_code,
    )


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


class ClientSummaryOut(Schema):
    id: uuid.UUID
    last_name: str
    first_names: str
    home_municipality_code: str
    language: str


class ClientPageOut(Schema):
    items: list[ClientSummaryOut]
    page: int
    pages: int
    count: int


class SearchIn(Schema):
    q: str = ""
    municipality: str = ""
    page: int = 1


class HomePeriodOut(Schema):
    municipality_code: str
    valid_from: dt.date
    valid_to: dt.date | None


class ClientOut(ClientSummaryOut):
    personal_id: str
    birth_date: dt.date
    phone: str
    email: str
    access_basis: str
    home_history: list[HomePeriodOut]
    unemployed_since: dt.date | None
    benefit_days_total: int


ID_CODE_IN_URL = (
    "An identity code is never sent in a URL. Search by identity code with "
    "POST /api/v1/clients/search and the code in the JSON body."
)


def _client_page(request: HttpRequest, search: SearchIn, path: str) -> ClientPageOut:
    page = client_search_for(
        actor=acting_user(request),
        search=ClientSearch(
            text=search.q, municipality_code=search.municipality, page=max(search.page, 1)
        ),
        path=path,
    )
    return ClientPageOut(
        items=[
            ClientSummaryOut(
                id=c.pk,
                last_name=c.last_name,
                first_names=c.first_names,
                home_municipality_code=c.home_municipality.code,
                language=c.language,
            )
            for c in page.object_list
        ],
        page=page.number,
        pages=page.paginator.num_pages,
        count=page.paginator.count,
    )


@api.get(
    "/clients",
    response={200: ClientPageOut, 400: ErrorOut, 403: ErrorOut},
    tags=["clients"],
    operation_id="clients_search",
)
def clients_search(request: HttpRequest, filters: Query[SearchIn]) -> ClientPageOut:
    """Search the clients the user may see by name (logged in the access log). An
    identity code in ``q`` is refused with 400 ``clients.personal_id_in_url``, nothing
    searched or logged: search by identity code with ``POST /clients/search``."""
    _require(request, Perm.CLIENT_SEARCH)
    if looks_like_personal_id(filters.q) or looks_like_personal_id(compact_personal_id(filters.q)):
        raise ValidationError(
            {"q": ValidationError(ID_CODE_IN_URL, code="clients.personal_id_in_url")}
        )
    return _client_page(request, filters, request.get_full_path())


@api.post(
    "/clients/search",
    response={200: ClientPageOut, 400: ErrorOut, 403: ErrorOut},
    tags=["clients"],
    operation_id="clients_search_post",
)
def clients_search_post(request: HttpRequest, payload: SearchIn) -> ClientPageOut:
    """Search the clients the user may see by name or by identity code, given in the
    body (never in a URL). Only clients the user may see are matched, so the answer
    never tells whether a code belongs to somebody else's client; the page of results
    is written to the access log (its path carries no code)."""
    _require(request, Perm.CLIENT_SEARCH)
    q = payload.q
    if not looks_like_personal_id(q) and looks_like_personal_id(compact_personal_id(q)):
        q = compact_personal_id(q)
    try:
        return _client_page(
            request,
            SearchIn(q=q, municipality=payload.municipality, page=payload.page),
            request.path,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"q": exc}) from None


@api.get(
    "/clients/{client_id}",
    response={200: ClientOut, 403: ErrorOut, 404: ErrorOut},
    tags=["clients"],
    operation_id="clients_get",
)
def clients_get(request: HttpRequest, client_id: uuid.UUID) -> ClientOut:
    """One client (logged in the access log)."""
    _require(request, Perm.CLIENT_VIEW)
    data = client_get_for(actor=acting_user(request), client_id=client_id, path=request.path)
    c = data.client
    return ClientOut(
        id=c.pk,
        last_name=c.last_name,
        first_names=c.first_names,
        home_municipality_code=c.home_municipality.code,
        language=c.language,
        personal_id=c.personal_id,
        birth_date=c.birth_date,
        phone=c.phone,
        email=c.email,
        access_basis=data.grant.basis,
        home_history=[
            HomePeriodOut(
                municipality_code=h.municipality.code, valid_from=h.valid_from, valid_to=h.valid_to
            )
            for h in data.home_history
        ],
        unemployed_since=data.benefits.spell_start,
        benefit_days_total=data.benefits.days_total,
    )


# Routers of the domain apps (issue 3: case work and the service catalogue).
from silta.casework.api import router as casework_router  # noqa: E402
from silta.catalogue.api import router as catalogue_router  # noqa: E402
from silta.funding.api import router as funding_router  # noqa: E402

api.add_router("/", casework_router)
api.add_router("/", catalogue_router)

# Rehabilitative work activity (issue 5).
from silta.rehab.api import router as rehab_router  # noqa: E402

api.add_router("/", rehab_router)
api.add_router("/", funding_router)

# Governance: strategic agreement, cooperation bodies, work ability network (issue 6).
from silta.governance.api import router as governance_router  # noqa: E402

api.add_router("/", governance_router)

# Council initiatives (issue 8).
from silta.initiatives.api import router as initiatives_router  # noqa: E402

api.add_router("/", initiatives_router)

# IPS supported employment (issue 8).
from silta.ips.api import router as ips_router  # noqa: E402

api.add_router("/", ips_router)

# Group activities (issue 8).
from silta.groups.api import router as groups_router  # noqa: E402

api.add_router("/", groups_router)

# Suppressed statistics for reporting warehouses and other machine clients (issue 19).
from silta.integrations.api import router as integrations_router  # noqa: E402

api.add_router("/", integrations_router)

# Registry upkeep and the work ability path (issue 16)
from silta.clients.api import router as clients_registry_router  # noqa: E402
from silta.workability.api import router as workability_router  # noqa: E402

api.add_router("/", clients_registry_router)
api.add_router("/", workability_router)
from silta.integration.api import router as integration_router  # noqa: E402

api.add_router("/", integration_router)
