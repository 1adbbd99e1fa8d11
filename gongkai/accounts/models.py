from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in to the back office.

    What a user may do comes only from their memberships (``orgs.Membership``);
    ``is_staff``/``is_superuser`` are not used for business permissions.
    """

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("办公电话", max_length=30, blank=True)
    # Demo accounts are created by `load_demo`; production refuses to start
    # while any exists unless GONGKAI_ALLOW_DEMO_ACCOUNTS is set.
    is_demo = models.BooleanField("演示账号", default=False)
    # When the password was last set (null: never through Gongkai = treat as expired
    # only once an expiry period is configured and date_joined is older).
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    # Django's admin greets by get_short_name() (AbstractUser: the unused first_name).
    def get_short_name(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so the last N are not reused."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"


class LoginFailure(models.Model):
    """One failed sign-in; recent, uncleared rows lock an account or an address."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True, db_index=True)
    at = models.DateTimeField("时间", db_index=True)
    cleared = models.BooleanField("已解除", default=False)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"


class LoginGate(models.Model):
    """A bucket of account names or addresses (``accounts.lockout._gate_key``),
    locked (``SELECT … FOR UPDATE``) while a sign-in counts the recent failures
    and reserves its own attempt, so parallel attempts are counted one after the
    other (issue 18, F7)."""

    key = models.CharField("键", max_length=200, unique=True)

    class Meta:
        verbose_name = "登录计数锁"
        verbose_name_plural = "登录计数锁"

    def __str__(self) -> str:
        return self.key
