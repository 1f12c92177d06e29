from __future__ import annotations

from django.urls import path

from silta.sso import views

urlpatterns = [
    path("sso/callback/", views.sso_callback, name="sso-callback"),
    path("sso/<slug:provider>/", views.sso_start, name="sso-login"),
]
