from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "hotline.deadlines"
    label = "deadlines"
