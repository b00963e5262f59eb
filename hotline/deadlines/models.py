"""The working-day calendar as data: exceptional dates and the years whose schedule is published (DESIGN §4)."""

from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "休"
    WORKDAY = "workday", "班"


class CalendarDay(models.Model):
    """One exceptional date: a holiday on a weekday (休) or a worked weekend (班, 调休)."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("名称", max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class PublishedYear(models.Model):
    """A year whose State Council schedule is entered; deadlines reaching other years fall back to weekends."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "已发布年度安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
