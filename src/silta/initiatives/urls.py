from __future__ import annotations

from django.urls import path

from silta.initiatives import views

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative-list"),
    path("initiatives/new/", views.initiative_new, name="initiative-new"),
    path("initiatives/<uuid:initiative_id>/", views.initiative_detail, name="initiative-detail"),
    path(
        "initiatives/<uuid:initiative_id>/preparation/",
        views.initiative_preparation,
        name="initiative-preparation",
    ),
    path(
        "initiatives/<uuid:initiative_id>/answer/",
        views.initiative_answer,
        name="initiative-answer",
    ),
    path(
        "initiatives/<uuid:initiative_id>/figures/",
        views.initiative_figures,
        name="initiative-figures",
    ),
    path(
        "initiatives/<uuid:initiative_id>/board/",
        views.initiative_board,
        name="initiative-board",
    ),
    path(
        "initiatives/<uuid:initiative_id>/council/",
        views.initiative_council,
        name="initiative-council",
    ),
]
