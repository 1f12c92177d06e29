from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkabilityConfig(AppConfig):
    name = "silta.workability"
    label = "workability"
    verbose_name = _("Work ability path")

    def ready(self) -> None:
        from silta.workability import indicators

        indicators.register()
