from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from ninja.openapi.views import openapi_view

from silta.api import api
from silta.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("readyz", views.readiness, name="readiness"),
    path("language/", views.language_switch, name="language-switch"),
    path("", include("silta.accounts.urls")),
    path("", include("silta.rights.urls")),
    path("clients/", views.client_search, name="client-search"),
    path("clients/import/", views.client_import, name="client-import"),
    path("", include("silta.clients.urls")),  # registry upkeep (issue 16)
    path("clients/<uuid:client_id>/", views.client_detail, name="client-detail"),
    path("", include("silta.casework.urls")),
    path("", include("silta.catalogue.urls")),
    path("", include("silta.rehab.urls")),
    path("", include("silta.funding.urls")),
    path("", include("silta.governance.urls")),
    path("", include("silta.reporting.urls")),
    path("", include("silta.initiatives.urls")),
    path("", include("silta.ips.urls")),
    path("", include("silta.groups.urls")),
    path("", include("silta.integration.urls")),
    path("", include("silta.privacy.urls")),
    path("", include("silta.integrations.urls")),
    path("", include("silta.sso.urls")),
    path("", include("silta.workability.urls")),  # the work ability path (issue 16)
    path("api/v1/", api.urls),
    # The API's documentation also at /api/docs (issue 3); signed-in users only.
    path("api/docs", login_required(partial(openapi_view, api=api)), name="api-docs"),
]

handler403 = "silta.web.views.error_403"
handler404 = "silta.web.views.error_404"
handler500 = "silta.web.views.error_500"
