"""The portal's small things: a captcha picture a citizen can read, and an icon for every page."""

from __future__ import annotations

import io
import re

from django.test import Client
from PIL import Image

from tests.base import HotlineTestCase


class TestPortalScreens(HotlineTestCase):
    def test_the_captcha_picture_is_large_enough_to_read(self):
        client = Client()
        html = client.get("/portal/").content.decode()
        src = re.search(r'<img[^>]+src="(/captcha/image/[0-9a-f]+/)"', html).group(1)
        picture = Image.open(io.BytesIO(client.get(src).content))
        assert picture.size[0] >= 160 and picture.size[1] >= 50

    def test_favicon_ico_leads_to_the_icon(self):
        response = Client().get("/favicon.ico")
        assert response.status_code == 301 and response["Location"].endswith("web/favicon.svg")

    def test_the_portal_pages_name_their_icon(self):
        assert 'rel="icon"' in Client().get("/portal/").content.decode()
