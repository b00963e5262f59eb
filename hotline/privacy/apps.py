"""Privacy features above the tickets: reveals, access log, security events, lockout, sessions, 2FA (Art. 23)."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed


class PrivacyConfig(AppConfig):
    """Wires the login signals to the lockout."""

    name = "hotline.privacy"
    label = "privacy"
    verbose_name = "隐私与审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hotline.privacy import lockout

        # Django's last-login update, but one a read-only disk does not turn into a failed login (issue 15).
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(lockout.update_last_login, dispatch_uid="hotline-last-login")
        user_login_failed.connect(lockout.on_login_failed, dispatch_uid="hotline-login-failed")
        user_logged_in.connect(lockout.on_logged_in, dispatch_uid="hotline-logged-in")
