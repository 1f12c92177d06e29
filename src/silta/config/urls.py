from __future__ import annotations

from django.urls import path

from silta.api import api
from silta.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_switch, name="language-switch"),
    path("clients/", views.client_search, name="client-search"),
    path("clients/<uuid:client_id>/", views.client_detail, name="client-detail"),
    path("api/v1/", api.urls),
]

handler403 = "silta.web.views.error_403"
handler404 = "silta.web.views.error_404"
handler500 = "silta.web.views.error_500"
