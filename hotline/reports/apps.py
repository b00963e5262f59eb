"""Statistics, the monthly bulletin and unit assessment (Art. 22, 26, 27); read-only over the event log."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hotline.reports"
    label = "reports"

    def ready(self) -> None:
        # The month-freeze record is MonthClose; appeals (a lower floor) ask it through this registration.
        from hotline.followups import freeze
        from hotline.reports.closing import frozen_at

        freeze.register(frozen_at)
