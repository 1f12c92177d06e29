"""Case work pages: thin views over the selectors and services. A client the actor
may not see answers 404; every form shows errors next to the field; a stale edit
answers 409 with a conflict message and nothing saved."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.casework import forms as cf
from silta.casework import selectors, services
from silta.casework.models import Consent, JointService, Outcome, Plan, Referral, ReferralStatus
from silta.casework.work_ability import RULE_LABELS, default_rules, rule_explanation
from silta.catalogue.selectors import service_get
from silta.core import dates
from silta.privacy.policy import Action
from silta.web.pages import form_view, page, post_action, save_form


def _case_url(client_id: uuid.UUID) -> str:
    return reverse("casework-client", args=[client_id])


def _plan_url(plan_id: uuid.UUID) -> str:
    return reverse("plan-detail", args=[plan_id])


def _name(client: Any) -> str:
    return f"{client.last_name}, {client.first_names}"


# --- case file ---------------------------------------------------------------------


@require_perm(Perm.CASEWORK_VIEW)
@require_GET
def client_casework(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    case = selectors.case_file_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )
    return page(
        request,
        "casework/client.html",
        title=f"{_('Case work')}: {_name(case.client)}",
        back=reverse("client-detail", args=[client_id]),
        back_label=_("Back to the client page"),
        case=case,
        client=case.client,
    )


# --- referrals ---------------------------------------------------------------------


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client, grant = selectors.casework_client_for(
        actor=actor, client_id=client_id, path=request.path
    )
    form = cf.ReferralForm(
        request.POST or None,
        own_organisation_id=grant.membership.organisation_id,
        initial={"service": request.GET.get("service", "")},
    )

    def send(d: dict[str, Any]) -> Any:
        service = service_get(service_id=uuid.UUID(d["service"]))
        return services.referral_send(
            actor=actor,
            client=client,
            service=service,
            to_organisation=service.provider,
            reason=d["reason"],
            shares=d["shares"],
        )

    return form_view(
        request,
        form,
        send,
        title=_("Send a referral: %(name)s") % {"name": str(client)},
        back=_case_url(client.pk),
        submit=_("Send the referral"),
        success=_("The referral was sent."),
    )


@require_perm(Perm.REFERRAL_INBOX)
@require_GET
def referral_inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    rows = selectors.referral_inbox_for(
        actor=acting_user(request), status=status, path=request.get_full_path()
    )
    return page(
        request,
        "casework/inbox.html",
        title=_("Referrals received"),
        rows=rows,
        status=status,
        statuses=[("open", _("Open")), ("all", _("All")), *ReferralStatus.choices],
        active="inbox",
    )


def _referral_page(
    request: HttpRequest, view: selectors.ReferralView, bound: dict[str, forms.Form], status: int
) -> HttpResponse:
    move_forms = []
    for s in view.next_statuses:
        form = bound.get(s) or cf.referral_move_form(s)
        if s not in bound:
            form.initial = {"version": view.referral.version}
        move_forms.append((s, ReferralStatus(s).label, form))
    r = view.referral
    if view.side == "receiver":
        back, back_label = reverse("referral-inbox"), _("Back to referrals received")
    else:
        back, back_label = _case_url(r.client_id), _("Back to case work")
    return page(
        request,
        "casework/referral.html",
        title=f"{_('Referral')}: {r.service.name}",
        back=back,
        back_label=back_label,
        http_status=status,
        view=view,
        r=r,
        move_forms=move_forms,
    )


@require_perm(Perm.CASEWORK_VIEW, Perm.REFERRAL_INBOX)
@require_GET
def referral_detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    view = selectors.referral_get_for(
        actor=acting_user(request), referral_id=referral_id, path=request.path
    )
    return _referral_page(request, view, {}, 200)


@require_perm(Perm.CASEWORK_VIEW, Perm.REFERRAL_INBOX)
@require_POST
def referral_move(request: HttpRequest, referral_id: uuid.UUID, to_status: str) -> HttpResponse:
    actor = acting_user(request)
    referral = selectors.referral_for_action(actor=actor, referral_id=referral_id)
    form = cf.referral_move_form(to_status, request.POST)
    response, status = save_form(
        request,
        form,
        lambda d: services.referral_move(actor=actor, referral=referral, to_status=to_status, **d),
        success=_("The referral is now %(status)s.")
        % {"status": ReferralStatus(to_status).label.lower()},
        then=reverse("referral-detail", args=[referral_id]),
    )
    if response is not None:
        return response
    view = selectors.referral_get_for(actor=actor, referral_id=referral_id, path=request.path)
    return _referral_page(request, view, {to_status: form}, status)


# --- appointments, notes, consents -----------------------------------------------


def _simple_create(
    request: HttpRequest,
    client_id: uuid.UUID,
    form_class: type[forms.Form],
    call: Any,
    *,
    title: str,
    submit: str,
    done: str,
    perm: Perm = Perm.CASEWORK_WRITE,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    actor = acting_user(request)
    client, _grant = selectors.casework_client_for(
        actor=actor, client_id=client_id, perm=perm, path=request.path
    )
    return form_view(
        request,
        form_class(request.POST or None, initial=initial),
        lambda d: call(actor, client, d),
        title=f"{title}: {client}",
        back=_case_url(client.pk),
        submit=submit,
        success=done,
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    return _simple_create(
        request,
        client_id,
        cf.AppointmentForm,
        lambda actor, client, d: services.appointment_create(actor=actor, client=client, **d),
        title=_("New appointment"),
        submit=_("Save the appointment"),
        done=_("The appointment was saved."),
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    return _simple_create(
        request,
        client_id,
        cf.NoteForm,
        lambda actor, client, d: services.note_write(actor=actor, client=client, **d),
        title=_("New note"),
        submit=_("Save the note"),
        done=_("The note was saved."),
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    return _simple_create(
        request,
        client_id,
        cf.ConsentForm,
        lambda actor, client, d: services.consent_record(actor=actor, client=client, **d),
        title=_("Record a consent"),
        submit=_("Save the consent"),
        done=_("The consent was recorded."),
        initial={"valid_from": dates.today()},
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    consent = selectors.record_for(
        actor=actor, model=Consent, record_id=consent_id, action=Action.END
    )
    return post_action(
        request,
        cf.ConsentWithdrawForm(request.POST),
        lambda d: services.consent_withdraw(actor=actor, consent=consent, version=d["version"]),
        then=_case_url(consent.client_id),
        success=_("The consent was withdrawn."),
        invalid=_("The consent was not withdrawn. Reload the page and try again."),
    )


# --- joint service ---------------------------------------------------------------


@require_perm(Perm.JOINT_SERVICE_MANAGE)
@require_http_methods(["GET", "POST"])
def joint_service_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    return _simple_create(
        request,
        client_id,
        cf.JointServiceForm,
        lambda actor, client, d: services.joint_service_enrol(
            actor=actor,
            client=client,
            started_on=d["started_on"],
            member_ids=[uuid.UUID(x) for x in d["members"]],
        ),
        title=_("Enrol into joint service"),
        submit=_("Enrol"),
        done=_("The client was enrolled into joint service."),
        perm=Perm.JOINT_SERVICE_MANAGE,
    )


@require_perm(Perm.JOINT_SERVICE_MANAGE)
@require_http_methods(["GET", "POST"])
def joint_service_end(request: HttpRequest, joint_service_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    js = selectors.record_for(
        actor=actor, model=JointService, record_id=joint_service_id, perm=Perm.JOINT_SERVICE_MANAGE
    )
    if request.method == "GET":
        selectors.casework_client_for(
            actor=actor,
            client_id=js.client_id,
            perm=Perm.JOINT_SERVICE_MANAGE,
            path=request.path,
        )
    return form_view(
        request,
        cf.JointServiceEndForm(request.POST or None),
        lambda d: services.joint_service_end(actor=actor, joint_service=js, **d),
        title=_("End joint service: %(name)s") % {"name": str(js.client)},
        back=_case_url(js.client_id),
        submit=_("End the joint service"),
        success=_("The joint service was ended."),
    )


# --- assessments -----------------------------------------------------------------


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client, _grant = selectors.casework_client_for(
        actor=actor, client_id=client_id, path=request.path
    )
    form = cf.AssessmentForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda d: services.assessment_sign(
            actor=actor, client=client, assessed_on=d["assessed_on"], ratings=form.ratings()
        ),
        title=_("Service-need assessment: %(name)s") % {"name": str(client)},
        back=_case_url(client.pk),
        submit=_("Sign the assessment"),
        intro=_("Rate each domain from 1 (great need of support) to 5 (no need of support)."),
        success=_("The assessment was signed."),
    )


# --- plans -------------------------------------------------------------------------


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client, _grant = selectors.casework_client_for(
        actor=actor, client_id=client_id, path=request.path
    )
    refs = list(Referral.objects.filter(client=client).select_related("service"))
    return form_view(
        request,
        cf.PlanCreateForm(request.POST or None, referrals=refs),
        lambda d: services.plan_create(
            actor=actor,
            client=client,
            kind=d["kind"],
            goals=d["goals"],
            actions=d["actions"],
            next_review_on=d["next_review_on"],
            referral_ids=[uuid.UUID(x) for x in d["referrals"]],
        ),
        title=_("New plan: %(name)s") % {"name": str(client)},
        back=_case_url(client.pk),
        submit=_("Save the plan"),
        success=_("The plan was saved as a draft."),
        then=lambda plan: _plan_url(plan.pk),
    )


def _plan_page(
    request: HttpRequest,
    plan: Plan,
    versions: list[Any],
    *,
    revise: cf.PlanReviseForm | None = None,
    move: cf.PlanStatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    latest = versions[0]
    refs = list(Referral.objects.filter(client_id=plan.client_id).select_related("service"))
    if revise is None:
        revise = cf.PlanReviseForm(
            referrals=refs,
            initial={
                "goals": latest.goals,
                "actions": latest.actions,
                "next_review_on": latest.next_review_on,
                "referrals": [str(r.pk) for r in latest.referrals.all()],
                "version": plan.version,
            },
        )
    if move is None:
        move = cf.PlanStatusForm(initial={"version": plan.version})
    return page(
        request,
        "casework/plan.html",
        title=f"{plan.get_kind_display()}: {_name(plan.client)}",
        back=_case_url(plan.client_id),
        back_label=_("Back to case work"),
        http_status=status,
        plan=plan,
        versions=versions,
        latest=latest,
        revise=revise,
        move=move,
    )


@require_perm(Perm.CASEWORK_VIEW)
@require_GET
def plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan, versions = selectors.plan_get_for(
        actor=acting_user(request), plan_id=plan_id, path=request.path
    )
    return _plan_page(request, plan, versions)


@require_perm(Perm.CASEWORK_WRITE)
@require_POST
def plan_revise(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    plan = selectors.plan_for_action(actor=actor, plan_id=plan_id)
    refs = list(Referral.objects.filter(client_id=plan.client_id).select_related("service"))
    form = cf.PlanReviseForm(request.POST, referrals=refs)
    response, status = save_form(
        request,
        form,
        lambda d: services.plan_revise(
            actor=actor,
            plan=plan,
            version=d["version"],
            goals=d["goals"],
            actions=d["actions"],
            next_review_on=d["next_review_on"],
            referral_ids=[uuid.UUID(x) for x in d["referrals"]],
        ),
        success=_("A new version of the plan was saved."),
        then=_plan_url(plan_id),
    )
    if response is not None:
        return response
    plan, versions = selectors.plan_get_for(actor=actor, plan_id=plan_id, path=request.path)
    return _plan_page(request, plan, versions, revise=form, status=status)


@require_perm(Perm.CASEWORK_WRITE)
@require_POST
def plan_move(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    plan = selectors.plan_for_action(actor=actor, plan_id=plan_id, action=Action.END)
    form = cf.PlanStatusForm(request.POST)
    response, status = save_form(
        request,
        form,
        lambda d: services.plan_move(
            actor=actor, plan=plan, version=d["version"], to_status=d["to_status"]
        ),
        success=_("The plan status was changed."),
        then=_plan_url(plan_id),
    )
    if response is not None:
        return response
    plan, versions = selectors.plan_get_for(actor=actor, plan_id=plan_id, path=request.path)
    return _plan_page(request, plan, versions, move=form, status=status)


# --- outcomes ----------------------------------------------------------------------


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    return _simple_create(
        request,
        client_id,
        cf.OutcomeForm,
        lambda actor, client, d: services.outcome_record(actor=actor, client=client, **d),
        title=_("Record an outcome"),
        submit=_("Save the outcome"),
        done=_("The outcome was recorded."),
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def outcome_follow_up(request: HttpRequest, outcome_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    outcome = selectors.record_for(actor=actor, model=Outcome, record_id=outcome_id)
    if request.method == "GET":
        selectors.casework_client_for(actor=actor, client_id=outcome.client_id, path=request.path)
    return form_view(
        request,
        cf.FollowUpForm(request.POST or None, initial={"version": outcome.version}),
        lambda d: services.outcome_follow_up(actor=actor, outcome=outcome, **d),
        title=_("Follow-up of %(kind)s: %(name)s")
        % {"kind": outcome.get_kind_display().lower(), "name": str(outcome.client)},
        back=_case_url(outcome.client_id),
        submit=_("Save the follow-up"),
        success=_("The follow-up was recorded."),
    )


# --- caseload and work ability -----------------------------------------------------


@require_perm(Perm.CASEWORK_VIEW)
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    data = selectors.caseload_for(
        actor=acting_user(request),
        path=request.get_full_path(),
        expand=request.GET.get("more", ""),
    )
    return page(
        request,
        "casework/caseload.html",
        title=_("My caseload"),
        data=data,
        active="caseload",
        rows=selectors.CASELOAD_ROWS,
        rows_all=selectors.CASELOAD_ROWS_ALL,
    )


@require_perm(Perm.WORK_ABILITY_LIST)
@require_GET
def work_ability_list(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "organisation")
    scope = scope if scope in {"organisation", "mine"} else "organisation"
    sort = request.GET.get("sort", "score")
    sort = sort if sort in selectors.SORTS else "score"
    rows = selectors.work_ability_candidates_for(
        actor=acting_user(request), scope=scope, sort=sort, path=request.get_full_path()
    )
    from silta.catalogue.models import Service, ServiceCode

    wa_service = Service.objects.filter(
        code=ServiceCode.WORK_ABILITY_ASSESSMENT, is_active=True
    ).first()
    return page(
        request,
        "casework/work_ability.html",
        title=_("Who may need a work ability assessment"),
        rows=rows,
        scope=scope,
        sort=sort,
        wa_service=wa_service,
        active="work_ability",
    )


@require_perm(Perm.WORK_ABILITY_LIST)
@require_GET
def work_ability_help(request: HttpRequest) -> HttpResponse:
    rules = default_rules()
    items = []
    for key, params in rules.rules.items():
        items.append(
            {
                "key": key,
                "label": RULE_LABELS[key],
                "explanation": rule_explanation(key, params),
                "weight": params["weight"],
            }
        )
    return page(
        request,
        "casework/work_ability_help.html",
        title=_("How the work ability list is made"),
        back=reverse("work-ability"),
        back_label=_("Back to the list"),
        rules=rules,
        items=items,
        active="work_ability",
    )
