from __future__ import annotations

from django.urls import path

from silta.reporting import views

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/dashboard/", views.manager_dashboard, name="statistics-dashboard"),
    path("statistics/council/<int:year>/", views.council_report, name="statistics-council"),
]
