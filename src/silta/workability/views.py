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
    ApplicationForm,
    DecisionForm,
    IdentifyForm,
    PeriodForm,
    ResultForm,
)
from silta.workability.models import BenefitApplication, WorkAbility

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
            "active": "work_ability",
        },
        status=status,
    )
