"""Governance pages: thin views over the selectors and services. What the actor may not
see answers 404; every form shows errors next to the field; a stale edit answers 409
with a conflict message and nothing saved."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.models import User
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.catalogue.forms import run_service_for_form as _run
from silta.core import dates
from silta.governance import forms as gf
from silta.governance import selectors, services
from silta.governance.models import (
    ActionStatus,
    AgendaItem,
    AgreementVersion,
    Decision,
    Meeting,
    NetworkCaseStatus,
)
from silta.governance.policies import decision_municipalities
from silta.governance.workflow import APPROVABLE
from silta.web.pages import confirm_view, form_page, form_view, page, post_action, save_form

_form_page = partial(form_page, active="governance")
_edit = partial(form_view, active="governance")


def _page(request: HttpRequest, template: str, *, title: str, **context: Any) -> HttpResponse:
    """A governance page with the way back to the cooperation overview."""
    return page(
        request,
        template,
        title=title,
        back=reverse("governance-home"),
        back_label=_("Back to cooperation"),
        active="governance",
        **context,
    )


def _confirm_delete(
    request: HttpRequest,
    *,
    title: str,
    what: str,
    consequence: str,
    call: Any,
    back: str,
    done: str,
    done_url: str,
) -> HttpResponse:
    """GET asks for confirmation; POST deletes through the service; a refused delete
    shows the reason on the same page (400) and deletes nothing."""
    return confirm_view(
        request,
        title=title,
        what=what,
        consequence=consequence,
        call=call,
        back=back,
        submit=_("Yes, delete"),
        success=done,
        then=done_url,
        active="governance",
    )


# --- overview ------------------------------------------------------------------------


@require_perm(Perm.GOVERNANCE_VIEW)
@require_GET
def governance_home(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    agreements = selectors.agreement_list_for(actor=actor)
    own = selectors.own_municipalities(actor=actor)
    return page(
        request,
        "governance/home.html",
        title=_("Cooperation and the strategic agreement"),
        agreements=[(a, selectors.approval_counts(a)) for a in agreements],
        bodies=selectors.body_list_for(actor=actor),
        network_years=selectors.network_years(actor=actor),
        overdue=len(selectors.overdue_actions_for(actor=actor)),
        can_manage=can(actor, Perm.GOVERNANCE_MANAGE),
        own_delegations=selectors.delegations_of(own) if own else [],
        own_municipalities=own,
        active="governance",
    )


# --- strategic agreement -------------------------------------------------------------


@require_perm(Perm.GOVERNANCE_VIEW)
@require_GET
def agreement_detail(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    raw = request.GET.get("version", "")
    view = selectors.agreement_get_for(
        actor=acting_user(request),
        agreement_id=agreement_id,
        version_number=int(raw) if raw.isdigit() else None,
    )
    return _page(
        request,
        "governance/agreement.html",
        title=view.agreement.name,
        view=view,
        a=view.agreement,
        move_form=gf.VersionMoveForm(initial={"on": dates.today()}),
    )


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": _("Access denied"), "message": message},
        status=403,
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def approval_new(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    """A municipality's decision, recorded by its own staff or its authorised delegate
    only; anybody else is refused before the form (issue 13)."""
    actor = acting_user(request)
    agreement = selectors.agreement_get_or_404(actor=actor, agreement_id=agreement_id)
    versions = list(agreement.versions.filter(status__in=APPROVABLE).order_by("-number"))
    parties = decision_municipalities(actor, agreement)
    if not parties:
        return _refused(
            request,
            _(
                "A municipality's decision is recorded by the municipality's own staff or by "
                "a delegate the municipality has authorised. No party municipality has "
                "authorised you or your organisation."
            ),
        )
    form = gf.ApprovalForm(request.POST or None, versions=versions, parties=parties)
    back = reverse("agreement-detail", args=[agreement.pk])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            version = AgreementVersion.objects.get(pk=d["version"], agreement=agreement)
            try:
                done, status = _run(
                    form,
                    lambda: services.approval_record(
                        actor=actor,
                        version=version,
                        municipality=d["municipality"],
                        body=d["body"],
                        meeting_date=d["meeting_date"],
                        section_number=d["section_number"],
                        decision=d["decision"],
                        record_number=d["record_number"],
                        decision_text=d["decision_text"],
                    ),
                )
            except services.NotTheMunicipalitys as exc:
                form.add_error("municipality", exc.message)
                done, status = None, 403
            if done is not None:
                messages.success(request, _("The decision was recorded."))
                return HttpResponseRedirect(back)
    return _form_page(
        request,
        form,
        title=_("Record a municipality's decision: %(name)s") % {"name": agreement.name},
        back=back,
        submit=_("Save the decision"),
        status=status,
        intro=_("You may record the decisions of: %(names)s")
        % {"names": ", ".join(m.name for m in parties)},
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def delegation_new(request: HttpRequest) -> HttpResponse:
    """A municipality's own staff authorise a delegate to record its decisions."""
    actor = acting_user(request)
    own = selectors.own_municipalities(actor=actor)
    if not own:
        return _refused(
            request,
            _("Only a municipality's own staff authorise a delegate to record its decisions."),
        )
    return _edit(
        request,
        gf.DelegationForm(request.POST or None, municipalities=own),
        lambda d: services.delegation_record(actor=actor, **d),
        title=_("Authorise a delegate to record the municipality's decisions"),
        back=reverse("governance-home"),
        submit=_("Save the delegation"),
        success=_("The delegation was recorded."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def delegation_end(request: HttpRequest, delegation_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    delegation = selectors.delegation_for_action(actor=actor, delegation_id=delegation_id)
    return _edit(
        request,
        gf.DelegationEndForm(request.POST or None, initial={"valid_to": dates.today()}),
        lambda d: services.delegation_end(actor=actor, delegation=delegation, **d),
        title=_("End the delegation: %(name)s, %(municipality)s")
        % {"name": delegation.delegate_name, "municipality": delegation.municipality.name},
        back=reverse("governance-home"),
        submit=_("End the delegation"),
        success=_("The delegation was ended."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_POST
def version_move(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    version = AgreementVersion.objects.select_related("agreement").filter(pk=version_id).first()
    if version is None:
        raise Http404("No such version.")
    agreement = selectors.agreement_for_action(actor=actor, agreement_id=version.agreement_id)
    return post_action(
        request,
        gf.VersionMoveForm(request.POST),
        lambda d: services.agreement_version_move(
            actor=actor, version=version, to_status=d["to_status"], on=d["on"]
        ),
        then=_agreement_url(agreement.pk, version.number),
        success=_("The status of the version was changed."),
        invalid=_("Choose the status and the date."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    goal = selectors.goal_for_action(actor=actor, goal_id=goal_id)
    return _edit(
        request,
        gf.IndicatorForm(request.POST or None),
        lambda d: services.indicator_add(actor=actor, goal=goal, **_indicator_data(d)),
        title=_("New indicator: %(goal)s") % {"goal": goal.title},
        back=_agreement_url(goal.version.agreement_id, goal.version.number),
        submit=_("Add the indicator"),
        success=_("The indicator was added."),
    )


# --- bodies and meetings -------------------------------------------------------------


@require_perm(Perm.GOVERNANCE_VIEW)
@require_GET
def body_detail(request: HttpRequest, body_id: uuid.UUID) -> HttpResponse:
    raw = request.GET.get("year", "")
    view = selectors.body_get_for(
        actor=acting_user(request), body_id=body_id, year=int(raw) if raw.isdigit() else None
    )
    return _page(request, "governance/body.html", title=view.body.name, view=view)


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, body_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    body = selectors.body_for_action(actor=actor, body_id=body_id)
    return _edit(
        request,
        gf.MeetingForm(request.POST or None),
        lambda d: services.meeting_plan(actor=actor, body=body, **d),
        title=_("Plan a meeting: %(body)s") % {"body": body.name},
        back=reverse("body-detail", args=[body.pk]),
        submit=_("Plan the meeting"),
        success=_("The meeting was planned."),
        then=lambda meeting: reverse("meeting-detail", args=[meeting.pk]),
    )


@require_perm(Perm.GOVERNANCE_VIEW)
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    view = selectors.meeting_get_for(
        actor=acting_user(request), meeting_id=meeting_id, path=request.path
    )
    m = view.meeting
    return page(
        request,
        "governance/meeting.html",
        title=f"{m.body.name} {dateformat.format(m.held_on, 'j.n.Y')}",
        back=reverse("body-detail", args=[m.body_id]),
        back_label=_("Back to %(body)s") % {"body": m.body.name},
        view=view,
        m=m,
        today=dates.today(),
        active="governance",
    )


def _meeting_form(
    request: HttpRequest,
    meeting_id: uuid.UUID,
    build: Any,
    call: Any,
    *,
    title: str,
    submit: str,
    done: str,
) -> HttpResponse:
    actor = acting_user(request)
    meeting = selectors.meeting_for_action(actor=actor, meeting_id=meeting_id)
    return _edit(
        request,
        build(meeting, request.POST if request.method == "POST" else None),
        lambda d: call(actor, meeting, d),
        title=f"{title}: {meeting.body.name} {meeting.held_on:%d.%m.%Y}",
        back=reverse("meeting-detail", args=[meeting.pk]),
        submit=submit,
        success=done,
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def agenda_new(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    return _meeting_form(
        request,
        meeting_id,
        lambda m, data: gf.AgendaItemForm(data),
        lambda actor, m, d: services.agenda_item_add(actor=actor, meeting=m, **d),
        title=_("New agenda item"),
        submit=_("Add to the agenda"),
        done=_("The item was added to the agenda."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    return _meeting_form(
        request,
        meeting_id,
        lambda m, data: gf.MinutesForm(
            data, initial={"status": m.status, "minutes": m.minutes, "version": m.version}
        ),
        lambda actor, m, d: services.meeting_record_minutes(actor=actor, meeting=m, **d),
        title=_("Minutes"),
        submit=_("Save the minutes"),
        done=_("The minutes were saved."),
    )


def _item(meeting: Meeting, raw: str) -> AgendaItem | None:
    return meeting.agenda.filter(pk=raw).first() if raw else None


def _decision(meeting: Meeting, raw: str) -> Decision | None:
    return meeting.decisions.filter(pk=raw).first() if raw else None


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    return _meeting_form(
        request,
        meeting_id,
        lambda m, data: gf.DecisionForm(data, items=list(m.agenda.all())),
        lambda actor, m, d: services.decision_record(
            actor=actor,
            meeting=m,
            section_number=d["section_number"],
            text=d["text"],
            agenda_item=_item(m, d["agenda_item"]),
        ),
        title=_("New decision"),
        submit=_("Save the decision"),
        done=_("The decision was recorded."),
    )


def _owners(meeting: Meeting, actor: User) -> list[User]:
    users = [m.user for m in meeting.body.members.select_related("user") if m.user is not None]
    return [*users, actor]


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    return _meeting_form(
        request,
        meeting_id,
        lambda m, data: gf.ActionForm(
            data, owners=_owners(m, actor), decisions=list(m.decisions.all())
        ),
        lambda actor, m, d: services.action_item_add(
            actor=actor,
            meeting=m,
            title=d["title"],
            owner=d["owner"],
            due_on=d["due_on"],
            decision=_decision(m, d["decision"]),
        ),
        title=_("New action item"),
        submit=_("Save the action item"),
        done=_("The action item was saved."),
    )


@require_perm(Perm.GOVERNANCE_VIEW)
@require_GET
def overdue_actions(request: HttpRequest) -> HttpResponse:
    rows = selectors.overdue_actions_for(actor=acting_user(request))
    return _page(
        request,
        "governance/overdue.html",
        title=_("Overdue action items"),
        rows=rows,
        today=dates.today(),
    )


@require_perm(Perm.GOVERNANCE_VIEW)
@require_POST
def action_move(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    action = selectors.action_for_action(actor=actor, action_id=action_id)
    nxt = request.POST.get("next", "")
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = reverse("meeting-detail", args=[action.meeting_id])
    return post_action(
        request,
        gf.ActionMoveForm(request.POST),
        lambda d: services.action_item_move(actor=actor, action=action, **d),
        then=nxt,
        success=lambda moved: (
            _("The action item is now %(status)s.")
            % {"status": ActionStatus(moved.status).label.lower()}
        ),
    )


# --- the work ability network ---------------------------------------------------------


@require_perm(Perm.NETWORK_REFER)
@require_http_methods(["GET", "POST"])
def network_refer(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    ctx = selectors.network_referral_context_for(
        actor=actor, client_id=client_id, path=request.get_full_path()
    )
    back = reverse("casework-client", args=[ctx.client.pk])
    if ctx.open_case is not None:
        messages.info(
            request, _("The client already has an open case in the work ability network.")
        )
        return HttpResponseRedirect(reverse("network-case", args=[ctx.open_case.pk]))
    form = gf.NetworkReferralForm(request.POST or None, plans=ctx.plans)
    network = ctx.network
    response, status = None, 200
    if network is not None:
        response, status = save_form(
            request,
            form,
            lambda d: services.network_refer(
                actor=actor,
                client=ctx.client,
                network=network,
                reason=d["reason"],
                questions=d["questions"],
                plan_id=uuid.UUID(d["plan"]),
            ),
            success=_("The client was referred to the work ability network."),
            then=back,
        )
    if response is not None:
        return response
    intro = ""
    if ctx.network is None:
        intro = _("There is no work ability network in Silta yet.")
    elif not ctx.plans:
        intro = _(
            "The client has no open plan. Make a plan first: the network's recommendations "
            "are written to it."
        )
    return _form_page(
        request,
        form,
        title=_("Refer to the work ability network: %(name)s") % {"name": str(ctx.client)},
        back=back,
        submit=_("Send the referral"),
        intro=intro,
        status=status,
    )


@require_perm(Perm.NETWORK_MANAGE)
@require_GET
def network_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.network_queue_for(actor=acting_user(request), path=request.path)
    return page(
        request,
        "governance/network.html",
        title=_("Work ability network"),
        q=queue,
        active="network",
    )


def _case_page(
    request: HttpRequest,
    view: selectors.CaseView,
    *,
    schedule: gf.ScheduleForm | None = None,
    move: gf.CaseMoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    case = view.case
    if schedule is None and view.slots:
        schedule = gf.ScheduleForm(slots=view.slots, initial={"version": case.version})
    if move is None and view.is_open:
        move = gf.CaseMoveForm(initial={"version": case.version})
    if move is not None:
        field = move.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        if view.grant.is_coordinator:
            keep = {NetworkCaseStatus.CLOSED, NetworkCaseStatus.DECLINED}
        else:
            keep = {NetworkCaseStatus.WITHDRAWN}
        field.choices = [(s, lbl) for s, lbl in NetworkCaseStatus.choices if s in keep]
    if view.grant.is_coordinator:
        back, back_label = reverse("network-queue"), _("Back to the work ability network")
    else:
        back, back_label = reverse("casework-client", args=[case.client_id]), _("Back to case work")
    return page(
        request,
        "governance/network_case.html",
        title=f"{_('Work ability network')}: {case.client.last_name}, {case.client.first_names}",
        back=back,
        back_label=back_label,
        http_status=status,
        view=view,
        case=case,
        schedule=schedule,
        move=move,
        active="network",
    )


@require_perm(Perm.NETWORK_REFER)
@require_GET
def network_case(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    view = selectors.network_case_get_for(
        actor=acting_user(request), case_id=case_id, path=request.path
    )
    return _case_page(request, view)


@require_perm(Perm.NETWORK_MANAGE)
@require_POST
def network_case_schedule(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    case = selectors.network_case_for_action(actor=actor, case_id=case_id)
    form = gf.ScheduleForm(request.POST, slots=selectors.meeting_slots(case.network))

    def schedule(d: dict[str, Any]) -> Any:
        meeting = Meeting.objects.filter(pk=d["meeting"]).first()
        if meeting is None:
            raise Http404("No such meeting.")
        return services.network_case_schedule(
            actor=actor, case=case, meeting=meeting, version=d["version"]
        )

    response, status = save_form(
        request,
        form,
        schedule,
        success=lambda item: (
            _("The case is on the agenda of %(day)s.")
            % {"day": item.meeting.held_on.strftime("%d.%m.%Y")}
        ),
        then=reverse("network-case", args=[case.pk]),
    )
    if response is not None:
        return response
    view = selectors.network_case_get_for(actor=actor, case_id=case_id, path=request.path)
    return _case_page(request, view, schedule=form, status=status)


@require_perm(Perm.NETWORK_REFER)
@require_POST
def network_case_move(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    case = selectors.network_case_for_action(actor=actor, case_id=case_id)
    form = gf.CaseMoveForm(request.POST)
    response, status = save_form(
        request,
        form,
        lambda d: services.network_case_move(actor=actor, case=case, **d),
        success=lambda moved: (
            _("The case is now %(status)s.")
            % {"status": NetworkCaseStatus(moved.status).label.lower()}
        ),
        then=reverse("network-case", args=[case.pk]),
    )
    if response is not None:
        return response
    view = selectors.network_case_get_for(actor=actor, case_id=case_id, path=request.path)
    return _case_page(request, view, move=form, status=status)


@require_perm(Perm.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    ctx = selectors.consultation_context_for(
        actor=actor, item_id=item_id, path=request.path, log=request.method == "GET"
    )
    case = ctx.case
    initial: dict[str, Any] = {}
    if case.plan is not None:
        initial["plan"] = f"{case.plan_id}:{case.plan.version}"
        review = case.plan.next_review_on
        if review is not None and review >= dates.today():
            initial["next_review_on"] = review
    initial.setdefault("next_review_on", dates.today() + dt.timedelta(days=90))

    def record(d: dict[str, Any]) -> Any:
        plan_id, _sep, plan_version = d["plan"].partition(":")
        return services.consultation_record(
            actor=actor,
            agenda_item=ctx.item,
            outcome=d["outcome"],
            recommendations=d["recommendations"],
            plan_id=uuid.UUID(plan_id),
            plan_version=int(plan_version),
            next_review_on=d["next_review_on"],
        )

    return _edit(
        request,
        gf.ConsultationForm(request.POST or None, plans=ctx.plans, initial=initial),
        record,
        title=_("Consultation %(day)s: %(name)s")
        % {"day": ctx.item.meeting.held_on.strftime("%d.%m.%Y"), "name": str(case.client)},
        back=reverse("network-case", args=[case.pk]),
        submit=_("Save and write to the plan"),
        intro=case.reason,
        success=lambda done: (
            _("The consultation was recorded and the plan saved as version %(n)s.")
            % {"n": done.plan_version}
        ),
    )


# --- editing the agreement and the bodies -------------------------------------------------


def _agreement_url(agreement_id: uuid.UUID, version: int | None = None) -> str:
    url = reverse("agreement-detail", args=[agreement_id])
    return f"{url}?version={version}" if version is not None else url


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    form = gf.AgreementNewForm(
        request.POST or None, owners=selectors.manageable_organisations(actor=actor)
    )
    return _edit(
        request,
        form,
        lambda d: services.agreement_create(
            actor=actor,
            key="",
            name_fi=d["name_fi"],
            name_sv=d["name_sv"],
            name_en=d["name_en"],
            owner=d["owner"],
            municipalities=d["municipalities"],
            sections=[],
            summary=d["summary"],
        ),
        title=_("New strategic agreement"),
        back=reverse("governance-home"),
        submit=_("Create the agreement"),
        success=_("The agreement was created as a draft version 1."),
        then=lambda a: _agreement_url(a.pk),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    agreement = selectors.agreement_for_action(actor=actor, agreement_id=agreement_id)
    form = gf.AgreementEditForm(
        request.POST or None,
        initial={
            "name_fi": agreement.name_fi,
            "name_sv": agreement.name_sv,
            "name_en": agreement.name_en,
            "municipalities": list(agreement.municipalities.all()),
            "version": agreement.version,
        },
    )
    return _edit(
        request,
        form,
        lambda d: services.agreement_update(actor=actor, agreement=agreement, **d),
        title=_("Edit the agreement: %(name)s") % {"name": agreement.name},
        back=_agreement_url(agreement.pk),
        submit=_("Save the agreement"),
        success=_("The agreement was saved."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_delete(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    agreement = selectors.agreement_for_action(actor=actor, agreement_id=agreement_id)
    return _confirm_delete(
        request,
        title=_("Delete the agreement?"),
        what=agreement.name,
        consequence=_(
            "The agreement, its versions, sections, goals and indicators are deleted. "
            "Only an agreement never sent for approval can be deleted."
        ),
        call=lambda: services.agreement_delete(actor=actor, agreement=agreement),
        back=_agreement_url(agreement.pk),
        done=_("The agreement was deleted."),
        done_url=reverse("governance-home"),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def version_new(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    agreement = selectors.agreement_for_action(actor=actor, agreement_id=agreement_id)
    return _edit(
        request,
        gf.VersionForm(request.POST or None),
        lambda d: services.agreement_version_create(
            actor=actor, agreement=agreement, summary=d["summary"]
        ),
        title=_("New version: %(name)s") % {"name": agreement.name},
        back=_agreement_url(agreement.pk),
        submit=_("Make the new version"),
        success=_("The new version was made as a draft."),
        then=lambda v: _agreement_url(agreement.pk, v.number),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def version_delete(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    version = selectors.version_for_action(actor=actor, version_id=version_id)
    return _confirm_delete(
        request,
        title=_("Delete version %(n)s?") % {"n": version.number},
        what=f"{version.agreement.name}, "
        + _("version %(n)s") % {"n": version.number}
        + (f": {version.summary}" if version.summary else ""),
        consequence=_("The draft with its sections, goals and indicators is deleted."),
        call=lambda: services.agreement_version_delete(actor=actor, version=version),
        back=_agreement_url(version.agreement_id, version.number),
        done=_("The version was deleted."),
        done_url=_agreement_url(version.agreement_id),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def section_new(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    version = selectors.version_for_action(actor=actor, version_id=version_id)
    following = (version.sections.aggregate(n=Max("number"))["n"] or 0) + 1
    return _edit(
        request,
        gf.SectionForm(request.POST or None, initial={"number": following}),
        lambda d: services.section_add(actor=actor, version=version, **d),
        title=_("New section: version %(n)s") % {"n": version.number},
        back=_agreement_url(version.agreement_id, version.number),
        submit=_("Add the section"),
        success=_("The section was added."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, section_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    section = selectors.section_for_action(actor=actor, section_id=section_id)
    version = section.version
    return _edit(
        request,
        gf.SectionEditForm(
            request.POST or None,
            initial={
                "number": section.number,
                "heading": section.heading,
                "text": section.text,
                "version": section.edit_version,
            },
        ),
        lambda d: services.section_update(actor=actor, section=section, **d),
        title=_("Edit section %(n)s") % {"n": section.number},
        back=_agreement_url(version.agreement_id, version.number),
        submit=_("Save the section"),
        success=_("The section was saved."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def section_delete(request: HttpRequest, section_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    section = selectors.section_for_action(actor=actor, section_id=section_id)
    back = _agreement_url(section.version.agreement_id, section.version.number)
    return _confirm_delete(
        request,
        title=_("Delete section %(n)s?") % {"n": section.number},
        what=f"{section.number} {section.heading}",
        consequence=_("The section is deleted from this draft."),
        call=lambda: services.section_delete(actor=actor, section=section),
        back=back,
        done=_("The section was deleted."),
        done_url=back,
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    version = selectors.version_for_action(actor=actor, version_id=version_id)
    return _edit(
        request,
        gf.GoalForm(request.POST or None),
        lambda d: services.goal_add(actor=actor, version=version, **d),
        title=_("New goal: version %(n)s") % {"n": version.number},
        back=_agreement_url(version.agreement_id, version.number),
        submit=_("Add the goal"),
        success=_("The goal was added."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    goal = selectors.goal_for_action(actor=actor, goal_id=goal_id)
    return _edit(
        request,
        gf.GoalEditForm(
            request.POST or None,
            initial={
                "title": goal.title,
                "description": goal.description,
                "responsible": goal.responsible_id,
                "version": goal.edit_version,
            },
        ),
        lambda d: services.goal_update(actor=actor, goal=goal, **d),
        title=_("Edit goal %(n)s") % {"n": goal.number},
        back=_agreement_url(goal.version.agreement_id, goal.version.number),
        submit=_("Save the goal"),
        success=_("The goal was saved."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, goal_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    goal = selectors.goal_for_action(actor=actor, goal_id=goal_id)
    back = _agreement_url(goal.version.agreement_id, goal.version.number)
    return _confirm_delete(
        request,
        title=_("Delete goal %(n)s?") % {"n": goal.number},
        what=f"{goal.number}. {goal.title}",
        consequence=_("The goal and its indicators are deleted."),
        call=lambda: services.goal_delete(actor=actor, goal=goal),
        back=back,
        done=_("The goal was deleted."),
        done_url=back,
    )


def _indicator_data(d: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "title",
        "target",
        "direction",
        "period_start",
        "period_end",
        "statistic",
        "manual_value",
        "manual_value_on",
    )
    return {k: d[k] for k in keys}


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, indicator_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    indicator = selectors.indicator_for_action(actor=actor, indicator_id=indicator_id)
    version = indicator.goal.version
    initial = {f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}
    initial["version"] = indicator.version
    return _edit(
        request,
        gf.IndicatorEditForm(request.POST or None, initial=initial),
        lambda d: services.indicator_update(
            actor=actor, indicator=indicator, version=d["version"], **_indicator_data(d)
        ),
        title=_("Edit the indicator: %(title)s") % {"title": indicator.title},
        back=_agreement_url(version.agreement_id, version.number),
        submit=_("Save the indicator"),
        success=_("The indicator was saved."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_delete(request: HttpRequest, indicator_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    indicator = selectors.indicator_for_action(actor=actor, indicator_id=indicator_id)
    version = indicator.goal.version
    back = _agreement_url(version.agreement_id, version.number)
    return _confirm_delete(
        request,
        title=_("Delete the indicator?"),
        what=indicator.title,
        consequence=_("The indicator is deleted from goal %(n)s.") % {"n": indicator.goal.number},
        call=lambda: services.indicator_delete(actor=actor, indicator=indicator),
        back=back,
        done=_("The indicator was deleted."),
        done_url=back,
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def body_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    form = gf.BodyNewForm(
        request.POST or None, conveners=selectors.manageable_organisations(actor=actor)
    )
    return _edit(
        request,
        form,
        lambda d: services.body_create(actor=actor, key="", **d),
        title=_("New cooperation body"),
        back=reverse("governance-home"),
        submit=_("Create the body"),
        success=_("The body was created."),
        then=lambda b: reverse("body-detail", args=[b.pk]),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, body_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    body = selectors.body_for_action(actor=actor, body_id=body_id)
    initial = {f: getattr(body, f) for f in services.BODY_FIELDS}
    initial["version"] = body.version
    return _edit(
        request,
        gf.BodyEditForm(request.POST or None, initial=initial),
        lambda d: services.body_update(actor=actor, body=body, **d),
        title=_("Edit the body: %(name)s") % {"name": body.name},
        back=reverse("body-detail", args=[body.pk]),
        submit=_("Save the body"),
        success=_("The body was saved."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def body_delete(request: HttpRequest, body_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    body = selectors.body_for_action(actor=actor, body_id=body_id)
    return _confirm_delete(
        request,
        title=_("Delete the body?"),
        what=body.name,
        consequence=_(
            "The body and its members are deleted. Only a body that has never met can be "
            "deleted; mark the others inactive."
        ),
        call=lambda: services.body_delete(actor=actor, body=body),
        back=reverse("body-detail", args=[body.pk]),
        done=_("The body was deleted."),
        done_url=reverse("governance-home"),
    )


def _member_data(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("user", "name", "title", "organisation", "role", "valid_from", "valid_to")
    return {k: d[k] for k in keys}


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest, body_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    body = selectors.body_for_action(actor=actor, body_id=body_id)
    return _edit(
        request,
        gf.MemberForm(request.POST or None, initial={"valid_from": dates.today()}),
        lambda d: services.body_member_add(actor=actor, body=body, **_member_data(d)),
        title=_("New member: %(body)s") % {"body": body.name},
        back=reverse("body-detail", args=[body.pk]),
        submit=_("Add the member"),
        success=_("The member was added."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, member_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    member = selectors.member_for_action(actor=actor, member_id=member_id)
    initial: dict[str, Any] = {
        "user": member.user_id,
        "name": member.name,
        "title": member.title,
        "organisation": member.organisation_id,
        "role": member.role,
        "valid_from": member.valid_from,
        "valid_to": member.valid_to,
        "version": member.version,
    }
    return _edit(
        request,
        gf.MemberEditForm(request.POST or None, initial=initial),
        lambda d: services.body_member_update(
            actor=actor, member=member, version=d["version"], **_member_data(d)
        ),
        title=_("Edit the member: %(name)s") % {"name": member.display_name},
        back=reverse("body-detail", args=[member.body_id]),
        submit=_("Save the member"),
        success=_("The member was saved."),
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def member_delete(request: HttpRequest, member_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    member = selectors.member_for_action(actor=actor, member_id=member_id)
    back = reverse("body-detail", args=[member.body_id])
    return _confirm_delete(
        request,
        title=_("Remove the member?"),
        what=f"{member.display_name} ({member.organisation.name})",
        consequence=_(
            "The member is removed as if never recorded. To end a membership, give its "
            "last day instead."
        ),
        call=lambda: services.body_member_delete(actor=actor, member=member),
        back=back,
        done=_("The member was removed."),
        done_url=back,
    )
