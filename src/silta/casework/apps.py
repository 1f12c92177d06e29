from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "silta.casework"
    label = "casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the front page's task list (silta.web.tasks)
        from silta.casework.tasks import casework_tasks
        from silta.web.tasks import task_provider_register

        task_provider_register("casework", casework_tasks)
