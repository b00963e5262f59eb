"""Units (承办单位) as a tree, staff with roles, and the topic taxonomy mapped to units (派单目录)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from hotline.directory.choices import HOTLINE_ROLES, DutyKind, EmergencyCategory, PlatformKind, Role, UnitKind
from hotline.vault.fields import EncryptedTextField

ROOT_PLATFORM_CODE = "city"  # the platform the data migration creates and every existing row belongs to


class Platform(models.Model):
    """A 12345 platform in one deployment (Art. 7, 30): the city platform at the root, its counties' (and townships')
    sub-centres below it, each with its own desk staff over its own units."""

    code = models.SlugField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("层级", max_length=16, choices=PlatformKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级平台", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "热线平台"
        ordering = ["id"]
        constraints = [
            # One root, the city platform; every other platform hangs below it.
            models.CheckConstraint(condition=models.Q(parent__isnull=True, kind=PlatformKind.CITY)
                                   | (models.Q(parent__isnull=False) & ~models.Q(kind=PlatformKind.CITY)),
                                   name="platform_root_is_the_city"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(parent__isnull=True),
                                    name="one_root_platform"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_root(self) -> bool:
        """The city platform: its desk staff see every platform's tickets."""
        return self.parent_id is None

    def subtree_ids(self) -> list[int]:
        """This platform and every platform below it (a county and its townships), breadth first."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Platform.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


def root_platform_id() -> int:
    """The city platform's id, created on first use where no migration made it (a flushed test database). Rows saved
    without a platform belong to it, as everything did before sub-centres (`save` of units, staff and tickets)."""
    root = Platform.objects.filter(parent__isnull=True).order_by("id").first()
    if root is None:
        root = Platform.objects.create(code=ROOT_PLATFORM_CODE, name="市12345热线平台", kind=PlatformKind.CITY)
    return root.pk


class Unit(models.Model):
    """A handling unit: city department, county and its departments, utility, or the hotline itself (Art. 5, 6)."""

    code = models.SlugField("编码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    # Art. 20: these units run a 24-hour response and act at once on outages, fumes and noise.
    responds_24h = models.BooleanField("24小时响应", default=False)
    # Art. 12.2: the city unit that takes disasters and accidents, public health, or social security matters.
    handles_emergency = models.CharField("承接紧急事项类别", max_length=32, choices=EmergencyCategory.choices,
                                         blank=True)
    phone = models.CharField("值班电话", max_length=32, blank=True)
    is_active = models.BooleanField("启用", default=True)
    # Art. 30: a county's units are dispatched by the county's sub-centre; the city's by the city platform.
    platform = models.ForeignKey(Platform, verbose_name="所属平台",
                                 on_delete=models.PROTECT, related_name="units")

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.platform_id is None:
            self.platform_id = root_platform_id()
        super().save(*args, **kwargs)

    @property
    def county(self) -> Unit | None:
        """The county-level unit this unit belongs to (属地), or None for city-level units."""
        node: Unit | None = self
        while node is not None:
            if node.kind == UnitKind.COUNTY:
                return node
            node = node.parent
        return None


class Staff(AbstractUser):
    """A person who logs in: hotline staff (no unit or the hotline unit) or a unit's clerk, with one role."""

    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.OPERATOR)
    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="staff")
    display_name = models.CharField("姓名", max_length=50, blank=True)
    # The platform whose desk a hotline role sits at (Art. 30); a unit's clerk belongs to the unit's platform.
    platform = models.ForeignKey(Platform, verbose_name="所属平台",
                                 on_delete=models.PROTECT, related_name="staff")

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.platform_id is None:
            self.platform_id = root_platform_id()
        super().save(*args, **kwargs)

    @property
    def is_hotline(self) -> bool:
        """Hotline staff see every ticket; unit staff only their unit's."""
        return self.role in HOTLINE_ROLES

    @property
    def is_city_hotline(self) -> bool:
        """Hotline staff of the city platform: they see every platform's tickets, units and statistics."""
        return self.is_hotline and self.platform.is_root

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class Topic(models.Model):
    """A subject in the hierarchical taxonomy (事项分类), mapped to a default lead unit (the dispatch catalogue)."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey("self", verbose_name="上级分类", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    default_unit = models.ForeignKey(Unit, verbose_name="默认承办单位", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="topics")
    # Art. 12.2: for county matters the county handles (属地管理) unless the topic is city-level only.
    local_first = models.BooleanField("属地优先", default=True)
    # Art. 14.4: a limit set by law overrides the default handling limits.
    statutory_working_days = models.PositiveSmallIntegerField("法定办理时限(工作日)", null=True, blank=True)
    # Art. 13: manhole covers, poles and the like need on-site photos before a return.
    needs_onsite_photo = models.BooleanField("退回需现场图片", default=False)
    # Art. 23: complaints about illegal building, demolition, fumes and noise never reveal the complainant.
    always_confidential = models.BooleanField("投诉人信息保密", default=False)
    # Art. 20: fumes and noise need an on-site arrival within 1 hour of dispatch.
    needs_arrival_within_hour = models.BooleanField("1小时到场", default=False)
    # Art. 20: water, power and gas outages are handled at once by 24-hour units.
    is_outage = models.BooleanField("停水停电停气", default=False)
    # Art. 20: how soon a 24-hour unit must sign an outage or other livelihood ticket (接诉即办), in clock minutes;
    # empty means the clock table's default for outages, and no response clock for other topics.
    response_minutes = models.PositiveSmallIntegerField("即时响应时限(分钟)", null=True, blank=True,
                                                        help_text="24小时响应单位须在此时限内签收；留空则停水停电停气按30分钟")
    emergency_category = models.CharField("紧急事项类别", max_length=32, choices=EmergencyCategory.choices,
                                          blank=True)
    keywords = models.CharField("关键词", max_length=300, blank=True, help_text="以逗号分隔，用于派单建议")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "事项分类"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def path_names(self) -> list[str]:
        names: list[str] = []
        node: Topic | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return list(reversed(names))


class DutySlot(models.Model):
    """A leader's answering day or a unit head's rotation at the hotline (Art. 8): who, when, and what about."""

    kind = models.CharField("类型", max_length=16, choices=DutyKind.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    person = models.CharField("接听人", max_length=50)
    office = models.CharField("职务", max_length=100)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="duty_slots")
    scope = models.TextField("接听事项范围")
    notice = models.TextField("公告", blank=True)
    created_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "领导接听与轮值安排"
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="duty_slot_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"


class DutyRoster(models.Model):
    """A 24-hour unit's duty roster for one month (Art. 20, 27: "未按要求及时提供24小时值班表" is assessed)."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="rosters")
    month = models.DateField("月份")  # the first day of the month
    due_at = models.DateTimeField("报送截止")
    submitted_at = models.DateTimeField("首次报送时间")
    updated_at = models.DateTimeField("最近更新")
    # Art. 27: measured on the first complete roster; a later correction does not make a timely roster late.
    is_late = models.BooleanField("逾期报送", default=False)
    submitted_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "24小时值班表"
        ordering = ["-month", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_roster_per_unit_month")]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"


class DutyRosterEntry(models.Model):
    """One shift of a roster: from, to, who, and their phone (personal data, encrypted like a requester's)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    roster = models.ForeignKey(DutyRoster, on_delete=models.CASCADE, related_name="entries")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    person = models.CharField("值班人", max_length=50)
    phone = EncryptedTextField("值班电话")

    class Meta:
        verbose_name = verbose_name_plural = "值班班次"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]


class DutyRosterRefusal(models.Model):
    """A roster refused for a gap in 24×7 coverage, kept for the assessment (Art. 27) and shown to the unit."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="roster_refusals")
    month = models.DateField("月份")
    at = models.DateTimeField("报送时间")
    by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("退回原因")

    class Meta:
        verbose_name = verbose_name_plural = "值班表退回记录"
        ordering = ["-at"]
