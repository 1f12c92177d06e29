from django.apps import AppConfig


class IpsConfig(AppConfig):
    name = "silta.ips"
    label = "ips"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the front page's task list (silta.web.tasks)
        from silta.ips.tasks import ips_tasks
        from silta.web.tasks import task_provider_register

        task_provider_register("ips", ips_tasks)
