"""Integration service pages: thin views over the selectors and services. A client the
actor does not work with answers 404; an organisation the integration act does not
make an organiser answers 403; form errors are next to the fields; a stale edit
answers 409 and saves nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silta.accounts.decorators import acting_user, require_perm
from silta.accounts.roles import Perm
from silta.core import dates
from silta.integration import forms as f
from silta.integration import rules, selectors, services
from silta.integration.models import AppointmentInterpreting, LanguageProfile
from silta.web.pages import form_view


def _file_url(client_id: uuid.UUID) -> str:
    return reverse("integration-client", args=[client_id])


@require_perm(Perm.CASEWORK_VIEW)
@require_GET
def integration_client(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    file = selectors.integration_file_for(
        actor=acting_user(request), client_id=client_id, path=request.path
    )
    return render(
        request,
        "integration/client.html",
        {
            "file": file,
            "client": file.client,
            "law": rules,
            "sections": rules.SECTIONS,
            "deadline_days": rules.ASSESSMENT_DEADLINE_DAYS,
        },
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def language_profile_edit(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = selectors.integration_client_for(actor=actor, client_id=client_id, path=request.path)
    profile = LanguageProfile.objects.filter(client=client).first()
    initial: dict[str, object] = {"version": 0}
    if profile is not None:
        initial = {
            "mother_tongue": profile.mother_tongue,
            "other_languages": profile.other_languages,
            "interpreter_needed": profile.interpreter_needed,
            "interpreter_language": profile.interpreter_language,
            "arrived_on": profile.arrived_on,
            "integration_client_since": profile.integration_client_since,
            "in_programme": profile.in_programme,
            "version": profile.version,
        }
    form = f.LanguageProfileForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        lambda d: services.language_profile_save(
            actor=actor,
            client=client,
            mother_tongue=d["mother_tongue"],
            other_languages=d["other_languages"],
            interpreter_needed=d["interpreter_needed"],
            interpreter_language=d["interpreter_language"],
            arrived_on=d["arrived_on"],
            integration_client_since=d["integration_client_since"],
            in_programme=d["in_programme"],
            version=d["version"],
        ),
        title=_("Languages and arrival: %(name)s") % {"name": str(client)},
        back=_file_url(client.pk),
        submit=_("Save"),
        success=_("The languages were saved."),
        then=_file_url(client.pk),
        active="caseload",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def initial_assessment_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = selectors.integration_client_for(actor=actor, client_id=client_id, path=request.path)
    profile = LanguageProfile.objects.filter(client=client).first()
    form = f.InitialAssessmentForm(
        request.POST or None,
        initial={
            "assessed_on": dates.today(),
            "client_since": profile.integration_client_since if profile else None,
            "interpreter_used": bool(profile and profile.interpreter_needed),
        },
    )
    return form_view(
        request,
        form,
        lambda d: services.initial_assessment_sign(actor=actor, client=client, **d),
        title=_("Initial assessment: %(name)s") % {"name": str(client)},
        intro=_("Competence and integration service need, %(law)s.")
        % {"law": rules.cite("initial_assessment")},
        back=_file_url(client.pk),
        submit=_("Sign the assessment"),
        success=_("The initial assessment was signed."),
        then=_file_url(client.pk),
        active="caseload",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def integration_plan_new(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    client = selectors.integration_client_for(actor=actor, client_id=client_id, path=request.path)
    today = dates.today()
    profile = LanguageProfile.objects.filter(client=client).first()
    form = f.IntegrationPlanForm(
        request.POST or None,
        initial={
            "starts_on": today,
            "ends_on": rules.add_months(today, rules.PLAN_MAX_MONTHS) - dt.timedelta(days=1),
            "interpreter_used": bool(profile and profile.interpreter_needed),
        },
    )
    return form_view(
        request,
        form,
        lambda d: services.integration_plan_create(actor=actor, client=client, **d),
        title=_("Integration plan: %(name)s") % {"name": str(client)},
        intro=_("Integration plan (%(law)s); one plan covers at most %(months)s months.")
        % {"law": rules.cite("plan"), "months": rules.PLAN_MAX_MONTHS},
        back=_file_url(client.pk),
        submit=_("Save the plan"),
        success=_("The integration plan was saved."),
        then=_file_url(client.pk),
        active="caseload",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def integration_plan_review(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    plan = selectors.plan_for_action(actor=actor, plan_id=plan_id)
    selectors.integration_client_for(actor=actor, client_id=plan.client_id, path=request.path)
    form = f.PlanReviewForm(
        request.POST or None, initial={"reviewed_on": dates.today(), "version": plan.version}
    )
    return form_view(
        request,
        form,
        lambda d: services.integration_plan_review(
            actor=actor,
            plan=plan,
            version=d["version"],
            reviewed_on=d["reviewed_on"],
            note=d["note"],
            ends_on=d["ends_on"],
        ),
        title=_("Review of the integration plan"),
        intro=rules.cite("plan_review"),
        back=_file_url(plan.client_id),
        submit=_("Save the review"),
        success=_("The review was saved."),
        then=_file_url(plan.client_id),
        active="caseload",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def integration_plan_close(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    plan = selectors.plan_for_action(actor=actor, plan_id=plan_id)
    selectors.integration_client_for(actor=actor, client_id=plan.client_id, path=request.path)
    form = f.PlanCloseForm(
        request.POST or None, initial={"closed_on": dates.today(), "version": plan.version}
    )
    return form_view(
        request,
        form,
        lambda d: services.integration_plan_close(actor=actor, plan=plan, **d),
        title=_("Close the integration plan"),
        back=_file_url(plan.client_id),
        submit=_("Close the plan"),
        success=_("The integration plan was closed."),
        then=_file_url(plan.client_id),
        active="caseload",
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def appointment_interpreting(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    appointment = selectors.appointment_for_action(actor=actor, appointment_id=appointment_id)
    client = selectors.integration_client_for(
        actor=actor, client_id=appointment.client_id, path=request.path
    )
    row = AppointmentInterpreting.objects.filter(appointment=appointment).first()
    profile = LanguageProfile.objects.filter(client=client).first()
    initial: dict[str, object] = (
        {
            "language": row.language,
            "booked": row.booked,
            "booking_reference": row.booking_reference,
            "version": row.version,
        }
        if row is not None
        else {"language": profile.interpreter_language if profile else "", "version": 0}
    )
    form = f.InterpretingForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        lambda d: services.appointment_interpreting_save(actor=actor, appointment=appointment, **d),
        title=_("Interpreting of the appointment on %(day)s")
        % {"day": appointment.starts_at.astimezone(dates.HELSINKI).strftime("%d.%m.%Y %H:%M")},
        back=_file_url(client.pk),
        submit=_("Save"),
        success=_("The interpreting was saved."),
        then=_file_url(client.pk),
        active="caseload",
    )


@require_perm(Perm.GOVERNANCE_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_interpreting(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    """The interpreter need, language and booking of a cooperation body's meeting (a
    network meeting with a client, a TYM network meeting); its body's managers only."""
    from silta.integration.models import MeetingInterpreting

    actor = acting_user(request)
    meeting = selectors.meeting_for_interpreting(actor=actor, meeting_id=meeting_id)
    row = MeetingInterpreting.objects.filter(meeting=meeting).first()
    if row is not None:
        initial: dict[str, object] = {
            "language": row.language,
            "booked": row.booked,
            "booking_reference": row.booking_reference,
            "version": row.version,
        }
    else:
        initial = {"language": selectors.agenda_interpreting_need(meeting)[0], "version": 0}
    form = f.InterpretingForm(request.POST or None, initial=initial)
    back = reverse("meeting-detail", args=[meeting.pk])
    return form_view(
        request,
        form,
        lambda d: services.meeting_interpreting_save(actor=actor, meeting=meeting, **d),
        title=_("Interpreting of the meeting: %(body)s %(day)s")
        % {"body": meeting.body.name, "day": meeting.held_on.strftime("%d.%m.%Y")},
        back=back,
        submit=_("Save"),
        success=_("The interpreting was saved."),
        then=back,
        active="governance",
    )


@require_perm(Perm.GROUPS_VIEW)
@require_http_methods(["GET", "POST"])
def session_interpreting(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """The interpreter need, language and booking of a coming group session; those who
    run the group only (another group's session is not there: 404)."""
    from silta.groups.selectors import session_for_action
    from silta.integration.models import SessionInterpreting

    actor = acting_user(request)
    session = session_for_action(actor=actor, session_id=session_id)
    row = SessionInterpreting.objects.filter(session=session).first()
    if row is not None:
        initial: dict[str, object] = {
            "language": row.language,
            "booked": row.booked,
            "booking_reference": row.booking_reference,
            "version": row.version,
        }
    else:
        initial = {"language": selectors.session_interpreting_need(session), "version": 0}
    form = f.InterpretingForm(request.POST or None, initial=initial)
    back = reverse("group-detail", args=[session.group_id])
    return form_view(
        request,
        form,
        lambda d: services.session_interpreting_save(actor=actor, session=session, **d),
        title=_("Interpreting of the group session: %(group)s %(day)s")
        % {"group": session.group.name, "day": session.date.strftime("%d.%m.%Y")},
        back=back,
        submit=_("Save"),
        success=_("The interpreting was saved."),
        then=back,
        active="groups",
    )


@require_perm(Perm.CASEWORK_VIEW)
@require_GET
def integration_caseload(request: HttpRequest) -> HttpResponse:
    rows = selectors.integration_caseload_for(actor=acting_user(request), path=request.path)
    return render(
        request,
        "integration/caseload.html",
        {
            "rows": rows,
            "limit": selectors.INTEGRATION_CASELOAD_ROWS,
            "deadline_days": rules.ASSESSMENT_DEADLINE_DAYS,
            "ohjaamo": bool(services.ohjaamo_memberships(acting_user(request))),
            "active": "integration",
        },
    )


@require_perm(Perm.CASEWORK_WRITE)
@require_http_methods(["GET", "POST"])
def guidance_contact_new(request: HttpRequest) -> HttpResponse:
    """An Ohjaamo unit's anonymous guidance contact (under 30)."""
    actor = acting_user(request)
    if not services.ohjaamo_memberships(actor):
        raise PermissionDenied
    form = f.GuidanceContactForm(request.POST or None, initial={"contacted_on": dates.today()})
    return form_view(
        request,
        form,
        lambda d: services.guidance_contact_record(
            actor=actor,
            contacted_on=d["contacted_on"],
            channel=d["channel"],
            age=d["age"],
            municipality_id=d["municipality"],
            topic=d["topic"],
        ),
        title=_("Ohjaamo guidance contact"),
        intro=_("Youth one-stop guidance for young people under 30; no name is recorded."),
        back=reverse("integration-caseload"),
        submit=_("Record the contact"),
        success=_("The guidance contact was recorded."),
        then=reverse("integration-caseload"),
        active="caseload",
    )
