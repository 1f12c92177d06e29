"""Subject-access export: everything Silta holds about one client, as JSON or PDF.

Generic by design: it follows every relation that points at the client, and one level
further (a plan's versions, a referral's status changes), so a new app's records are
included without changes here. Audit rows are not part of it (the access report
gives those). The JSON and the PDF come from the same rows (``client_records``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import uuid
from typing import Any
from xml.sax.saxutils import escape

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from silta.clients.models import Client
from silta.core import dates
from silta.web.words import basis_text, role_text

SKIP_APPS = {"audit", "rights", "sessions", "admin", "contenttypes", "auth"}


def _value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        data[name] = _value(getattr(obj, name))
    return data


def _reverse_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    return [
        rel
        for rel in model._meta.related_objects
        if isinstance(rel.related_model, type)
        and rel.related_model._meta.app_label not in SKIP_APPS
        and (rel.one_to_many or rel.one_to_one)
    ]


def client_records(client: Client) -> dict[type[models.Model], list[models.Model]]:
    """All rows that refer to the client (depth 2), by model, the client first."""
    out: dict[type[models.Model], list[models.Model]] = {Client: [client]}
    first_level: list[tuple[type[models.Model], list[models.Model]]] = []
    for rel in _reverse_relations(Client):
        related = rel.related_model
        assert isinstance(related, type)
        rows = list(related._default_manager.filter(**{rel.field.name: client}))
        if rows:
            out.setdefault(related, []).extend(rows)
            first_level.append((related, rows))
    for model, parents in first_level:
        for rel in _reverse_relations(model):
            child = rel.related_model
            assert isinstance(child, type)
            if child is Client:
                continue
            rows = list(child._default_manager.filter(**{f"{rel.field.name}__in": parents}))
            seen = {r.pk for r in out.get(child, [])}
            new = [r for r in rows if r.pk not in seen]
            if new:
                out.setdefault(child, []).extend(new)
    return out


def client_data_export(client: Client) -> dict[str, Any]:
    """All rows that refer to the client (depth 2), grouped by model label."""
    records = {
        model._meta.label_lower: [_row(r) for r in rows]
        for model, rows in client_records(client).items()
    }
    return {"client_id": str(client.pk), "records": records}


# The PDF -------------------------------------------------------------------------

PDF_LANGUAGES = ("fi", "sv", "en")


def _display(obj: models.Model, field: models.Field[Any, Any]) -> str:
    """A field's value as a person reads it: choice labels, names of related rows,
    Finnish date format; JSON as compact text."""
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return ""
        related = getattr(obj, field.name)
        if isinstance(related, AbstractUser):
            # the person's name, never a username
            return related.get_full_name() or gettext("A staff member")
        return str(related)
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return ""
    display = getattr(obj, f"get_{field.name}_display", None)
    if field.choices or display is not None:
        return str(display()) if display is not None else str(value)
    if field.name.endswith("role") and isinstance(value, str):
        return role_text(value)
    if field.name.endswith("basis") and isinstance(value, str):
        return basis_text(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.datetime):
        local = value.astimezone(dates.HELSINKI)
        return f"{local.day}.{local.month}.{local.year} {local:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# Headings for the records Silta had when this was written; a new app's records get
# their model's own name (verbose_name_plural if the model sets one).
SECTION_TITLES = {
    "clients.client": gettext_lazy("Basic data"),
    "clients.homemunicipality": gettext_lazy("Home municipality periods"),
    "clients.servicerelationship": gettext_lazy("Service relationships"),
    "clients.unemploymentspell": gettext_lazy("Unemployment periods"),
    "funding.benefitpayment": gettext_lazy("Benefit payments"),
    "casework.jointservice": gettext_lazy("Joint service periods"),
    "casework.jointservicemember": gettext_lazy("Members of the joint service team"),
    "casework.consent": gettext_lazy("Consents"),
    "casework.referral": gettext_lazy("Referrals"),
    "casework.referralstatuschange": gettext_lazy("Referral status changes"),
    "casework.appointment": gettext_lazy("Appointments"),
    "casework.note": gettext_lazy("Case notes"),
    "casework.assessment": gettext_lazy("Assessments"),
    "casework.assessmentrating": gettext_lazy("Assessment ratings"),
    "casework.plan": gettext_lazy("Plans"),
    "casework.planversion": gettext_lazy("Plan versions"),
    "casework.outcome": gettext_lazy("Outcomes"),
    "rehab.placement": gettext_lazy("Rehabilitative work activity placements"),
    "rehab.attendance": gettext_lazy("Attendance days"),
    "rehab.feeclaim": gettext_lazy("Fee claims"),
    "rehab.outcomefee": gettext_lazy("Outcome-based fees"),
    "governance.networkcase": gettext_lazy("Work ability network cases"),
    "governance.agendaitem": gettext_lazy("Network meeting agenda items"),
    "governance.consultation": gettext_lazy("Network consultations"),
}

# Field names that many models share and few translate.
FIELD_LABELS = {
    "id": gettext_lazy("Identifier"),
    "created_at": gettext_lazy("Recorded"),
    "updated_at": gettext_lazy("Last changed"),
    "client": gettext_lazy("Client"),
    "organisation": gettext_lazy("Organisation"),
    "municipality": gettext_lazy("Municipality"),
    "search_name": gettext_lazy("Name for search"),
    "valid_from": gettext_lazy("Start date"),
    "valid_to": gettext_lazy("End date"),
    "accepted_at": gettext_lazy("Accepted"),
    "actor": gettext_lazy("Made by"),
    "added_by": gettext_lazy("Added by"),
    "agenda_item": gettext_lazy("Agenda item"),
    "agreed_on": gettext_lazy("Agreed on"),
    "assessment": gettext_lazy("Assessment"),
    "at": gettext_lazy("Time"),
    "author": gettext_lazy("Written by"),
    "author_role": gettext_lazy("Writer's role"),
    "case": gettext_lazy("Case"),
    "claim": gettext_lazy("Claim"),
    "claimed_at": gettext_lazy("Claimed"),
    "claimed_by": gettext_lazy("Claimed by"),
    "closed_at": gettext_lazy("Closed"),
    "closed_on": gettext_lazy("Closed on"),
    "contract": gettext_lazy("Contract"),
    "contract_version": gettext_lazy("Contract version"),
    "corrects": gettext_lazy("Corrects"),
    "created_by": gettext_lazy("Created by"),
    "decided_at": gettext_lazy("Decided"),
    "decided_by": gettext_lazy("Decided by"),
    "domain": gettext_lazy("Area of life"),
    "episode": gettext_lazy("Coaching period"),
    "first_appointment_at": gettext_lazy("First appointment"),
    "follow_up_3": gettext_lazy("Follow-up after 3 months"),
    "follow_up_6": gettext_lazy("Follow-up after 6 months"),
    "follow_up_12": gettext_lazy("Follow-up after 12 months"),
    "from_organisation": gettext_lazy("Sender"),
    "group": gettext_lazy("Group"),
    "joint_service": gettext_lazy("Joint service period"),
    "meeting": gettext_lazy("Meeting"),
    "network": gettext_lazy("Network"),
    "network_case": gettext_lazy("Network case"),
    "new_status": gettext_lazy("New status"),
    "number": gettext_lazy("Number"),
    "old_status": gettext_lazy("Previous status"),
    "outcome": gettext_lazy("Outcome"),
    "participant": gettext_lazy("Participant"),
    "placement": gettext_lazy("Placement"),
    "plan": gettext_lazy("Plan"),
    "plan_version": gettext_lazy("Plan version"),
    "provider": gettext_lazy("Service provider"),
    "rating": gettext_lazy("Rating"),
    "reason": gettext_lazy("Reason"),
    "recorded_at": gettext_lazy("Recorded"),
    "recorded_by": gettext_lazy("Recorded by"),
    "recorded_by_organisation": gettext_lazy("Recording organisation"),
    "referral": gettext_lazy("Referral"),
    "referred_by": gettext_lazy("Referred by"),
    "relationship": gettext_lazy("Client relationship"),
    "reverses": gettext_lazy("Reverses"),
    "saved_at": gettext_lazy("Saved"),
    "sent_by": gettext_lazy("Sent by"),
    "service": gettext_lazy("Service"),
    "session": gettext_lazy("Session"),
    "signed_at": gettext_lazy("Signed"),
    "signed_by": gettext_lazy("Signed by"),
    "started_by": gettext_lazy("Started by"),
    "statement": gettext_lazy("Monthly statement"),
    "status": gettext_lazy("Status"),
    "text": gettext_lazy("Text"),
    "to_organisation": gettext_lazy("Recipient"),
    "user": gettext_lazy("Staff member"),
    "version": gettext_lazy("Version"),
    "withdrawn_by": gettext_lazy("Withdrawn by"),
    "written_at": gettext_lazy("Written"),
}


def _section_title(model: type[models.Model]) -> str:
    title = SECTION_TITLES.get(model._meta.label_lower)
    if title is not None:
        return str(title)
    if "verbose_name_plural" in model._meta.original_attrs:
        return str(model._meta.verbose_name_plural).capitalize()
    return str(model._meta.verbose_name).capitalize()


def _field_label(field: models.Field[Any, Any]) -> str:
    label = FIELD_LABELS.get(field.name)
    return str(label if label is not None else field.verbose_name).capitalize()


def client_data_pdf(client: Client, language: str) -> bytes:
    """The subject-access export as a PDF (A4) in ``language`` (fi, sv or en): one
    section per kind of record with a readable heading, each row as a table of field
    names and values. Same rows and fields as the JSON export."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8ecf1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    buffer = io.BytesIO()
    records = client_records(client)
    lang = language if language in PDF_LANGUAGES else "fi"
    with translation.override(lang):
        title = gettext("Your data in Silta")
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=title)
        today = dates.today()
        name = f"{client.first_names} {client.last_name}"
        story: list[Any] = [
            Paragraph(escape(title), styles["Title"]),
            Paragraph(
                escape(
                    gettext("To %(name)s, %(date)s")
                    % {"name": name, "date": f"{today.day}.{today.month}.{today.year}"}
                ),
                styles["Normal"],
            ),
            Spacer(1, 6),
            Paragraph(
                escape(
                    gettext(
                        "You asked for the data Silta holds about you. Silta is the case "
                        "work system that the region's municipalities, employment services, "
                        "wellbeing services county, Kela and service providers use together. "
                        "Below is every record about you, by kind: each record names the "
                        "organisation that made it and when."
                    )
                ),
                styles["Normal"],
            ),
            Spacer(1, 6),
            Paragraph(
                escape(
                    gettext(
                        "Produced on %(date)s for the client's right of access "
                        "(EU General Data Protection Regulation, Article 15). Who has "
                        "read the data is in the separate access report."
                    )
                    % {"date": f"{today.day}.{today.month}.{today.year}"}
                ),
                styles["Normal"],
            ),
        ]
        for model, rows in records.items():
            story.append(Spacer(1, 12))
            story.append(
                Paragraph(
                    escape(f"{_section_title(model)} ({len(rows)})"),
                    styles["Heading2"],
                )
            )
            fields = list(model._meta.concrete_fields)
            for obj in rows:
                data = [
                    [
                        Paragraph(escape(_field_label(f)), cell),
                        Paragraph(escape(_display(obj, f)).replace("\n", "<br/>"), cell),
                    ]
                    for f in fields
                ]
                table = Table(data, colWidths=[150, 330])
                table.setStyle(grid)
                story.append(table)
                story.append(Spacer(1, 6))
        doc.build(story)
    return buffer.getvalue()
