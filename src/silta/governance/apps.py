from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "silta.governance"
    label = "governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the front page's task list (silta.web.tasks)
        from silta.governance.tasks import governance_tasks
        from silta.web.tasks import task_provider_register

        task_provider_register("governance", governance_tasks)
