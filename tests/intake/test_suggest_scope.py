"""A county sub-centre's desk is suggested only its platform's units (Art. 30); the city's desk any unit."""

from hotline.directory.models import Topic
from hotline.intake.suggest import suggest_for_ticket
from tests.platforms import PlatformsTestCase


class TestSuggestionsWithinThePlatform(PlatformsTestCase):
    def test_a_county_desk_is_not_offered_a_unit_it_may_not_dispatch_to(self):
        Topic.objects.filter(pk=self.topic_streetlight.pk).update(keywords="路灯")  # no model: keywords suggest
        ticket = self.county_ticket(self.operator_sq, content="建设路路灯不亮，晚上很黑", address="建设路")
        offered = {s.lead_unit for s in suggest_for_ticket(ticket).items}
        outside = {u for u in offered if u.platform_id != self.shuangqing.pk}
        assert outside, "the example needs a suggestion of a unit outside the county"
        self.client.force_login(self.dispatcher_sq)
        page = self.client.get(f"/routing/suggest/{ticket.number}/").content.decode()
        assert not [u.name for u in outside if u.name in page]
        self.client.force_login(self.dispatcher)
        page = self.client.get(f"/routing/suggest/{ticket.number}/").content.decode()
        assert all(u.name in page for u in outside)
