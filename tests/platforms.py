"""Two county sub-centres under the city platform (Art. 30), with their desk staff and units, for scope tests."""

from __future__ import annotations

from typing import Any

from hotline.directory.choices import PlatformKind, Role, UnitKind
from hotline.directory.models import Platform, Staff, Unit, root_platform_id
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.base import PASSWORD, HotlineTestCase


class PlatformsTestCase(HotlineTestCase):
    """The personas of `tests.base` at the city platform, plus the Shuangqing and Xinshao sub-centres: the existing
    双清区 units move under Shuangqing, Xinshao gets a department of its own, and each has an operator and a
    dispatcher (`operator_sq`, `dispatcher_sq`, `operator_xs`, ...)."""

    city: Platform
    shuangqing: Platform
    xinshao: Platform
    unit_x: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.city = Platform.objects.get(pk=root_platform_id())
        cls.shuangqing = Platform.objects.create(code="shuangqing", name="双清区12345分中心",
                                                 kind=PlatformKind.COUNTY, parent=cls.city)
        cls.xinshao = Platform.objects.create(code="xinshao", name="新邵县12345分中心", kind=PlatformKind.COUNTY,
                                              parent=cls.city)
        Unit.objects.filter(pk__in=[cls.unit_c.pk, cls.unit_c.parent_id]).update(platform=cls.shuangqing)
        cls.unit_c.refresh_from_db()
        Staff.objects.filter(pk=cls.unit_c_handler.pk).update(platform=cls.shuangqing)
        county_x = Unit.objects.create(code="xinshao", name="新邵县", kind=UnitKind.COUNTY, platform=cls.xinshao)
        cls.unit_x = Unit.objects.create(code="xs-cgj", name="新邵县城管局", kind=UnitKind.COUNTY_DEPARTMENT,
                                         parent=county_x, platform=cls.xinshao)
        for suffix, platform in (("sq", cls.shuangqing), ("xs", cls.xinshao)):
            for role in (Role.OPERATOR, Role.DISPATCHER, Role.REVIEWER, Role.FOLLOWUP, Role.SUPERVISOR,
                         Role.MANAGER):
                user = Staff.objects.create_user(username=f"{role}-{platform.code}", password=PASSWORD, role=role,
                                                 platform=platform, display_name=f"{platform.name}{role}")
                setattr(cls, f"{role}_{suffix}", user)
        cls.xs_handler = Staff.objects.create_user(username="xs_handler", password=PASSWORD,
                                                   role=Role.UNIT_HANDLER, unit=cls.unit_x, platform=cls.xinshao)

    def county_ticket(self, desk: Staff, **overrides: Any) -> Ticket:
        """A ticket taken at `desk`'s sub-centre."""
        fields: dict[str, Any] = {
            "channel": "phone", "request_type": "complaint", "content": "小区门口垃圾堆放多日无人清理",
            "address": "县城某小区", "requester": {"name": "李四", "phone": "13912345678"},
        }
        fields.update(overrides)
        return workflow.create_ticket(by=desk, **fields)

