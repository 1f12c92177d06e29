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
    path("governance/delegations/new/", views.delegation_new, name="delegation-new"),
    path(
        "governance/delegations/<uuid:delegation_id>/end/",
        views.delegation_end,
        name="delegation-end",
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
    # editing the agreement and the bodies (page forms; deleting asks first)
    path("governance/agreements/new/", views.agreement_new, name="agreement-new"),
    path(
        "governance/agreements/<uuid:agreement_id>/edit/",
        views.agreement_edit,
        name="agreement-edit",
    ),
    path(
        "governance/agreements/<uuid:agreement_id>/delete/",
        views.agreement_delete,
        name="agreement-delete",
    ),
    path(
        "governance/agreements/<uuid:agreement_id>/versions/new/",
        views.version_new,
        name="agreement-version-new",
    ),
    path(
        "governance/versions/<uuid:version_id>/delete/",
        views.version_delete,
        name="agreement-version-delete",
    ),
    path(
        "governance/versions/<uuid:version_id>/sections/new/",
        views.section_new,
        name="agreement-section-new",
    ),
    path(
        "governance/sections/<uuid:section_id>/edit/",
        views.section_edit,
        name="agreement-section-edit",
    ),
    path(
        "governance/sections/<uuid:section_id>/delete/",
        views.section_delete,
        name="agreement-section-delete",
    ),
    path("governance/versions/<uuid:version_id>/goals/new/", views.goal_new, name="goal-new"),
    path("governance/goals/<uuid:goal_id>/edit/", views.goal_edit, name="goal-edit"),
    path("governance/goals/<uuid:goal_id>/delete/", views.goal_delete, name="goal-delete"),
    path(
        "governance/indicators/<uuid:indicator_id>/edit/",
        views.indicator_edit,
        name="indicator-edit",
    ),
    path(
        "governance/indicators/<uuid:indicator_id>/delete/",
        views.indicator_delete,
        name="indicator-delete",
    ),
    path("governance/bodies/new/", views.body_new, name="body-new"),
    path("governance/bodies/<uuid:body_id>/edit/", views.body_edit, name="body-edit"),
    path("governance/bodies/<uuid:body_id>/delete/", views.body_delete, name="body-delete"),
    path("governance/bodies/<uuid:body_id>/members/new/", views.member_new, name="member-new"),
    path("governance/members/<uuid:member_id>/edit/", views.member_edit, name="member-edit"),
    path("governance/members/<uuid:member_id>/delete/", views.member_delete, name="member-delete"),
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
