from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "silta.reporting"
    label = "reporting"

    def ready(self) -> None:
        from silta.reporting import indicators

        indicators.register()
