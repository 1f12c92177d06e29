"""Group activity pages: thin views over the selectors and services. What the actor
may not see answers 404; forms show errors next to the fields and save nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.models import User
from silta.accounts.roles import Perm
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.groups import forms as f
from silta.groups import selectors, services
from silta.groups.errors import GroupError
from silta.groups.models import Group, SessionStatus
from silta.groups.policies import organiser_membership
from silta.privacy.policy import Action
from silta.web.pages import form_view, list_view, page

_form = partial(form_view, active="groups", cancel=True)


def _detail(group_id: uuid.UUID) -> str:
    return reverse("group-detail", args=[group_id])


@require_perm(Perm.GROUPS_VIEW)
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    return list_view(
        request,
        "groups/list.html",
        f.GroupSearchForm(request.GET or None),
        lambda d: selectors.group_list_for(
            actor=actor,
            text=d.get("q") or "",
            page=d.get("page") or 1,
            mine=bool(d.get("mine")),
            active_only=not d.get("all"),
        ),
        context={
            "title": _("Group activities"),
            "can_create": selectors.organiser_organisations(actor=actor).exists(),
            "active": "groups",
        },
    )


def _group_form(request: HttpRequest, actor: User, group: Group | None) -> f.GroupForm:
    organisers = None if group is not None else selectors.organiser_organisations(actor=actor)
    initial: dict[str, Any] = {"period_start": dates.today(), "is_active": True}
    if group is not None:
        initial = {
            "name": group.name, "kind": group.kind, "description": group.description,
            "leader_organisation": group.leader_organisation_id,
            "leaders": list(group.leaders.all()), "municipality": group.municipality_id,
            "place": group.place, "weekdays": group.weekdays, "start_time": group.start_time,
            "duration_minutes": group.duration_minutes, "period_start": group.period_start,
            "period_end": group.period_end, "capacity": group.capacity,
            "is_active": group.is_active, "version": group.version,
        }  # fmt: skip
    return f.GroupForm(
        request.POST or None,
        organisers=organisers,
        leader_organisations=selectors.leader_organisations(),
        leaders=selectors.leader_candidates(),
        initial=initial,
    )


def _group_data(d: dict[str, Any]) -> services.GroupData:
    return services.GroupData(
        name=d["name"], kind=d["kind"], description=d["description"],
        leader_organisation=d["leader_organisation"], leaders=list(d["leaders"]),
        municipality=d["municipality"], place=d["place"], weekdays=d["weekdays"],
        start_time=d["start_time"], duration_minutes=d["duration_minutes"],
        period_start=d["period_start"], period_end=d["period_end"], capacity=d["capacity"],
        is_active=d["is_active"],
    )  # fmt: skip


@require_perm(Perm.GROUPS_MANAGE)
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    return _form(
        request,
        _group_form(request, actor, None),
        lambda d: services.group_create(actor=actor, organiser=d["organiser"], data=_group_data(d)),
        title=_("New group"),
        back=reverse("group-list"),
        submit=_("Create the group"),
        success=_("The group was created."),
        then=lambda group: _detail(group.pk),
        may=lambda: any(
            organiser_membership(actor, o) is not None
            for o in selectors.organiser_organisations(actor=actor)
        ),
    )


@require_perm(Perm.GROUPS_MANAGE)
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    return _form(
        request,
        _group_form(request, actor, group),
        lambda d: services.group_update(
            actor=actor, group=group, data=_group_data(d), version=d["version"] or 0
        ),
        title=_("Edit the group: %(name)s") % {"name": group.name},
        back=_detail(group.pk),
        submit=_("Save the group"),
        success=_("The group was saved."),
        may=lambda: organiser_membership(actor, group.organiser, Action.CHANGE) is not None,
    )


@require_perm(Perm.GROUPS_VIEW)
@require_GET
def group_detail(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    view = selectors.group_get_for(
        actor=acting_user(request), group_id=group_id, path=request.get_full_path()
    )
    return page(
        request,
        "groups/detail.html",
        title=view.group.name,
        back=reverse("group-list"),
        back_label=_("Group activities"),
        view=view,
        g=view.group,
        today=dates.today(),
        S=SessionStatus,
        active="groups",
    )


@require_perm(Perm.GROUPS_MANAGE)
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    form = f.ParticipantAddForm(
        request.POST or None,
        initial={"joined_on": dates.today(), "intake_met_on": dates.today()},
    )

    def add(d: dict[str, Any]) -> Any:
        client = selectors.client_for_group_place(
            actor=actor, group=group, personal_id=d["personal_id"], path=request.path
        )
        if client is None:
            raise ValidationError({"personal_id": _("No client you may see was found.")})
        return services.participant_add(
            actor=actor,
            group=group,
            client=client,
            joined_on=d["joined_on"],
            intake_met_on=d["intake_met_on"],
            intake_in_person=d["intake_in_person"],
        )

    return _form(
        request,
        form,
        add,
        title=_("Add a participant: %(name)s") % {"name": group.name},
        back=_detail(group.pk),
        submit=_("Add the participant"),
        success=_("The participant was added."),
        error_fields={"client": "personal_id"},
        may=lambda: organiser_membership(actor, group.organiser) is not None,
    )


@require_perm(Perm.GROUPS_MANAGE)
@require_http_methods(["GET", "POST"])
def participant_leave(request: HttpRequest, participant_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    participant = selectors.participant_for_action(
        actor=actor, participant_id=participant_id, path=request.get_full_path()
    )
    form = f.LeaveForm(
        request.POST or None,
        initial={"left_on": dates.today(), "version": participant.version},
    )
    c = participant.client
    return _form(
        request,
        form,
        lambda d: services.participant_leave(
            actor=actor,
            participant=participant,
            left_on=d["left_on"],
            reason=d["reason"],
            version=d["version"],
        ),
        title=_("Remove %(name)s from the group %(group)s?")
        % {"name": f"{c.last_name}, {c.first_names}", "group": participant.group.name},
        intro=_("The participation ends on the day below; attendance recorded so far is kept."),
        back=_detail(participant.group_id),
        submit=_("Remove from the group"),
        success=_("The participant was removed from the group."),
        may=lambda: (
            organiser_membership(actor, participant.group.organiser, Action.END) is not None
        ),
        may_client=participant.client_id,
    )


@require_perm(Perm.GROUPS_LEAD)
@require_http_methods(["GET", "POST"])
def sessions_generate(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    start = max(dates.today(), group.period_start)
    end = start + dt.timedelta(days=90)
    if group.period_end is not None:
        end = min(end, group.period_end)
    return _form(
        request,
        f.GenerateForm(request.POST or None, initial={"start": start, "end": end}),
        lambda d: services.sessions_generate(
            actor=actor, group=group, start=d["start"], end=d["end"]
        ),
        title=_("Sessions from the schedule: %(name)s") % {"name": group.name},
        intro=_("Sessions are added on %(days)s at %(time)s; days that already have one are "
                "skipped.") % {"days": ", ".join(group.weekday_labels),
                               "time": group.start_time.strftime("%H:%M")},
        back=_detail(group.pk),
        submit=_("Add the sessions"),
        success=lambda made: ngettext(
            "%(n)s session was added from the schedule.",
            "%(n)s sessions were added from the schedule.",
            made,
        )
        % {"n": made},
    )  # fmt: skip


@require_perm(Perm.GROUPS_LEAD)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    group = selectors.group_for_action(actor=actor, group_id=group_id)
    return _form(
        request,
        f.SessionForm(request.POST or None, initial={"date": dates.today()}),
        lambda d: services.session_add(
            actor=actor,
            group=group,
            date=d["date"],
            start_time=d["start_time"],
            duration_minutes=d["duration_minutes"],
            place=d["place"],
        ),
        title=_("Add a session: %(name)s") % {"name": group.name},
        back=_detail(group.pk),
        submit=_("Add the session"),
        success=_("The session was added."),
        then=lambda session: reverse("group-session", args=[session.pk]),
    )


@require_perm(Perm.GROUPS_LEAD)
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """The attendance page of a session: every participant of the day with present /
    absent; saved in one transaction."""
    actor = acting_user(request)
    sheet = selectors.attendance_sheet_for(
        actor=actor, session_id=session_id, path=request.get_full_path()
    )
    form = f.AttendanceForm(request.POST or None, rows=sheet.rows)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            entries = []
            for row in sheet.rows:
                pid = row.participant.pk
                choice = form.cleaned_data[f"status_{pid}"]
                if not choice:
                    continue
                entries.append(
                    services.AttendanceEntry(
                        participant_id=pid,
                        present=choice == f.PRESENT,
                        absence_reason=form.cleaned_data[f"reason_{pid}"],
                        version=form.cleaned_data[f"version_{pid}"],
                    )
                )
            try:
                changed = services.attendance_record(
                    actor=actor, session=sheet.session, entries=entries
                )
            except StaleEdit as exc:
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                by_key = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": [exc]}
                for key, errs in by_key.items():
                    field = f"reason_{key}" if f"reason_{key}" in form.fields else None
                    if field is not None and any(e.code != GroupError.REASON_MISSING for e in errs):
                        field = f"status_{key}"
                    form.add_error(field, errs)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Attendance saved: %(n)s row changed.",
                        "Attendance saved: %(n)s rows changed.",
                        changed,
                    )
                    % {"n": changed},
                )
                return HttpResponseRedirect(reverse("group-session", args=[sheet.session.pk]))
    return render(
        request,
        "groups/attendance.html",
        {
            "sheet": sheet,
            "s": sheet.session,
            "g": sheet.group,
            "form": form,
            "S": SessionStatus,
            "active": "groups",
        },
        status=status,
    )


@require_perm(Perm.GROUPS_LEAD)
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    session = selectors.session_for_action(actor=actor, session_id=session_id)
    return _form(
        request,
        f.CancelForm(request.POST or None, initial={"version": session.version}),
        lambda d: services.session_cancel(
            actor=actor, session=session, reason=d["reason"], version=d["version"]
        ),
        title=_("Cancel the session of %(day)s?") % {"day": services.day_label(session.date)},
        intro=session.group.name,
        back=reverse("group-session", args=[session.pk]),
        submit=_("Cancel the session"),
        success=_("The session was cancelled."),
        then=_detail(session.group_id),
    )
