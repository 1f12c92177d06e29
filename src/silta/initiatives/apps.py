from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "silta.initiatives"
    label = "initiatives"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the front page's task list (silta.web.tasks)
        from silta.initiatives.tasks import initiative_tasks
        from silta.web.tasks import task_provider_register

        task_provider_register("initiatives", initiative_tasks)
