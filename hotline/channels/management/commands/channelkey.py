"""`hotline channelkey create|list|revoke`: keys for gateways (WeChat, app, SMS), Open311 and the 110 platform."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.channels import services
from hotline.channels.models import ChannelKey
from hotline.tickets.choices import Channel


class Command(BaseCommand):
    help = "管理渠道接入密钥（微信、APP、短信网关、Open311 客户端、110 平台）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, parser_class=argparse.ArgumentParser)
        create = sub.add_parser("create", help="生成新密钥（只显示一次）")
        create.add_argument("--name", required=True)
        create.add_argument("--channel", required=True, choices=Channel.values)
        create.add_argument("--hmac-secret-env", default="",
                            help="110 平台：保存共享签名密钥的环境变量名，如 HOTLINE_110_SECRET")
        sub.add_parser("list", help="列出密钥")
        revoke = sub.add_parser("revoke", help="停用密钥")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "create":
            if options["channel"] == Channel.POLICE_110 and not options["hmac_secret_env"]:
                raise CommandError("110 渠道须用 --hmac-secret-env 指定签名密钥所在的环境变量")
            key, raw = services.create_key(options["name"], options["channel"],
                                           hmac_secret_env=options["hmac_secret_env"])
            self.stdout.write(f"已创建 {key}。密钥只显示这一次，请妥善保存：\n{raw}")
        elif verb == "list":
            for key in ChannelKey.objects.order_by("created_at"):
                state = "启用" if key.is_active else "停用"
                used = key.last_used_at.isoformat(timespec="minutes") if key.last_used_at else "从未使用"
                self.stdout.write(f"{key.prefix}\t{key.get_channel_display()}\t{key.name}\t{state}\t{used}")
        elif not ChannelKey.objects.filter(prefix=options["prefix"]).update(is_active=False):
            raise CommandError(f"没有前缀为 {options['prefix']} 的密钥")
        else:
            self.stdout.write(f"已停用 {options['prefix']}")
