from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hotline.api"
    label = "api"
