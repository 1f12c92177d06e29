"""Reads for a client's rights (administrators): the access report, the subject-access
export and the client of an erasure request. Each read is logged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext

from silta.accounts.models import Organisation, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.models import AccessLog
from silta.audit.services import access_log_write
from silta.clients.models import Client
from silta.core.errors import AccessDenied, AccessError
from silta.web.words import basis_text, role_text, section_text


@dataclass(frozen=True)
class AccessReportRow:
    """One read of the client's data as the client reads it: who (the person's name,
    never a username), which organisation, in which role, when, what and why."""

    log: AccessLog
    organisation: str
    who: str = ""
    role: str = ""
    what: str = ""
    why: str = ""


def client_letter_language(client: Client) -> str:
    """The language of letters to the client: Finnish, Swedish or English (the
    client's own language; Finnish when it is another one)."""
    return client.language if client.language in {"fi", "sv", "en"} else "fi"


def client_access_report(
    *, actor: User, client: Client, page: int = 1, path: str = "", every_row: bool = False
) -> Page[AccessReportRow]:
    """Who read or received a client's data, when and on what basis (laki 703/2023):
    the report an administrator produces when the client asks. Producing it is itself
    a read of the client's data and is logged."""
    memberships = memberships_with(actor, Perm.AUDIT_VIEW)
    if not memberships:
        raise AccessDenied(AccessError.NOT_PERMITTED)
    qs: QuerySet[AccessLog] = AccessLog.objects.filter(subjects__client_id=client.pk).order_by(
        "-at", "-id"
    )
    result = Paginator(qs, 100_000 if every_row else 50).get_page(page)
    org_ids = {r.organisation_id for r in result.object_list if r.organisation_id}
    names = {o.pk: o.name for o in Organisation.objects.filter(pk__in=org_ids)}
    people = {
        u.pk: u.get_full_name()
        for u in User.objects.filter(pk__in={r.actor_id for r in result.object_list})
    }
    rows = [
        AccessReportRow(
            log=r,
            organisation=names.get(r.organisation_id, "") if r.organisation_id else "",
            who=people.get(r.actor_id) or gettext("A staff member"),
            role=role_text(r.role),
            what=section_text(r.section),
            why=basis_text(r.basis),
        )
        for r in result.object_list
    ]
    access_log_write(
        actor=actor,
        membership=memberships[0],
        section="access_report",
        basis="task:data_subject_request",
        client_ids=[client.pk],
        path=path,
    )
    result.object_list = rows  # type: ignore[assignment]
    return result  # type: ignore[return-value]


def client_for_report(*, actor: User, personal_id: str) -> Client | None:
    """Find the client of a data-subject request by identity code (administrators)."""
    if not memberships_with(actor, Perm.AUDIT_VIEW):
        raise AccessDenied(AccessError.NOT_PERMITTED)
    return Client.objects.filter(personal_id=personal_id).first()


def client_by_id_for_report(*, actor: User, client_id: uuid.UUID) -> Client | None:
    if not memberships_with(actor, Perm.AUDIT_VIEW):
        raise AccessDenied(AccessError.NOT_PERMITTED)
    return Client.objects.filter(pk=client_id).first()


def _log_subject_export(*, actor: User, client: Client, path: str) -> None:
    memberships = memberships_with(actor, Perm.AUDIT_VIEW)
    if not memberships:
        raise AccessDenied(AccessError.NOT_PERMITTED)
    access_log_write(
        actor=actor,
        membership=memberships[0],
        section="subject_access_export:all",
        basis="task:data_subject_request",
        client_ids=[client.pk],
        path=path,
    )


def client_subject_export_pdf(
    *, actor: User, client: Client, language: str, path: str = ""
) -> bytes:
    """The subject-access export as a PDF in the administrator's language; logged like
    the JSON export (the path tells the two apart)."""
    from silta.rights.subject_access import client_data_pdf

    if not memberships_with(actor, Perm.AUDIT_VIEW):
        raise AccessDenied(AccessError.NOT_PERMITTED)
    pdf = client_data_pdf(client, language)
    _log_subject_export(actor=actor, client=client, path=path)
    return pdf


def client_subject_export(*, actor: User, client: Client, path: str = "") -> dict[str, object]:
    """All of the client's data for a subject-access request (administrators); one
    access-log row naming the client."""
    from silta.rights.subject_access import client_data_export

    if not memberships_with(actor, Perm.AUDIT_VIEW):
        raise AccessDenied(AccessError.NOT_PERMITTED)
    data = client_data_export(client)
    _log_subject_export(actor=actor, client=client, path=path)
    return data


def client_for_erasure(*, actor: User, client_id: uuid.UUID, path: str = "") -> Client | None:
    """The client of an erasure request (administrators); looking is a logged read."""
    memberships = memberships_with(actor, Perm.CLIENT_ERASE)
    if not memberships:
        raise AccessDenied(AccessError.NOT_PERMITTED)
    client = Client.objects.filter(pk=client_id).first()
    if client is not None:
        access_log_write(
            actor=actor,
            membership=memberships[0],
            section="erasure_request",
            basis="task:data_subject_request",
            client_ids=[client.pk],
            path=path,
        )
    return client
