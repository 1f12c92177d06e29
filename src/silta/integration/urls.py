from __future__ import annotations

from django.urls import path

from silta.integration import views

urlpatterns = [
    path("integration/", views.integration_caseload, name="integration-caseload"),
    path(
        "integration/ohjaamo/contacts/new/",
        views.guidance_contact_new,
        name="guidance-contact-new",
    ),
    path(
        "clients/<uuid:client_id>/integration/",
        views.integration_client,
        name="integration-client",
    ),
    path(
        "clients/<uuid:client_id>/integration/languages/",
        views.language_profile_edit,
        name="integration-languages",
    ),
    path(
        "clients/<uuid:client_id>/integration/assessment/",
        views.initial_assessment_new,
        name="integration-assessment-new",
    ),
    path(
        "clients/<uuid:client_id>/integration/plan/",
        views.integration_plan_new,
        name="integration-plan-new",
    ),
    path(
        "integration/plans/<uuid:plan_id>/review/",
        views.integration_plan_review,
        name="integration-plan-review",
    ),
    path(
        "integration/plans/<uuid:plan_id>/close/",
        views.integration_plan_close,
        name="integration-plan-close",
    ),
    path(
        "appointments/<uuid:appointment_id>/interpreting/",
        views.appointment_interpreting,
        name="appointment-interpreting",
    ),
    path(
        "governance/meetings/<uuid:meeting_id>/interpreting/",
        views.meeting_interpreting,
        name="meeting-interpreting",
    ),
    path(
        "groups/sessions/<uuid:session_id>/interpreting/",
        views.session_interpreting,
        name="session-interpreting",
    ),
]
