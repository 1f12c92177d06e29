"""Council initiative pages: thin views over the selectors and services. What the
actor may not see answers 404; forms show errors next to the fields; a refused status
move is a message on the initiative's page and nothing is saved."""

from __future__ import annotations

import uuid
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.core import dates
from silta.initiatives import forms as f
from silta.initiatives import selectors, services
from silta.initiatives.models import InitiativeStatus
from silta.initiatives.policies import can_prepare, initiative_manager
from silta.web.pages import form_view, page, post_action

_form = partial(form_view, active="initiatives")


def _detail(initiative_id: uuid.UUID) -> str:
    return reverse("initiative-detail", args=[initiative_id])


@require_perm(Perm.INITIATIVE_VIEW)
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    show_all = request.GET.get("all") == "1"
    return page(
        request,
        "initiatives/list.html",
        title=_("Council initiatives"),
        rows=selectors.initiative_list_for(actor=actor, open_only=not show_all),
        show_all=show_all,
        can_register=selectors.managed_organisations(actor=actor).exists(),
        active="initiatives",
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
    return _form(
        request,
        form,
        lambda d: services.initiative_submit(actor=actor, **d),
        title=_("Register a council initiative"),
        back=reverse("initiative-list"),
        submit=_("Register the initiative"),
        success=_("The initiative was registered."),
        then=lambda initiative: _detail(initiative.pk),
    )


@require_perm(Perm.INITIATIVE_VIEW)
@require_GET
def initiative_detail(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    view = selectors.initiative_get_for(actor=acting_user(request), initiative_id=initiative_id)
    return page(
        request,
        "initiatives/detail.html",
        title=view.initiative.title,
        back=reverse("initiative-list"),
        back_label=_("Council initiatives"),
        view=view,
        i=view.initiative,
        S=InitiativeStatus,
        figures_form=f.FiguresForm(initial={"year": dates.today().year - 1}),
        active="initiatives",
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
    return _form(
        request,
        form,
        lambda d: services.initiative_send_to_preparation(
            actor=actor,
            initiative=initiative,
            preparers=[(u, "") for u in d["preparers"]],
            deadline=d["deadline"],
            on=d["on"],
        ),
        title=_("Send for preparation: %(title)s") % {"title": initiative.title},
        back=_detail(initiative.pk),
        submit=_("Send for preparation"),
        success=_("The initiative was sent for preparation."),
        may=lambda: initiative_manager(actor, initiative) is not None,
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
    return _form(
        request,
        form,
        lambda d: services.initiative_answer_write(
            actor=actor, initiative=initiative, answer=d["answer"], version=d["version"]
        ),
        title=_("Answer: %(title)s") % {"title": initiative.title},
        back=_detail(initiative.pk),
        submit=_("Save the answer"),
        success=_("The answer was saved."),
        may=lambda: can_prepare(actor, initiative),
    )


@require_perm(Perm.INITIATIVE_VIEW)
@require_POST
def initiative_figures(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    initiative = selectors.initiative_for_action(actor=actor, initiative_id=initiative_id)
    return post_action(
        request,
        f.FiguresForm(request.POST),
        lambda d: services.initiative_figures_pull(
            actor=actor, initiative=initiative, year=d["year"]
        ),
        then=_detail(initiative.pk),
        success=_("The figures were added to the answer."),
        invalid=_("Give the year of the figures."),
    )


def _decision_page(request: HttpRequest, initiative_id: uuid.UUID, *, board: bool) -> HttpResponse:
    actor = acting_user(request)
    initiative = selectors.initiative_for_action(actor=actor, initiative_id=initiative_id)
    form = f.DecisionForm(request.POST or None, initial={"meeting_on": dates.today()})
    record = services.initiative_board_answer if board else services.initiative_council_note
    if board:
        title = _("The board's answer: %(title)s") % {"title": initiative.title}
        submit, success = _("Record the board's answer"), _("The board's answer was recorded.")
    else:
        title = _("The council notes the answer: %(title)s") % {"title": initiative.title}
        submit = _("Declare the initiative handled")
        success = _("The initiative was declared handled.")
    return _form(
        request,
        form,
        lambda d: record(actor=actor, initiative=initiative, **d),
        title=title,
        back=_detail(initiative.pk),
        submit=submit,
        success=success,
        may=lambda: initiative_manager(actor, initiative) is not None,
    )


@require_perm(Perm.INITIATIVE_MANAGE)
@require_http_methods(["GET", "POST"])
def initiative_board(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    return _decision_page(request, initiative_id, board=True)


@require_perm(Perm.INITIATIVE_MANAGE)
@require_http_methods(["GET", "POST"])
def initiative_council(request: HttpRequest, initiative_id: uuid.UUID) -> HttpResponse:
    return _decision_page(request, initiative_id, board=False)
