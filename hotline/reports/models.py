"""What the statistics keep: a closed month's frozen figures (Art. 26), the assessment rule sets and the items
entered with evidence (Art. 27)."""

from __future__ import annotations

from django.db import models

from hotline.directory.models import Platform, Staff, Unit


class MonthState(models.TextChoices):
    """A month is closed (figures frozen), reviewed, then published; a published month never changes."""

    FROZEN = "frozen", "已冻结待审核"
    REVIEWED = "reviewed", "已审核待发布"
    PUBLISHED = "published", "已发布"


class MonthClose(models.Model):
    """One closed month: its figures and scores frozen as computed at closing, the bulletin's text and files.

    Appeals upheld and corrections made after closing count in the month they happen (WAVE2 §2 test 4). The city
    platform's month is the city-wide bulletin; a county sub-centre closes its own month over the tickets its
    platforms received (Art. 26, 30)."""

    platform = models.ForeignKey(Platform, verbose_name="平台", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    number = models.PositiveSmallIntegerField("期号")
    state = models.CharField("状态", max_length=12, choices=MonthState.choices, default=MonthState.FROZEN)
    snapshot = models.JSONField("冻结数据", default=dict)
    typical_cases = models.TextField("典型案例", blank=True, help_text="每段一个案例，空行分隔；不得含服务对象个人信息")
    # The tickets the manager chose as typical cases, by number, each with the manager's comment ("comment"); checked
    # when chosen (`reports.cases.validate`) and printed without personal data (Art. 23, 26).
    typical_tickets = models.JSONField("典型案例工单", default=list, blank=True)
    difficult_matters = models.TextField("督办及疑难事项说明", blank=True)
    review_note = models.TextField("审核意见", blank=True)
    closed_by = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("冻结时间")
    reviewed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # The published bulletin, rendered once at publication so a published month reads fast and never changes.
    docx = models.BinaryField("通报 DOCX", null=True, blank=True)
    pdf = models.BinaryField("通报 PDF", null=True, blank=True)
    xlsx = models.BinaryField("附件 XLSX", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "月度统计结账"
        constraints = [models.UniqueConstraint(fields=["platform", "year", "month"],
                                               name="one_close_per_platform_month"),
                       models.CheckConstraint(condition=models.Q(state__in=MonthState.values),
                                              name="month_close_state_valid")]
        ordering = ["-year", "-month"]

    def __str__(self) -> str:
        return f"{self.platform} {self.year}年{self.month}月"

    @property
    def title_number(self) -> str:
        return f"〔{self.year}〕第{self.number}期"

    @classmethod
    def city(cls) -> models.QuerySet[MonthClose]:
        """The city platform's months, the city-wide bulletins (Art. 26); a county's own months are not among them."""
        return cls.objects.filter(platform__parent__isnull=True)

    @property
    def is_city(self) -> bool:
        """The city platform's month: the city-wide bulletin (Art. 26)."""
        return self.platform.is_root


class RuleSet(models.Model):
    """A year's assessment rules as data (Art. 27): rate items, deductions per occurrence with caps, bonus items.

    `items` is a list of objects, see docs/statistics.md § Assessment; a new version is a new row, and each closed
    month records the version it was scored with."""

    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=100)
    basis = models.TextField("依据说明", blank=True)
    items = models.JSONField("考评项目", default=list)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评规则"
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="one_rule_set_version")]
        ordering = ["-year", "-version"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}（第{self.version}版）"


class AssessmentEntry(models.Model):
    """An assessment item entered by the hotline with its evidence: higher-level items (national-platform tickets,
    leaders' instructions, public criticism), a missing emergency reply script, bonuses (Art. 27)."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("所属月份", help_text="该月第一天")
    item = models.CharField("考评项目编码", max_length=40)
    count = models.PositiveSmallIntegerField("次数", default=1)
    note = models.TextField("情况说明")
    evidence = models.CharField("证据（文号、工单编号或链接）", max_length=300)
    entered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考评录入事项"
        indexes = [models.Index(fields=["month", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m} {self.item}"
