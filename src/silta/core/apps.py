from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "silta.core"
    label = "core"
