"""Every read of case work: scoped to the acting user and written to the access log
(one row per page or API read, naming the clients shown and the basis)."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from silta.accounts.models import Membership, User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.services import access_log_write
from silta.casework import work_ability, workflow
from silta.casework.models import (
    FOLLOW_UP_MONTHS,
    Appointment,
    Assessment,
    AssessmentDomain,
    AssessmentRating,
    Consent,
    JointService,
    Note,
    Outcome,
    Plan,
    PlanStatus,
    PlanVersion,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)
from silta.casework.policies import (
    CaseGrant,
    SharingContext,
    casework_clients_filter,
    casework_grant,
    record_membership,
    referral_side,
)
from silta.catalogue.models import Service, ServiceCode
from silta.clients.models import Client, ServiceRelationship
from silta.clients.policies import relationships_open_to
from silta.core import dates, timeline
from silta.core.timeline import TimelineEvent, at_day
from silta.funding.models import BenefitPayment
from silta.privacy.policy import (
    RATING_CLASSES,
    Action,
    DataClass,
    controller_id,
    record_class,
)


def _client_or_404(
    actor: User, client_id: uuid.UUID, perm: Perm, *, own_records: bool = False
) -> tuple[Client, CaseGrant]:
    """The client and the actor's grant, or 404. With ``own_records``, a worker whose
    organisation's relationship with the client has ended still gets in (basis
    ``own_record``): the policy table then shows them only their organisation's
    records."""
    client = Client.objects.select_related("home_municipality").filter(pk=client_id).first()
    grant = casework_grant(actor, client, perm) if client is not None else None
    if client is not None and grant is None and own_records:
        for m in memberships_with(actor, perm):
            if (
                ServiceRelationship.objects.filter(client=client, organisation_id=m.organisation_id)
                .filter(relationships_open_to(actor))
                .exists()
            ):
                grant = CaseGrant(m, "own_record")
                break
    if client is None or grant is None:
        raise Http404("No such client.")
    return client, grant


def read_basis(sharing: SharingContext, record: object) -> str | None:
    """The basis on which the viewer reads one case-work record, as the policy table
    (silta/privacy/policy.py) says, or None."""
    kind, data_class = record_class(record)
    party = False
    if isinstance(record, Referral):
        party = record.to_organisation_id == sharing.membership.organisation_id and (
            record.status in workflow.REFERRAL_OPEN or sharing.relationship_active
        )
    return sharing.basis(kind, data_class, controller_id(record), Action.READ, party=party)


_Rec = TypeVar("_Rec")


def readable(
    sharing: SharingContext, records: Iterable[_Rec], bases: set[str] | None = None
) -> list[_Rec]:
    """The records the viewer may read. Adds to ``bases`` the bases used beyond the
    case file's own (basic case-work data are read on the client relationship or as
    the organisation's own records, which the case file's basis already names)."""
    out = []
    for record in records:
        basis = read_basis(sharing, record)
        if basis is not None:
            out.append(record)
            if bases is not None and record_class(record)[1] != DataClass.BASIC:
                bases.add(basis)
    return out


FORM_SECTION = "casework:form"
"""A case-work form page shows the client's name and the choices made of their
records (referrals for a plan, the team for the joint service)."""


def casework_client_for(
    *, actor: User, client_id: uuid.UUID, perm: Perm = Perm.CASEWORK_WRITE, path: str = ""
) -> tuple[Client, CaseGrant]:
    """The client for a form, or 404. A form page (``path`` given) writes one
    access-log row: it shows the client's name and some of their records."""
    client, grant = _client_or_404(actor, client_id, perm)
    if path:
        access_log_write(
            actor=actor,
            membership=grant.membership,
            section=FORM_SECTION,
            basis=grant.basis,
            client_ids=[client.pk],
            path=path,
        )
    return client, grant


# --- timeline ----------------------------------------------------------------------


def _events_referral_moves(moves: Iterable[ReferralStatusChange]) -> list[TimelineEvent]:
    out = []
    for m in moves:
        r = m.referral
        title = _("Referral to %(service)s: %(status)s") % {
            "service": r.service.name,
            "status": ReferralStatus(m.new_status).label,
        }
        detail = _("%(from)s → %(to)s") % {
            "from": r.from_organisation.name,
            "to": r.to_organisation.name,
        }
        url = reverse("referral-detail", args=[r.pk])
        out.append(TimelineEvent(m.at, f"referral.{m.new_status}", title, detail, url))
    return out


def _events_appointments(items: Iterable[Appointment]) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            a.starts_at,
            "appointment",
            _("Appointment: %(place)s") % {"place": a.place},
            a.organisation.name + (f" – {a.participants}" if a.participants else ""),
        )
        for a in items
    ]


def _events_notes(items: Iterable[Note]) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            n.written_at,
            "note",
            _("Note (%(visibility)s)") % {"visibility": n.get_visibility_display()},
            n.organisation.name,
        )
        for n in items
    ]


def _events_assessments(items: Iterable[Assessment]) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            at_day(a.assessed_on), "assessment", _("Service-need assessment"), a.organisation.name
        )
        for a in items
    ]


def _events_plan_versions(items: Iterable[PlanVersion]) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            v.saved_at,
            "plan",
            _("%(kind)s, version %(n)s: %(status)s")
            % {"kind": v.plan.get_kind_display(), "n": v.number, "status": v.get_status_display()},
            v.plan.organisation.name,
        )
        for v in items
    ]


def _events_joint_service(items: Iterable[JointService]) -> list[TimelineEvent]:
    out = []
    for js in items:
        out.append(TimelineEvent(at_day(js.started_on), "joint_service", _("Joint service began")))
        if js.ended_on:
            out.append(
                TimelineEvent(
                    at_day(js.ended_on),
                    "joint_service",
                    _("Joint service ended"),
                    js.get_end_reason_display(),
                )
            )
    return out


def _events_outcomes(items: Iterable[Outcome]) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            at_day(o.occurred_on),
            "outcome",
            _("Outcome: %(kind)s") % {"kind": o.get_kind_display()},
        )
        for o in items
    ]


def _events_consents(items: Iterable[Consent]) -> list[TimelineEvent]:
    out = []
    for c in items:
        out.append(
            TimelineEvent(
                at_day(c.valid_from),
                "consent",
                _("%(discloser)s: consent to disclose %(classes)s to %(org)s")
                % {
                    "discloser": c.controller.name,
                    "classes": ", ".join(label.lower() for label in c.data_class_labels),
                    "org": c.recipient.name,
                },
            )
        )
        if c.withdrawn_at:
            out.append(
                TimelineEvent(c.withdrawn_at, "consent", _("Consent withdrawn"), c.recipient.name)
            )
    return out


# --- the case file -----------------------------------------------------------------


@dataclass(frozen=True)
class VisibleNote:
    note: Note
    basis: str


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    finding_visible: bool


@dataclass(frozen=True)
class AssessmentComparison:
    assessments: list[Assessment]
    rows: list[tuple[str, list[tuple[int | None, str]]]]
    """(domain label, [(rating, text) per assessment, newest first])."""


@dataclass
class CaseFile:
    client: Client
    grant: CaseGrant
    sharing: SharingContext
    joint_services: list[JointService]
    consents: list[Consent]
    referrals: list[ReferralRow]
    appointments: list[Appointment]
    notes: list[VisibleNote]
    comparison: AssessmentComparison
    plans: list[Plan]
    outcomes: list[Outcome]
    timeline: list[TimelineEvent] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)

    @property
    def active_joint_service(self) -> JointService | None:
        today = dates.today()
        return next((j for j in self.joint_services if j.is_active_on(today)), None)


CASE_FILE_SECTION = "casework:joint_service,consents,referrals,appointments,notes,assessments,plans"
"""The case file page shows these sections and the timeline built from them."""


def visible_ratings(
    sharing: SharingContext, assessment: Assessment, bases: set[str] | None = None
) -> list[AssessmentRating]:
    """The ratings of an assessment the viewer may read: ratings of health domains
    only on a basis the policy table allows (adds the bases used to ``bases``)."""
    out = []
    for r in assessment.ratings.all():
        basis = sharing.rating_basis(r.domain, assessment.organisation_id)
        if basis is not None:
            out.append(r)
            if bases is not None:
                bases.add(basis)
    return out


def _comparison(
    assessments: list[Assessment], sharing: SharingContext, bases: set[str], limit: int = 4
) -> AssessmentComparison:
    shown = assessments[:limit]
    by = [{r.domain: r for r in visible_ratings(sharing, a, bases)} for a in shown]
    rows = []
    for domain in AssessmentDomain:
        cells: list[tuple[int | None, str]] = []
        for ratings in by:
            r = ratings.get(domain.value)
            cells.append((r.rating, r.text) if r else (None, ""))
        rows.append((str(domain.label), cells))
    return AssessmentComparison(shown, rows)


def case_file_for(*, actor: User, client_id: uuid.UUID, path: str = "") -> CaseFile:
    """A client's case work as the actor may see it, with the timeline. One access-log
    row: the basis of the case file plus every extra basis used (consents, the joint
    service) for notes and health findings."""
    client, grant = _client_or_404(actor, client_id, Perm.CASEWORK_VIEW, own_records=True)
    sharing = SharingContext.of(grant.membership, client.pk)
    bases = {grant.basis}
    # the joint service and group activity are the working organisations' view
    joint = (
        list(
            JointService.objects.filter(client=client).prefetch_related(
                Prefetch("members", queryset=_members_qs())
            )
        )
        if sharing.relationship_active
        else []
    )
    consents = readable(
        sharing,
        Consent.objects.filter(client=client).select_related("controller", "recipient"),
        bases,
    )
    referrals = readable(
        sharing,
        Referral.objects.filter(client=client).select_related(
            "service", "from_organisation", "to_organisation", "sent_by"
        ),
        bases,
    )
    rows = []
    for r in referrals:
        finding = None
        if r.work_ability_concern:
            finding = sharing.referral_finding_basis(r)
            if finding:
                bases.add(finding)
        rows.append(ReferralRow(r, finding is not None))
    notes: list[VisibleNote] = []
    for n in Note.objects.filter(client=client).select_related("organisation", "author"):
        basis = sharing.note_basis(n)
        if basis is not None:
            notes.append(VisibleNote(n, basis))
            bases.add(basis)
    appointments = readable(
        sharing,
        Appointment.objects.filter(client=client)
        .select_related("organisation")
        .order_by("-starts_at"),
        bases,
    )
    assessments = readable(
        sharing,
        Assessment.objects.filter(client=client)
        .select_related("organisation", "signed_by")
        .prefetch_related("ratings"),
        bases,
    )
    comparison = _comparison(assessments, sharing, bases)
    plans = readable(
        sharing, Plan.objects.filter(client=client).select_related("organisation"), bases
    )
    outcomes = readable(
        sharing, Outcome.objects.filter(client=client).select_related("organisation"), bases
    )
    moves = ReferralStatusChange.objects.filter(
        referral__in=[r.pk for r in referrals]
    ).select_related(
        "referral__service", "referral__from_organisation", "referral__to_organisation"
    )
    versions = PlanVersion.objects.filter(plan__in=[p.pk for p in plans]).select_related(
        "plan__organisation"
    )
    events = sorted(
        _events_referral_moves(moves)
        + _events_appointments(appointments)
        + _events_notes(v.note for v in notes)
        + _events_assessments(assessments)
        + _events_plan_versions(versions)
        + _events_joint_service(joint)
        + _events_outcomes(outcomes)
        + _events_consents(consents)
        + timeline.contributions(
            timeline.TimelineScope(
                client_id=client.pk,
                organisation_id=grant.membership.organisation_id,
                relationship_active=sharing.relationship_active,
            )
        ),
        key=lambda e: e.at,
        reverse=True,
    )
    ordered_bases = [grant.basis, *sorted(bases - {grant.basis})]
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section=CASE_FILE_SECTION,
        basis=";".join(ordered_bases),
        client_ids=[client.pk],
        path=path,
    )
    return CaseFile(
        client=client,
        grant=grant,
        sharing=sharing,
        joint_services=joint,
        consents=consents,
        referrals=rows,
        appointments=appointments,
        notes=notes,
        comparison=comparison,
        plans=plans,
        outcomes=outcomes,
        timeline=events,
        bases=ordered_bases,
    )


def _members_qs() -> QuerySet:  # type: ignore[type-arg]
    from silta.casework.models import JointServiceMember

    return JointServiceMember.objects.select_related("user", "organisation")


# --- single records for the API and pages -------------------------------------------


def notes_for(*, actor: User, client_id: uuid.UUID, path: str = "") -> list[VisibleNote]:
    client, grant = _client_or_404(actor, client_id, Perm.CASEWORK_VIEW, own_records=True)
    sharing = SharingContext.of(grant.membership, client.pk)
    notes = []
    bases = {grant.basis}
    for n in Note.objects.filter(client=client).select_related("organisation", "author"):
        basis = sharing.note_basis(n)
        if basis is not None:
            notes.append(VisibleNote(n, basis))
            bases.add(basis)
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="casework:notes",
        basis=";".join([grant.basis, *sorted(bases - {grant.basis})]),
        client_ids=[client.pk],
        path=path,
    )
    return notes


def assessments_for(
    *, actor: User, client_id: uuid.UUID, path: str = ""
) -> list[tuple[Assessment, list[AssessmentRating]]]:
    """The client's assessments with the ratings the viewer may read; one access-log
    row naming every basis used (a consent for health-domain ratings)."""
    client, grant = _client_or_404(actor, client_id, Perm.CASEWORK_VIEW, own_records=True)
    sharing = SharingContext.of(grant.membership, client.pk)
    bases = {grant.basis}
    qs = (
        Assessment.objects.filter(client=client)
        .select_related("signed_by")
        .prefetch_related("ratings")
    )
    rows = [(a, visible_ratings(sharing, a, bases)) for a in readable(sharing, qs)]
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="casework:assessments",
        basis=";".join([grant.basis, *sorted(bases - {grant.basis})]),
        client_ids=[client.pk],
        path=path,
    )
    return rows


def client_records_for(
    *, actor: User, client_id: uuid.UUID, section: str, path: str = ""
) -> tuple[Client, CaseGrant]:
    """Access check and log for one section of a client's case work read through the
    API (consents, assessments, plans, referrals, appointments, outcomes); the caller
    reads the rows of that section and keeps those ``readable`` shows."""
    client, grant = _client_or_404(actor, client_id, Perm.CASEWORK_VIEW, own_records=True)
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section=f"casework:{section}",
        basis=grant.basis,
        client_ids=[client.pk],
        path=path,
    )
    return client, grant


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    side: str
    membership: Membership
    basis: str
    finding_visible: bool
    moves: list[ReferralStatusChange]
    appointments: list[Appointment]

    @property
    def next_statuses(self) -> list[str]:
        allowed = workflow.REFERRAL_ALLOWED[self.referral.status]
        mine = (
            workflow.REFERRAL_BY_RECEIVER
            if self.side == "receiver"
            else workflow.REFERRAL_BY_SENDER
        )
        return [s for s in ReferralStatus.values if s in allowed and s in mine]


def _referral_qs() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "client", "service", "from_organisation", "to_organisation", "sent_by"
    )


def referral_for_action(*, actor: User, referral_id: uuid.UUID) -> Referral:
    """A referral the actor may handle, for a write (not logged: nothing is shown)."""
    referral = _referral_qs().filter(pk=referral_id).first()
    if referral is None or referral_side(actor, referral, Action.CHANGE) is None:
        raise Http404("No such referral.")
    return referral


def plan_for_action(*, actor: User, plan_id: uuid.UUID, action: str = Action.CHANGE) -> Plan:
    """A plan the actor may change (or end: ``action``), for a write (not logged:
    nothing is shown); 404 for anybody else, as the policy table says."""
    plan = Plan.objects.select_related("client").filter(pk=plan_id).first()
    if plan is None or record_membership(actor, plan, action) is None:
        raise Http404("No such plan.")
    return plan


def referral_get_for(*, actor: User, referral_id: uuid.UUID, path: str = "") -> ReferralView:
    """A referral for its receiving or sending organisation (404 for anybody else)."""
    referral = _referral_qs().filter(pk=referral_id).first()
    side = referral_side(actor, referral) if referral is not None else None
    if referral is None or side is None:
        raise Http404("No such referral.")
    kind, membership = side
    basis = "referral_received" if kind == "receiver" else "referral_sent"
    sharing = SharingContext.of(membership, referral.client_id)
    finding = sharing.referral_finding_basis(referral) if referral.work_ability_concern else None
    access_log_write(
        actor=actor,
        membership=membership,
        section="casework:referral",
        basis=basis + (f";{finding}" if finding else ""),
        client_ids=[referral.client_id],
        path=path,
    )
    return ReferralView(
        referral=referral,
        side=kind,
        membership=membership,
        basis=basis,
        finding_visible=finding is not None,
        moves=list(referral.moves.select_related("actor").order_by("at")),
        appointments=list(referral.appointments.order_by("starts_at")),
    )


@dataclass(frozen=True)
class InboxRow:
    referral: Referral
    days_waiting: int
    overdue: bool


def referral_inbox_for(*, actor: User, status: str = "open", path: str = "") -> list[InboxRow]:
    """Referrals received by the actor's organisations; ``status`` is ``open``, ``all``
    or one status."""
    org_ids = {m.organisation_id for m in memberships_with(actor, Perm.REFERRAL_INBOX)}
    today = dates.today()
    # open referrals, and closed ones only while the receiver still works with the
    # client (an ended relationship ends access to the old referrals)
    related = ServiceRelationship.objects.filter(
        client_id=OuterRef("client_id"),
        organisation_id=OuterRef("to_organisation_id"),
        valid_from__lte=today,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    qs = _referral_qs().filter(
        Q(status__in=workflow.REFERRAL_OPEN) | Q(Exists(related)),
        to_organisation_id__in=org_ids,
    )
    if status == "open":
        qs = qs.filter(status__in=workflow.REFERRAL_OPEN)
    elif status in ReferralStatus.values:
        qs = qs.filter(status=status)
    rows = _inbox_rows(qs.order_by("sent_at")[:200])
    memberships = memberships_with(actor, Perm.REFERRAL_INBOX)
    access_log_write(
        actor=actor,
        membership=memberships[0] if memberships else None,
        section="casework:referral_inbox",
        basis="referral_received",
        client_ids=[r.referral.client_id for r in rows],
        path=path,
    )
    return rows


def _inbox_rows(referrals: Iterable[Referral]) -> list[InboxRow]:
    today = dates.today()
    rows = []
    for r in referrals:
        end = r.first_appointment_at.date() if r.first_appointment_at else today
        days = (end - r.sent_at.astimezone(dates.HELSINKI).date()).days
        overdue = r.first_appointment_at is None and days > r.service.target_wait_days
        rows.append(InboxRow(r, days, overdue))
    return rows


def plan_get_for(
    *, actor: User, plan_id: uuid.UUID, path: str = ""
) -> tuple[Plan, list[PlanVersion]]:
    plan = Plan.objects.select_related("client", "organisation").filter(pk=plan_id).first()
    found = (
        record_membership(actor, plan, Action.READ, Perm.CASEWORK_VIEW)
        if plan is not None
        else None
    )
    if plan is None or found is None:
        raise Http404("No such plan.")
    grant = CaseGrant(*found)
    versions = list(
        plan.versions.select_related("author")
        .prefetch_related("referrals__service")
        .order_by("-number")
    )
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section="casework:plan",
        basis=grant.basis,
        client_ids=[plan.client_id],
        path=path,
    )
    return plan, versions


R = TypeVar("R", Consent, JointService, Outcome)


def record_for(
    *,
    actor: User,
    model: type[R],
    record_id: uuid.UUID,
    perm: Perm = Perm.CASEWORK_WRITE,
    action: str = Action.CHANGE,
) -> R:
    """A consent, joint service or outcome of a client the actor may act on, or 404.
    Consents and outcomes go by the policy table (their controller changes and ends
    them); the joint service by the client relationship and ``perm``."""
    obj = model.objects.select_related("client").filter(pk=record_id).first()  # type: ignore[attr-defined]
    if obj is None:
        raise Http404("Not found.")
    if isinstance(obj, JointService):
        allowed = casework_grant(actor, obj.client, perm) is not None
    else:
        allowed = record_membership(actor, obj, action, perm) is not None
    if not allowed:
        raise Http404("Not found.")
    return obj


# --- caseload ----------------------------------------------------------------------

REVIEW_AHEAD_DAYS = 14
UPCOMING_DAYS = 14


#: The caseload's sections, as named in ``?more=`` and ``Caseload.more``.
CASELOAD_SECTIONS = ("mine", "reviews", "waiting", "upcoming", "follow_ups")
#: Rows a section shows at first, and when the worker asks for all of it.
CASELOAD_ROWS = 25
CASELOAD_ROWS_ALL = 200
_T = TypeVar("_T")


@dataclass
class Caseload:
    my_clients: list[Client]
    reviews_due: list[Plan]
    waiting: list[InboxRow]
    upcoming: list[Appointment]
    follow_ups: list[tuple[Outcome, int, dt.date]]
    # sections that have more rows than shown, and the section shown in full
    more: frozenset[str] = frozenset()
    expanded: str = ""


def _overdue_q(today: dt.date) -> Q:
    """Referrals without a first appointment that have waited longer than their
    service's target (as ``_inbox_rows`` counts days: Helsinki dates), in SQL: one
    cut-off time per distinct target, so the database returns only overdue rows."""
    targets = Service.objects.order_by().values_list("target_wait_days", flat=True).distinct()
    overdue = Q(pk__in=[])
    for target in set(targets):
        cutoff = dt.datetime.combine(
            today - dt.timedelta(days=target), dt.time.min, tzinfo=dates.HELSINKI
        )
        overdue |= Q(service__target_wait_days=target, sent_at__lt=cutoff)
    return Q(first_appointment_at__isnull=True) & overdue


def _follow_up_due_q(today: dt.date) -> Q:
    """Outcomes with a follow-up missing whose due date has come, exactly, in SQL.

    A follow-up is due ``months`` after the outcome, clipped to a shorter month's end
    (``add_months``), which never decreases as the outcome's date grows; so the due
    outcomes are those on or before the last date whose due date is not after today.
    That date is within three days of today ``months`` back (31 - 28)."""
    from silta.casework.services import add_months

    due = Q(pk__in=[])
    for months in FOLLOW_UP_MONTHS:
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        start = dt.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))
        last = max(
            day
            for day in (start + dt.timedelta(days=n) for n in range(4))
            if add_months(day, months) <= today
        )
        due |= Q(**{f"follow_up_{months}": "", "occurred_on__lte": last})
    return due


def _cut(rows: list[_T], limit: int, name: str, more: set[str]) -> list[_T]:
    """The first ``limit`` rows; notes in ``more`` that the section has others."""
    if len(rows) > limit:
        more.add(name)
    return rows[:limit]


def caseload_for(
    *,
    actor: User,
    path: str = "",
    limit: int = CASELOAD_ROWS,
    expand: str = "",
) -> Caseload:
    """The actor's working list: their clients, plan reviews due, referrals waiting
    longer than the service aims for, upcoming appointments, follow-ups due. Every
    client shown is one the actor's organisation works with; one access-log row.

    Each section shows its first ``limit`` rows (the most urgent first); ``expand``
    names one section to show with up to ``CASELOAD_ROWS_ALL`` rows."""
    expand = expand if expand in CASELOAD_SECTIONS else ""
    limits = {name: CASELOAD_ROWS_ALL if name == expand else limit for name in CASELOAD_SECTIONS}
    more: set[str] = set()
    scope = casework_clients_filter(actor)
    memberships = memberships_with(actor, Perm.CASEWORK_VIEW)
    org_ids = {m.organisation_id for m in memberships}
    today = dates.today()
    if scope is None:
        return Caseload([], [], [], [], [])
    visible = Client.objects.filter(scope).values("pk")
    # Three narrow selects driven by the actor's own rows, in one UNION, instead of one
    # DISTINCT over an OR of three joins (which scanned the whole client table at
    # 100 000 clients). Each brings the names, so no second query looks the few
    # hundred clients up by id (PostgreSQL chose a scan of the whole table for that).
    own = [
        Client.objects.filter(mine)
        .filter(scope)
        .order_by()
        .values_list("last_name", "first_names", "pk")
        for mine in (
            Q(joint_services__members__user=actor, joint_services__ended_on__isnull=True),
            Q(plans__created_by=actor, plans__closed_on__isnull=True),
            Q(referrals__sent_by=actor, referrals__status__in=workflow.REFERRAL_OPEN),
        )
    ]
    # Ordered here: with ORDER BY and LIMIT the database chose a scan of the whole
    # client table to avoid sorting a few hundred rows.
    names = own[0].union(*own[1:])
    first = [pk for *_name, pk in sorted(names, key=lambda n: (n[0], n[1], str(n[2])))]
    first = first[: limits["mine"] + 1]
    by_pk = Client.objects.select_related("home_municipality").in_bulk(first)
    mine = [by_pk[pk] for pk in first]
    reviews = (
        Plan.objects.filter(client__in=visible, organisation_id__in=org_ids)
        .exclude(status=PlanStatus.CLOSED)
        .filter(next_review_on__lte=today + dt.timedelta(days=REVIEW_AHEAD_DAYS))
        .select_related("client")
        .order_by("next_review_on")[: limits["reviews"] + 1]
    )
    open_refs = (
        Referral.objects.select_related("client", "service")
        .filter(
            Q(from_organisation_id__in=org_ids) | Q(to_organisation_id__in=org_ids),
            _overdue_q(today),
            status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED],
            client__in=visible,
        )
        .order_by("sent_at")[: limits["waiting"] + 1]
    )
    waiting = _inbox_rows(open_refs)
    now = dates.now()
    upcoming = (
        Appointment.objects.filter(
            organisation_id__in=org_ids,
            starts_at__gte=now,
            starts_at__lte=now + dt.timedelta(days=UPCOMING_DAYS),
            client__in=visible,
        )
        .select_related("client")
        .order_by("starts_at")[: limits["upcoming"] + 1]
    )
    follow_ups: list[tuple[Outcome, int, dt.date]] = []
    from silta.casework.services import follow_up_due_on

    for o in (
        Outcome.objects.filter(organisation_id__in=org_ids, client__in=visible)
        .filter(_follow_up_due_q(today))
        .filter(occurred_on__gte=today - dt.timedelta(days=400), occurred_on__lte=today)
        .select_related("client")
        .order_by("occurred_on", "pk")[: limits["follow_ups"] + 1]
    ):
        for months in FOLLOW_UP_MONTHS:
            due = follow_up_due_on(o, months)
            if not getattr(o, f"follow_up_{months}") and due <= today:
                follow_ups.append((o, months, due))
                break
    result = Caseload(
        _cut(list(mine), limits["mine"], "mine", more),
        _cut(list(reviews), limits["reviews"], "reviews", more),
        _cut(waiting, limits["waiting"], "waiting", more),
        _cut(list(upcoming), limits["upcoming"], "upcoming", more),
        _cut(follow_ups, limits["follow_ups"], "follow_ups", more),
        more=frozenset(more),
        expanded=expand,
    )
    ids = (
        [c.pk for c in result.my_clients]
        + [p.client_id for p in result.reviews_due]
        + [r.referral.client_id for r in result.waiting]
        + [a.client_id for a in result.upcoming]
        + [o.client_id for o, _m, _d in result.follow_ups]
    )
    access_log_write(
        actor=actor,
        membership=memberships[0] if memberships else None,
        section="casework:caseload",
        basis="caseload:" + ",".join(sorted({m.role for m in memberships})),
        client_ids=ids,
        path=path,
    )
    return result


# --- work ability candidates ----------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    client: Client
    reasons: list[work_ability.Reason]

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)


def _helsinki_day(at: dt.datetime | None) -> dt.date:
    assert at is not None, "the query selects only rows where this time is set"
    return at.astimezone(dates.HELSINKI).date()


def _facts_for(
    client_ids: QuerySet,  # type: ignore[type-arg]
    membership: Membership,
) -> dict[uuid.UUID, work_ability.Facts]:
    rules = work_ability.default_rules()
    today = dates.today()
    days = {
        row["client_id"]: int(row["d"] or 0)
        for row in BenefitPayment.objects.filter(client_id__in=client_ids)
        .values("client_id")
        .annotate(d=Sum("paid_days"))
        .order_by()
    }
    within = int(rules.rules.get("health_check_finding", {}).get("within_months", 24))
    now = dates.now()
    # The referrals each rule looks at, in one query (the four kinds exclude each
    # other by service and status); each row names the rule it is for.
    facts = Case(
        When(
            Q(
                service__code=ServiceCode.HEALTH_CHECK,
                status=ReferralStatus.COMPLETED,
                work_ability_concern=True,
                closed_at__gte=now - dt.timedelta(days=round(within * 30.44) + 1),
            ),
            then=Value("concern"),
        ),
        When(
            Q(
                status=ReferralStatus.NOT_COMPLETED,
                closed_at__gte=now - dt.timedelta(days=800),
            ),
            then=Value("not_completed"),
        ),
        When(
            Q(
                service__code=ServiceCode.REHABILITATIVE_WORK_ACTIVITY,
                status=ReferralStatus.SCHEDULED,
                first_appointment_at__isnull=False,
            ),
            then=Value("rehab"),
        ),
        When(
            Q(
                service__code=ServiceCode.WORK_ABILITY_ASSESSMENT,
                status__in=[
                    ReferralStatus.SENT,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.SCHEDULED,
                    ReferralStatus.COMPLETED,
                ],
            ),
            then=Value("assessed"),
        ),
        default=None,
        output_field=CharField(),
    )
    rows = list(
        Referral.objects.filter(client_id__in=client_ids)
        .annotate(fact=facts)
        .filter(fact__isnull=False)
        .order_by()
        .values_list(
            "fact",
            "client_id",
            "status",
            "to_organisation_id",
            "sent_at",
            "closed_at",
            "first_appointment_at",
        )
    )
    contexts = SharingContext.of_many(membership, {r[1] for r in rows if r[0] == "concern"})
    concern: dict[uuid.UUID, dt.date] = {}
    not_completed: dict[uuid.UUID, list[dt.date]] = defaultdict(list)
    rehab: dict[uuid.UUID, dt.date] = {}
    assessed: dict[uuid.UUID, dt.date] = {}
    for fact, cid, status, to_org, sent, closed, first in rows:
        if fact == "concern":
            # the health finding counts only where the viewer may see it (as
            # SharingContext.referral_finding_basis)
            if contexts[cid].health_basis(to_org) is None:
                continue
            day = _helsinki_day(closed)
            concern[cid] = max(day, concern.get(cid, day))
        elif fact == "not_completed":
            not_completed[cid].append(_helsinki_day(closed))
        elif fact == "rehab":
            day = _helsinki_day(first)
            rehab[cid] = min(day, rehab.get(cid, day))
        else:
            day = (
                today
                if status != ReferralStatus.COMPLETED
                else sent.astimezone(dates.HELSINKI).date()
            )
            assessed[cid] = max(day, assessed.get(cid, day))
    # The ratings of each client's latest assessment, as plain values: loading every
    # assessment with its ratings as objects took most of the page's time.
    latest = (
        Assessment.objects.filter(client_id=OuterRef("assessment__client_id"))
        .order_by("-assessed_on", "-signed_at", "-pk")
        .values("pk")[:1]
    )
    ratings: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    rows_r = list(
        AssessmentRating.objects.filter(
            assessment__client_id__in=client_ids, assessment_id=Subquery(latest)
        ).values_list("assessment__client_id", "domain", "rating", "assessment__organisation_id")
    )
    # health-domain ratings of another organisation count only where the viewer may
    # read them (the policy table, as on the case file)
    gated = {
        cid
        for cid, domain, _r, org in rows_r
        if domain in RATING_CLASSES and org != membership.organisation_id
    }
    rating_contexts = SharingContext.of_many(membership, gated) if gated else {}
    for cid, domain, rating, org in rows_r:
        if (
            cid in rating_contexts
            and domain in RATING_CLASSES
            and rating_contexts[cid].rating_basis(domain, org) is None
        ):
            continue
        ratings[cid][domain] = rating
    ids = set(days) | set(concern) | set(not_completed) | set(rehab) | set(ratings)
    return {
        cid: work_ability.Facts(
            benefit_days=days.get(cid, 0),
            health_concern_on=concern.get(cid),
            not_completed_on=tuple(not_completed.get(cid, ())),
            rehab_since=rehab.get(cid),
            latest_ratings=ratings.get(cid, {}),
            last_assessed_on=assessed.get(cid),
        )
        for cid in ids
    }


SORTS = {"score", "name", "benefit_days"}


def work_ability_candidates_for(
    *,
    actor: User,
    scope: str = "organisation",
    sort: str = "score",
    path: str = "",
    limit: int = 200,
) -> list[Candidate]:
    """Clients who likely need a work ability assessment, with the reasons that fired.
    ``scope`` is ``organisation`` (every client the actor's organisation works with)
    or ``mine`` (the actor's own clients). It suggests; a person decides."""
    memberships = memberships_with(actor, Perm.WORK_ABILITY_LIST)
    visible = casework_clients_filter(actor, Perm.WORK_ABILITY_LIST)
    if visible is None:
        return []
    clients = Client.objects.filter(visible)
    if scope == "mine":
        clients = clients.filter(
            Q(joint_services__members__user=actor, joint_services__ended_on__isnull=True)
            | Q(plans__created_by=actor, plans__closed_on__isnull=True)
            | Q(referrals__sent_by=actor)
        ).distinct()
    ids = clients.values("pk")
    facts = _facts_for(ids, memberships[0])
    rules = work_ability.default_rules()
    today = dates.today()
    scored: dict[uuid.UUID, list[work_ability.Reason]] = {}
    for cid, f in facts.items():
        reasons = work_ability.evaluate(f, rules, today)
        if work_ability.is_candidate(reasons, rules):
            scored[cid] = reasons
    by_id = {
        c.pk: c
        for c in Client.objects.filter(pk__in=list(scored)).select_related("home_municipality")
    }
    rows = [Candidate(by_id[cid], reasons) for cid, reasons in scored.items() if cid in by_id]
    if sort == "name":
        rows.sort(key=lambda c: (c.client.last_name, c.client.first_names, str(c.client.pk)))
    elif sort == "benefit_days":
        rows.sort(key=lambda c: (-facts[c.client.pk].benefit_days, c.client.last_name))
    else:
        rows.sort(key=lambda c: (-c.score, c.client.last_name, str(c.client.pk)))
    rows = rows[:limit]
    access_log_write(
        actor=actor,
        membership=memberships[0],
        section="casework:work_ability_candidates",
        basis="task:work_ability_identification",
        client_ids=[c.client.pk for c in rows],
        path=path,
    )
    return rows
