"""Council initiative pages: thin views over the selectors and services. What the
actor may not see answers 404; forms show errors next to the fields; a refused status
move is a message on the initiative's page and nothing is saved."""

from __future__ import annotations

import uuid
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.catalogue.forms import run_service_for_form as _run
from silta.core import dates
from silta.initiatives import forms as f
from silta.initiatives import selectors, services
from silta.initiatives.models import InitiativeStatus
from silta.web.pages import form_page

_form_page = partial(form_page, active="initiatives")


@require_perm(Perm.INITIATIVE_VIEW)
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "initiatives/list.html",
        {
            "rows": selectors.initiative_list_for(actor=actor, open_only=not show_all),
            "show_all": show_all,
            "can_register": selectors.managed_organisations(actor=actor).exists(),
            "active": "initiatives",
        },
    )


@require_perm(Perm.INITIATIVE_MANAGE)
@require_http_methods(["GET", "POST"])
def initiative_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    form = f.InitiativeForm(
        request.POST or None,
        organisations=selectors.managed_organisations(actor=actor),
        initial={"submitted_on": dates.today()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            initiative, status = _run(
                form, lambda: services.initiative_submit(actor=actor, **form.cleaned_data)
            )
            if initiative is not None:
                messages.success(request, _("The initiative was registered."))
                return HttpResponseRedirect(reverse("initiative-detail", args=[initiative.pk]))
    return _form_page(
        request,
        form,
        title=_("Register a council initiative"),
        back=reverse("initiative-list"),
        submit=_("Register the initiative"),
        status=status,
    )


@require_perm(Perm.INITIATIVE_VIEW)
@require_GET
def initiative_detail(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    view = selectors.initiative_get_for(actor=acting_user(request), initiative_id=initiative_id)
    return render(
        request,
        "initiatives/detail.html",
        {
            "view": view,
            "i": view.initiative,
            "S": InitiativeStatus,
            "figures_form": f.FiguresForm(initial={"year": dates.today().year - 1}),
            "active": "initiatives",
        },
    )


@require_perm(Perm.INITIATIVE_MANAGE)
@require_http_methods(["GET", "POST"])
def initiative_preparation(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    initiative = selectors.initiative_for_action(actor=actor, initiative_id=initiative_id)
    form = f.PreparationForm(
        request.POST or None,
        candidates=selectors.preparer_candidates(initiative=initiative),
        initial={"on": dates.today()},
    )
    back = reverse("initiative-detail", args=[initiative.pk])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            done, status = _run(
                form,
                lambda: services.initiative_send_to_preparation(
                    actor=actor,
                    initiative=initiative,
                    preparers=[(u, "") for u in d["preparers"]],
                    deadline=d["deadline"],
                    on=d["on"],
                ),
            )
            if done is not None:
                messages.success(request, _("The initiative was sent for preparation."))
                return HttpResponseRedirect(back)
    return _form_page(
        request,
        form,
        title=_("Send for preparation: %(title)s") % {"title": initiative.title},
        back=back,
        submit=_("Send for preparation"),
        status=status,
    )


@require_perm(Perm.INITIATIVE_VIEW)
@require_http_methods(["GET", "POST"])
def initiative_answer(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    initiative = selectors.initiative_for_action(actor=actor, initiative_id=initiative_id)
    form = f.AnswerForm(
        request.POST or None,
        initial={"answer": initiative.answer, "version": initiative.version},
    )
    back = reverse("initiative-detail", args=[initiative.pk])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            done, status = _run(
                form,
                lambda: services.initiative_answer_write(
                    actor=actor,
                    initiative=initiative,
                    answer=form.cleaned_data["answer"],
                    version=form.cleaned_data["version"],
                ),
            )
            if done is not None:
                messages.success(request, _("The answer was saved."))
                return HttpResponseRedirect(back)
    return _form_page(
        request,
        form,
        title=_("Answer: %(title)s") % {"title": initiative.title},
        back=back,
        submit=_("Save the answer"),
        status=status,
    )


@require_perm(Perm.INITIATIVE_VIEW)
@require_POST
def initiative_figures(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    initiative = selectors.initiative_for_action(actor=actor, initiative_id=initiative_id)
    form = f.FiguresForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_figures_pull(
                actor=actor, initiative=initiative, year=form.cleaned_data["year"]
            )
            messages.success(request, _("The figures were added to the answer."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give the year of the figures."))
    return HttpResponseRedirect(reverse("initiative-detail", args=[initiative.pk]))


def _decision_page(request: HttpRequest, initiative_id: uuid.UUID, *, board: bool) -> HttpResponse:
    actor = acting_user(request)
    initiative = selectors.initiative_for_action(actor=actor, initiative_id=initiative_id)
    form = f.DecisionForm(request.POST or None, initial={"meeting_on": dates.today()})
    back = reverse("initiative-detail", args=[initiative.pk])
    record = services.initiative_board_answer if board else services.initiative_council_note
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            done, status = _run(
                form, lambda: record(actor=actor, initiative=initiative, **form.cleaned_data)
            )
            if done is not None:
                messages.success(
                    request,
                    _("The board's answer was recorded.")
                    if board
                    else _("The initiative was declared handled."),
                )
                return HttpResponseRedirect(back)
    if board:
        title = _("The board's answer: %(title)s") % {"title": initiative.title}
        submit = _("Record the board's answer")
    else:
        title = _("The council notes the answer: %(title)s") % {"title": initiative.title}
        submit = _("Declare the initiative handled")
    return _form_page(request, form, title=title, back=back, submit=submit, status=status)


@require_perm(Perm.INITIATIVE_MANAGE)
@require_http_methods(["GET", "POST"])
def initiative_board(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    return _decision_page(request, initiative_id, board=True)


@require_perm(Perm.INITIATIVE_MANAGE)
@require_http_methods(["GET", "POST"])
def initiative_council(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    return _decision_page(request, initiative_id, board=False)
