from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hotline.web"
    label = "web"
