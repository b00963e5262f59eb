from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    """The working-day calendar and the clock rules (DESIGN §4)."""

    name = "hotline.deadlines"
    label = "deadlines"
    verbose_name = "时限与工作日"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from hotline.deadlines import store
        from hotline.deadlines.models import CalendarDay, PublishedYear

        # An edit in this process drops the cache at once; other processes notice it through the revision check.
        for model in (CalendarDay, PublishedYear):
            uid = f"deadlines-invalidate-{model.__name__}"
            post_save.connect(store.invalidate, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(store.invalidate, sender=model, dispatch_uid=f"{uid}-delete")
