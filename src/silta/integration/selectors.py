"""Every read of integration services, scoped to the acting user; person-level reads
write the access log. Integration records are basic case-work data: every
organisation working with the client reads them (silta/privacy/policy.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from silta.accounts.models import User
from silta.accounts.policies import memberships_with
from silta.accounts.roles import Perm
from silta.audit.services import access_log_write
from silta.casework.models import Appointment
from silta.casework.policies import CaseGrant, casework_clients_filter
from silta.casework.selectors import casework_client_for
from silta.clients.models import Client
from silta.core import dates
from silta.governance.models import AgendaItem, Body, Meeting, MeetingStatus
from silta.groups.models import Group, GroupSession, Participant, SessionStatus
from silta.integration import rules
from silta.integration.models import (
    AppointmentInterpreting,
    InitialAssessment,
    IntegrationPlan,
    LanguageProfile,
)
from silta.integration.services import may_record
from silta.privacy.policy import IntegrationRecord

SECTION = "integration:languages,initial_assessments,integration_plans"


@dataclass
class IntegrationFile:
    client: Client
    grant: CaseGrant
    profile: LanguageProfile | None
    assessments: list[InitialAssessment]
    plans: list[IntegrationPlan]
    state_funded_until: dt.date | None
    appointments: list[tuple[Appointment, AppointmentInterpreting | None]]
    may: dict[str, bool] = field(default_factory=dict)

    @property
    def assessment_deadline(self) -> dt.date | None:
        if self.profile is None or self.profile.integration_client_since is None:
            return None
        return rules.assessment_due(self.profile.integration_client_since)


def state_funded_until(client: Client) -> dt.date | None:
    """The state-funded-until date the funding engine uses for this person (the
    immigrant exception, DOMAIN.md §3.1): read from the payment store's person events,
    never copied."""
    from silta.funding.models import PersonEvent, PersonEventKind

    row = (
        PersonEvent.objects.filter(
            person_id=client.personal_id, event=PersonEventKind.STATE_FUNDED_UNTIL
        )
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return row


def integration_file_for(*, actor: User, client_id: uuid.UUID, path: str = "") -> IntegrationFile:
    """The client's integration records, or 404 for a client the actor does not work
    with. One access-log row."""
    client, grant = casework_client_for(
        actor=actor, client_id=client_id, perm=Perm.CASEWORK_VIEW, path=""
    )
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section=SECTION,
        basis=grant.basis,
        client_ids=[client.pk],
        path=path,
    )
    now = dates.now()
    appointments = list(
        Appointment.objects.filter(client=client, starts_at__gte=now - dt.timedelta(days=1))
        .select_related("organisation")
        .order_by("starts_at")[:20]
    )
    interpreting = {
        i.appointment_id: i
        for i in AppointmentInterpreting.objects.filter(appointment__in=appointments)
    }
    return IntegrationFile(
        client=client,
        grant=grant,
        profile=LanguageProfile.objects.filter(client=client)
        .select_related("organisation")
        .first(),
        assessments=list(
            InitialAssessment.objects.filter(client=client).select_related("organisation")
        ),
        plans=list(
            IntegrationPlan.objects.filter(client=client)
            .select_related("organisation")
            .prefetch_related("reviews")
        ),
        state_funded_until=state_funded_until(client),
        appointments=[(a, interpreting.get(a.pk)) for a in appointments],
        may={r.value: may_record(actor, client, r.value) for r in IntegrationRecord},
    )


def integration_client_for(*, actor: User, client_id: uuid.UUID, path: str = "") -> Client:
    """The client for a form, or 404 (one access-log row)."""
    client, _grant = casework_client_for(actor=actor, client_id=client_id, path=path)
    return client


def plan_for_action(*, actor: User, plan_id: uuid.UUID) -> IntegrationPlan:
    """A plan the actor works with the client of, or 404 (the service checks the
    controller)."""
    plan = IntegrationPlan.objects.select_related("client").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan.")
    flt = casework_clients_filter(actor, Perm.CASEWORK_WRITE)
    if flt is None or not Client.objects.filter(flt, pk=plan.client_id).exists():
        raise Http404("No such plan.")
    return plan


def appointment_for_action(*, actor: User, appointment_id: uuid.UUID) -> Appointment:
    appointment = Appointment.objects.select_related("client").filter(pk=appointment_id).first()
    org_ids = {m.organisation_id for m in memberships_with(actor, Perm.CASEWORK_WRITE)}
    if appointment is None or appointment.organisation_id not in org_ids:
        raise Http404("No such appointment.")
    flt = casework_clients_filter(actor, Perm.CASEWORK_WRITE)
    if flt is None or not Client.objects.filter(flt, pk=appointment.client_id).exists():
        raise Http404("No such appointment.")
    return appointment


def interpreter_gaps_for(*, actor: User, path: str = "", limit: int = 25) -> list[Appointment]:
    """Upcoming appointments of the actor's organisations that need an interpreter and
    have none booked: marked as needing one and not booked, or with a client who needs
    an interpreter and no interpreting recorded. One access-log row when any."""
    memberships = memberships_with(actor, Perm.CASEWORK_VIEW)
    org_ids = {m.organisation_id for m in memberships}
    flt = casework_clients_filter(actor, Perm.CASEWORK_VIEW)
    if not org_ids or flt is None:
        return []
    unbooked = AppointmentInterpreting.objects.filter(appointment=OuterRef("pk"), booked=False)
    recorded = AppointmentInterpreting.objects.filter(appointment=OuterRef("pk"))
    needs = LanguageProfile.objects.filter(client=OuterRef("client_id"), interpreter_needed=True)
    rows = list(
        Appointment.objects.filter(organisation_id__in=org_ids, starts_at__gte=dates.now())
        .filter(client__in=Client.objects.filter(flt))
        .filter(Q(Exists(unbooked)) | (Q(Exists(needs)) & ~Q(Exists(recorded))))
        .select_related("client", "client__language_profile")
        .order_by("starts_at")[:limit]
    )
    if rows:
        access_log_write(
            actor=actor,
            membership=memberships[0],
            section="integration:interpreter_gaps",
            basis="caseload:" + ",".join(sorted({m.role for m in memberships})),
            client_ids=[a.client_id for a in rows],
            path=path,
        )
    return rows


@dataclass(frozen=True)
class CaseloadRow:
    profile: LanguageProfile
    assessed_on: dt.date | None
    due_on: dt.date | None
    overdue: bool
    plan: IntegrationPlan | None


INTEGRATION_CASELOAD_ROWS = 50


def integration_caseload_for(*, actor: User, path: str = "") -> list[CaseloadRow]:
    """The integration clients the actor's organisations work with, newest first: the
    initial assessment's date or its due date (late ones marked) and the current plan.
    One access-log row when any."""
    memberships = memberships_with(actor, Perm.CASEWORK_VIEW)
    flt = casework_clients_filter(actor, Perm.CASEWORK_VIEW)
    if not memberships or flt is None:
        return []
    profiles = list(
        LanguageProfile.objects.filter(client__in=Client.objects.filter(flt))
        .select_related("client")
        .order_by("-integration_client_since", "client__last_name", "client_id")[
            :INTEGRATION_CASELOAD_ROWS
        ]
    )
    ids = [p.client_id for p in profiles]
    assessed: dict[uuid.UUID, dt.date] = {}
    for cid, day in InitialAssessment.objects.filter(client_id__in=ids).values_list(
        "client_id", "assessed_on"
    ):
        assessed[cid] = min(day, assessed.get(cid, day))
    plans: dict[uuid.UUID, IntegrationPlan] = {}
    for plan in IntegrationPlan.objects.filter(client_id__in=ids, closed_on__isnull=True).order_by(
        "starts_on"
    ):
        plans[plan.client_id] = plan
    today = dates.today()
    rows = []
    for p in profiles:
        due = (
            rules.assessment_due(p.integration_client_since) if p.integration_client_since else None
        )
        done = assessed.get(p.client_id)
        rows.append(
            CaseloadRow(
                p,
                done,
                due,
                done is None and due is not None and due < today,
                plans.get(p.client_id),
            )
        )
    if rows:
        access_log_write(
            actor=actor,
            membership=memberships[0],
            section="integration:caseload",
            basis="caseload:" + ",".join(sorted({m.role for m in memberships})),
            client_ids=ids,
            path=path,
        )
    return rows


# --- interpreting of cooperation bodies' meetings ---------------------------------------


@dataclass(frozen=True)
class MeetingGap:
    """A coming meeting that needs an interpreter and has none booked: ``language`` is
    the recorded interpreting language, or the interpreting language of a client whose
    case is on the agenda when nothing is recorded yet ("" when not known)."""

    meeting: Meeting
    language: str


def managed_bodies(actor: User) -> list[Body]:
    """The active cooperation bodies the actor manages (convener's manager or member
    with the management permission; silta.governance.policies.body_manager)."""
    from silta.governance.policies import body_manager

    if not memberships_with(actor, Perm.GOVERNANCE_MANAGE):
        return []
    return [b for b in Body.objects.filter(is_active=True) if body_manager(actor, b) is not None]


def meeting_for_interpreting(*, actor: User, meeting_id: uuid.UUID) -> Meeting:
    """A meeting whose interpreting the actor may record (a manager of its body), or
    404: another body's meeting is not shown at all."""
    from silta.governance.policies import body_manager

    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None or body_manager(actor, meeting.body) is None:
        raise Http404("No such meeting.")
    return meeting


def agenda_interpreting_need(meeting: Meeting) -> tuple[str, list[uuid.UUID]]:
    """The interpreting language a client on the meeting's agenda needs (a network
    case of a client whose language profile says so; the first by agenda number), and
    the ids of those clients."""
    rows = list(
        AgendaItem.objects.filter(
            meeting=meeting,
            network_case__client__language_profile__interpreter_needed=True,
        )
        .order_by("number")
        .values_list(
            "network_case__client_id",
            "network_case__client__language_profile__interpreter_language",
        )
    )
    return (rows[0][1] if rows else ""), [cid for cid, _lang in rows]


def meeting_interpreter_gaps_for(
    *, actor: User, path: str = "", limit: int = 25
) -> list[MeetingGap]:
    """Coming meetings (planned, today or later) of the bodies the actor manages that
    need an interpreter and have none booked: interpreting recorded and not booked, or
    a client on the agenda who needs an interpreter and nothing recorded. Reading the
    clients' interpreter need writes one access-log row when any."""
    from silta.integration.models import MeetingInterpreting

    bodies = managed_bodies(actor)
    if not bodies:
        return []
    recorded = MeetingInterpreting.objects.filter(meeting=OuterRef("pk"))
    unbooked = recorded.filter(booked=False)
    client_needs = AgendaItem.objects.filter(
        meeting=OuterRef("pk"), network_case__client__language_profile__interpreter_needed=True
    )
    meetings = list(
        Meeting.objects.filter(
            body__in=bodies, status=MeetingStatus.PLANNED, held_on__gte=dates.today()
        )
        .filter(Q(Exists(unbooked)) | (Q(Exists(client_needs)) & ~Q(Exists(recorded))))
        .select_related("body")
        .order_by("held_on", "body__name_fi")[:limit]
    )
    languages = dict(
        MeetingInterpreting.objects.filter(meeting__in=meetings).values_list(
            "meeting_id", "language"
        )
    )
    gaps: list[MeetingGap] = []
    clients: list[uuid.UUID] = []
    for m in meetings:
        language = languages.get(m.pk)
        if language is None:
            language, ids = agenda_interpreting_need(m)
            clients.extend(ids)
        gaps.append(MeetingGap(m, language))
    if clients:
        memberships = memberships_with(actor, Perm.GOVERNANCE_MANAGE)
        access_log_write(
            actor=actor,
            membership=memberships[0],
            section="integration:meeting_interpreter_gaps",
            basis="body_manager",
            client_ids=sorted(set(clients)),
            path=path,
        )
    return gaps


# --- interpreting of group sessions ------------------------------------------------------


@dataclass(frozen=True)
class SessionGap:
    """A coming group session that needs an interpreter and has none booked."""

    session: GroupSession
    language: str


def _participants_needing(session: GroupSession) -> list[tuple[uuid.UUID, str]]:
    """The group's participants on the session's day who need an interpreter, with
    their interpreting language, by client id."""
    return list(
        Participant.objects.filter(
            group_id=session.group_id,
            joined_on__lte=session.date,
            client__language_profile__interpreter_needed=True,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=session.date))
        .order_by("joined_on", "client_id")
        .values_list("client_id", "client__language_profile__interpreter_language")
    )


def session_interpreting_need(session: GroupSession) -> str:
    rows = _participants_needing(session)
    return rows[0][1] if rows else ""


def session_interpreter_gaps_for(
    *, actor: User, path: str = "", limit: int = 25
) -> list[SessionGap]:
    """Coming planned sessions of the groups the actor runs that need an interpreter
    and have none booked: interpreting recorded and not booked, or a participant that
    day who needs an interpreter and nothing recorded. One access-log row when the
    participants' need was read."""
    from silta.groups.policies import managed_groups_filter
    from silta.integration.models import SessionInterpreting

    flt = managed_groups_filter(actor)
    if flt is None:
        return []
    recorded = SessionInterpreting.objects.filter(session=OuterRef("pk"))
    unbooked = recorded.filter(booked=False)
    needs = Participant.objects.filter(
        group_id=OuterRef("group_id"),
        joined_on__lte=OuterRef("date"),
        client__language_profile__interpreter_needed=True,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=OuterRef("date")))
    sessions = list(
        GroupSession.objects.filter(
            group__in=Group.objects.filter(flt),
            status=SessionStatus.PLANNED,
            date__gte=dates.today(),
        )
        .filter(Q(Exists(unbooked)) | (Q(Exists(needs)) & ~Q(Exists(recorded))))
        .select_related("group")
        .order_by("date", "start_time")[:limit]
    )
    languages = dict(
        SessionInterpreting.objects.filter(session__in=sessions).values_list(
            "session_id", "language"
        )
    )
    gaps: list[SessionGap] = []
    clients: list[uuid.UUID] = []
    for s in sessions:
        language = languages.get(s.pk)
        if language is None:
            rows = _participants_needing(s)
            clients.extend(cid for cid, _lang in rows)
            language = rows[0][1] if rows else ""
        gaps.append(SessionGap(s, language))
    if clients:
        memberships = memberships_with(actor, Perm.GROUPS_VIEW)
        access_log_write(
            actor=actor,
            membership=memberships[0] if memberships else None,
            section="integration:session_interpreter_gaps",
            basis="group_grant",
            client_ids=sorted(set(clients)),
            path=path,
        )
    return gaps
