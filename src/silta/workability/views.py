"""Pages of the work ability path: thin views over selectors and services. A client
not open to the actor answers 404; every form shows errors next to the field and
writes nothing on bad input; a form opened before another save answers 409."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.policies import can
from silta.accounts.roles import Perm
from silta.casework import selectors as case_selectors
from silta.casework import work_ability
from silta.casework.models import Referral
from silta.catalogue.models import ApplicationReceiver
from silta.core import dates
from silta.reporting.suppression import RULE_TEXT
from silta.web.pages import form_view
from silta.workability import selectors, services
from silta.workability.forms import (
    AppealForm,
    AppealOutcomeForm,
    ApplicationForm,
    BookForm,
    ContentForm,
    DecisionCorrectForm,
    DecisionForm,
    EndForm,
    IdentifyForm,
    InviteForm,
    PeriodForm,
    ResultCorrectForm,
    ResultForm,
)
from silta.workability.models import (
    BenefitApplication,
    DecisionAppeal,
    HealthCheck,
    WorkAbility,
    WorkAbilityResult,
)

_form = partial(form_view, active="work_ability", cancel=True)


def _path_url(client_id: uuid.UUID) -> str:
    return reverse("workability-path", args=[client_id])


@require_perm(Perm.CASEWORK_VIEW)
@require_GET
def client_path(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    data = selectors.client_path_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )
    return render(
        request,
        "workability/path.html",
        {"p": data, "client": data.client, "active": "work_ability", "today": dates.today()},
    )


def _current_reasons(actor, client_id: uuid.UUID) -> list[str]:  # type: ignore[no-untyped-def]
    """The candidate list's reasons for one client, as the list computes them."""
    from silta.accounts.policies import memberships_with
    from silta.clients.models import Client

    memberships = memberships_with(actor, Perm.WORK_ABILITY_LIST)
    if not memberships:
        return []
    facts = case_selectors._facts_for(
        Client.objects.filter(pk=client_id).values("pk"), memberships[0]
    )
    f = facts.get(client_id)
    if f is None:
        return []
    rules = work_ability.default_rules()
    return [r.key for r in work_ability.evaluate(f, rules, dates.today())]


@require_perm(Perm.WORK_ABILITY_LIST)
@require_http_methods(["GET", "POST"])
def identify(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client, _grant = case_selectors.casework_client_for(
        actor=actor, client_id=client_id, perm=Perm.WORK_ABILITY_LIST, path=request.path
    )
    reasons = _current_reasons(actor, client.pk)
    labels = ", ".join(str(work_ability.RULE_LABELS[k]) for k in reasons) or _(
        "No rule fires now; a person may still decide the client needs an assessment."
    )
    return _form(
        request,
        IdentifyForm(request.POST or None),
        lambda d: services.identification_record(actor=actor, client=client, reasons=reasons),
        title=_("Take the client onto the work ability path"),
        back=_path_url(client.pk),
        submit=_("Take onto the path"),
        success=_("The client is on the work ability path."),
        intro=_("Reasons from the list: %(reasons)s") % {"reasons": labels},
        refused_as_404="No such client.",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def result_new(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    referral = Referral.objects.select_related("client").filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such assessment.")
    # 404 unless the client is open to the actor (logged as a form read)
    case_selectors.casework_client_for(actor=actor, client_id=referral.client_id, path=request.path)
    return _form(
        request,
        ResultForm(request.POST or None),
        lambda d: services.result_record(
            actor=actor,
            referral=referral,
            assessed_on=d["assessed_on"],
            work_ability=d["work_ability"],
            duration=d["duration"],
            recommendations=list(d["recommendations"]),
            recommendation_text=d["recommendation_text"],
            statement_kind=d["statement_kind"],
            statement_date=d["statement_date"],
            statement_reference=d["statement_reference"],
        ),
        title=_("Result of the work ability assessment"),
        back=_path_url(referral.client_id),
        submit=_("Save the result"),
        success=_("The result was recorded."),
        intro=_(
            "Health data: seen by the assessing unit's assessors and, on the client's "
            "health consent, by the organisations it names."
        ),
        refused_as_404="No such assessment.",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client, _grant = case_selectors.casework_client_for(
        actor=actor, client_id=client_id, path=request.path
    )
    path_data = selectors.client_path_for(actor=actor, client_id=client.pk)
    results = {str(r.result.pk): r.result for r in path_data.results}
    form = ApplicationForm(
        request.POST or None,
        results=[
            (pk, f"{r.assessed_on:%-d.%-m.%Y} – {WorkAbility(r.work_ability).label}")
            for pk, r in results.items()
        ],
        initial={"applied_on": dates.today()},
    )
    return _form(
        request,
        form,
        lambda d: services.application_record(
            actor=actor,
            client=client,
            kind=d["kind"],
            receiver=ApplicationReceiver.objects.get(pk=d["receiver"]),
            applied_on=d["applied_on"],
            result=results.get(d["result"] or ""),
        ),
        title=_("Record an application"),
        back=_path_url(client.pk),
        submit=_("Save the application"),
        success=_("The application was recorded."),
        refused_as_404="No such client.",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    app = BenefitApplication.objects.filter(pk=application_id).first()
    if app is None:
        raise Http404("No such application.")
    case_selectors.casework_client_for(actor=actor, client_id=app.client_id, path=request.path)
    return _form(
        request,
        DecisionForm(request.POST or None, initial={"version": app.version}),
        lambda d: services.decision_record(
            actor=actor,
            application=app,
            version=d["version"],
            status=d["status"],
            decided_on=d["decided_on"],
            benefit_from=d["benefit_from"],
            benefit_to=d["benefit_to"],
            decision_reference=d["decision_reference"],
        ),
        title=_("Record the decision"),
        back=_path_url(app.client_id),
        submit=_("Save the decision"),
        success=_("The decision was recorded."),
        refused_as_404="No such application.",
    )


def _path_of(request: HttpRequest, client_id: uuid.UUID) -> selectors.ClientPath:
    """The client's path as the actor sees it (404 when the client is not open)."""
    return selectors.client_path_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )


def _client_of(model, pk: uuid.UUID, lookup: str = "client_id") -> uuid.UUID:  # type: ignore[no-untyped-def]
    found = model.objects.filter(pk=pk).values_list(lookup, flat=True).first()
    if found is None:
        raise Http404("No such record.")
    return found  # type: ignore[no-any-return]


# --- correcting a result or a decision; an appeal ---------------------------------


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def result_correct(request: HttpRequest, result_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    data = _path_of(request, _client_of(WorkAbilityResult, result_id))
    view = next((v for v in data.results if v.result.pk == result_id), None)
    if view is None or not view.can_correct:
        raise Http404("No such result.")
    r = view.result
    form = ResultCorrectForm(
        request.POST or None,
        initial={f: getattr(r, f) for f in services.RESULT_FIELDS} | {"version": r.version},
    )
    return _form(
        request,
        form,
        lambda d: services.result_correct(
            actor=actor,
            result=r,
            version=d["version"],
            reason=d["reason"],
            assessed_on=d["assessed_on"],
            work_ability=d["work_ability"],
            duration=d["duration"],
            recommendations=list(d["recommendations"]),
            recommendation_text=d["recommendation_text"],
            statement_kind=d["statement_kind"],
            statement_date=d["statement_date"],
            statement_reference=d["statement_reference"],
        ),
        title=_("Correct the assessment's result"),
        back=_path_url(r.client_id),
        submit=_("Save the correction"),
        success=_("The result was corrected."),
        intro=_("Only the assessing unit corrects its result; the change log keeps both."),
        refused_as_404="No such result.",
    )


def _application_view(request: HttpRequest, application_id: uuid.UUID) -> selectors.ApplicationView:
    data = _path_of(request, _client_of(BenefitApplication, application_id))
    view = next((v for v in data.applications if v.application.pk == application_id), None)
    if view is None or not view.can_decide:
        raise Http404("No such application.")
    return view


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def decision_correct(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    app = _application_view(request, application_id).application
    initial = {
        f: getattr(app, f)
        for f in ("status", "decided_on", "benefit_from", "benefit_to", "decision_reference")
    }
    form = DecisionCorrectForm(request.POST or None, initial=initial | {"version": app.version})
    return _form(
        request,
        form,
        lambda d: services.decision_correct(
            actor=actor,
            application=app,
            version=d["version"],
            reason=d["reason"],
            status=d["status"],
            decided_on=d["decided_on"],
            benefit_from=d["benefit_from"],
            benefit_to=d["benefit_to"],
            decision_reference=d["decision_reference"],
        ),
        title=_("Correct the decision"),
        back=_path_url(app.client_id),
        submit=_("Save the correction"),
        success=_("The decision was corrected."),
        intro=_(
            "Only the organisation that recorded the application corrects its decision; "
            "the change log keeps both."
        ),
        refused_as_404="No such application.",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    app = _application_view(request, application_id).application
    form = AppealForm(
        request.POST or None, initial={"version": app.version, "appealed_on": dates.today()}
    )
    return _form(
        request,
        form,
        lambda d: services.appeal_record(
            actor=actor,
            application=app,
            version=d["version"],
            appealed_on=d["appealed_on"],
            body=d["body"],
            outcome=d["outcome"],
            outcome_on=d["outcome_on"],
        ),
        title=_("Record an appeal of the decision"),
        back=_path_url(app.client_id),
        submit=_("Save the appeal"),
        success=_("The appeal was recorded."),
        intro=_(
            "Kela's decisions are appealed to the Social Security Appeal Board, a pension "
            "provider's to the Earnings-Related Pension Appeal Board, within 30 days of "
            "receiving the decision."
        ),
        refused_as_404="No such application.",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def appeal_outcome(request: HttpRequest, appeal_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    app_id = _client_of(DecisionAppeal, appeal_id, "application_id")
    view = _application_view(request, app_id)
    appeal = next((a for a in view.appeals if a.pk == appeal_id), None)
    if appeal is None:
        raise Http404("No such appeal.")
    form = AppealOutcomeForm(
        request.POST or None,
        initial={
            "outcome": appeal.outcome,
            "outcome_on": appeal.outcome_on,
            "version": appeal.version,
        },
    )
    return _form(
        request,
        form,
        lambda d: services.appeal_outcome_record(
            actor=actor,
            appeal=appeal,
            version=d["version"],
            outcome=d["outcome"],
            outcome_on=d["outcome_on"],
        ),
        title=_("Outcome of the appeal"),
        back=_path_url(view.application.client_id),
        submit=_("Save the outcome"),
        success=_("The appeal's outcome was recorded."),
        intro=_(
            "When the decision was changed in the client's favour, correct the "
            "application's decision too."
        ),
        refused_as_404="No such appeal.",
    )


# --- unemployed health checks ----------------------------------------------------


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def health_check_invite(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    data = _path_of(request, client_id)
    if not data.can_invite:
        raise Http404("No such client.")
    return _form(
        request,
        InviteForm(request.POST or None, initial={"invited_on": dates.today()}),
        lambda d: services.health_check_invite(
            actor=actor, client=data.client, invited_on=d["invited_on"], channel=d["channel"]
        ),
        title=_("Invite to an unemployed health check"),
        back=_path_url(client_id),
        submit=_("Save the invitation"),
        success=_("The invitation was recorded."),
        refused_as_404="No such client.",
    )


def _check_view(request: HttpRequest, check_id: uuid.UUID, need: str) -> selectors.HealthCheckView:
    data = _path_of(request, _client_of(HealthCheck, check_id))
    view = next((v for v in data.checks if v.check.pk == check_id), None)
    if view is None or not getattr(view, need):
        raise Http404("No such health check.")
    return view


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def health_check_book(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    check = _check_view(request, check_id, "can_handle").check
    form = BookForm(
        request.POST or None,
        initial={"version": check.version, "booked_at": check.booked_at, "unit": check.unit},
    )
    return _form(
        request,
        form,
        lambda d: services.health_check_book(
            actor=actor,
            check=check,
            version=d["version"],
            booked_at=d["booked_at"],
            unit=d["unit"],
        ),
        title=_("Book the health check"),
        back=_path_url(check.client_id),
        submit=_("Save the time"),
        success=_("The time was booked."),
        refused_as_404="No such health check.",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def health_check_end(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    check = _check_view(request, check_id, "can_handle").check
    form = EndForm(request.POST or None, initial={"version": check.version, "on": dates.today()})
    return _form(
        request,
        form,
        lambda d: services.health_check_end(
            actor=actor, check=check, version=d["version"], status=d["status"], on=d["on"]
        ),
        title=_("The client did not come or declined"),
        back=_path_url(check.client_id),
        submit=_("Save"),
        success=_("The health check was ended."),
        refused_as_404="No such health check.",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def health_check_content(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    check = _check_view(request, check_id, "can_record_content").check
    form = ContentForm(
        request.POST or None, initial={"version": check.version, "checked_on": dates.today()}
    )
    return _form(
        request,
        form,
        lambda d: services.health_check_content_record(
            actor=actor,
            check=check,
            version=d["version"],
            checked_on=d["checked_on"],
            health=d["health"],
            work_capacity=d["work_capacity"],
            functional_capacity=d["functional_capacity"],
            rehabilitation_need=d["rehabilitation_need"],
            onward=list(d["onward"]),
            summary=d["summary"],
        ),
        title=_("Record the health check"),
        back=_path_url(check.client_id),
        submit=_("Save the health check"),
        success=_("The health check was recorded."),
        intro=_(
            "Health data of the checking unit: seen by its health professionals and, on "
            "the client's health consent, by the organisations it names."
        ),
        refused_as_404="No such health check.",
    )


@require_perm(Perm.CASEWORK_VIEW)
@require_GET
def health_check_targets(request: HttpRequest) -> HttpResponse:
    rows = selectors.health_check_targets_for(
        actor=acting_user(request), path=request.get_full_path()
    )
    overdue = selectors.overdue_applications_for(actor=acting_user(request), path=request.path)
    return render(
        request,
        "workability/targets.html",
        {"rows": rows, "overdue": overdue, "active": "work_ability"},
    )


@require_perm(Perm.STATISTICS_VIEW, Perm.WORK_ABILITY_LIST)
@require_GET
def path_statistics(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    asked = "first" in request.GET or "last" in request.GET
    form = PeriodForm(
        request.GET if asked else None,
        initial={"first": dt.date(today.year, 1, 1), "last": today},
    )
    first, last = dt.date(today.year, 1, 1), today
    status = 200
    if asked:
        if form.is_valid():
            first, last = form.cleaned_data["first"], form.cleaned_data["last"]
        else:
            status = 400
    stats = selectors.path_statistics(first, last)
    coverage = selectors.health_check_coverage(min(last, today))
    rows = [(m, stats.counts[i], stats.medians[i]) for i, m in enumerate(stats.municipalities)]
    return render(
        request,
        "workability/statistics.html",
        {
            "form": form,
            "stats": stats,
            "rows": rows,
            "coverage": coverage,
            "rule_text": RULE_TEXT,
            "active": "path_statistics"
            if can(request.user, Perm.STATISTICS_VIEW)
            else "work_ability",
        },
        status=status,
    )
