from __future__ import annotations

from django.urls import path

from silta.ips import views

E = "ips/episodes/<uuid:episode_id>"
EMP = "ips/employers/<uuid:employer_id>"

urlpatterns = [
    path("ips/", views.episode_list, name="ips-episodes"),
    path("ips/episodes/new/", views.episode_new, name="ips-episode-new"),
    path(
        "ips/referrals/<uuid:referral_id>/take/",
        views.episode_from_referral,
        name="ips-referral-take",
    ),
    path(f"{E}/", views.episode_detail, name="ips-episode"),
    path(f"{E}/start/", views.episode_start, name="ips-episode-start"),
    path(f"{E}/interests/", views.episode_interests, name="ips-episode-interests"),
    path(f"{E}/steps/new/", views.step_new, name="ips-step-new"),
    path(f"{E}/jobs/new/", views.placement_new, name="ips-placement-new"),
    path(f"{E}/support/new/", views.support_new, name="ips-support-new"),
    path(f"{E}/end/", views.episode_end, name="ips-episode-end"),
    path(f"{E}/hand-over/", views.episode_hand_over, name="ips-episode-hand-over"),
    path("ips/jobs/<uuid:placement_id>/end/", views.placement_end, name="ips-placement-end"),
    path("ips/employers/", views.employer_list, name="ips-employers"),
    path("ips/employers/new/", views.employer_new, name="ips-employer-new"),
    path(f"{EMP}/", views.employer_detail, name="ips-employer"),
    path(f"{EMP}/edit/", views.employer_edit, name="ips-employer-edit"),
    path(f"{EMP}/people/new/", views.contact_person_new, name="ips-contact-person-new"),
    path(f"{EMP}/contacts/new/", views.employer_contact_new, name="ips-employer-contact-new"),
    path(f"{EMP}/opportunities/new/", views.opportunity_new, name="ips-opportunity-new"),
    path(f"{EMP}/adjustments/new/", views.adjustment_new, name="ips-adjustment-new"),
    path(
        "ips/opportunities/<uuid:opportunity_id>/status/",
        views.opportunity_status,
        name="ips-opportunity-status",
    ),
    path("ips/results/", views.results, name="ips-results"),
    path("ips/coaches/", views.coaches, name="ips-coaches"),
    path("ips/unit/", views.unit, name="ips-unit"),
    path(f"ips/unit/{E}/move/", views.unit_reassign, name="ips-unit-reassign"),
]
