"""Every read of group activities, scoped to the acting user. Groups, schedules and
sessions carry no client data; participants and attendance do: those reads write one
access-log row each, with the basis of ``policies.group_grant``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from silta.accounts.models import Organisation, User
from silta.accounts.policies import can, memberships_with
from silta.accounts.roles import Perm, Role, role_has
from silta.audit.services import access_log_write
from silta.clients.models import Client
from silta.clients.policies import client_access_grant, visible_clients_filter
from silta.core import dates
from silta.core.timeline import TimelineEvent, TimelineScope, at_day
from silta.groups.models import Attendance, Group, GroupSession, Participant, SessionStatus
from silta.groups.policies import GroupGrant, group_grant, managed_groups_filter

PAGE_SIZE = 25
PARTICIPANTS_SECTION = "groups:participants"
ATTENDANCE_SECTION = "groups:attendance"
PARTICIPANT_FORM_SECTION = "groups:participant_form"


@dataclass(frozen=True)
class GroupRow:
    group: Group
    participants_now: int
    runs_it: bool


def _visible(actor: User) -> None:
    if not can(actor, Perm.GROUPS_VIEW):
        raise Http404("No such group.")


def group_list_for(
    *, actor: User, text: str = "", page: int = 1, mine: bool = False, active_only: bool = True
) -> Page[GroupRow]:
    """Groups with their number of participants today (no client data), searched by
    name, place or municipality; ``mine``: the groups the actor runs."""
    if not can(actor, Perm.GROUPS_VIEW):
        return Paginator(list[GroupRow](), PAGE_SIZE).get_page(1)
    today = dates.today()
    qs = Group.objects.select_related("municipality", "leader_organisation")
    if active_only:
        qs = qs.filter(is_active=True)
    if text.strip():
        words = text.strip()
        qs = qs.filter(
            Q(name__icontains=words)
            | Q(place__icontains=words)
            | Q(municipality__name_fi__icontains=words)
            | Q(municipality__name_sv__icontains=words)
        )
    runs = managed_groups_filter(actor)
    if mine:
        qs = qs.filter(runs) if runs is not None else qs.none()
    qs = qs.annotate(
        now=Count(
            "participants",
            filter=Q(participants__joined_on__lte=today)
            & (Q(participants__left_on__isnull=True) | Q(participants__left_on__gte=today)),
        )
    ).order_by("name", "id")
    result = Paginator(qs, PAGE_SIZE).get_page(page)
    ids = [g.pk for g in result.object_list]
    run_ids = (
        set(Group.objects.filter(runs, pk__in=ids).values_list("pk", flat=True))
        if runs is not None
        else set()
    )
    rows = [GroupRow(g, g.now, g.pk in run_ids) for g in result.object_list]
    result.object_list = rows  # type: ignore[assignment]
    return result  # type: ignore[return-value]


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    active: bool
    present: int
    absent: int


@dataclass(frozen=True)
class GroupView:
    group: Group
    grant: GroupGrant | None
    participants: list[ParticipantRow]
    active_count: int
    sessions: Sequence[GroupSession]
    can_manage: bool

    @property
    def can_run(self) -> bool:
        return self.grant is not None


def _group_or_404(group_id: uuid.UUID) -> Group:
    group = (
        Group.objects.select_related("municipality", "leader_organisation", "organiser")
        .prefetch_related("leaders")
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise Http404("No such group.")
    return group


def group_get_for(*, actor: User, group_id: uuid.UUID, path: str = "") -> GroupView:
    """A group with its schedule and sessions; its participants only for those who run
    it (organiser or named leader), and then the read is logged."""
    _visible(actor)
    group = _group_or_404(group_id)
    grant = group_grant(actor, group)
    today = dates.today()
    rows: list[ParticipantRow] = []
    if grant is not None:
        participants = list(
            Participant.objects.filter(group=group)
            .select_related("client")
            .annotate(
                n_present=Count("attendance", filter=Q(attendance__present=True)),
                n_absent=Count("attendance", filter=Q(attendance__present=False)),
            )
            .order_by("left_on", "client__last_name", "client__first_names")
        )
        rows = [
            ParticipantRow(p, p.is_active_on(today), p.n_present, p.n_absent)  # type: ignore[attr-defined]
            for p in participants
        ]
        rows.sort(key=lambda r: (not r.active, r.participant.client.last_name))
        if participants:
            access_log_write(
                actor=actor,
                membership=grant.membership,
                section=PARTICIPANTS_SECTION,
                basis=grant.basis,
                client_ids=[p.client_id for p in participants],
                path=path,
            )
    sessions = list(
        GroupSession.objects.filter(group=group)
        .annotate(n_present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("-date", "-start_time")[:60]
    )
    active = sum(1 for r in rows if r.active) if grant is not None else _active_count(group, today)
    return GroupView(
        group=group,
        grant=grant,
        participants=rows,
        active_count=active,
        sessions=sessions,
        can_manage=grant is not None and grant.is_organiser,
    )


def _active_count(group: Group, day: dt.date) -> int:
    return (
        Participant.objects.filter(group=group, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .count()
    )


def group_for_action(*, actor: User, group_id: uuid.UUID) -> Group:
    """The group for a write form; 404 when the actor does not run it (services check
    the right to write again)."""
    _visible(actor)
    group = _group_or_404(group_id)
    if group_grant(actor, group) is None:
        raise Http404("No such group.")
    return group


def participant_for_action(
    *, actor: User, participant_id: uuid.UUID, path: str = ""
) -> Participant:
    """The participant for a form that shows the client's name (logged), or 404."""
    participant = (
        Participant.objects.select_related("group", "client").filter(pk=participant_id).first()
    )
    if participant is None or not can(actor, Perm.GROUPS_VIEW):
        raise Http404("No such participant.")
    grant = group_grant(actor, participant.group)
    if grant is None:
        raise Http404("No such participant.")
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section=PARTICIPANT_FORM_SECTION,
        basis=grant.basis,
        client_ids=[participant.client_id],
        path=path,
    )
    return participant


def session_for_action(*, actor: User, session_id: uuid.UUID) -> GroupSession:
    session = GroupSession.objects.select_related("group").filter(pk=session_id).first()
    if session is None or not can(actor, Perm.GROUPS_VIEW):
        raise Http404("No such session.")
    if group_grant(actor, session.group) is None:
        raise Http404("No such session.")
    return session


@dataclass(frozen=True)
class SheetRow:
    participant: Participant
    attendance: Attendance | None


@dataclass(frozen=True)
class AttendanceSheet:
    session: GroupSession
    group: Group
    rows: list[SheetRow]
    present: int

    @property
    def can_record(self) -> bool:
        return self.session.status != SessionStatus.CANCELLED and (
            self.session.date <= dates.today()
        )


def attendance_sheet_for(*, actor: User, session_id: uuid.UUID, path: str = "") -> AttendanceSheet:
    """The participants of the session's day with their recorded attendance (logged)."""
    session = session_for_action(actor=actor, session_id=session_id)
    group = session.group
    grant = group_grant(actor, group)
    assert grant is not None
    recorded = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session).select_related("participant__client")
    }
    participants = list(
        Participant.objects.filter(group=group, joined_on__lte=session.date)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=session.date))
        .select_related("client")
        .order_by("client__last_name", "client__first_names")
    )
    seen = {p.pk for p in participants}
    # rows recorded earlier for somebody no longer in the day's list stay visible
    participants += [a.participant for pid, a in recorded.items() if pid not in seen]
    rows = [SheetRow(p, recorded.get(p.pk)) for p in participants]
    if rows:
        access_log_write(
            actor=actor,
            membership=grant.membership,
            section=ATTENDANCE_SECTION,
            basis=grant.basis,
            client_ids=[p.client_id for p in participants],
            path=path,
        )
    return AttendanceSheet(
        session=session,
        group=group,
        rows=rows,
        present=sum(1 for a in recorded.values() if a.present),
    )


def organiser_organisations(*, actor: User) -> QuerySet[Organisation]:
    ids = [m.organisation_id for m in memberships_with(actor, Perm.GROUPS_MANAGE)]
    return Organisation.objects.filter(pk__in=ids).order_by("name_fi")


def leader_candidates(*, organisation_ids: list[uuid.UUID] | None = None) -> QuerySet[User]:
    """Staff who may lead groups (active today), of the given organisations or all."""
    today = dates.today()
    roles = [r.value for r in Role if role_has(r, Perm.GROUPS_LEAD)]
    qs = User.objects.filter(
        is_active=True, memberships__role__in=roles, memberships__valid_from__lte=today
    ).exclude(memberships__valid_to__lt=today)
    if organisation_ids is not None:
        qs = qs.filter(memberships__organisation_id__in=organisation_ids)
    return qs.distinct().order_by("last_name", "first_name")


def leader_organisations() -> QuerySet[Organisation]:
    """Organisations with staff who may lead groups."""
    roles = [r.value for r in Role if role_has(r, Perm.GROUPS_LEAD)]
    return (
        Organisation.objects.filter(is_active=True, memberships__role__in=roles)
        .distinct()
        .order_by("name_fi")
    )


def client_for_group_place(
    *, actor: User, group: Group, personal_id: str, path: str = ""
) -> Client | None:
    """The client of a new group place, by exact identity code, among the clients the
    organiser may see; None both for a code nobody has and for a client the organiser
    may not see (the form answers the same). A found client's lookup is logged."""
    visible = visible_clients_filter(actor)
    if visible is None:
        return None
    client = Client.objects.filter(visible, personal_id=personal_id.strip().upper()).first()
    grant = client_access_grant(actor, client) if client is not None else None
    if client is None or grant is None:
        return None
    access_log_write(
        actor=actor,
        membership=grant.membership,
        section=PARTICIPANT_FORM_SECTION,
        basis=grant.basis,
        client_ids=[client.pk],
        path=path,
    )
    return client


# --- the client's timeline (registered in GroupsConfig.ready, ADR 0025) ---------------


def group_timeline_events(scope: TimelineScope) -> list[TimelineEvent]:
    """A client's group history for the case timeline: joined, left, and per
    participation the attendance so far (present / recorded sessions). The working
    organisations' view only: nothing once the reader's relationship with the client
    has ended. Read inside the case file, whose access-log row covers it."""
    if not scope.relationship_active:
        return []
    participations = list(
        Participant.objects.filter(client_id=scope.client_id).select_related(
            "group", "group__municipality"
        )
    )
    if not participations:
        return []
    present: Counter[uuid.UUID] = Counter()
    recorded: Counter[uuid.UUID] = Counter()
    last: dict[uuid.UUID, dt.date] = {}
    for pid, is_present, day in Attendance.objects.filter(
        participant__in=participations
    ).values_list("participant_id", "present", "session__date"):
        recorded[pid] += 1
        present[pid] += int(is_present)
        last[pid] = max(day, last.get(pid, day))
    out = []
    for p in participations:
        g = p.group
        kind = g.get_kind_display()
        out.append(
            TimelineEvent(
                at_day(p.joined_on),
                "group.joined",
                _("Joined the group %(name)s") % {"name": g.name},
                f"{kind}, {g.municipality.name}",
            )
        )
        if recorded[p.pk]:
            out.append(
                TimelineEvent(
                    at_day(last[p.pk], 12),
                    "group.attendance",
                    _("Attendance in the group %(name)s: present %(present)s of %(n)s sessions")
                    % {"name": g.name, "present": present[p.pk], "n": recorded[p.pk]},
                    kind,
                )
            )
        if p.left_on is not None:
            out.append(
                TimelineEvent(
                    at_day(p.left_on, 23),
                    "group.left",
                    _("Left the group %(name)s") % {"name": g.name},
                    p.get_leave_reason_display() or kind,
                )
            )
    return out
