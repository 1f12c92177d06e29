from __future__ import annotations

from django.urls import path

from silta.groups import views

urlpatterns = [
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/", views.group_new, name="group-new"),
    path("groups/<uuid:group_id>/", views.group_detail, name="group-detail"),
    path("groups/<uuid:group_id>/edit/", views.group_edit, name="group-edit"),
    path(
        "groups/<uuid:group_id>/participants/new/",
        views.participant_add,
        name="group-participant-add",
    ),
    path(
        "groups/participants/<uuid:participant_id>/leave/",
        views.participant_leave,
        name="group-participant-leave",
    ),
    path(
        "groups/<uuid:group_id>/sessions/generate/",
        views.sessions_generate,
        name="group-sessions-generate",
    ),
    path("groups/<uuid:group_id>/sessions/new/", views.session_new, name="group-session-new"),
    path("groups/sessions/<uuid:session_id>/", views.session_attendance, name="group-session"),
    path(
        "groups/sessions/<uuid:session_id>/cancel/",
        views.session_cancel,
        name="group-session-cancel",
    ),
]
