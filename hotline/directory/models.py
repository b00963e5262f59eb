"""Units (承办单位) as a tree, staff with roles, and the topic taxonomy mapped to units (派单目录)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from hotline.directory.choices import HOTLINE_ROLES, EmergencyCategory, Role, UnitKind


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

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

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

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_hotline(self) -> bool:
        """Hotline staff see every ticket; unit staff only their unit's."""
        return self.role in HOTLINE_ROLES

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
