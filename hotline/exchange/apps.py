from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "hotline.exchange"
    label = "exchange"
    verbose_name = "平台对接"

    def ready(self) -> None:
        """Connect the report-back and the orders sent down: a transition of an upper order's ticket, or a dispatch to
        a lower platform's unit, becomes an outbox row in its own transaction, and the outbox sends those rows
        through this app (the tickets layer cannot import it)."""
        from django.db.models.signals import post_save

        from hotline.exchange import lower, report
        from hotline.tickets import outbox
        from hotline.tickets.models import Event

        post_save.connect(report.on_event, sender=Event, dispatch_uid="exchange-report-back")
        post_save.connect(lower.on_event, sender=Event, dispatch_uid="exchange-send-down")
        outbox.register(report.KIND, report.send)
        outbox.register(lower.KIND, lower.send)
