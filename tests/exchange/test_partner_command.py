"""`hotline partner`: a deployment script adds or changes a platform it exchanges with; secrets stay named only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hotline.exchange.models import Partner, PartnerKind
from tests.base import HotlineTestCase


class PartnerCommandTest(HotlineTestCase):
    def run_command(self, *args: str, **options: str) -> str:
        out = StringIO()
        call_command("partner", *args, stdout=out, **options)
        return out.getvalue()

    def test_it_adds_a_lower_platform_then_changes_only_what_it_is_given(self):
        self.run_command("shaoyang", name="邵阳市12345热线", kind="lower", prefix="sy-at-hn",
                         secret_env="HOTLINE_EXCHANGE_SHAOYANG_SECRET", unit="shuangqing",
                         url="https://12345.shaoyang.example.gov.cn/api/v1/exchange/orders",
                         out_prefix="hn-at-sy", out_secret_env="HOTLINE_EXCHANGE_TO_SHAOYANG_SECRET")
        self.run_command("shaoyang", url="https://new.example.gov.cn/api/v1/exchange/orders")
        partner = Partner.objects.get(code="shaoyang")
        assert (partner.kind, partner.unit, partner.prefix, partner.outbound_url) == (
            PartnerKind.LOWER, self.county, "sy-at-hn", "https://new.example.gov.cn/api/v1/exchange/orders")

    def test_it_refuses_a_lower_platform_without_its_unit_and_an_unknown_unit(self):
        with pytest.raises(CommandError, match="--unit"):
            self.run_command("shaoyang", name="邵阳市12345热线", kind="lower", prefix="p", secret_env="S",
                             url="https://12345.shaoyang.example.gov.cn/api/v1/exchange/orders")
        with pytest.raises(CommandError, match="没有编码为 nowhere 的单位"):
            self.run_command("shaoyang", name="邵阳市12345热线", kind="lower", prefix="p", secret_env="S",
                             unit="nowhere")
        assert not Partner.objects.exists()

    def test_an_upper_platform_without_an_address_is_saved_with_report_back_off(self):
        self.run_command("hunan", name="湖南省12345指挥监管平台", kind="upper", prefix="hn", secret_env="S", url="")
        assert Partner.objects.get(code="hunan").outbound_url == ""
