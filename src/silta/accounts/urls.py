from __future__ import annotations

from django.urls import path

from silta.accounts import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/activate/", views.two_factor_activate, name="two-factor-activate"),
    path("2fa/setup/", views.two_factor_setup, name="two-factor-setup"),
    path(
        "2fa/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("2fa/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("2fa/recovery/", views.two_factor_recovery, name="two-factor-recovery"),
    path("accounts/users/", views.user_list, name="accounts-users"),
    path(
        "accounts/users/<uuid:user_id>/second-factor/",
        views.user_second_factor,
        name="accounts-user-second-factor",
    ),
]
