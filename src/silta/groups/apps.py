from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "silta.groups"
    label = "groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The client's group history goes on the case timeline through the registry in
        ``silta.core.timeline``; the case-work app does not import this app (ADR 0025)."""
        from silta.core import timeline
        from silta.groups.selectors import group_timeline_events

        timeline.register(self.label, group_timeline_events)

        # the front page's task list (silta.web.tasks)
        from silta.groups.tasks import group_tasks
        from silta.web.tasks import task_provider_register

        task_provider_register("groups", group_tasks)
