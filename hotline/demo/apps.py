"""The demo: a city's units, staff and a history replayed through the real workflow, and `hotline demo`."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top floor: it may use every other app."""

    name = "hotline.demo"
    label = "demo"
    verbose_name = "演示数据"
