from django.apps import AppConfig


class IpsConfig(AppConfig):
    name = "silta.ips"
    label = "ips"
    default_auto_field = "django.db.models.BigAutoField"
