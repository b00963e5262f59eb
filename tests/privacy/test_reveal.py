"""Masked values for units; revealing one in full is a named-role, reasoned, logged action (Art. 23)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from hotline.lib.errors import Forbidden
from hotline.privacy.models import AccessLog, SecurityEvent, SecurityKind
from hotline.privacy.reveal import access_log, export_access_log, mask_ip, masked, reveal
from tests.base import HotlineTestCase

PERSON = {"name": "欧阳金丝雀", "phone": "13987654321", "id_number": "430502198807164219",
          "address": "双清区金丝雀巷17号402室", "ip": "203.0.113.77"}


class TestMasking(HotlineTestCase):
    def test_it_masks_each_field_the_way_unit_staff_see_it(self):
        requester = self.new_ticket(requester=PERSON).requester
        assert masked(requester, "phone") == "139****4321"
        assert masked(requester, "name") == "欧****"
        assert masked(requester, "id_number") == "430502********4219"
        assert masked(requester, "address") == "双清区金丝雀****"
        assert masked(requester, "ip") == mask_ip("203.0.113.77") == "203.0.*.*"


class TestReveal(HotlineTestCase):
    def setUp(self):
        self.ticket = self.dispatched_ticket(requester=PERSON)

    def _refused(self, by, code: str, target=None, reason: str = "回访核实") -> None:
        with pytest.raises(Forbidden) as err:
            reveal(target or self.ticket, "phone", by=by, reason=reason)
        assert err.value.code == f"reveal_{code}"
        row = AccessLog.objects.latest("id")
        assert (row.staff, row.allowed, row.refusal, row.field) == (by, False, code, "phone")

    def test_it_reveals_to_the_hotline_manager_reviewer_and_followup_agent_and_logs_each(self):
        for staff in (self.manager, self.reviewer, self.followup):
            assert reveal(self.ticket, "phone", by=staff, reason="回访核实", ip="10.0.0.8") == "13987654321"
        rows = list(AccessLog.objects.order_by("id"))
        assert [(r.staff, r.allowed, r.ticket, r.reason, r.ip) for r in rows] == [
            (s, True, self.ticket, "回访核实", "10.0.0.8") for s in (self.manager, self.reviewer, self.followup)]
        assert SecurityEvent.objects.filter(kind=SecurityKind.REVEAL).count() == 3

    def test_it_reveals_to_the_lead_unit_s_manager_with_a_reason(self):
        assert reveal(self.ticket, "address", by=self.unit_a_manager, reason="上门核实") == PERSON["address"]
        row = AccessLog.objects.get()
        assert (row.unit, row.field, row.allowed) == (self.unit_a, "address", True)

    def test_it_refuses_without_a_reason_even_the_manager(self):
        self._refused(self.manager, "reason_required", reason="  ")

    def test_it_refuses_unit_handlers_operators_and_other_units(self):
        self._refused(self.unit_a_handler, "role_not_allowed")
        self._refused(self.operator, "role_not_allowed")
        self._refused(self.unit_b_handler, "role_not_allowed")

    def test_it_refuses_a_unit_manager_whose_unit_does_not_lead_the_ticket(self):
        other = self.new_ticket(requester=PERSON)
        self._refused(self.unit_a_manager, "not_lead_unit", target=other)

    def test_it_refuses_the_unit_on_a_confidential_ticket_but_not_the_hotline(self):
        noise = self.dispatched_ticket(requester=PERSON, topic=self.topic_noise)  # Art. 23: noise is confidential
        assert noise.is_confidential
        self._refused(self.unit_a_manager, "confidential", target=noise)
        assert reveal(noise, "name", by=self.followup, reason="回访") == PERSON["name"]

    def test_it_refuses_a_unit_manager_going_through_the_requester_instead_of_a_ticket(self):
        self._refused(self.unit_a_manager, "ticket_required", target=self.ticket.requester)

    def test_it_writes_a_security_event_for_each_refusal(self):
        self._refused(self.unit_a_handler, "role_not_allowed")
        event = SecurityEvent.objects.get(kind=SecurityKind.REVEAL_REFUSED)
        assert (event.staff, event.ticket) == (self.unit_a_handler, self.ticket)


class TestAccessLogForTheManager(HotlineTestCase):
    def setUp(self):
        self.ticket = self.dispatched_ticket(requester=PERSON)
        reveal(self.ticket, "phone", by=self.reviewer, reason="=HYPERLINK(\"http://x\")")
        with pytest.raises(Forbidden):
            reveal(self.ticket, "phone", by=self.unit_a_handler, reason="想看")

    def test_it_lets_only_the_hotline_manager_read_the_log(self):
        assert access_log(self.manager).count() == 2
        for staff in (self.reviewer, self.unit_a_manager):
            with pytest.raises(Forbidden):
                access_log(staff)

    def test_it_exports_csv_with_formula_cells_defused_and_records_the_export(self):
        out = io.StringIO()
        assert export_access_log(self.manager, out) == 2
        rows = list(csv.reader(io.StringIO(out.getvalue())))
        assert rows[0][:5] == ["时间", "查看人", "所属单位", "工单编号", "字段"]
        by_staff = {r[1]: r for r in rows[1:]}
        assert by_staff["reviewer"][5].startswith("'=")  # a spreadsheet shows it, does not run it
        assert (by_staff["unit_a_handler"][6], by_staff["unit_a_handler"][3]) == ("拒绝", self.ticket.number)
        assert SecurityEvent.objects.filter(kind=SecurityKind.ACCESS_LOG_EXPORT, staff=self.manager).exists()

    def test_it_exports_from_the_command_line_as_the_manager(self):
        out = io.StringIO()
        call_command("audit", "access-log", "--by", "manager", stdout=out, stderr=io.StringIO())
        assert out.getvalue().count("\n") == 3
