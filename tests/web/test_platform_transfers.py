"""The hops between platforms on the screens (Art. 30): the city desk hands a ticket down from its page, the county
desk finds it in its 平台移交 tab and signs it, and passes a city department's matter up with a reason."""

from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket
from hotline.web.timefmt import format_due
from tests.platforms import PlatformsTestCase


class TestTransferScreens(PlatformsTestCase):
    def setUp(self):
        self.at_city = self.new_ticket(title="市平台受理")

    def test_the_city_hands_down_the_county_signs_from_its_tab(self):
        self.client.force_login(self.dispatcher)
        page = self.client.get(f"/tickets/{self.at_city.number}/").content.decode()
        assert "下派分中心" in page and self.shuangqing.name in page
        assert "上交上级平台" not in page  # the city has nothing above it
        response = self.client.post(f"/tickets/{self.at_city.number}/hand_down/",
                                    {"platform": self.shuangqing.pk, "note": "属双清区事项"})
        assert response.status_code == 302
        ticket = Ticket.objects.get(pk=self.at_city.pk)
        assert (ticket.status, ticket.platform) == (Status.TRANSFERRING, self.shuangqing)

        self.client.force_login(self.dispatcher_sq)
        desk = self.client.get("/desk/?queue=transfers")
        assert list(desk.context["rows"]) == [ticket]
        self.assertContains(desk, "平台移交")
        self.assertContains(desk, format_due(ticket.sign_due))  # the signing deadline counts down in the row
        page = self.client.get(f"/tickets/{ticket.number}/").content.decode()
        assert "签收（平台移交）" in page and "待平台签收" in page
        assert self.client.post(f"/tickets/{ticket.number}/platform_sign/").status_code == 302
        assert Ticket.objects.get(pk=ticket.pk).status == Status.PENDING_DISPATCH

    def test_the_other_county_cannot_sign_it(self):
        self.client.force_login(self.dispatcher)
        self.client.post(f"/tickets/{self.at_city.number}/hand_down/", {"platform": self.shuangqing.pk})
        self.client.force_login(self.dispatcher_xs)
        assert self.client.post(f"/tickets/{self.at_city.number}/platform_sign/").status_code == 404
        self.client.force_login(self.dispatcher)
        page = self.client.get(f"/tickets/{self.at_city.number}/").content.decode()
        assert "签收（平台移交）" not in page  # the city waits for the county
        assert self.client.post(f"/tickets/{self.at_city.number}/platform_sign/").status_code == 403

    def test_a_county_passes_up_with_a_reason_in_chinese(self):
        ticket = self.county_ticket(self.operator_sq)
        self.client.force_login(self.dispatcher_sq)
        page = self.client.get(f"/tickets/{ticket.number}/").content.decode()
        assert "上交上级平台" in page and "下派分中心" not in page  # Shuangqing has no township below it
        response = self.client.post(f"/tickets/{ticket.number}/pass_up/", {"reason": ""})
        assert response.status_code == 400
        self.assertContains(response, "上交理由", status_code=400)
        assert Ticket.objects.get(pk=ticket.pk).status == Status.PENDING_DISPATCH
        response = self.client.post(f"/tickets/{ticket.number}/pass_up/", {"reason": "属市住建局职责"})
        assert response.status_code == 302
        assert Ticket.objects.get(pk=ticket.pk).platform == self.city
