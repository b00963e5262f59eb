"""The calendar in the admin: an administrator corrects dates and marks years published (DESIGN §4)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from hotline.deadlines.importer import weekday_name
from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear


class YearFilter(admin.SimpleListFilter):
    """Filter the dates by year, newest first."""

    title = "年份"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), f"{day.year}年") for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "updated_at")
    list_filter = (YearFilter, "kind")
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)
    list_per_page = 100

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return weekday_name(obj.date)


@admin.register(PublishedYear)
class PublishedYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "holiday_count", "workday_count", "updated_at")
    search_fields = ("year", "source")
    ordering = ("-year",)

    @admin.display(description="放假日期数")
    def holiday_count(self, obj: PublishedYear) -> int:
        return _count(obj.year, DayKind.HOLIDAY)

    @admin.display(description="调休上班日期数")
    def workday_count(self, obj: PublishedYear) -> int:
        return _count(obj.year, DayKind.WORKDAY)


def _count(year: int, kind: str) -> int:
    # Two small queries per row; the list holds a few dozen years at most.
    counts = CalendarDay.objects.filter(date__year=year).aggregate(n=Count("id", filter=Q(kind=kind)))
    return int(counts["n"])
