"""Who saw which personal value, security events and login failure counters (Art. 23)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RevealField(models.TextChoices):
    """The personal fields of a requester that can be revealed in full."""

    NAME = "name", "姓名"
    PHONE = "phone", "电话"
    ID_NUMBER = "id_number", "证件号码"
    ADDRESS = "address", "住址"
    IP = "ip", "IP地址"


class AccessLog(models.Model):
    """One attempt to reveal a personal value in full, allowed or refused; the hotline manager reads and exports it."""

    at = models.DateTimeField("时间", db_index=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("directory.Unit", verbose_name="所属单位", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", verbose_name="工单", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey("tickets.Requester", verbose_name="服务对象", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    field = models.CharField("字段", max_length=16, choices=RevealField.choices)
    reason = models.TextField("理由", blank=True)
    allowed = models.BooleanField("是否允许")
    refusal = models.CharField("拒绝原因代码", max_length=40, blank=True)
    ip = models.GenericIPAddressField("来源IP", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息查看记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["ticket", "at"]), models.Index(fields=["staff", "at"])]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.field} {'允许' if self.allowed else '拒绝'}"


class SecurityKind(models.TextChoices):
    """What a security event records."""

    LOGIN_FAILED = "login_failed", "登录失败"
    LOGIN_LOCKED = "login_locked", "登录锁定"
    LOGIN_SUCCEEDED = "login_succeeded", "登录成功"
    DENIED = "denied", "越权访问被拒绝"
    REVEAL = "reveal", "查看完整个人信息"
    REVEAL_REFUSED = "reveal_refused", "查看完整个人信息被拒绝"
    ACCESS_LOG_EXPORT = "access_log_export", "导出查看记录"
    SESSION_EXPIRED = "session_expired", "会话超时退出"
    OTP_FAILED = "otp_failed", "动态验证码错误"
    OTP_ENROLLED = "otp_enrolled", "绑定动态验证码"


class SecurityEvent(models.Model):
    """A security-relevant event with who, what, when and where (GB/T 22239 level 3 security audit)."""

    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("类型", max_length=24, choices=SecurityKind.choices)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="工作人员", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # The name typed at the login form: it may match no account, so it is kept as text.
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    ticket = models.ForeignKey("tickets.Ticket", verbose_name="工单", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    detail = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全事件"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.username or self.staff_id} {self.at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed logins of one username from one address in the current window, and the lock they caused."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    window_started = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败计数"
        constraints = [models.UniqueConstraint(fields=["username", "ip"], name="one_throttle_per_username_ip")]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip} {self.failures}"
