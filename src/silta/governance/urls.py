from __future__ import annotations

from django.urls import path

from silta.governance import views

urlpatterns = [
    path("governance/", views.governance_home, name="governance-home"),
    path(
        "governance/agreements/<uuid:agreement_id>/",
        views.agreement_detail,
        name="agreement-detail",
    ),
    path(
        "governance/agreements/<uuid:agreement_id>/approvals/new/",
        views.approval_new,
        name="approval-new",
    ),
    path(
        "governance/versions/<uuid:version_id>/status/",
        views.version_move,
        name="agreement-version-move",
    ),
    path(
        "governance/goals/<uuid:goal_id>/indicators/new/",
        views.indicator_new,
        name="indicator-new",
    ),
    path("governance/bodies/<uuid:body_id>/", views.body_detail, name="body-detail"),
    path("governance/bodies/<uuid:body_id>/meetings/new/", views.meeting_new, name="meeting-new"),
    path("governance/meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("governance/meetings/<uuid:meeting_id>/agenda/new/", views.agenda_new, name="agenda-new"),
    path("governance/meetings/<uuid:meeting_id>/minutes/", views.minutes_edit, name="minutes-edit"),
    path(
        "governance/meetings/<uuid:meeting_id>/decisions/new/",
        views.decision_new,
        name="decision-new",
    ),
    path("governance/meetings/<uuid:meeting_id>/actions/new/", views.action_new, name="action-new"),
    path("governance/actions/overdue/", views.overdue_actions, name="actions-overdue"),
    path("governance/actions/<uuid:action_id>/status/", views.action_move, name="action-move"),
    path("clients/<uuid:client_id>/network/refer/", views.network_refer, name="network-refer"),
    path("governance/network/", views.network_queue, name="network-queue"),
    path("governance/network/cases/<uuid:case_id>/", views.network_case, name="network-case"),
    path(
        "governance/network/cases/<uuid:case_id>/schedule/",
        views.network_case_schedule,
        name="network-case-schedule",
    ),
    path(
        "governance/network/cases/<uuid:case_id>/status/",
        views.network_case_move,
        name="network-case-move",
    ),
    path(
        "governance/network/items/<uuid:item_id>/consultation/",
        views.consultation_new,
        name="consultation-new",
    ),
]
