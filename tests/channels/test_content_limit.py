"""Long content: the limit is shown as the user types and a longer text is refused with a clear message, never
cut; characters are counted as the server counts them (an emoji is one, a line break is one)."""

from __future__ import annotations

from hotline.channels.desk_forms import CallForm
from hotline.lib.textlimit import count_chars
from hotline.tickets.models import Ticket
from hotline.tickets.workflow import MAX_CONTENT_CHARS
from hotline.web.forms import NewTicketForm
from tests.base import HotlineTestCase


class TestContentLimit(HotlineTestCase):
    def test_the_textarea_has_no_maxlength_for_the_browser_to_cut_a_paste_with(self):
        for form in (CallForm(), NewTicketForm()):
            html = str(form["content"])
            assert "maxlength" not in html and f'data-max-chars="{MAX_CONTENT_CHARS}"' in html

    def test_it_counts_an_emoji_and_a_line_break_as_one(self):
        assert count_chars("路灯😀\r\n不亮") == 6

    def test_it_refuses_too_long_content_saying_the_limit_and_the_count(self):
        self.client.force_login(self.operator)
        content = "路灯不亮😀" * 1812  # 9,060 characters, 10,872 UTF-16 code units
        response = self.client.post("/desk/call/", {"phone": "13912345678", "channel": "phone",
                                                    "request_type": "help", "content": content,
                                                    "action": "transfer"})
        body = response.content.decode()
        assert response.status_code == 400
        assert f"诉求内容不能超过{MAX_CONTENT_CHARS}字，当前9060字" in body
        assert not Ticket.objects.exists()

    def test_it_takes_exactly_the_limit_with_emoji_and_line_breaks(self):
        self.client.force_login(self.operator)
        content = ("灯😀\r\n" * (MAX_CONTENT_CHARS // 3)) + "灯" * (MAX_CONTENT_CHARS % 3)
        response = self.client.post("/desk/", {"channel": "phone", "request_type": "help", "content": content})
        assert response.status_code == 302
        assert len(Ticket.objects.get().content) <= MAX_CONTENT_CHARS

    def test_the_call_desks_suggestions_take_long_content_in_the_body_not_the_url(self):
        # A GET with 9,060 characters in its query string is refused by servers as too long (414).
        self.client.force_login(self.operator)
        page = self.client.get("/desk/call/").content.decode()
        assert "hx-post=\"/desk/call/assist/\"" in page
        response = self.client.post("/desk/call/assist/", {"content": "路灯不亮，晚上很黑😀" * 900})
        assert response.status_code == 200
