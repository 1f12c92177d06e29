from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "silta.reporting"
    label = "reporting"
