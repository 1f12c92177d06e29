from django.urls import path

from silta.workability import views

urlpatterns = [
    path("work-ability/path/<uuid:client_id>/", views.client_path, name="workability-path"),
    path(
        "work-ability/path/<uuid:client_id>/identify/",
        views.identify,
        name="workability-identify",
    ),
    path(
        "work-ability/assessments/<uuid:referral_id>/result/",
        views.result_new,
        name="workability-result-new",
    ),
    path(
        "work-ability/path/<uuid:client_id>/applications/new/",
        views.application_new,
        name="workability-application-new",
    ),
    path(
        "work-ability/applications/<uuid:application_id>/decision/",
        views.decision_new,
        name="workability-decision-new",
    ),
    path(
        "work-ability/results/<uuid:result_id>/correct/",
        views.result_correct,
        name="workability-result-correct",
    ),
    path(
        "work-ability/applications/<uuid:application_id>/decision/correct/",
        views.decision_correct,
        name="workability-decision-correct",
    ),
    path(
        "work-ability/applications/<uuid:application_id>/appeals/new/",
        views.appeal_new,
        name="workability-appeal-new",
    ),
    path(
        "work-ability/appeals/<uuid:appeal_id>/outcome/",
        views.appeal_outcome,
        name="workability-appeal-outcome",
    ),
    path(
        "work-ability/health-checks/invite/<uuid:client_id>/",
        views.health_check_invite,
        name="workability-check-invite",
    ),
    path(
        "work-ability/health-checks/<uuid:check_id>/book/",
        views.health_check_book,
        name="workability-check-book",
    ),
    path(
        "work-ability/health-checks/<uuid:check_id>/end/",
        views.health_check_end,
        name="workability-check-end",
    ),
    path(
        "work-ability/health-checks/<uuid:check_id>/content/",
        views.health_check_content,
        name="workability-check-content",
    ),
    path("work-ability/health-checks/", views.health_check_targets, name="workability-targets"),
    path("work-ability/statistics/", views.path_statistics, name="workability-statistics"),
]
