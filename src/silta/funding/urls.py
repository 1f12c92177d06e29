from __future__ import annotations

from django.urls import path

from silta.funding import views

urlpatterns = [
    path("funding/", views.dashboard, name="funding-dashboard"),
    path("funding/radar/", views.radar, name="funding-radar"),
    path("funding/people/<uuid:client_id>/", views.person, name="funding-person"),
    path("funding/reconcile/", views.reconcile, name="funding-reconcile"),
    path("funding/rules/", views.rules, name="funding-rules"),
]
