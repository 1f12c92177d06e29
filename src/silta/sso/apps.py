from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "silta.sso"
    label = "sso"
