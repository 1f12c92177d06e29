from __future__ import annotations

from django.urls import path

from silta.rehab import views

urlpatterns = [
    path("rehab/", views.rehab_home, name="rehab-home"),
    path("rehab/attendance/import/", views.attendance_import, name="rehab-attendance-import"),
    path(
        "rehab/clients/<uuid:client_id>/placements/new/",
        views.placement_new,
        name="rehab-placement-new",
    ),
    path("rehab/placements/<uuid:placement_id>/", views.placement_detail, name="rehab-placement"),
    path(
        "rehab/placements/<uuid:placement_id>/attendance/",
        views.attendance_week,
        name="rehab-attendance-week",
    ),
    path(
        "rehab/placements/<uuid:placement_id>/end/", views.placement_end, name="rehab-placement-end"
    ),
    path(
        "rehab/placements/<uuid:placement_id>/outcome/<slug:action>/",
        views.placement_outcome,
        name="rehab-placement-outcome",
    ),
    path(
        "rehab/placements/<uuid:placement_id>/fee-claim/",
        views.fee_claim_new,
        name="rehab-fee-claim-new",
    ),
    path("rehab/fee-claims/<uuid:claim_id>/", views.fee_claim_detail, name="rehab-fee-claim"),
    path(
        "rehab/fee-claims/<uuid:claim_id>/decide/",
        views.fee_claim_decide,
        name="rehab-fee-claim-decide",
    ),
    path("rehab/fees/<uuid:fee_id>/reverse/", views.fee_reverse, name="rehab-fee-reverse"),
    path("rehab/providers/new/", views.provider_new, name="rehab-provider-new"),
    path("rehab/providers/<uuid:provider_id>/", views.provider_detail, name="rehab-provider"),
    path(
        "rehab/providers/<uuid:provider_id>/contacts/new/",
        views.contact_new,
        name="rehab-contact-new",
    ),
    path("rehab/providers/<uuid:provider_id>/sites/new/", views.site_new, name="rehab-site-new"),
    path(
        "rehab/providers/<uuid:provider_id>/contracts/new/",
        views.contract_new,
        name="rehab-contract-new",
    ),
    path(
        "rehab/contracts/<uuid:contract_id>/revise/",
        views.contract_revise,
        name="rehab-contract-revise",
    ),
    path(
        "rehab/providers/<uuid:provider_id>/statements/<str:month>/",
        views.statement_detail,
        name="rehab-statement",
    ),
    path(
        "rehab/providers/<uuid:provider_id>/statements/<str:month>/<slug:action>/",
        views.statement_action,
        name="rehab-statement-action",
    ),
    path(
        "rehab/providers/<uuid:provider_id>/statements/<str:month>/export.<str:fmt>",
        views.statement_export,
        name="rehab-statement-export",
    ),
    path("rehab/lists/<slug:which>/", views.month_list, name="rehab-list"),
]
