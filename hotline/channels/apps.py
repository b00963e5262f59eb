from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "hotline.channels"
    label = "channels"
    verbose_name = "受理渠道"
