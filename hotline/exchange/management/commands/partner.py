"""`hotline partner CODE …`: add or change one platform this deployment exchanges with (Art. 7, 27), the way a
deployment script configures it; the shared secrets stay in the environment, only their variables' names are kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.directory.models import Unit
from hotline.exchange.models import Partner, PartnerKind


class Command(BaseCommand):
    help = "新增或修改对接平台（上级平台、下级平台、热线分中心）；密钥只填环境变量名"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="平台代码")
        parser.add_argument("--name", help="名称")
        parser.add_argument("--kind", choices=PartnerKind.values, help="类型")
        parser.add_argument("--prefix", help="对方请求头 X-Key-Prefix 的值")
        parser.add_argument("--secret-env", help="对方签名密钥所在的环境变量名")
        parser.add_argument("--unit", help="单位编码：分中心所属单位，或代表下级平台的单位")
        parser.add_argument("--url", help="上级平台的回传地址（留空则不回传），或下级平台的交办地址")
        parser.add_argument("--out-prefix", help="本平台在对方的接入前缀")
        parser.add_argument("--out-secret-env", help="本平台向对方签名的密钥所在的环境变量名")
        parser.add_argument("--inactive", action="store_true", help="停用")

    def handle(self, *args: Any, **options: Any) -> None:
        partner = Partner.objects.filter(code=options["code"]).first() or Partner(code=options["code"])
        fields = {"name": "name", "kind": "kind", "prefix": "prefix", "secret_env": "hmac_secret_env",
                  "url": "outbound_url", "out_prefix": "outbound_prefix", "out_secret_env": "outbound_secret_env"}
        for option, field in fields.items():
            if options[option] is not None:
                setattr(partner, field, options[option])
        if options["unit"] is not None:
            partner.unit = Unit.objects.filter(code=options["unit"]).first() if options["unit"] else None
            if options["unit"] and partner.unit is None:
                raise CommandError(f"没有编码为 {options['unit']} 的单位")
        partner.is_active = not options["inactive"]
        if not (partner.name and partner.kind and partner.prefix and partner.hmac_secret_env):
            raise CommandError("新平台须给出 --name、--kind、--prefix 和 --secret-env")
        if partner.kind == PartnerKind.LOWER and not (partner.unit and partner.outbound_url):
            raise CommandError("下级平台须给出 --unit（代表它的单位）和 --url（它的交办地址）")
        partner.full_clean()
        partner.save()
        self.stdout.write(f"已保存对接平台 {partner.code}（{partner.get_kind_display()}）")
