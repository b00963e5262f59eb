"""request_return: a unit says a ticket is not its own, from the desk on the signing day or within 2 working days after
on-site verification, with reason, basis, a suggested unit and photos for manholes and poles (Art. 13)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, AttachmentPurpose, ReviewState, Status
from hotline.tickets.models import Attachment
from tests.base import local
from tests.tickets.support import MINUTE, MONDAY, WorkflowTestCase, photo

SIGNING_DAY_END = local(2026, 3, 10)  # signed Monday 10:00: 24:00 on Monday
ONSITE_END = local(2026, 3, 12)  # 2 working days after signing: 24:00 on Wednesday


def desk(ticket, by, **extra):
    return workflow.request_return(ticket, by=by, kind="desk", reason="不属于本单位职责", basis="三定方案", **extra)


def onsite(ticket, by, **extra):
    extra.setdefault("suggested_unit", extra.pop("suggested", None))
    return workflow.request_return(ticket, by=by, kind="onsite", reason="现场核实为住建职责", basis="现场核实",
                                   **extra)


class TestDeskReturn(WorkflowTestCase):
    def test_it_returns_a_signed_ticket_on_the_signing_day(self):
        ticket = self.signed_ticket()
        self.move_to(SIGNING_DAY_END - MINUTE)
        rr = desk(ticket, self.unit_a_handler, suggested_unit=self.unit_b)
        stored = self.reload(ticket)
        assert stored.status == Status.RETURN_REQUESTED
        assert (rr.kind, rr.unit, rr.suggested_unit, rr.prior_status) == ("desk", self.unit_a, self.unit_b,
                                                                           Status.IN_PROGRESS)
        assert (rr.state, rr.requested_by, rr.requested_at) == (ReviewState.PENDING, self.unit_a_handler,
                                                                 SIGNING_DAY_END - MINUTE)
        event = self.assert_event(ticket, 3, action=Action.REQUEST_RETURN, actor=self.unit_a_handler,
                                  unit=self.unit_a, frm=Status.IN_PROGRESS, to=Status.RETURN_REQUESTED,
                                  article="第十三条")
        assert event.data == {"return_request": rr.pk, "kind": "desk"}

    def test_it_returns_an_unsigned_ticket_before_the_signing_deadline(self):
        ticket = self.dispatched_ticket()
        self.move_to(local(2026, 3, 11) - MINUTE)
        assert desk(ticket, self.unit_a_handler).prior_status == Status.DISPATCHED

    def test_it_refuses_a_desk_return_a_minute_after_the_signing_day(self):
        ticket = self.signed_ticket()
        self.move_to(SIGNING_DAY_END + MINUTE)
        self.assert_refused(TransitionNotAllowed, desk, ticket, self.unit_a_handler, code="return_window_closed")

    def test_it_refuses_a_desk_return_once_the_ticket_is_deemed_signed(self):
        ticket = self.dispatched_ticket()
        self.move_to(local(2026, 3, 11) + MINUTE)
        workflow.deem_signed(ticket)
        self.assert_refused(TransitionNotAllowed, desk, ticket, self.unit_a_handler, code="return_window_closed")


    def test_it_says_a_return_is_already_waiting_for_review_rather_than_the_window_closed(self):
        ticket = self.signed_ticket()
        desk(ticket, self.unit_a_handler)
        error = self.assert_refused(TransitionNotAllowed, desk, ticket, self.unit_a_manager, code="return_pending")
        assert "等待热线审核" in error.message
        self.assert_refused(TransitionNotAllowed, onsite, ticket, self.unit_a_manager, code="return_pending",
                            suggested=self.unit_b)


class TestOnsiteReturn(WorkflowTestCase):
    def test_it_returns_within_two_working_days_of_signing_with_a_suggested_unit(self):
        ticket = self.signed_ticket()
        self.move_to(ONSITE_END - MINUTE)
        rr = onsite(ticket, self.unit_a_manager, suggested=self.unit_b)
        assert (rr.kind, rr.suggested_unit) == ("onsite", self.unit_b)
        self.assert_event(ticket, 3, action=Action.REQUEST_RETURN, actor=self.unit_a_manager, unit=self.unit_a,
                          frm=Status.IN_PROGRESS, to=Status.RETURN_REQUESTED, article="第十三条")

    def test_it_refuses_an_onsite_return_a_minute_after_two_working_days(self):
        ticket = self.signed_ticket()
        self.move_to(ONSITE_END + MINUTE)
        self.assert_refused(TransitionNotAllowed, onsite, ticket, self.unit_a_handler, suggested=self.unit_b,
                            code="return_window_closed")

    def test_it_counts_the_onsite_window_of_a_deemed_ticket_from_its_signing_day(self):
        ticket = self.dispatched_ticket()
        self.move_to(local(2026, 3, 11) + MINUTE)
        workflow.deem_signed(ticket)
        self.move_to(local(2026, 3, 13) - MINUTE)  # Thursday 23:59: two working days after Tuesday
        onsite(ticket, self.unit_a_handler, suggested=self.unit_b)
        assert self.reload(ticket).status == Status.RETURN_REQUESTED

    def test_it_refuses_an_onsite_return_before_signing(self):
        self.assert_refused(TransitionNotAllowed, onsite, self.dispatched_ticket(), self.unit_a_handler,
                            suggested=self.unit_b)

    def test_it_refuses_an_onsite_return_without_a_suggested_unit(self):
        self.assert_refused(InvalidInput, onsite, self.signed_ticket(), self.unit_a_handler,
                            field="suggested_unit", code="suggested_unit_required")

    def test_it_refuses_suggesting_the_unit_itself_or_the_hotline(self):
        ticket = self.signed_ticket()
        self.assert_refused(InvalidInput, onsite, ticket, self.unit_a_handler, suggested=self.unit_a,
                            field="suggested_unit", code="suggested_self")
        self.assert_refused(InvalidInput, onsite, ticket, self.unit_a_handler, suggested=self.hotline,
                            field="suggested_unit")

    def test_it_refuses_a_returned_reworked_ticket(self):
        ticket = self.resolved_ticket()
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="1",
                           solved=False, unit_contacted=False, fault="unit")
        self.assert_refused(TransitionNotAllowed, onsite, ticket, self.unit_a_handler, suggested=self.unit_b)
        self.assert_refused(TransitionNotAllowed, desk, ticket, self.unit_a_handler)


class TestReturnPhotos(WorkflowTestCase):
    def test_it_refuses_a_manhole_return_without_a_photo_whatever_the_route(self):
        ticket = self.signed_ticket(topic=self.topic_manhole)
        self.assert_refused(InvalidInput, onsite, ticket, self.unit_a_handler, suggested=self.unit_b,
                            field="photos", code="photo_required")
        self.assert_refused(InvalidInput, desk, ticket, self.unit_a_handler, field="photos", code="photo_required")

    def test_it_stores_the_photos_with_the_return_request_under_a_generated_name(self):
        ticket = self.signed_ticket(topic=self.topic_manhole)
        rr = onsite(ticket, self.unit_a_handler, suggested=self.unit_b, photos=[photo("../../etc/井盖.png")])
        stored = Attachment.objects.get()
        assert (stored.return_request, stored.purpose, stored.content_type) == (rr, AttachmentPurpose.RETURN_PHOTO,
                                                                                "image/png")
        assert (stored.original_name, stored.uploaded_at) == ("井盖.png", MONDAY)
        assert stored.file.name.startswith("attachments/2026/03/") and stored.file.name.endswith(".png")
        assert ticket.number in stored.file.name

    def test_it_refuses_a_photo_that_is_not_an_image_and_stores_nothing(self):
        ticket = self.signed_ticket(topic=self.topic_manhole)
        fake = photo("site.png", b"MZ\x90\x00 not an image", "image/png")
        self.assert_refused(InvalidInput, onsite, ticket, self.unit_a_handler, suggested=self.unit_b, photos=[fake],
                            field="photos", code="file_type_not_allowed")
        assert not Attachment.objects.exists()


class TestReturnRefusals(WorkflowTestCase):
    def test_it_refuses_another_unit_an_assisting_unit_and_hotline_staff(self):
        ticket = self.new_ticket()
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        workflow.sign(ticket, by=self.unit_a_handler)
        for person in (self.unit_b_handler, self.unit_c_handler, self.dispatcher, self.reviewer):
            self.assert_refused(Forbidden, desk, ticket, person)

    def test_it_refuses_missing_reason_basis_or_kind(self):
        ticket = self.signed_ticket()
        call = workflow.request_return
        self.assert_refused(InvalidInput, call, ticket, by=self.unit_a_handler, kind="desk", reason=" ", basis="b",
                            field="reason")
        self.assert_refused(InvalidInput, call, ticket, by=self.unit_a_handler, kind="desk", reason="r", basis="",
                            field="basis")
        self.assert_refused(InvalidInput, call, ticket, by=self.unit_a_handler, kind="phone", reason="r", basis="b",
                            field="kind")

    def test_it_refuses_a_second_request_while_one_is_pending(self):
        ticket = self.signed_ticket()
        desk(ticket, self.unit_a_handler)
        self.assert_refused(TransitionNotAllowed, desk, ticket, self.unit_a_handler)

    def test_it_refuses_a_ticket_already_replied(self):
        ticket = self.replied_ticket()
        self.assert_refused(TransitionNotAllowed, desk, ticket, self.unit_a_handler)
