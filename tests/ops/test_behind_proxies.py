"""Behind nginx the WSGI server's peer is the proxy: with HOTLINE_PROXIES the client's address comes from the
X-Forwarded-For the proxy appended, so the login lockout and the rate limits count the client, not the proxy."""

from __future__ import annotations

from typing import Any

from hotline.lib.proxies import behind_proxies


def seen(proxies: int, environ: dict[str, str]) -> str:
    addresses: list[str] = []

    def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
        addresses.append(env["REMOTE_ADDR"])
        start_response("200 OK", [])
        return [b""]

    base = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "hotline", "SERVER_PORT": "80",
            "wsgi.url_scheme": "http"}
    behind_proxies(app, proxies)({**base, **environ}, lambda status, headers: None)
    return addresses[0]


def test_one_proxy_gives_the_address_it_appended() -> None:
    # A client may send its own X-Forwarded-For; nginx appends the address it saw, the last one counts.
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7"}
    assert seen(1, environ) == "203.0.113.7"


def test_without_proxies_the_header_is_ignored() -> None:
    environ = {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert seen(0, environ) == "198.51.100.4"
