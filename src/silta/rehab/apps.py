from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "silta.rehab"
    label = "rehab"
    default_auto_field = "django.db.models.BigAutoField"
