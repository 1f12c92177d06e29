from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "silta.integration"
    label = "integration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from silta.integration import indicators

        indicators.register()
