"""The working-day calendar as data: exceptional dates and the years whose schedule is published (DESIGN §4)."""

from django.core.exceptions import ValidationError
from django.db import models


class DayKind(models.TextChoices):
    """休: a day off on a weekday (or a weekend inside a holiday); 班: a weekend worked to make up (调休)."""

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

    def clean(self) -> None:
        """A make-up working day (调休上班) is always a Saturday or Sunday; weekdays are worked anyway."""
        if self.kind == DayKind.WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"kind": "调休上班日只能是周六或周日"})


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
