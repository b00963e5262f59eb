"""The content security policy: scripts, styles, images and forms from this server only, no inline scripts.

Every template is checked by tests/security/test_hardening.py: no inline <script> (json_script blocks of type
application/json are data, not code), no on*= handlers, no inline `style=` attributes or <style> elements. Should one
ever be unavoidable, list its exact value in ALLOWED_STYLE_ATTRIBUTES: it is then allowed by its hash
('unsafe-hashes', CSP level 3), never by 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib

# Exact style attribute values allowed by hash; empty: every style lives in a stylesheet.
ALLOWED_STYLE_ATTRIBUTES: tuple[str, ...] = ()


def source_hash(text: str) -> str:
    """The CSP hash source of an inline value: `'sha256-…'`."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def policy() -> dict[str, object]:
    """CONTENT_SECURITY_POLICY for django-csp 4."""
    self_ = "'self'"
    return {"DIRECTIVES": {
        "default-src": [self_],
        "script-src": [self_],
        "style-src": [self_, *(["'unsafe-hashes'", *(source_hash(v) for v in ALLOWED_STYLE_ATTRIBUTES)]
                               if ALLOWED_STYLE_ATTRIBUTES else [])],
        # data: for images rendered into the page (the captcha picture, the TOTP QR code)
        "img-src": [self_, "data:"],
        "media-src": [self_],
        "font-src": [self_],
        "connect-src": [self_],
        "object-src": ["'none'"],
        "base-uri": [self_],
        "form-action": [self_],
        "frame-ancestors": ["'none'"],
    }}
