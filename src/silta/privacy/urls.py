from __future__ import annotations

from django.urls import path

from silta.privacy import views

urlpatterns = [
    path("help/who-sees-what/", views.who_sees_what, name="who-sees-what"),
]
