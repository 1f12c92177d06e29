from __future__ import annotations

from django.urls import path

from silta.casework import views

urlpatterns = [
    path("clients/<uuid:client_id>/casework/", views.client_casework, name="casework-client"),
    path("clients/<uuid:client_id>/referrals/new/", views.referral_new, name="referral-new"),
    path(
        "clients/<uuid:client_id>/appointments/new/", views.appointment_new, name="appointment-new"
    ),
    path("clients/<uuid:client_id>/notes/new/", views.note_new, name="note-new"),
    path("clients/<uuid:client_id>/consents/new/", views.consent_new, name="consent-new"),
    path(
        "clients/<uuid:client_id>/joint-service/new/",
        views.joint_service_new,
        name="joint-service-new",
    ),
    path("clients/<uuid:client_id>/assessments/new/", views.assessment_new, name="assessment-new"),
    path("clients/<uuid:client_id>/plans/new/", views.plan_new, name="plan-new"),
    path("clients/<uuid:client_id>/outcomes/new/", views.outcome_new, name="outcome-new"),
    path("referrals/", views.referral_inbox, name="referral-inbox"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral-detail"),
    path(
        "referrals/<uuid:referral_id>/<slug:to_status>/",
        views.referral_move,
        name="referral-move",
    ),
    path("consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path(
        "joint-service/<uuid:joint_service_id>/end/",
        views.joint_service_end,
        name="joint-service-end",
    ),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<uuid:plan_id>/revise/", views.plan_revise, name="plan-revise"),
    path("plans/<uuid:plan_id>/status/", views.plan_move, name="plan-move"),
    path(
        "outcomes/<uuid:outcome_id>/follow-up/", views.outcome_follow_up, name="outcome-follow-up"
    ),
    path("caseload/", views.caseload, name="caseload"),
    path("work-ability/", views.work_ability_list, name="work-ability"),
    path("work-ability/help/", views.work_ability_help, name="work-ability-help"),
]
