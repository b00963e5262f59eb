"""The personas every test speaks of (STYLE 10): one hotline, two units, a topic tree, and a login per role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase
from django.utils import timezone

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Topic, Unit
from hotline.tickets import workflow
from hotline.tickets.models import Ticket

PASSWORD = "Persona-Pass-2026"


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A Beijing-time moment, for freezing the clock around deadlines."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def make_directory() -> dict[str, Any]:
    """Units, topics and staff shared by the test suite; returns them by persona name."""
    hotline = Unit.objects.create(code="hotline", name="市政务热线服务中心", kind=UnitKind.HOTLINE)
    county = Unit.objects.create(code="shuangqing", name="双清区", kind=UnitKind.COUNTY)
    unit_a = Unit.objects.create(code="cgzf", name="市城管执法局", kind=UnitKind.CITY_DEPARTMENT, responds_24h=True)
    unit_b = Unit.objects.create(code="zjj", name="市住房和城乡建设局", kind=UnitKind.CITY_DEPARTMENT)
    unit_c = Unit.objects.create(code="sq-cgj", name="双清区城管局", kind=UnitKind.COUNTY_DEPARTMENT, parent=county)
    root = Topic.objects.create(code="01", name="城市管理")
    streetlight = Topic.objects.create(code="0101", name="路灯照明", parent=root, default_unit=unit_a)
    manhole = Topic.objects.create(code="0102", name="井盖缺失", parent=root, default_unit=unit_a,
                                   needs_onsite_photo=True)
    noise = Topic.objects.create(code="0103", name="噪音扰民", parent=root, default_unit=unit_a,
                                 always_confidential=True, needs_arrival_within_hour=True)
    housing = Topic.objects.create(code="02", name="住房保障", default_unit=unit_b)
    statutory = Topic.objects.create(code="0201", name="政府信息公开", parent=housing, default_unit=unit_b,
                                     statutory_working_days=20)

    def staff(username: str, role: str, unit: Unit | None = None) -> Staff:
        user = Staff.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit,
                                         display_name=username)
        return user

    return {
        "hotline": hotline, "county": county, "unit_a": unit_a, "unit_b": unit_b, "unit_c": unit_c,
        "topic_streetlight": streetlight, "topic_manhole": manhole, "topic_noise": noise, "topic_housing": housing,
        "topic_statutory": statutory,
        "operator": staff("operator", Role.OPERATOR, hotline),
        "dispatcher": staff("dispatcher", Role.DISPATCHER, hotline),
        "reviewer": staff("reviewer", Role.REVIEWER, hotline),
        "followup": staff("followup", Role.FOLLOWUP, hotline),
        "supervisor": staff("supervisor", Role.SUPERVISOR, hotline),
        "manager": staff("manager", Role.MANAGER, hotline),
        "unit_a_handler": staff("unit_a_handler", Role.UNIT_HANDLER, unit_a),
        "unit_a_manager": staff("unit_a_manager", Role.UNIT_MANAGER, unit_a),
        "unit_b_handler": staff("unit_b_handler", Role.UNIT_HANDLER, unit_b),
        "unit_c_handler": staff("unit_c_handler", Role.UNIT_HANDLER, unit_c),
    }


class PersonaMixin:
    """Gives `self.operator`, `self.dispatcher`, `self.unit_a_handler`, ... and ticket-making shortcuts."""

    operator: Staff
    dispatcher: Staff
    reviewer: Staff
    followup: Staff
    supervisor: Staff
    manager: Staff
    unit_a_handler: Staff
    unit_a_manager: Staff
    unit_b_handler: Staff
    unit_c_handler: Staff
    unit_a: Unit
    unit_b: Unit
    unit_c: Unit

    @classmethod
    def make_personas(cls) -> None:
        for name, value in make_directory().items():
            setattr(cls, name, value)

    def new_ticket(self, **overrides: Any) -> Ticket:
        fields: dict[str, Any] = {
            "channel": "phone", "request_type": "complaint", "content": "小区门口路灯不亮已经一周",
            "address": "双清区龙须塘街道", "requester": {"name": "张三", "phone": "13987654321"},
        }
        fields.update(overrides)
        return workflow.create_ticket(by=self.operator, **fields)

    def dispatched_ticket(self, **overrides: Any) -> Ticket:
        ticket = self.new_ticket(**overrides)
        return workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)

    def signed_ticket(self, **overrides: Any) -> Ticket:
        return workflow.sign(self.dispatched_ticket(**overrides), by=self.unit_a_handler)

    def replied_ticket(self, **overrides: Any) -> Ticket:
        ticket = self.signed_ticket(**overrides)
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="现场查看并更换灯具", result="路灯已修复", contact_note="电话告知服务对象",
                       contacted=True)
        return ticket

    def resolved_ticket(self, **overrides: Any) -> Ticket:
        ticket = self.replied_ticket(**overrides)
        return workflow.review_reply(ticket, by=self.reviewer, approve=True)


class HotlineTestCase(PersonaMixin, TestCase):
    """A database test with the personas created once per class."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()
