from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "hotline.followups"
    label = "followups"
