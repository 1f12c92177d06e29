"""IPS pages: thin views over the selectors and services. Someone else's episode
answers 404; forms show coded errors next to the fields and save nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.models import User
from silta.accounts.roles import Perm
from silta.core import dates
from silta.ips import forms as f
from silta.ips import selectors, services
from silta.ips.models import EpisodeStatus, OpportunityStatus
from silta.ips.policies import can_edit_employers
from silta.reporting.suppression import HIDDEN, RULE_TEXT
from silta.web.pages import form_view, list_view, page, post_action, save_form

_form = partial(form_view, active="ips")


def _episode_url(episode_id: uuid.UUID) -> str:
    return reverse("ips-episode", args=[episode_id])


def _employer_url(employer_id: uuid.UUID) -> str:
    return reverse("ips-employer", args=[employer_id])


# --- episodes ------------------------------------------------------------------------


@require_perm(Perm.IPS_COACH)
@require_GET
def episode_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    return list_view(
        request,
        "ips/episodes.html",
        f.EpisodeSearchForm(request.GET or None),
        lambda d: selectors.episode_list_for(
            actor=actor,
            search=selectors.EpisodeSearch(
                text=d.get("q") or "", show=d.get("show") or "open", page=d.get("page") or 1
            ),
            path=request.get_full_path(),
        ),
        context={
            "title": _("My IPS clients"),
            "to_take": selectors.referrals_to_take_for(actor=actor, path=request.get_full_path()),
            "active": "ips",
        },
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def episode_new(request: HttpRequest) -> HttpResponse:
    """An intake recorded with the client present, of a client the coach may already
    see. Typing an identity code never opens a client (issue 13)."""
    actor = acting_user(request)
    today = dates.today()
    form = f.IntakeForm(
        request.POST or None, initial={"referred_on": today, "intake_met_on": today}
    )

    def refer(d: dict[str, Any]) -> Any:
        client = selectors.client_for_intake(
            actor=actor, personal_id=d["personal_id"], path=request.path
        )
        return services.episode_refer(
            actor=actor,
            client=client,
            referred_on=d["referred_on"],
            referring_unit=d["referring_unit"],
            job_interests=d["job_interests"],
            intake_met_on=d["intake_met_on"],
            intake_in_person=d["intake_in_person"],
        )

    return _form(
        request,
        form,
        refer,
        title=_("Intake into IPS coaching"),
        back=reverse("ips-episodes"),
        submit=_("Take into coaching"),
        success=_("The client was taken into IPS coaching."),
        then=lambda episode: _episode_url(episode.pk),
        error_fields={"client": "personal_id"},
        intro=_(
            "Record an intake when you meet a client you already work with. Referrals "
            "from other units come through the referral inbox. You become the client's "
            "coach, and only you see the client."
        ),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def episode_from_referral(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """Take a case-work referral the IPS unit has accepted into coaching."""
    actor = acting_user(request)
    referral = selectors.referral_to_take(actor=actor, referral_id=referral_id, path=request.path)
    form = f.TakeReferralForm(
        request.POST or None,
        initial={
            "referred_on": referral.sent_at.astimezone(dates.HELSINKI).date(),
            "referring_unit": referral.from_organisation.name,
        },
    )
    client = referral.client
    return _form(
        request,
        form,
        lambda d: services.episode_refer(actor=actor, client=client, referral=referral, **d),
        title=_("Take into IPS coaching: %(name)s")
        % {"name": f"{client.last_name}, {client.first_names}"},
        back=reverse("ips-episodes"),
        submit=_("Take into coaching"),
        success=_("The client was taken into IPS coaching."),
        then=lambda episode: _episode_url(episode.pk),
        intro=_("The referral's reason: %(reason)s") % {"reason": referral.reason or "–"}
        + "\n"
        + _("You become the client's coach."),
    )


@require_perm(Perm.IPS_COACH, Perm.IPS_SUPERVISE)
@require_GET
def episode_detail(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    view = selectors.episode_get_for(
        actor=acting_user(request), episode_id=episode_id, path=request.path
    )
    e = view.episode
    return page(
        request,
        "ips/episode.html",
        title=f"{_('IPS coaching')}: {e.client.last_name}, {e.client.first_names}",
        back=reverse("ips-unit") if view.supervised else reverse("ips-episodes"),
        back_label=_("The unit's coaching") if view.supervised else _("My IPS clients"),
        view=view,
        e=e,
        S=EpisodeStatus,
        active="ips",
    )


def _episode_form(
    request: HttpRequest,
    episode_id: uuid.UUID,
    *,
    make: Callable[..., forms.Form],
    call: Callable[[User, Any, dict[str, Any]], Any],
    title: str,
    submit: str,
    success: str,
    done: str = "",
) -> HttpResponse:
    actor = acting_user(request)
    episode = selectors.episode_for_action(actor=actor, episode_id=episode_id, path=request.path)
    name = f"{episode.client.last_name}, {episode.client.first_names}"
    return _form(
        request,
        make(request.POST or None, episode),
        lambda d: call(actor, episode, d),
        title=f"{title}: {name}",
        back=_episode_url(episode.pk),
        submit=submit,
        success=success,
        then=done or None,
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def episode_start(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    return _episode_form(
        request,
        episode_id,
        make=lambda data, e: f.StartForm(
            data, initial={"started_on": dates.today(), "version": e.version}
        ),
        call=lambda actor, e, d: services.episode_start(actor=actor, episode=e, **d),
        title=_("Start coaching"),
        submit=_("Start coaching"),
        success=_("The coaching started."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def episode_interests(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    return _episode_form(
        request,
        episode_id,
        make=lambda data, e: f.InterestsForm(
            data, initial={"job_interests": e.job_interests, "version": e.version}
        ),
        call=lambda actor, e, d: services.episode_interests_update(actor=actor, episode=e, **d),
        title=_("Job interests"),
        submit=_("Save"),
        success=_("The job interests were saved."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    return _episode_form(
        request,
        episode_id,
        make=lambda data, e: f.StepForm(data, initial={"on": dates.today()}),
        call=lambda actor, e, d: services.step_add(actor=actor, episode=e, **d),
        title=_("Job-search step"),
        submit=_("Record the step"),
        success=_("The step was recorded."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def placement_new(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    employers = selectors.employer_choices(actor=actor)
    return _episode_form(
        request,
        episode_id,
        make=lambda data, e: f.PlacementForm(
            data, employers=employers, initial={"start_on": dates.today(), "open_market": True}
        ),
        call=lambda actor, e, d: services.placement_add(actor=actor, episode=e, **d),
        title=_("Job"),
        submit=_("Record the job"),
        success=_("The job was recorded."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def support_new(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    return _episode_form(
        request,
        episode_id,
        make=lambda data, e: f.SupportForm(
            data,
            placements=e.placements.select_related("employer"),
            initial={"on": dates.today()},
        ),
        call=lambda actor, e, d: services.support_add(actor=actor, episode=e, **d),
        title=_("Support during employment"),
        submit=_("Record the support"),
        success=_("The support was recorded."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def episode_end(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    return _episode_form(
        request,
        episode_id,
        make=lambda data, e: f.EndForm(
            data, initial={"ended_on": dates.today(), "version": e.version}
        ),
        call=lambda actor, e, d: services.episode_end(actor=actor, episode=e, **d),
        title=_("End the coaching"),
        submit=_("End the coaching"),
        success=_("The coaching ended."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def episode_hand_over(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    return _episode_form(
        request,
        episode_id,
        make=lambda data, e: f.HandOverForm(data, e, initial={"version": e.version}),
        call=lambda actor, e, d: services.episode_hand_over(actor=actor, episode=e, **d),
        title=_("Hand the coaching over"),
        submit=_("Hand over"),
        success=_("The coaching was handed over. Only the new coach sees it from now on."),
        done=reverse("ips-episodes"),
    )


# --- the supervisor of an IPS unit (ADR 0028) ----------------------------------------


@require_perm(Perm.IPS_SUPERVISE)
@require_GET
def unit(request: HttpRequest) -> HttpResponse:
    """The open coaching of the units the supervisor supervises, by coach; logged."""
    episodes = selectors.unit_episodes_for(actor=acting_user(request), path=request.path)
    return page(
        request,
        "ips/unit.html",
        title=_("The unit's coaching"),
        episodes=episodes,
        S=EpisodeStatus,
        active="ips_unit",
    )


@require_perm(Perm.IPS_SUPERVISE)
@require_http_methods(["GET", "POST"])
def unit_reassign(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """The supervisor moves one client's open coaching to another coach of the unit:
    a form with a confirmation; errors next to the fields, nothing saved on error."""
    actor = acting_user(request)
    episode = selectors.episode_for_reassign(actor=actor, episode_id=episode_id, path=request.path)
    name = f"{episode.client.last_name}, {episode.client.first_names}"
    form = f.UnitReassignForm(request.POST or None, episode, initial={"version": episode.version})

    def move(d: dict[str, Any]) -> Any:
        to_coach = User.objects.filter(pk=d["to_coach"]).first()
        return services.episode_reassign_in_unit(
            actor=actor,
            episode=episode,
            to_coach=to_coach,
            reason=d["reason"],
            version=d["version"],
        )

    return _form(
        request,
        form,
        move,
        title=_("Move the coaching to another coach: %(name)s") % {"name": name},
        back=reverse("ips-unit"),
        submit=_("Move the coaching"),
        success=lambda e: (
            _("The coaching moved to %(coach)s.") % {"coach": f._coach_label(e.coach)}
        ),
        then=reverse("ips-unit"),
        intro=_(
            "Now coached by %(coach)s. The new coach sees the client from now on, and the "
            "current coach no longer does."
        )
        % {"coach": f._coach_label(episode.coach)},
    )


@require_perm(Perm.IPS_REASSIGN)
@require_http_methods(["GET", "POST"])
def coaches(request: HttpRequest) -> HttpResponse:
    """Administrators: the coaches and their open episodes; move a departing coach's
    episodes to another coach."""
    actor = acting_user(request)
    rows = selectors.coach_overview_for(actor=actor)
    form = f.ReassignForm(request.POST or None, holders=selectors.coaches_with_open_episodes())
    response, status = save_form(
        request,
        form,
        lambda d: services.episodes_reassign(
            actor=actor, **{k: v for k, v in d.items() if k != "confirm"}
        ),
        success=lambda moved: (
            ngettext(
                "%(n)s open episode moved to %(name)s.",
                "%(n)s open episodes moved to %(name)s.",
                moved,
            )
            % {"n": moved, "name": f._coach_label(form.cleaned_data["to_coach"])}
        ),
        then=reverse("ips-coaches"),
    )
    if response is not None:
        return response
    return page(
        request,
        "ips/coaches.html",
        title=_("IPS coaches"),
        http_status=status,
        rows=rows,
        form=form,
        active="ips_coaches",
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def placement_end(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    placement = selectors.placement_for_action(
        actor=actor, placement_id=placement_id, path=request.path
    )
    return _form(
        request,
        f.PlacementEndForm(request.POST or None, initial={"end_on": dates.today()}),
        lambda d: services.placement_end(actor=actor, placement=placement, **d),
        title=_("The job ended: %(job)s, %(employer)s")
        % {"job": placement.job_title, "employer": placement.employer.name},
        back=_episode_url(placement.episode_id),
        submit=_("Record the end"),
        success=_("The end of the job was recorded."),
    )


# --- employers -----------------------------------------------------------------------


@require_perm(Perm.IPS_VIEW)
@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)

    def search(d: dict[str, Any]) -> Any:
        municipality = d.get("municipality")
        return selectors.employer_search_for(
            actor=actor,
            search=selectors.EmployerSearch(
                text=d.get("q") or "",
                sector=d.get("sector") or "",
                municipality_code=municipality.code if municipality else "",
                page=d.get("page") or 1,
            ),
        )

    return list_view(
        request,
        "ips/employers.html",
        f.EmployerSearchForm(request.GET or None),
        search,
        context={
            "title": _("Employers"),
            "can_edit": can_edit_employers(actor),
            "active": "ips_employers",
        },
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def employer_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    return _form(
        request,
        f.EmployerForm(request.POST or None),
        lambda d: services.employer_create(actor=actor, **d),
        title=_("Register an employer"),
        back=reverse("ips-employers"),
        submit=_("Register the employer"),
        success=_("The employer was registered."),
        then=lambda employer: _employer_url(employer.pk),
    )


@require_perm(Perm.IPS_VIEW)
@require_GET
def employer_detail(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    employer = selectors.employer_get_for(actor=actor, employer_id=employer_id)
    return page(
        request,
        "ips/employer.html",
        title=employer.name,
        back=reverse("ips-employers"),
        back_label=_("Employers"),
        employer=employer,
        can_edit=can_edit_employers(actor),
        status_choices=OpportunityStatus.choices,
        active="ips_employers",
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def employer_edit(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    employer = selectors.employer_get_for(actor=actor, employer_id=employer_id)
    form = f.EmployerEditForm(
        request.POST or None,
        initial={
            "name": employer.name,
            "business_id": employer.business_id,
            "sector": employer.sector,
            "municipality": employer.municipality,
            "address": employer.address,
            "notes": employer.notes,
            "version": employer.version,
        },
    )
    return _form(
        request,
        form,
        lambda d: services.employer_update(actor=actor, employer=employer, **d),
        title=_("Edit: %(name)s") % {"name": employer.name},
        back=_employer_url(employer.pk),
        submit=_("Save"),
        success=_("The employer was saved."),
    )


def _employer_form(
    request: HttpRequest,
    employer_id: uuid.UUID,
    *,
    form: forms.Form,
    call: Callable[[User, Any, dict[str, Any]], Any],
    title: str,
    submit: str,
    success: str,
) -> HttpResponse:
    actor = acting_user(request)
    employer = selectors.employer_get_for(actor=actor, employer_id=employer_id)
    return _form(
        request,
        form,
        lambda d: call(actor, employer, d),
        title=f"{title}: {employer.name}",
        back=_employer_url(employer.pk),
        submit=submit,
        success=success,
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def contact_person_new(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    return _employer_form(
        request,
        employer_id,
        form=f.ContactPersonForm(request.POST or None),
        call=lambda actor, emp, d: services.contact_person_add(actor=actor, employer=emp, **d),
        title=_("Contact person"),
        submit=_("Add the contact person"),
        success=_("The contact person was added."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def employer_contact_new(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    return _employer_form(
        request,
        employer_id,
        form=f.EmployerContactForm(request.POST or None, initial={"on": dates.today()}),
        call=lambda actor, emp, d: services.employer_contact_add(actor=actor, employer=emp, **d),
        title=_("Contact with the employer"),
        submit=_("Record the contact"),
        success=_("The contact was recorded."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    return _employer_form(
        request,
        employer_id,
        form=f.OpportunityForm(request.POST or None, initial={"noted_on": dates.today()}),
        call=lambda actor, emp, d: services.opportunity_add(actor=actor, employer=emp, **d),
        title=_("Job opportunity"),
        submit=_("Add the job opportunity"),
        success=_("The job opportunity was added."),
    )


@require_perm(Perm.IPS_COACH)
@require_http_methods(["GET", "POST"])
def adjustment_new(request: HttpRequest, employer_id: uuid.UUID) -> HttpResponse:
    return _employer_form(
        request,
        employer_id,
        form=f.AdjustmentForm(request.POST or None, initial={"agreed_on": dates.today()}),
        call=lambda actor, emp, d: services.adjustment_add(actor=actor, employer=emp, **d),
        title=_("Adjustment agreed"),
        submit=_("Record the adjustment"),
        success=_("The adjustment was recorded."),
    )


@require_perm(Perm.IPS_COACH)
@require_POST
def opportunity_status(request: HttpRequest, opportunity_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    opportunity = selectors.opportunity_for_action(actor=actor, opportunity_id=opportunity_id)
    return post_action(
        request,
        f.OpportunityStatusForm(request.POST),
        lambda d: services.opportunity_set_status(
            actor=actor, opportunity=opportunity, status=d["status"]
        ),
        then=_employer_url(opportunity.employer_id),
        success=_("The status of the job opportunity was saved."),
        invalid=_("Choose the status of the job opportunity."),
    )


# --- results -------------------------------------------------------------------------


@require_perm(Perm.IPS_RESULTS)
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)

    def report(d: dict[str, Any]) -> Any:
        as_of = d.get("as_of")
        if as_of is not None and as_of > dates.today():
            raise ValidationError({"as_of": _("The date cannot be in the future.")})
        return selectors.results_for(actor=actor, year=d.get("year"), as_of=as_of)

    return list_view(
        request,
        "ips/results.html",
        f.ResultsForm(request.GET or None, years=selectors.result_years()),
        report,
        result_name="report",
        context={
            "title": _("IPS results"),
            "hidden": HIDDEN,
            "rule": RULE_TEXT,
            "active": "ips_results",
        },
    )
