from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "hotline.duty"
    label = "duty"
    verbose_name = "值班与接听"
