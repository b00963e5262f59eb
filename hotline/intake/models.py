"""The dispatch catalogue (派单目录) as versioned data, and the trained routing models with their held-out figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.directory.models import Topic, Unit


class CatalogueRule(models.Model):
    """One version of a catalogue line: topic × county (or city-wide) → lead unit and assisting units (第十二条).

    Rows are never edited: a change writes the next version and ends the current one, so the history of who sent
    which matter where, and since when, stays readable.
    """

    topic = models.ForeignKey(Topic, verbose_name="事项分类", on_delete=models.PROTECT, related_name="catalogue_rules")
    # Empty means city-wide; a county here is the 属地管理 line for matters in that county (第三条).
    region = models.ForeignKey(Unit, verbose_name="县市区", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", limit_choices_to={"kind": "county"})
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+")
    # 第十二条: matters touching several units get one lead and assisting units.
    assisting_units = models.ManyToManyField(Unit, verbose_name="会同单位", blank=True, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("现行", default=True)
    note = models.CharField("变更说明", max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="变更人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField("生效时间")
    valid_until = models.DateTimeField("失效时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "派单目录"
        ordering = ["topic__code", "region__code", "-version"]
        indexes = [models.Index(fields=["topic", "region", "is_current"])]
        constraints = [
            models.UniqueConstraint(fields=["topic", "region", "version"], name="catalogue_rule_version_unique"),
            # Art. 12 needs one answer per line; the service function also locks, this catches a raw insert.
            models.UniqueConstraint(fields=["topic", "region"], condition=Q(is_current=True),
                                    name="catalogue_rule_one_current"),
        ]

    def __str__(self) -> str:
        where = self.region.name if self.region is not None else "全市"
        return f"{self.topic} · {where} → {self.lead_unit} (v{self.version})"


class RoutingModel(models.Model):
    """A trained routing classifier on disk: when, on how many tickets, its held-out figures, and whether it is live."""

    version = models.PositiveIntegerField("版本", unique=True)
    created_at = models.DateTimeField("训练时间")
    trained_on = models.PositiveIntegerField("训练工单数")
    heldout = models.JSONField("留出集指标", default=dict)
    path = models.CharField("模型文件", max_length=300)
    active = models.BooleanField("启用", default=False)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "派单模型"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_model")]

    def __str__(self) -> str:
        return f"派单模型 v{self.version}{'（启用）' if self.active else ''}"
