"""Running the platform: the one schedule of timed jobs, its Celery tasks and the `sweep` and `outbox` commands."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Sits above every app whose jobs it lists, like the URL map."""

    name = "hotline.ops"
    label = "ops"
    verbose_name = "运行与定时任务"
