from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkabilityConfig(AppConfig):
    name = "silta.workability"
    label = "workability"
    verbose_name = _("Work ability path")

    def ready(self) -> None:
        from silta.web.tasks import client_summary_register
        from silta.workability import indicators
        from silta.workability.summary import path_summary

        indicators.register()
        client_summary_register("workability", path_summary)
