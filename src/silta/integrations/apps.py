from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "silta.integrations"
    label = "integrations"
