"""Login, logout, the home page by role and the shared layout other pages extend."""

from django.urls import reverse

from tests.base import PASSWORD, HotlineTestCase


class TestLogin(HotlineTestCase):
    def test_it_shows_a_chinese_login_page_to_anonymous_users(self):
        response = self.client.get("/login/")
        assert response.status_code == 200
        self.assertContains(response, "工作人员登录")
        self.assertContains(response, 'lang="zh-CN"')

    def test_it_sends_anonymous_users_to_login_from_every_screen(self):
        for url in ("/", "/desk/", "/inbox/", "/tickets/", "/tickets/20260101000001/"):
            response = self.client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/login/?next="), url

    def test_it_explains_a_wrong_password_in_chinese(self):
        response = self.client.post("/login/", {"username": "operator", "password": "wrong-password-1"})
        assert response.status_code == 200
        self.assertContains(response, "请输入一个正确的")

    def test_it_logs_in_and_lands_on_the_role_home(self):
        response = self.client.post("/login/", {"username": "operator", "password": PASSWORD}, follow=True)
        self.assertRedirects(response, "/desk/")

    def test_it_logs_out_only_by_post(self):
        self.client.force_login(self.operator)
        response = self.client.post(reverse("web:logout"))
        self.assertRedirects(response, "/login/", fetch_redirect_response=False)
        assert self.client.get("/desk/").status_code == 302


class TestHomeByRole(HotlineTestCase):
    def test_it_sends_each_role_to_its_own_screen(self):
        cases = {
            self.operator: "/desk/", self.dispatcher: "/desk/", self.reviewer: "/desk/", self.followup: "/desk/",
            self.manager: "/desk/", self.supervisor: "/supervision/", self.unit_a_handler: "/inbox/",
            self.unit_a_manager: "/inbox/",
        }
        for user, target in cases.items():
            self.client.force_login(user)
            self.assertRedirects(self.client.get("/"), target, fetch_redirect_response=False, msg_prefix=user.role)


class TestLayout(HotlineTestCase):
    def test_it_links_the_knowledge_base_and_hotspots_for_hotline_staff(self):
        self.client.force_login(self.dispatcher)
        response = self.client.get("/desk/")
        self.assertContains(response, '<a class="nav-link" href="/knowledge/">知识库</a>', html=True)
        self.assertContains(response, '<a class="nav-link" href="/routing/hotspots/">热点</a>', html=True)
        self.assertContains(response, "派单员")

    def test_it_serves_every_asset_locally_with_no_inline_script(self):
        self.client.force_login(self.operator)
        body = self.client.get("/desk/").content.decode()
        assert "/static/web/vendor/bootstrap.min.css" in body
        assert "/static/web/vendor/htmx.min.js" in body
        assert "https://" not in body and "http://" not in body
        # Every <script> has a src: a strict CSP forbids inline code.
        assert body.count("<script") == body.count("<script src=")

    def test_it_shows_units_their_inbox_and_the_knowledge_base_but_not_hotspots(self):
        self.client.force_login(self.unit_a_handler)
        response = self.client.get("/inbox/")
        self.assertContains(response, "单位收件箱")
        self.assertContains(response, "知识库")
        self.assertNotContains(response, "/routing/hotspots/")


class TestErrorPages(HotlineTestCase):
    def test_it_explains_a_forbidden_screen_in_chinese(self):
        self.client.force_login(self.unit_a_handler)
        self.assertContains(self.client.get("/desk/"), "您的角色无权访问此页面", status_code=403)

    def test_it_explains_a_missing_or_invisible_ticket_in_chinese(self):
        self.client.force_login(self.unit_b_handler)
        self.assertContains(self.client.get("/tickets/20990101000001/"), "页面或工单不存在，或您无权查看",
                            status_code=404)
