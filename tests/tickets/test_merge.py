"""merge: a repeated request joins the original ticket (Art. 10.4)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestMerge(WorkflowTestCase):
    def test_it_merges_a_repeat_into_the_original(self):
        original, repeat = self.dispatched_ticket(), self.new_ticket()
        workflow.merge(repeat, by=self.operator, into=original, note="同一路灯")
        stored = self.reload(repeat)
        assert (stored.status, stored.merged_into, stored.closed_at) == (Status.MERGED, original, MONDAY)
        event = self.assert_event(repeat, 1, action=Action.MERGE, actor=self.operator, unit=self.operator.unit,
                                  frm=Status.PENDING_DISPATCH, to=Status.MERGED, article="第十条第四项")
        assert event.data == {"into": original.number, "repointed": []}
        assert self.reload(original).status == Status.DISPATCHED

    def test_it_merges_into_the_root_of_a_chain(self):
        root, middle, leaf = self.new_ticket(), self.new_ticket(), self.new_ticket()
        workflow.merge(middle, by=self.operator, into=root)
        workflow.merge(leaf, by=self.operator, into=middle)
        assert self.reload(leaf).merged_into == root

    def test_it_moves_earlier_repeats_along_when_their_original_is_merged(self):
        first, second, third = self.new_ticket(), self.new_ticket(), self.new_ticket()
        workflow.merge(second, by=self.operator, into=first)
        workflow.merge(first, by=self.operator, into=third)
        assert self.reload(second).merged_into == third
        assert first.events.last().data == {"into": third.number, "repointed": [second.number]}

    def test_it_refuses_to_merge_a_ticket_into_itself_directly_or_through_a_chain(self):
        first, second = self.new_ticket(), self.new_ticket()
        self.assert_refused(InvalidInput, workflow.merge, first, by=self.operator, into=first, field="into",
                            code="merge_into_self")
        workflow.merge(second, by=self.operator, into=first)
        # `first` is now the root of `second`; merging it into `second` would make a loop.
        self.assert_refused(InvalidInput, workflow.merge, first, by=self.operator, into=self.reload(second),
                            field="into", code="merge_into_self")

    def test_it_refuses_a_declined_or_handed_off_target(self):
        declined = workflow.decline(self.new_ticket(), by=self.operator, reason_code="9", explanation="骚扰")
        self.assert_refused(InvalidInput, workflow.merge, self.new_ticket(), by=self.operator, into=declined,
                            field="into", code="merge_target_invalid")

    def test_it_refuses_unit_staff(self):
        self.assert_refused(Forbidden, workflow.merge, self.new_ticket(), by=self.unit_a_handler,
                            into=self.new_ticket())

    def test_it_refuses_a_ticket_that_is_already_dispatched(self):
        self.assert_refused(TransitionNotAllowed, workflow.merge, self.dispatched_ticket(), by=self.operator,
                            into=self.new_ticket())
