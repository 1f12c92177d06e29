"""Registry upkeep API (issue 16): the same services, authorization and logs as the
pages. Edits carry ``version``; a stale one answers 409 and nothing is written."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.clients import registry
from silta.clients.models import Client, ClientLanguage
from silta.clients.selectors import client_get_for
from silta.core.schemas import Schema
from silta.places.models import Municipality

router = Router(tags=["clients"])


class ErrorOut(Schema):
    code: str
    message: str


class DuplicateOut(Schema):
    code: str
    message: str
    client_id: uuid.UUID | None = None
    """The existing client, only when the caller may see them."""


E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RegistryClientOut(Schema):
    id: uuid.UUID
    version: int
    personal_id: str
    last_name: str
    first_names: str
    birth_date: dt.date
    language: str
    home_municipality_code: str
    deceased_on: dt.date | None
    occupational_health_care: bool | None


class ClientAddIn(Schema):
    personal_id: str
    last_name: str
    first_names: str
    home_municipality_code: str
    home_since: dt.date
    language: str = ClientLanguage.FI
    phone: str = ""
    email: str = ""
    occupational_health_care: bool | None = None


class ClientCorrectIn(Schema):
    version: int
    personal_id: str
    last_name: str
    first_names: str
    language: str
    phone: str = ""
    email: str = ""
    occupational_health_care: bool | None = None


class ClientMoveIn(Schema):
    version: int
    municipality_code: str
    moved_on: dt.date


class ClientDeathIn(Schema):
    version: int
    died_on: dt.date


def _out(c: Client) -> RegistryClientOut:
    return RegistryClientOut(
        id=c.pk,
        version=c.version,
        personal_id=c.personal_id,
        last_name=c.last_name,
        first_names=c.first_names,
        birth_date=c.birth_date,
        language=c.language,
        home_municipality_code=c.home_municipality.code,
        deceased_on=c.deceased_on,
        occupational_health_care=c.occupational_health_care,
    )


def _municipality(code: str, field: str) -> Municipality:
    from django.core.exceptions import ValidationError

    m = Municipality.objects.filter(code=code).first()
    if m is None:
        raise ValidationError(
            {field: [ValidationError("Unknown municipality code.", code="clients.municipality")]}
        )
    return m


def _registry_client(request: HttpRequest, client_id: uuid.UUID) -> Client:
    if not can(request.user, Perm.CLIENT_VIEW):
        raise PermissionDenied(Perm.CLIENT_VIEW.value)
    actor = acting_user(request)
    data = client_get_for(actor=actor, client_id=client_id, path=request.path)
    if registry.registry_membership_for(actor, data.client) is None:
        raise Http404("No such client.")
    return data.client


@router.post(
    "/registry/clients",
    response={201: RegistryClientOut, 409: DuplicateOut, **E},
    operation_id="clients_add",
)
def clients_add(request: HttpRequest, body: ClientAddIn):  # type: ignore[no-untyped-def]
    """Add one client; your organisation's client relationship opens with them. A
    duplicate identity code answers 409 (with the client only if you may see them)."""
    actor = acting_user(request)
    if not registry.can_add_clients(actor):
        raise PermissionDenied("clients.registry")
    try:
        client = registry.client_add(
            actor=actor,
            personal_id=body.personal_id,
            last_name=body.last_name,
            first_names=body.first_names,
            home_municipality=_municipality(body.home_municipality_code, "home_municipality_code"),
            home_since=body.home_since,
            language=body.language,
            phone=body.phone,
            email=body.email,
            occupational_health_care=body.occupational_health_care,
        )
    except registry.DuplicateClient as exc:
        err = exc.error_dict["personal_id"][0]
        existing = exc.duplicate.client
        return 409, DuplicateOut(
            code=str(err.code),
            message=" ".join(err.messages),
            client_id=existing.pk if existing is not None else None,
        )
    return 201, _out(client)


@router.post(
    "/registry/clients/{client_id}/correction",
    response={200: RegistryClientOut, **E},
    operation_id="clients_correct",
)
def clients_correct(
    request: HttpRequest, client_id: uuid.UUID, body: ClientCorrectIn
) -> RegistryClientOut:
    """Correct identity and contact data (old values kept in the change log)."""
    client = _registry_client(request, client_id)
    return _out(registry.client_correct(actor=acting_user(request), client=client, **body.dict()))


@router.post(
    "/registry/clients/{client_id}/moves",
    response={200: RegistryClientOut, **E},
    operation_id="clients_move",
)
def clients_move(
    request: HttpRequest, client_id: uuid.UUID, body: ClientMoveIn
) -> RegistryClientOut:
    """A new home municipality from a date (not before birth, not after today)."""
    client = _registry_client(request, client_id)
    return _out(
        registry.client_move_home(
            actor=acting_user(request),
            client=client,
            version=body.version,
            municipality=_municipality(body.municipality_code, "municipality_code"),
            moved_on=body.moved_on,
        )
    )


@router.post(
    "/registry/clients/{client_id}/death",
    response={200: RegistryClientOut, **E},
    operation_id="clients_mark_deceased",
)
def clients_mark_deceased(
    request: HttpRequest, client_id: uuid.UUID, body: ClientDeathIn
) -> RegistryClientOut:
    """Record the death; open work closes with the statuses that say so."""
    client = _registry_client(request, client_id)
    done, _closed = registry.client_mark_deceased(
        actor=acting_user(request), client=client, version=body.version, died_on=body.died_on
    )
    return _out(done)
