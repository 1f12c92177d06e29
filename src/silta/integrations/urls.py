from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from oauth2_provider import views as oauth_views

from silta.integrations import views

urlpatterns = [
    path("integrations/", views.clients, name="integrations-clients"),
    path("integrations/<uuid:pk>/rotate/", views.client_rotate, name="integrations-rotate"),
    path("integrations/<uuid:pk>/revoke/", views.client_revoke, name="integrations-revoke"),
    # OAuth2 token endpoint for machine clients (client credentials only: the
    # applications registered here allow no other grant).
    path("oauth/token/", login_not_required(oauth_views.TokenView.as_view()), name="oauth-token"),
]
