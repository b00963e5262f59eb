from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hotline.directory"
    label = "directory"
