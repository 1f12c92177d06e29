from __future__ import annotations

from django.urls import path

from silta.catalogue import views

urlpatterns = [
    path("catalogue/", views.catalogue_list, name="catalogue-list"),
    path("catalogue/<uuid:service_id>/edit/", views.catalogue_edit, name="catalogue-edit"),
]
