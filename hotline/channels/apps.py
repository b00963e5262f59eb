from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "hotline.channels"
    label = "channels"
    verbose_name = "受理渠道"

    def ready(self) -> None:
        # Art. 29 flags are evidence on an appeal on the ground of a malicious request (Art. 25); the appeal screens
        # sit on a lower floor and read them through this registration.
        from hotline.channels.desk import flags_for_appeal
        from hotline.followups import appeal_evidence
        from hotline.tickets.choices import AppealGround

        appeal_evidence.register(AppealGround.MALICIOUS, "骚扰来电标记（第二十九条）", flags_for_appeal)
