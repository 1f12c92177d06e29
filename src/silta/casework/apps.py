from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "silta.casework"
    label = "casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the front page's task list (silta.web.tasks)
        from silta.casework.tasks import casework_client_summary, casework_tasks
        from silta.web.tasks import client_summary_register, task_provider_register

        task_provider_register("casework", casework_tasks)
        client_summary_register("casework", casework_client_summary)
