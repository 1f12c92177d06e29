"""Rehabilitative work activity pages: the provider portal and Soite's management.
Thin views over selectors and services; anything outside the user's scope answers
404; errors show next to the field (attendance: next to the day)."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.models import Organisation
from silta.accounts.roles import Perm
from silta.casework.models import Plan
from silta.catalogue.errors import StaleEdit
from silta.core import dates
from silta.rehab import exports, selectors, services
from silta.rehab import forms as rf
from silta.rehab.models import Contract, FeeClaimStatus, WorkSite
from silta.rehab.policies import organiser_membership
from silta.rehab.services import PLAN_KINDS, PROVIDER_KINDS
from silta.rehab.statements import month_end, month_start, parse_month
from silta.web.pages import form_view, page, post_action, save_form

_form = partial(form_view, active="rehab")


def _placement_url(placement_id: uuid.UUID, week: dt.date | None = None) -> str:
    url = reverse("rehab-placement", args=[placement_id])
    return f"{url}?week={week.isoformat()}" if week else url


def _month(text: str) -> dt.date:
    month = parse_month(text)
    if month is None:
        raise Http404("No such month.")
    return month


# --- portal ----------------------------------------------------------------------


@require_perm(Perm.REHAB_STATEMENT_VIEW)
@require_GET
def rehab_home(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    status = status if status in {"active", "upcoming", "ended", "all"} else "active"
    actor = acting_user(request)
    data = selectors.placements_for(actor=actor, status=status, path=request.get_full_path())
    return page(
        request,
        "rehab/home.html",
        title=_("Rehabilitative work activity"),
        data=data,
        status=status,
        statuses=[
            ("active", _("Active")),
            ("upcoming", _("Starting")),
            ("ended", _("Ended")),
            ("all", _("All")),
        ],
        providers=selectors.providers_for(actor=actor),
        this_month=f"{dates.today():%Y-%m}",
        last_month=f"{month_start(dates.today()) - dt.timedelta(days=1):%Y-%m}",
        is_organiser=organiser_membership(actor, Perm.REHAB_MANAGE) is not None,
        can_lists=organiser_membership(actor, Perm.REHAB_LISTS) is not None,
        active="rehab",
    )


def _week_param(request: HttpRequest) -> dt.date | None:
    text = request.GET.get("week", "")
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _placement_page(
    request: HttpRequest, view: selectors.PlacementView, week_form: rf.WeekForm | None, status: int
) -> HttpResponse:
    if week_form is None and view.grant.is_provider:
        week_form = rf.WeekForm(days=view.week)
    p = view.placement
    fee_broken = services.fee_facts(p)[1] if p.ended_on else []
    confirm_form = (
        rf.OutcomeConfirmForm(initial={"version": p.version})
        if not view.grant.is_provider
        and p.outcome is not None
        and p.outcome_confirmed_at is None
        and p.outcome.occurred_on <= dates.today()
        and organiser_membership(acting_user(request), Perm.REHAB_MANAGE) is not None
        else None
    )
    return page(
        request,
        "rehab/placement.html",
        title=f"{p.client.last_name}, {p.client.first_names}",
        back=reverse("rehab-home"),
        back_label=_("Back to placements"),
        http_status=status,
        view=view,
        p=view.placement,
        week_form=week_form,
        rows=week_form.rows() if week_form is not None else None,
        claim_form=rf.FeeClaimForm(),
        fee_broken=fee_broken,
        confirm_form=confirm_form,
        active="rehab",
    )


@require_perm(Perm.REHAB_STATEMENT_VIEW)
@require_GET
def placement_detail(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    view = selectors.placement_get_for(
        actor=acting_user(request),
        placement_id=placement_id,
        week=_week_param(request),
        path=request.get_full_path(),
    )
    return _placement_page(request, view, None, 200)


@require_perm(Perm.REHAB_ATTENDANCE)
@require_POST
def attendance_week(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    placement, _grant = selectors.placement_for_action(
        actor=actor, placement_id=placement_id, perm=Perm.REHAB_ATTENDANCE
    )
    week = _week_param(request) or selectors.default_week(placement)
    monday = week - dt.timedelta(days=week.weekday())
    form = rf.WeekForm(request.POST, days=selectors.week_days(placement, monday))
    if form.is_valid():
        entries = form.entries()
        if form.is_valid():
            try:
                rows = services.attendance_record(actor=actor, placement=placement, entries=entries)
            except ValidationError as exc:
                for key, errs in exc.error_dict.items():
                    try:
                        field = form.field_for(dt.date.fromisoformat(key))
                    except ValueError:
                        field = None
                    form.add_error(field, errs)
            else:
                messages.success(
                    request,
                    _("Attendance saved: %(n)s days changed.") % {"n": len(rows)}
                    if rows
                    else _("Nothing changed."),
                )
                return HttpResponseRedirect(_placement_url(placement_id, monday))
    view = selectors.placement_get_for(
        actor=actor, placement_id=placement_id, week=monday, path=request.get_full_path()
    )
    form.days = view.week
    return _placement_page(request, view, form, 400)


@require_perm(Perm.REHAB_ATTENDANCE)
@require_http_methods(["GET", "POST"])
def attendance_import(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    return _form(
        request,
        rf.AttendanceImportForm(request.POST or None, request.FILES or None),
        lambda d: services.attendance_import(actor=actor, text=d["file"].read()),
        title=_("Import attendance"),
        back=reverse("rehab-home"),
        submit=_("Check and import"),
        success=lambda written: _("Attendance imported: %(n)s days saved.") % {"n": written},
        intro=_(
            "The whole file is checked first. If any line breaks a rule, nothing is saved "
            "and every such line is listed with its day and rule."
        ),
        multipart=True,
    )


# --- placements (Soite) ----------------------------------------------------------


@require_perm(Perm.REHAB_MANAGE)
@require_http_methods(["GET", "POST"])
def placement_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = selectors.client_for_placement_form(
        actor=actor, client_id=client_id, path=request.get_full_path()
    )
    sites = list(
        WorkSite.objects.filter(is_active=True, provider__is_active=True).select_related(
            "provider__organisation"
        )
    )
    contracts = list(Contract.objects.select_related("provider__organisation"))
    plans = list(Plan.objects.filter(client=client, kind__in=PLAN_KINDS).exclude(status="closed"))

    def save(d: dict[str, Any]) -> Any:
        site = next(s for s in sites if str(s.pk) == d["work_site"])
        return services.placement_create(
            actor=actor,
            client=client,
            provider=site.provider,
            work_site=site,
            contract=next(c for c in contracts if str(c.pk) == d["contract"]),
            plan=next((p for p in plans if str(p.pk) == d["plan"]), None),
            start_on=d["start_on"],
            planned_end_on=d["planned_end_on"],
            days_per_week=d["days_per_week"],
            hours_per_day=d["hours_per_day"],
            tasks=d["tasks"],
            social_assistance=d["social_assistance"],
        )

    return _form(
        request,
        rf.PlacementForm(request.POST or None, sites=sites, contracts=contracts, plans=plans),
        save,
        title=_("New placement in rehabilitative work activity: %(name)s") % {"name": str(client)},
        back=reverse("casework-client", args=[client.pk]),
        submit=_("Save the placement"),
        success=_("The placement was saved."),
        then=lambda placement: _placement_url(placement.pk),
    )


@require_perm(Perm.REHAB_MANAGE)
@require_http_methods(["GET", "POST"])
def placement_end(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    placement, grant = selectors.placement_form_for(
        actor=actor, placement_id=placement_id, perm=Perm.REHAB_MANAGE,
        path=request.get_full_path(),
    )  # fmt: skip
    if grant.is_provider:
        raise Http404("No such placement.")
    return _form(
        request,
        rf.PlacementEndForm(request.POST or None, initial={"version": placement.version}),
        lambda d: services.placement_end(actor=actor, placement=placement, **d),
        title=_("End the placement: %(name)s") % {"name": str(placement.client)},
        back=_placement_url(placement.pk),
        submit=_("End the placement"),
        success=_("The placement was ended."),
    )


@require_perm(Perm.REHAB_MANAGE)
@require_http_methods(["GET", "POST"])
def placement_outcome(request: HttpRequest, placement_id: uuid.UUID, action: str) -> HttpResponse:
    """Confirm the transition (POST) or correct it (form). Organiser side only."""
    if action not in {"confirm", "correct"}:
        raise Http404("No such action.")
    actor = acting_user(request)
    placement, grant = selectors.placement_form_for(
        actor=actor, placement_id=placement_id, perm=Perm.REHAB_MANAGE,
        path=request.get_full_path(),
    )  # fmt: skip
    if grant.is_provider:
        raise Http404("No such placement.")
    if action == "confirm":
        if request.method != "POST":
            return HttpResponseRedirect(_placement_url(placement.pk))
        return post_action(
            request,
            rf.OutcomeConfirmForm(request.POST),
            lambda d: services.placement_outcome_confirm(
                actor=actor, placement=placement, version=d["version"]
            ),
            then=_placement_url(placement.pk),
            success=_("The transition was confirmed."),
            invalid=_("Reload the page and try again."),
        )
    initial = {
        "version": placement.version,
        "outcome_kind": placement.outcome.kind if placement.outcome else "",
        "outcome_on": placement.outcome.occurred_on if placement.outcome else None,
    }
    return _form(
        request,
        rf.OutcomeCorrectForm(request.POST or None, initial=initial),
        lambda d: services.placement_outcome_correct(actor=actor, placement=placement, **d),
        title=_("Correct the transition: %(name)s") % {"name": str(placement.client)},
        back=_placement_url(placement.pk),
        submit=_("Save the correction"),
        success=_("The transition was corrected."),
        intro=_(
            "A fee paid on the old facts is reversed on the next statement, and a new "
            "claim is decided on the corrected facts."
        ),
    )


# --- outcome fees ----------------------------------------------------------------


@require_perm(Perm.REHAB_FEE_CLAIM)
@require_POST
def fee_claim_new(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    placement, _grant = selectors.placement_for_action(
        actor=actor, placement_id=placement_id, perm=Perm.REHAB_FEE_CLAIM
    )
    return post_action(
        request,
        rf.FeeClaimForm(request.POST),
        lambda d: services.fee_claim_create(actor=actor, placement=placement, note=d["note"]),
        then=_placement_url(placement.pk),
        success=_("The outcome fee was claimed."),
    )


def _claim_page(
    request: HttpRequest, claim_id: uuid.UUID, form: rf.FeeDecisionForm | None, status: int
) -> HttpResponse:
    claim, grant = selectors.fee_claim_get_for(
        actor=acting_user(request), claim_id=claim_id, path=request.path
    )
    facts, broken = services.fee_facts(claim.placement)
    if form is None and not grant.is_provider and claim.status == FeeClaimStatus.CLAIMED:
        form = rf.FeeDecisionForm(initial={"version": claim.version})
    reverse_form = rf.FeeReverseForm() if not grant.is_provider else None
    return page(
        request,
        "rehab/fee_claim.html",
        title=_("Outcome fee claim: %(name)s") % {"name": claim.placement.client},
        back=reverse("rehab-placement", args=[claim.placement_id]),
        back_label=_("Back to the placement"),
        http_status=status,
        claim=claim,
        p=claim.placement,
        grant=grant,
        facts=facts,
        broken=broken,
        form=form,
        reverse_form=reverse_form,
        fees=list(claim.fees.select_related("contract_version").order_by("decided_at")),
        active="rehab",
    )


@require_perm(Perm.REHAB_STATEMENT_VIEW)
@require_GET
def fee_claim_detail(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    return _claim_page(request, claim_id, None, 200)


@require_perm(Perm.REHAB_FEE_VERIFY)
@require_POST
def fee_claim_decide(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    claim, grant = selectors.fee_claim_get_for(actor=actor, claim_id=claim_id, path=request.path)
    if grant.is_provider:
        raise Http404("No such claim.")
    form = rf.FeeDecisionForm(request.POST)
    response, status = save_form(
        request,
        form,
        lambda d: services.fee_claim_decide(actor=actor, claim=claim, **d),
        success=lambda decided: (
            _("The claim is now %(status)s.")
            % {"status": FeeClaimStatus(decided.status).label.lower()}
        ),
        then=reverse("rehab-fee-claim", args=[claim_id]),
    )
    return response or _claim_page(request, claim_id, form, status)


@require_perm(Perm.REHAB_FEE_VERIFY)
@require_POST
def fee_reverse(request: HttpRequest, fee_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    fee = selectors.fee_for_action(actor=actor, fee_id=fee_id)
    return post_action(
        request,
        rf.FeeReverseForm(request.POST),
        lambda d: services.outcome_fee_reverse(actor=actor, fee=fee, reason=d["reason"]),
        then=reverse("rehab-fee-claim", args=[fee.claim_id]),
        success=_("A reversing row was recorded for the fee."),
        invalid=_("Give the reason for the correction."),
    )


# --- providers and contracts -----------------------------------------------------


@require_perm(Perm.REHAB_MANAGE)
@require_http_methods(["GET", "POST"])
def provider_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    orgs = list(
        Organisation.objects.filter(kind__in=PROVIDER_KINDS, rehab_provider__isnull=True).order_by(
            "name_fi"
        )
    )
    return _form(
        request,
        rf.ProviderForm(request.POST or None, organisations=orgs),
        lambda d: services.provider_register(
            actor=actor,
            organisation=next(o for o in orgs if str(o.pk) == d["organisation"]),
            business_id=d["business_id"],
        ),
        title=_("Register a provider"),
        back=reverse("rehab-home"),
        submit=_("Register"),
        success=_("The provider was registered."),
        then=lambda provider: reverse("rehab-provider", args=[provider.pk]),
    )


@require_perm(Perm.REHAB_STATEMENT_VIEW)
@require_GET
def provider_detail(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    provider, grant = selectors.provider_get_for(
        actor=actor, provider_id=provider_id, perm=Perm.REHAB_STATEMENT_VIEW
    )
    contracts = list(provider.contracts.prefetch_related("versions"))
    return page(
        request,
        "rehab/provider.html",
        title=str(provider),
        back=reverse("rehab-home"),
        provider=provider,
        grant=grant,
        contacts=list(provider.contacts.all()),
        sites=list(provider.sites.select_related("municipality")),
        contracts=contracts,
        statements=selectors.approved_statements_for(actor=actor, provider_id=provider.pk),
        this_month=f"{dates.today():%Y-%m}",
        last_month=f"{month_start(dates.today()) - dt.timedelta(days=1):%Y-%m}",
        active="rehab",
    )


def _provider_form_view(
    form_class: type[forms.Form], add: Any, *, title: Any, submit: Any, done: Any
) -> Any:
    """A page adding one thing to a provider (``add(actor=, provider=, **fields)``),
    organiser side only; the words are lazy, translated for each request."""

    @require_perm(Perm.REHAB_MANAGE)
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
        actor = acting_user(request)
        provider, grant = selectors.provider_get_for(
            actor=actor, provider_id=provider_id, perm=Perm.REHAB_MANAGE
        )
        if grant.is_provider:
            raise Http404("No such provider.")
        return _form(
            request,
            form_class(request.POST or None),
            lambda d: add(actor=actor, provider=provider, **d),
            title=f"{title}: {provider}",
            back=reverse("rehab-provider", args=[provider.pk]),
            submit=str(submit),
            success=str(done),
        )

    return view


contact_new = _provider_form_view(
    rf.ContactForm,
    services.provider_contact_add,
    title=gettext_lazy("New contact person"),
    submit=gettext_lazy("Save"),
    done=gettext_lazy("The contact person was saved."),
)
site_new = _provider_form_view(
    rf.SiteForm,
    services.work_site_add,
    title=gettext_lazy("New work site"),
    submit=gettext_lazy("Save"),
    done=gettext_lazy("The work site was saved."),
)
contract_new = _provider_form_view(
    rf.ContractForm,
    services.contract_create,
    title=gettext_lazy("New contract"),
    submit=gettext_lazy("Save the contract"),
    done=gettext_lazy("The contract was saved."),
)


@require_perm(Perm.REHAB_MANAGE)
@require_http_methods(["GET", "POST"])
def contract_revise(request: HttpRequest, contract_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    contract = selectors.contract_get_for(actor=actor, contract_id=contract_id)
    if organiser_membership(actor, Perm.REHAB_MANAGE) is None:
        raise Http404("No such contract.")
    latest = contract.versions.order_by("-number").first()
    assert latest is not None
    initial = {
        "effective_from": latest.effective_from if latest.used_at is None else None,
        "valid_to": contract.valid_to,
        "price_per_day": latest.price_per_day,
        "outcome_fee": latest.outcome_fee,
        "qualifying_transitions": latest.qualifying_transitions,
        "max_places": latest.max_places,
        "version": contract.version,
    }
    intro = (
        _(
            "Version %(n)s has been used for a statement and cannot be edited: the new terms "
            "become version %(next)s."
        )
        % {"n": latest.number, "next": latest.number + 1}
        if latest.used_at is not None
        else _("Version %(n)s has not been used for a statement yet and is edited in place.")
        % {"n": latest.number}
    )
    return _form(
        request,
        rf.ContractReviseForm(request.POST or None, initial=initial),
        lambda d: services.contract_revise(actor=actor, contract=contract, **d),
        title=_("Change the contract terms: %(ref)s") % {"ref": contract.reference},
        back=reverse("rehab-provider", args=[contract.provider_id]),
        submit=_("Save the terms"),
        success=lambda saved: (
            _("The contract terms were saved as version %(n)s.") % {"n": saved.number}
        ),
        intro=intro,
    )


# --- statements ------------------------------------------------------------------


def _statement_page(
    request: HttpRequest,
    provider_id: uuid.UUID,
    month: dt.date,
    status: int = 200,
    error: str = "",
    send_form: rf.StatementSendForm | None = None,
) -> HttpResponse:
    actor = acting_user(request)
    provider, statements, grant = selectors.statements_for(
        actor=actor, provider_id=provider_id, month=month, path=request.path
    )
    month_over = month_end(month) < dates.today()
    organiser_side = not grant.is_provider and month_over
    can_check = organiser_side and organiser_membership(actor, Perm.REHAB_MANAGE) is not None
    can_approve = (
        organiser_side and organiser_membership(actor, Perm.REHAB_STATEMENT_APPROVE) is not None
    )
    items = []
    for data in statements:
        version = data.statement.version if data.statement is not None else 0
        initial = {"expected_total": data.total_eur, "version": version}
        open_draft = not data.is_approved and bool(data.lines)
        # the four-eyes rule: who checked the statement does not approve it
        checked_by_me = (
            data.statement is not None
            and data.status == "checked"
            and data.statement.checked_by_id == actor.pk
        )
        items.append(
            {
                "data": data,
                "check_form": rf.StatementApproveForm(initial=initial)
                if can_check and open_draft
                else None,
                "form": rf.StatementApproveForm(initial=initial)
                if can_approve
                and open_draft
                and data.status == "checked"
                and not data.changed_since_check
                and not checked_by_me
                else None,
                "checked_by_me": can_approve and open_draft and checked_by_me,
                "send_form": (send_form or rf.StatementSendForm(initial={"version": version}))
                if can_approve and data.status == "approved"
                else None,
            }
        )
    previous = month_start(month - dt.timedelta(days=1))
    following = month_end(month) + dt.timedelta(days=1)
    return page(
        request,
        "rehab/statement.html",
        title=_("Monthly statement %(m)s: %(p)s")
        % {"m": f"{month.month}/{month.year}", "p": provider},
        back=reverse("rehab-provider", args=[provider.pk]),
        back_label=_("Back to the provider"),
        http_status=status,
        provider=provider,
        month=month,
        items=items,
        grant=grant,
        error=error,
        month_over=month_over,
        previous=f"{previous:%Y-%m}",
        following=f"{following:%Y-%m}",
        month_key=f"{month:%Y-%m}",
        active="rehab",
    )


@require_perm(Perm.REHAB_STATEMENT_VIEW)
@require_GET
def statement_detail(request: HttpRequest, provider_id: uuid.UUID, month: str) -> HttpResponse:
    return _statement_page(request, provider_id, _month(month))


STATEMENT_ACTIONS = {
    "check": Perm.REHAB_MANAGE,
    "approve": Perm.REHAB_STATEMENT_APPROVE,
    "send": Perm.REHAB_STATEMENT_APPROVE,
}


@require_perm(Perm.REHAB_STATEMENT_VIEW)
@require_POST
def statement_action(
    request: HttpRequest, provider_id: uuid.UUID, month: str, action: str
) -> HttpResponse:
    """Check, approve or send a statement. A bad or stale form, an approved statement
    or a second approval answer with the reason on the page and write nothing."""
    actor = acting_user(request)
    the_month = _month(month)
    perm = STATEMENT_ACTIONS.get(action)
    if perm is None:
        raise Http404("No such action.")
    if organiser_membership(actor, perm) is None:
        raise PermissionDenied(perm.value)
    provider, grant = selectors.provider_get_for(actor=actor, provider_id=provider_id, perm=perm)
    if grant.is_provider:
        raise Http404("No such provider.")
    send_form = None
    try:
        if action == "send":
            send_form = rf.StatementSendForm(request.POST)
            if not send_form.is_valid():
                return _statement_page(
                    request,
                    provider_id,
                    the_month,
                    400,
                    _("Give the invoice reference."),
                    send_form,
                )
            services.statement_send(
                actor=actor,
                provider=provider,
                month=the_month,
                version=send_form.cleaned_data["version"],
                invoice_reference=send_form.cleaned_data["invoice_reference"],
            )
            done = _("The statement was marked sent for invoicing.")
        else:
            form = rf.StatementApproveForm(request.POST)
            if not form.is_valid():
                return _statement_page(
                    request, provider_id, the_month, 400, _("Check and approve from the preview.")
                )
            call = services.statement_check if action == "check" else services.statement_approve
            call(
                actor=actor,
                provider=provider,
                month=the_month,
                version=form.cleaned_data["version"],
                expected_total=form.cleaned_data["expected_total"],
            )
            done = (
                _("The statement was checked.")
                if action == "check"
                else _("The statement was approved.")
            )
    except StaleEdit as exc:
        return _statement_page(request, provider_id, the_month, 409, " ".join(exc.messages))
    except ValidationError as exc:
        if send_form is not None and hasattr(exc, "error_dict"):
            for field, errs in exc.error_dict.items():
                if field in send_form.fields:
                    send_form.add_error(field, errs)
        return _statement_page(
            request, provider_id, the_month, 400, " ".join(exc.messages), send_form
        )
    messages.success(request, done)
    return HttpResponseRedirect(reverse("rehab-statement", args=[provider_id, month]))


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.statement_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.statement_xlsx,
    ),
    "pdf": ("application/pdf", exports.statement_pdf),
}


@require_perm(Perm.REHAB_STATEMENT_VIEW)
@require_GET
def statement_export(
    request: HttpRequest, provider_id: uuid.UUID, month: str, fmt: str
) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such format.")
    the_month = _month(month)
    provider, statements, _grant = selectors.statements_for(
        actor=acting_user(request), provider_id=provider_id, month=the_month, path=request.path
    )
    content_type, build = EXPORTS[fmt]
    response = HttpResponse(build(statements), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{provider.business_id}-{month}.{fmt}"'
    )
    return response


# --- Kela and state lists ----------------------------------------------------------


LIST_TITLES = {
    "kela": gettext_lazy("Kela expense allowance"),
    "activity": gettext_lazy("Activity allowance"),
    "state": gettext_lazy("State reimbursement"),
}


@require_perm(Perm.REHAB_LISTS)
@require_GET
def month_list(request: HttpRequest, which: str) -> HttpResponse:
    if which not in LIST_TITLES:
        raise Http404("No such list.")
    default = month_start(dates.today()) - dt.timedelta(days=1)
    month = parse_month(request.GET.get("month", "")) or month_start(default)
    data = selectors.month_list_for(
        actor=acting_user(request), month=month, kind=which, path=request.get_full_path()
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            exports.month_list_csv(data), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{which}-{month:%Y-%m}.csv"'
        return response
    return page(
        request,
        "rehab/month_list.html",
        title=f"{LIST_TITLES[which]} {month.month}/{month.year}",
        back=reverse("rehab-home"),
        data=data,
        which=which,
        lists=list(LIST_TITLES.items()),
        month_key=f"{month:%Y-%m}",
        active="rehab",
    )
