"""The administrator's audit pages and the client's rights keep the addresses they had
under /audit/ (and their names)."""

from __future__ import annotations

from django.urls import path

from silta.rights import audit_views, views

urlpatterns = [
    path("audit/", audit_views.audit_home, name="audit-home"),
    path("audit/verify/", audit_views.audit_verify_now, name="audit-verify"),
    path("audit/security/", audit_views.audit_security_log, name="audit-security-log"),
    path("audit/clients/", views.rights_client_lookup, name="rights-client-lookup"),
    path(
        "audit/clients/<uuid:client_id>/access-report/",
        views.rights_access_report,
        name="audit-access-report",
    ),
    path(
        "audit/clients/<uuid:client_id>/export.json",
        views.rights_subject_export,
        name="audit-subject-export",
    ),
    path(
        "audit/clients/<uuid:client_id>/export.pdf",
        views.rights_subject_export_pdf,
        name="audit-subject-export-pdf",
    ),
    path(
        "audit/clients/<uuid:client_id>/erasure/",
        views.rights_erasure,
        name="audit-erasure",
    ),
]
