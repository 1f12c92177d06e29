from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "silta.rehab"
    label = "rehab"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the front page's task list (silta.web.tasks)
        from silta.rehab.tasks import rehab_tasks
        from silta.web.tasks import task_provider_register

        task_provider_register("rehab", rehab_tasks)
