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
    path("work-ability/health-checks/", views.health_check_targets, name="workability-targets"),
    path("work-ability/statistics/", views.path_statistics, name="workability-statistics"),
]
