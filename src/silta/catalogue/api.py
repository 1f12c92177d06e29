"""Catalogue API: read by client-work roles, edited by administrators (versioned)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from silta.accounts.decorators import acting_user
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.catalogue.models import Service
from silta.catalogue.selectors import service_get, service_list
from silta.catalogue.services import service_update
from silta.core.schemas import Schema

router = Router(tags=["catalogue"])


class ErrorOut(Schema):
    code: str
    message: str


class ServiceOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    name_fi: str
    name_sv: str
    name_en: str
    provider_id: uuid.UUID
    provider_name: str
    data_class: str
    monthly_capacity: int
    target_wait_days: int
    is_active: bool
    version: int


class ServiceIn(Schema):
    name_fi: str
    name_sv: str
    name_en: str
    monthly_capacity: int
    target_wait_days: int
    is_active: bool
    version: int


def _out(s: Service) -> ServiceOut:
    return ServiceOut(
        id=s.pk,
        code=s.code,
        name=s.name,
        name_fi=s.name_fi,
        name_sv=s.name_sv,
        name_en=s.name_en,
        provider_id=s.provider_id,
        provider_name=s.provider.name,
        data_class=s.data_class,
        monthly_capacity=s.monthly_capacity,
        target_wait_days=s.target_wait_days,
        is_active=s.is_active,
        version=s.version,
    )


def _require(request: HttpRequest, perm: Perm) -> None:
    if not can(request.user, perm):
        raise PermissionDenied(perm.value)


@router.get(
    "/services", response={200: list[ServiceOut], 403: ErrorOut}, operation_id="services_list"
)
def services_list(request: HttpRequest) -> list[ServiceOut]:
    """The service catalogue."""
    _require(request, Perm.CATALOGUE_VIEW)
    return [_out(s) for s in service_list()]


@router.put(
    "/services/{service_id}",
    response={200: ServiceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    operation_id="services_update",
)
def services_update(request: HttpRequest, service_id: uuid.UUID, body: ServiceIn) -> ServiceOut:
    """Edit a service (administrators). A stale ``version`` answers 409."""
    _require(request, Perm.CATALOGUE_MANAGE)
    service = service_get(service_id=service_id)
    return _out(service_update(actor=acting_user(request), service=service, **body.dict()))
