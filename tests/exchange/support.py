"""Partners and signed requests for the exchange tests."""

from __future__ import annotations

import json
import time
from typing import Any

from django.test import Client

from hotline.channels.services import sign_body
from hotline.directory.models import Unit
from hotline.exchange.models import Partner, PartnerKind

UPPER_SECRET = "province-shared-secret-for-tests"
SUB_SECRET = "power-sub-centre-secret-for-tests"
REPORT_SECRET = "our-secret-at-the-province-for-tests"
LOWER_SECRET = "the-city-signs-its-reports-with-this"
DOWN_SECRET = "the-province-signs-its-orders-with-this"


def make_partners(unit: Unit) -> tuple[Partner, Partner]:
    """The provincial platform and one sub-centre (under `unit`)."""
    province = Partner.objects.create(
        code="hunan", name="省12345指挥监管平台", kind=PartnerKind.UPPER, prefix="prov01",
        hmac_secret_env="HOTLINE_TEST_UPPER_SECRET", outbound_url="http://127.0.0.1:9/exchange/status",
        outbound_prefix="sy01", outbound_secret_env="HOTLINE_TEST_REPORT_SECRET")
    sub = Partner.objects.create(code="power", name="国网邵阳供电公司95598分中心", kind=PartnerKind.SUB_CENTRE,
                                 unit=unit, prefix="sub01", hmac_secret_env="HOTLINE_TEST_SUB_SECRET")
    return province, sub


def make_lower(unit: Unit, *, url: str = "http://127.0.0.1:9/api/v1/exchange/orders") -> Partner:
    """A city platform under us, when this deployment is the provincial platform; `unit` stands for it."""
    return Partner.objects.create(
        code="shaoyang", name="邵阳市12345热线", kind=PartnerKind.LOWER, unit=unit, prefix="city01",
        hmac_secret_env="HOTLINE_TEST_LOWER_SECRET", outbound_url=url, outbound_prefix="prov-at-city",
        outbound_secret_env="HOTLINE_TEST_DOWN_SECRET")


def signed_post(client: Client, path: str, body: dict[str, Any] | bytes, *, prefix: str, secret: str,
                nonce: str = "n-1", timestamp: int | None = None, signature: str | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    ts = str(timestamp if timestamp is not None else int(time.time()))
    return client.post(path, raw, content_type="application/json", HTTP_X_KEY_PREFIX=prefix, HTTP_X_TIMESTAMP=ts,
                       HTTP_X_NONCE=nonce, HTTP_X_SIGNATURE=signature or sign_body(secret, ts, nonce, raw))
