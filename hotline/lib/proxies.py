"""The client's address behind reverse proxies (HOTLINE_PROXIES; docs/security.md)."""

from __future__ import annotations

from typing import Any


def behind_proxies(app: Any, proxies: int) -> Any:
    """`app` seeing the client's address as REMOTE_ADDR when `proxies` reverse proxies in front each append the
    address they were reached from to X-Forwarded-For (nginx: `proxy_add_x_forwarded_for`); werkzeug's ProxyFix
    takes the one the nearest proxies vouch for. With 0, REMOTE_ADDR stays the peer's."""
    if proxies == 0:
        return app
    from werkzeug.middleware.proxy_fix import ProxyFix

    return ProxyFix(app, x_for=proxies, x_proto=0, x_host=0, x_port=0, x_prefix=0)
